//! `Azure.ResourceManager.Resources`: top-level, nested, singleton, extension and location
//! resources, each through get, create, update, delete and list.

use crate::support::{RESOURCE_GROUP, SUBSCRIPTION};
use futures::TryStreamExt;
use spector_resources::models::*;

fn client() -> spector_resources::TitleClient {
    crate::client!(spector_resources, TitleClient, TitleClientOptions)
}

const TOP_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/test-rg/providers/Azure.ResourceManager.Resources/topLevelTrackedResources/top";

fn assert_top(resource: &TopLevelTrackedResource, description: &str) {
    assert_eq!(resource.id.as_deref(), Some(TOP_ID));
    assert_eq!(resource.name.as_deref(), Some("top"));
    assert_eq!(resource.r#type.as_deref(), Some("Azure.ResourceManager.Resources/topLevelTrackedResources"));
    assert_eq!(resource.location, "eastus");
    let properties = resource.properties.as_ref().expect("properties");
    assert_eq!(properties.description.as_deref(), Some(description));
    assert_eq!(properties.provisioning_state, Some(ProvisioningState::Succeeded));
}

#[tokio::test]
async fn top_level_get() {
    let resource = client().top_level().get(RESOURCE_GROUP, "top", None).await.unwrap().into_model().unwrap();
    assert_top(&resource, "valid");
}

#[tokio::test]
async fn top_level_create_or_replace() {
    let resource = TopLevelTrackedResource {
        location: "eastus".into(),
        properties: Some(TopLevelTrackedResourceProperties { description: Some("valid".into()), ..Default::default() }),
        ..Default::default()
    };
    let created = client()
        .top_level()
        .begin_create_or_replace(RESOURCE_GROUP, "top", resource.try_into().unwrap(), None)
        .unwrap()
        .await
        .unwrap();
    assert_top(&created.into_model().unwrap(), "valid");
}

#[tokio::test]
async fn top_level_update() {
    let patch = TopLevelTrackedResource {
        properties: Some(TopLevelTrackedResourceProperties {
            description: Some("valid2".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let updated = client()
        .top_level()
        .begin_update(RESOURCE_GROUP, "top", patch.try_into().unwrap(), None)
        .unwrap()
        .await
        .unwrap();
    assert_top(&updated.into_model().unwrap(), "valid2");
}

#[tokio::test]
async fn top_level_delete() {
    client().top_level().begin_delete(RESOURCE_GROUP, "top", None).unwrap().await.unwrap();
}

#[tokio::test]
async fn top_level_list_by_resource_group() {
    let items: Vec<TopLevelTrackedResource> =
        client().top_level().list_by_resource_group(RESOURCE_GROUP, None).unwrap().try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_top(&items[0], "valid");
}

#[tokio::test]
async fn top_level_list_by_subscription() {
    let items: Vec<TopLevelTrackedResource> =
        client().top_level().list_by_subscription(None).unwrap().try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_top(&items[0], "valid");
}

#[tokio::test]
async fn top_level_action_sync() {
    let body = NotificationDetails { message: "Resource action at top level.".into(), urgent: true };
    let response =
        client().top_level().action_sync(RESOURCE_GROUP, "top", body.try_into().unwrap(), None).await.unwrap();
    assert_eq!(u16::from(response.status()), 204);
}

fn assert_nested(resource: &NestedProxyResource, description: &str) {
    assert_eq!(resource.id.as_deref(), Some(format!("{TOP_ID}/nestedProxyResources/nested").as_str()));
    assert_eq!(resource.name.as_deref(), Some("nested"));
    let properties = resource.properties.as_ref().expect("properties");
    assert_eq!(properties.description.as_deref(), Some(description));
    assert_eq!(properties.provisioning_state, Some(ProvisioningState::Succeeded));
}

fn nested_body(description: &str) -> NestedProxyResource {
    NestedProxyResource {
        properties: Some(NestedProxyResourceProperties { description: Some(description.into()), ..Default::default() }),
        ..Default::default()
    }
}

#[tokio::test]
async fn nested_get() {
    let resource = client().nested().get(RESOURCE_GROUP, "top", "nested", None).await.unwrap().into_model().unwrap();
    assert_nested(&resource, "valid");
}

#[tokio::test]
async fn nested_create_or_replace() {
    let poller = client().nested().begin_create_or_replace(
        RESOURCE_GROUP,
        "top",
        "nested",
        nested_body("valid").try_into().unwrap(),
        None,
    );
    assert_nested(&poller.unwrap().await.unwrap().into_model().unwrap(), "valid");
}

#[tokio::test]
async fn nested_update() {
    let poller = client().nested().begin_update(
        RESOURCE_GROUP,
        "top",
        "nested",
        nested_body("valid2").try_into().unwrap(),
        None,
    );
    assert_nested(&poller.unwrap().await.unwrap().into_model().unwrap(), "valid2");
}

#[tokio::test]
async fn nested_delete() {
    client().nested().begin_delete(RESOURCE_GROUP, "top", "nested", None).unwrap().await.unwrap();
}

#[tokio::test]
async fn nested_list_by_top_level_tracked_resource() {
    let items: Vec<NestedProxyResource> = client()
        .nested()
        .list_by_top_level_tracked_resource(RESOURCE_GROUP, "top", None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
    assert_nested(&items[0], "valid");
}

fn assert_singleton(resource: &SingletonTrackedResource, description: &str) {
    let id = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Azure.ResourceManager.Resources/singletonTrackedResources/default"
    );
    assert_eq!(resource.id.as_deref(), Some(id.as_str()));
    assert_eq!(resource.name.as_deref(), Some("default"));
    assert_eq!(resource.location, "eastus");
    let properties = resource.properties.as_ref().expect("properties");
    assert_eq!(properties.description.as_deref(), Some(description));
}

#[tokio::test]
async fn singleton_get_by_resource_group() {
    let resource =
        client().singleton().get_by_resource_group(RESOURCE_GROUP, None).await.unwrap().into_model().unwrap();
    assert_singleton(&resource, "valid");
}

#[tokio::test]
async fn singleton_create_or_update() {
    let resource = SingletonTrackedResource {
        location: "eastus".into(),
        properties: Some(SingletonTrackedResourceProperties {
            description: Some("valid".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let poller = client().singleton().begin_create_or_update(RESOURCE_GROUP, resource.try_into().unwrap(), None);
    assert_singleton(&poller.unwrap().await.unwrap().into_model().unwrap(), "valid");
}

#[tokio::test]
async fn singleton_update() {
    let patch = SingletonTrackedResource {
        properties: Some(SingletonTrackedResourceProperties {
            description: Some("valid2".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let resource = client()
        .singleton()
        .update(RESOURCE_GROUP, patch.try_into().unwrap(), None)
        .await
        .unwrap()
        .into_model()
        .unwrap();
    assert_singleton(&resource, "valid2");
}

#[tokio::test]
async fn singleton_list_by_resource_group() {
    let items: Vec<SingletonTrackedResource> =
        client().singleton().list_by_resource_group(RESOURCE_GROUP, None).unwrap().try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_singleton(&items[0], "valid");
}

/// The four scopes an extension resource lives at: resource group, subscription, tenant and
/// another resource. `resourceUri` is sent as it is (`x-ms-skip-url-encoding`).
fn scopes() -> [String; 4] {
    [
        format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}"),
        format!("/subscriptions/{SUBSCRIPTION}"),
        String::new(),
        TOP_ID.to_owned(),
    ]
}

fn assert_extension(resource: &ExtensionsResource, scope: &str, description: &str) {
    let id = format!("{scope}/providers/Azure.ResourceManager.Resources/extensionsResources/extension");
    assert_eq!(resource.id.as_deref(), Some(id.as_str()));
    assert_eq!(resource.name.as_deref(), Some("extension"));
    let properties = resource.properties.as_ref().expect("properties");
    assert_eq!(properties.description.as_deref(), Some(description));
}

fn extension_body(description: &str) -> ExtensionsResource {
    ExtensionsResource {
        properties: Some(ExtensionsResourceProperties { description: Some(description.into()), ..Default::default() }),
        ..Default::default()
    }
}

#[tokio::test]
async fn extensions_resources_get() {
    for scope in scopes() {
        let resource =
            client().extensions_resources().get(&scope, "extension", None).await.unwrap().into_model().unwrap();
        assert_extension(&resource, &scope, "valid");
    }
}

#[tokio::test]
async fn extensions_resources_create_or_update() {
    for scope in scopes() {
        let poller = client().extensions_resources().begin_create_or_update(
            &scope,
            "extension",
            extension_body("valid").try_into().unwrap(),
            None,
        );
        assert_extension(&poller.unwrap().await.unwrap().into_model().unwrap(), &scope, "valid");
    }
}

#[tokio::test]
async fn extensions_resources_update() {
    for scope in scopes() {
        let response = client()
            .extensions_resources()
            .update(&scope, "extension", extension_body("valid2").try_into().unwrap(), None)
            .await
            .unwrap();
        assert_extension(&response.into_model().unwrap(), &scope, "valid2");
    }
}

#[tokio::test]
async fn extensions_resources_delete() {
    for scope in scopes() {
        let response = client().extensions_resources().delete(&scope, "extension", None).await.unwrap();
        assert_eq!(u16::from(response.status()), 204);
    }
}

#[tokio::test]
async fn extensions_resources_list_by_scope() {
    for scope in scopes() {
        let items: Vec<ExtensionsResource> =
            client().extensions_resources().list_by_scope(&scope, None).unwrap().try_collect().await.unwrap();
        assert_eq!(items.len(), 1, "{scope}");
        assert_extension(&items[0], &scope, "valid");
    }
}

fn assert_location(resource: &LocationResource, description: &str) {
    let id = format!(
        "/subscriptions/{SUBSCRIPTION}/providers/Azure.ResourceManager.Resources/locations/eastus/locationResources/resource"
    );
    assert_eq!(resource.id.as_deref(), Some(id.as_str()));
    assert_eq!(resource.name.as_deref(), Some("resource"));
    let properties = resource.properties.as_ref().expect("properties");
    assert_eq!(properties.description.as_deref(), Some(description));
}

fn location_body(description: &str) -> LocationResource {
    LocationResource {
        properties: Some(LocationResourceProperties { description: Some(description.into()), ..Default::default() }),
        ..Default::default()
    }
}

#[tokio::test]
async fn location_resources_get() {
    let resource = client().location_resources().get("eastus", "resource", None).await.unwrap().into_model().unwrap();
    assert_location(&resource, "valid");
}

#[tokio::test]
async fn location_resources_create_or_update() {
    let response = client()
        .location_resources()
        .create_or_update("eastus", "resource", location_body("valid").try_into().unwrap(), None)
        .await
        .unwrap();
    assert_location(&response.into_model().unwrap(), "valid");
}

#[tokio::test]
async fn location_resources_update() {
    let response = client()
        .location_resources()
        .update("eastus", "resource", location_body("valid2").try_into().unwrap(), None)
        .await
        .unwrap();
    assert_location(&response.into_model().unwrap(), "valid2");
}

#[tokio::test]
async fn location_resources_delete() {
    let response = client().location_resources().delete("eastus", "resource", None).await.unwrap();
    assert_eq!(u16::from(response.status()), 204);
}

#[tokio::test]
async fn location_resources_list_by_location() {
    let items: Vec<LocationResource> =
        client().location_resources().list_by_location("eastus", None).unwrap().try_collect().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_location(&items[0], "valid");
}
