//! `Azure.ResourceManager.NonResource`: a model that is not an ARM resource, under a location.

use spector_non_resource::models::NonResource;

fn client() -> spector_non_resource::TitleClient {
    crate::client!(spector_non_resource, TitleClient, TitleClientOptions)
}

fn assert_hello(value: &NonResource) {
    assert_eq!(
        (value.id.as_deref(), value.name.as_deref(), value.r#type.as_deref()),
        (Some("id"), Some("hello"), Some("nonResource"))
    );
}

#[tokio::test]
async fn non_resource_operations_get() {
    let value = client().non_resource_operations().get("eastus", "hello", None).await.unwrap().into_model().unwrap();
    assert_hello(&value);
}

#[tokio::test]
async fn non_resource_operations_create() {
    let body = NonResource { id: Some("id".into()), name: Some("hello".into()), r#type: Some("nonResource".into()) };
    let response =
        client().non_resource_operations().create("eastus", "hello", body.try_into().unwrap(), None).await.unwrap();
    assert_hello(&response.into_model().unwrap());
}
