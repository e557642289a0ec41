//! `Azure.ResourceManager.OperationTemplates`: the operations list, check-name-availability,
//! long-running operations (through `Azure-AsyncOperation` and `Location`), paging after a
//! long-running operation, and optional request bodies.

use crate::support::RESOURCE_GROUP;
use futures::TryStreamExt;
use spector_operation_templates::clients::{
    OptionalBodyClientPatchOptions, OptionalBodyClientPostOptions, OptionalBodyClientProviderPostOptions,
};
use spector_operation_templates::models::*;

fn client() -> spector_operation_templates::TitleClient {
    crate::client!(spector_operation_templates, TitleClient, TitleClientOptions)
}

#[tokio::test]
async fn list_available_operations() {
    let operations: Vec<Operation> = client().operations().list(None).unwrap().try_collect().await.unwrap();
    assert_eq!(operations.len(), 1);
    let operation = &operations[0];
    assert_eq!(operation.name.as_deref(), Some("Microsoft.Compute/virtualMachines/write"));
    assert_eq!(operation.is_data_action, Some(false));
    let display = operation.display.as_ref().expect("display");
    assert_eq!(display.provider.as_deref(), Some("Microsoft Compute"));
    assert_eq!(display.operation.as_deref(), Some("Create or Update Virtual Machine."));
    assert_eq!(operation.origin, Some(Origin::UserSystem));
    assert_eq!(operation.action_type, Some(ActionType::Internal));
}

fn check_name() -> CheckNameAvailabilityRequest {
    CheckNameAvailabilityRequest { name: Some("checkName".into()), r#type: Some("Microsoft.Web/site".into()) }
}

fn assert_taken(response: &CheckNameAvailabilityResponse) {
    assert_eq!(response.name_available, Some(false));
    assert_eq!(response.reason, Some(CheckNameAvailabilityReason::AlreadyExists));
    assert_eq!(
        response.message.as_deref(),
        Some("Hostname 'checkName' already exists. Please select a different name.")
    );
}

#[tokio::test]
async fn check_name_availability_check_global() {
    let response =
        client().check_name_availability().check_global(check_name().try_into().unwrap(), None).await.unwrap();
    assert_taken(&response.into_model().unwrap());
}

#[tokio::test]
async fn check_name_availability_check_local() {
    let response =
        client().check_name_availability().check_local("westus", check_name().try_into().unwrap(), None).await.unwrap();
    assert_taken(&response.into_model().unwrap());
}

#[tokio::test]
async fn lro_create_or_replace() {
    let order = Order {
        location: "eastus".into(),
        properties: Some(OrderProperties { product_id: "product1".into(), amount: 1, ..Default::default() }),
        ..Default::default()
    };
    let poller =
        client().lro().begin_create_or_replace(RESOURCE_GROUP, "order1", order.try_into().unwrap(), None).unwrap();
    let order = poller.await.unwrap().into_model().unwrap();
    assert_eq!(order.name.as_deref(), Some("order1"));
    let properties = order.properties.expect("properties");
    assert_eq!((properties.product_id.as_str(), properties.amount), ("product1", 1));
    assert_eq!(properties.provisioning_state.as_deref(), Some("Succeeded"));
}

#[tokio::test]
async fn lro_export() {
    let request = ExportRequest { format: "csv".into() };
    let poller = client().lro().begin_export(RESOURCE_GROUP, "order1", request.try_into().unwrap(), None).unwrap();
    let result = poller.await.unwrap().into_model().unwrap();
    assert_eq!(result.content, "order1,product1,1");
}

#[tokio::test]
async fn lro_export_array() {
    let poller =
        client().lro().begin_export_array(ExportRequest { format: "csv".into() }.try_into().unwrap(), None).unwrap();
    let results = poller.await.unwrap().into_model().unwrap();
    let contents: Vec<&str> = results.iter().map(|r| r.content.as_str()).collect();
    assert_eq!(contents, ["order1,product1,1", "order2,product2,2"]);
}

#[tokio::test]
async fn lro_delete() {
    client().lro().begin_delete(RESOURCE_GROUP, "order1", None).unwrap().await.unwrap();
}

#[tokio::test]
async fn lro_paging_post_paging_lro() {
    let products: Vec<Product> = client()
        .lro_paging()
        .begin_post_paging_lro(RESOURCE_GROUP, "default", None)
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Option<&str>> =
        products.iter().map(|p| p.properties.as_ref().and_then(|p| p.product_id.as_deref())).collect();
    assert_eq!(ids, [Some("product1"), Some("product2")]);
}

fn assert_widget(widget: &Widget, name: &str, description: &str) {
    assert_eq!(widget.name.as_deref(), Some("widget1"));
    let properties = widget.properties.as_ref().expect("properties");
    assert_eq!(properties.name.as_deref(), Some(name));
    assert_eq!(properties.description.as_deref(), Some(description));
}

#[tokio::test]
async fn optional_body_get() {
    let widget = client().optional_body().get(RESOURCE_GROUP, "widget1", None).await.unwrap().into_model().unwrap();
    assert_widget(&widget, "widget1", "A test widget");
}

#[tokio::test]
async fn optional_body_patch() {
    // Without a body, the widget is unchanged.
    let widget = client().optional_body().patch(RESOURCE_GROUP, "widget1", None).await.unwrap().into_model().unwrap();
    assert_widget(&widget, "widget1", "A test widget");
    // With one, it is updated.
    let properties = WidgetProperties {
        name: Some("updated-widget".into()),
        description: Some("Updated description".into()),
        ..Default::default()
    };
    let options = OptionalBodyClientPatchOptions {
        properties: Some(Widget { properties: Some(properties), ..Default::default() }.try_into().unwrap()),
        ..Default::default()
    };
    let widget =
        client().optional_body().patch(RESOURCE_GROUP, "widget1", Some(options)).await.unwrap().into_model().unwrap();
    assert_widget(&widget, "updated-widget", "Updated description");
}

#[tokio::test]
async fn optional_body_post() {
    let result = client().optional_body().post(RESOURCE_GROUP, "widget1", None).await.unwrap().into_model().unwrap();
    assert_eq!(result.result, "Action completed successfully");
    let body = ActionRequest { action_type: Some("perform".into()), parameters: Some("test-parameters".into()) };
    let options = OptionalBodyClientPostOptions { body: Some(body.try_into().unwrap()), ..Default::default() };
    let result =
        client().optional_body().post(RESOURCE_GROUP, "widget1", Some(options)).await.unwrap().into_model().unwrap();
    assert_eq!(result.result, "Action completed successfully with parameters");
}

#[tokio::test]
async fn optional_body_provider_post() {
    let result = client().optional_body().provider_post(None).await.unwrap().into_model().unwrap();
    assert_eq!(result.status, "Changed to default allowance");
    let body = ChangeAllowanceRequest { total_allowed: Some(100), reason: Some("Increased demand".into()) };
    let options = OptionalBodyClientProviderPostOptions { body: Some(body.try_into().unwrap()), ..Default::default() };
    let result = client().optional_body().provider_post(Some(options)).await.unwrap().into_model().unwrap();
    assert_eq!((result.status.as_str(), result.total_allowed), ("Changed to requested allowance", 100));
}
