//! `Azure.ResourceManager.MethodSubscriptionId`: subscription-scoped and resource-group-scoped
//! resources whose subscription id TypeSpec places on the method. The Swagger sends it in the
//! path either way, so the Rust client takes it once, at construction, as for every ARM client.

use crate::support::RESOURCE_GROUP;
use futures::TryStreamExt;
use spector_method_subscription_id::models::*;

fn client() -> spector_method_subscription_id::TitleClient {
    crate::client!(spector_method_subscription_id, TitleClient, TitleClientOptions)
}

const PREFIX: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Azure.ResourceManager.MethodSubscriptionId";

#[tokio::test]
async fn operations() {
    let operations: Vec<Operation> = client().operations().list(None).unwrap().try_collect().await.unwrap();
    assert_eq!(operations.len(), 1);
    assert_eq!(operations[0].name.as_deref(), Some("Azure.ResourceManager.MethodSubscriptionId/services/read"));
    assert_eq!(operations[0].is_data_action, Some(false));
}

fn resource1() -> TwoSubscriptionResourcesMethodLevelSubscriptionResource1 {
    let properties = TwoSubscriptionResourcesMethodLevelSubscriptionResource1Properties {
        description: Some("Valid subscription resource 1".into()),
        ..Default::default()
    };
    TwoSubscriptionResourcesMethodLevelSubscriptionResource1 { properties: Some(properties), ..Default::default() }
}

fn assert_resource1(resource: &TwoSubscriptionResourcesMethodLevelSubscriptionResource1) {
    assert_eq!(resource.id.as_deref(), Some(format!("{PREFIX}/subscriptionResource1s/sub-resource-1").as_str()));
    let description = resource.properties.as_ref().and_then(|p| p.description.as_deref());
    assert_eq!(description, Some("Valid subscription resource 1"));
}

#[tokio::test]
async fn two_subscription_resources_method_level_subscription_resource1_operations_get() {
    let response = client().subscription_resource1_operations().get("sub-resource-1", None).await.unwrap();
    assert_resource1(&response.into_model().unwrap());
}

#[tokio::test]
async fn two_subscription_resources_method_level_subscription_resource1_operations_put() {
    let response = client()
        .subscription_resource1_operations()
        .put("sub-resource-1", resource1().try_into().unwrap(), None)
        .await
        .unwrap();
    assert_resource1(&response.into_model().unwrap());
}

#[tokio::test]
async fn two_subscription_resources_method_level_subscription_resource1_operations_delete() {
    let response = client().subscription_resource1_operations().delete("sub-resource-1", None).await.unwrap();
    assert_eq!(u16::from(response.status()), 204);
}

fn resource2() -> TwoSubscriptionResourcesMethodLevelSubscriptionResource2 {
    let properties = TwoSubscriptionResourcesMethodLevelSubscriptionResource2Properties {
        config_value: Some("test-config".into()),
        ..Default::default()
    };
    TwoSubscriptionResourcesMethodLevelSubscriptionResource2 { properties: Some(properties), ..Default::default() }
}

fn assert_resource2(resource: &TwoSubscriptionResourcesMethodLevelSubscriptionResource2) {
    assert_eq!(resource.id.as_deref(), Some(format!("{PREFIX}/subscriptionResource2s/sub-resource-2").as_str()));
    let config = resource.properties.as_ref().and_then(|p| p.config_value.as_deref());
    assert_eq!(config, Some("test-config"));
}

#[tokio::test]
async fn two_subscription_resources_method_level_subscription_resource2_operations_get() {
    let response = client().subscription_resource2_operations().get("sub-resource-2", None).await.unwrap();
    assert_resource2(&response.into_model().unwrap());
}

#[tokio::test]
async fn two_subscription_resources_method_level_subscription_resource2_operations_put() {
    let response = client()
        .subscription_resource2_operations()
        .put("sub-resource-2", resource2().try_into().unwrap(), None)
        .await
        .unwrap();
    assert_resource2(&response.into_model().unwrap());
}

#[tokio::test]
async fn two_subscription_resources_method_level_subscription_resource2_operations_delete() {
    let response = client().subscription_resource2_operations().delete("sub-resource-2", None).await.unwrap();
    assert_eq!(u16::from(response.status()), 204);
}

fn assert_subscription_resource(resource: &MixedSubscriptionPlacementSubscriptionResource) {
    assert_eq!(resource.id.as_deref(), Some(format!("{PREFIX}/subscriptionResources/sub-resource").as_str()));
    let setting = resource.properties.as_ref().and_then(|p| p.subscription_setting.as_deref());
    assert_eq!(setting, Some("test-sub-setting"));
}

#[tokio::test]
async fn mixed_subscription_placement_subscription_resource_operations_get() {
    let response = client().subscription_resource_operations().get("sub-resource", None).await.unwrap();
    assert_subscription_resource(&response.into_model().unwrap());
}

#[tokio::test]
async fn mixed_subscription_placement_subscription_resource_operations_put() {
    let properties = MixedSubscriptionPlacementSubscriptionResourceProperties {
        subscription_setting: Some("test-sub-setting".into()),
        ..Default::default()
    };
    let resource =
        MixedSubscriptionPlacementSubscriptionResource { properties: Some(properties), ..Default::default() };
    let response = client()
        .subscription_resource_operations()
        .put("sub-resource", resource.try_into().unwrap(), None)
        .await
        .unwrap();
    assert_subscription_resource(&response.into_model().unwrap());
}

#[tokio::test]
async fn mixed_subscription_placement_subscription_resource_operations_delete() {
    let response = client().subscription_resource_operations().delete("sub-resource", None).await.unwrap();
    assert_eq!(u16::from(response.status()), 204);
}

fn assert_resource_group_resource(resource: &MixedSubscriptionPlacementResourceGroupResource) {
    assert_eq!(resource.name.as_deref(), Some("rg-resource"));
    assert_eq!(resource.location, "eastus");
    let setting = resource.properties.as_ref().and_then(|p| p.resource_group_setting.as_deref());
    assert_eq!(setting, Some("test-setting"));
}

#[tokio::test]
async fn mixed_subscription_placement_resource_group_resource_operations_get() {
    let response =
        client().resource_group_resource_operations().get(RESOURCE_GROUP, "rg-resource", None).await.unwrap();
    assert_resource_group_resource(&response.into_model().unwrap());
}

#[tokio::test]
async fn mixed_subscription_placement_resource_group_resource_operations_put() {
    let properties = MixedSubscriptionPlacementResourceGroupResourceProperties {
        resource_group_setting: Some("test-setting".into()),
        ..Default::default()
    };
    let resource = MixedSubscriptionPlacementResourceGroupResource {
        location: "eastus".into(),
        properties: Some(properties),
        ..Default::default()
    };
    let response = client()
        .resource_group_resource_operations()
        .put(RESOURCE_GROUP, "rg-resource", resource.try_into().unwrap(), None)
        .await
        .unwrap();
    assert_resource_group_resource(&response.into_model().unwrap());
}

#[tokio::test]
async fn mixed_subscription_placement_resource_group_resource_operations_delete() {
    let response =
        client().resource_group_resource_operations().delete(RESOURCE_GROUP, "rg-resource", None).await.unwrap();
    assert_eq!(u16::from(response.status()), 204);
}
