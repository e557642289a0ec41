//! `Azure.ResourceManager.CommonProperties`: managed identities, and errors predefined by ARM
//! and defined by the service.

use crate::support::RESOURCE_GROUP;
use azure_core::error::ErrorKind;
use spector_common_properties::models::*;
use std::collections::BTreeMap;

fn client() -> spector_common_properties::TitleClient {
    crate::client!(spector_common_properties, TitleClient, TitleClientOptions)
}

const ZERO: &str = "00000000-0000-0000-0000-000000000000";
const USER_IDENTITY: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/test-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";

fn assert_system_assigned(resource: &ManagedIdentityTrackedResource) {
    assert_eq!(resource.location, "eastus");
    assert_eq!(resource.tags.as_ref().and_then(|t| t.get("tagKey1")).map(String::as_str), Some("tagValue1"));
    let identity = resource.identity.as_ref().expect("identity");
    assert_eq!(identity.r#type, ManagedServiceIdentityType::SystemAssigned);
    assert_eq!((identity.principal_id.as_deref(), identity.tenant_id.as_deref()), (Some(ZERO), Some(ZERO)));
}

#[tokio::test]
async fn managed_identity_get() {
    let resource =
        client().managed_identity().get(RESOURCE_GROUP, "identity", None).await.unwrap().into_model().unwrap();
    assert_system_assigned(&resource);
}

#[tokio::test]
async fn managed_identity_create_with_system_assigned() {
    let resource = ManagedIdentityTrackedResource {
        location: "eastus".into(),
        tags: Some(BTreeMap::from([("tagKey1".to_owned(), "tagValue1".to_owned())])),
        properties: Some(ManagedIdentityTrackedResourceProperties::default()),
        identity: Some(ManagedServiceIdentity {
            r#type: ManagedServiceIdentityType::SystemAssigned,
            ..Default::default()
        }),
        ..Default::default()
    };
    let response = client()
        .managed_identity()
        .create_with_system_assigned(RESOURCE_GROUP, "identity", resource.try_into().unwrap(), None)
        .await
        .unwrap();
    assert_system_assigned(&response.into_model().unwrap());
}

#[tokio::test]
async fn managed_identity_update_with_user_assigned_and_system_assigned() {
    let identity = ManagedServiceIdentity {
        r#type: ManagedServiceIdentityType::SystemAssignedUserAssigned,
        user_assigned_identities: Some(BTreeMap::from([(USER_IDENTITY.to_owned(), UserAssignedIdentity::default())])),
        ..Default::default()
    };
    let patch = ManagedIdentityTrackedResource { identity: Some(identity), ..Default::default() };
    let response = client()
        .managed_identity()
        .update_with_user_assigned_and_system_assigned(RESOURCE_GROUP, "identity", patch.try_into().unwrap(), None)
        .await
        .unwrap();
    let resource = response.into_model().unwrap();
    let identity = resource.identity.expect("identity");
    assert_eq!(identity.r#type, ManagedServiceIdentityType::SystemAssignedUserAssigned);
    let user = &identity.user_assigned_identities.expect("user-assigned identities")[USER_IDENTITY];
    assert_eq!((user.principal_id.as_deref(), user.client_id.as_deref()), (Some(ZERO), Some(ZERO)));
}

/// The HTTP status and ARM error code of a failed call.
fn status_and_code(error: &azure_core::Error) -> (u16, Option<String>) {
    match error.kind() {
        ErrorKind::HttpResponse { status, error_code, .. } => (u16::from(*status), error_code.clone()),
        other => panic!("not an HTTP error: {other:?}"),
    }
}

#[tokio::test]
async fn error_get_for_predefined_error() {
    let error = client().error().get_for_predefined_error(RESOURCE_GROUP, "confidential", None).await.unwrap_err();
    assert_eq!(status_and_code(&error), (404, Some("ResourceNotFound".to_owned())));
    let body = spector_common_properties::error_response(&error).and_then(|e| e.error).expect("the ARM error body");
    assert_eq!(
        body.message.as_deref(),
        Some(
            "The Resource 'Azure.ResourceManager.CommonProperties/confidentialResources/confidential' under resource group 'test-rg' was not found."
        )
    );
}

#[tokio::test]
async fn error_create_for_user_defined_error() {
    let resource = ConfidentialResource {
        location: "eastus".into(),
        properties: Some(ConfidentialResourceProperties { username: "00".into(), ..Default::default() }),
        ..Default::default()
    };
    let error = client()
        .error()
        .create_for_user_defined_error(RESOURCE_GROUP, "confidential", resource.try_into().unwrap(), None)
        .await
        .unwrap_err();
    assert_eq!(status_and_code(&error), (400, Some("BadRequest".to_owned())));
    // The service's own error model, read from the failed call.
    let body: CloudError = spector_common_properties::runtime::error_body(&error).expect("the service's error body");
    let error = body.error.expect("error");
    assert_eq!(error.message.as_deref(), Some("Username should not contain only numbers."));
    assert_eq!(error.innererror.and_then(|i| i.exceptiontype).as_deref(), Some("general"));
}
