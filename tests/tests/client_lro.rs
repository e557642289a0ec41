//! Long-running operations (`x-ms-long-running-operation`) through real generated methods,
//! against a loopback `wiremock` server: `Azure-AsyncOperation` and `Location` polling,
//! `Retry-After`, failures, the final GET, and operations that finish at once.
//!
//! Operations used (see `generated/src/clients/`):
//! * `ApiManagementService_CreateOrUpdate` (PUT, no `final-state-via` → `FinalState::OriginalUri`)
//! * `ApiManagementService_Update` (PATCH, default → `FinalState::OriginalUri`)
//! * `ApiManagementService_Backup` (POST, `final-state-via: location` → `FinalState::Location`)
//! * `NamedValue_CreateOrUpdate` (PUT, `final-state-via: location` → `FinalState::Location`)
//! * `ApiGatewayConfigConnection_CreateOrUpdate` (PUT, `final-state-via: azure-async-operation`
//!   → `FinalState::LastStatus`)
//!
//! The spec has no operation with an explicit `final-state-via: original-uri`; PUT and PATCH
//! default to it.

mod client_support;

use api_management_client::error_response;
use api_management_client::models::{
    ApiManagementGatewayConfigConnectionResource, ApiManagementServiceBackupRestoreParameters,
    ApiManagementServiceResource, ApiManagementServiceUpdateParameters, NamedValueCreateContract,
    NamedValueCreateContractProperties,
};
use azure_core::error::ErrorKind;
use azure_core::http::poller::PollerStatus;
use client_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every poller is bounded: one that never finishes fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(10);

fn service(provisioning_state: &str) -> serde_json::Value {
    json!({
        "id": service_path(),
        "name": "apimService1",
        "type": "Microsoft.ApiManagement/service",
        "location": "West US",
        "sku": { "name": "Developer", "capacity": 1 },
        "properties": {
            "publisherEmail": "admin@example.com",
            "publisherName": "Contoso",
            "provisioningState": provisioning_state,
            "gatewayUrl": "https://apimservice1.azure-api.net"
        }
    })
}

fn backup_parameters() -> ApiManagementServiceBackupRestoreParameters {
    ApiManagementServiceBackupRestoreParameters {
        storage_account: "teststorageaccount".to_owned(),
        container_name: "backups".to_owned(),
        backup_name: "apimService1backup_2017_03_19".to_owned(),
        ..Default::default()
    }
}

/// Answers `verb path` with `first` once, then with `then` for good.
async fn mount_sequence(server: &MockServer, verb: &str, at: &str, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(method(verb)).and(path(at)).respond_with(first).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(method(verb)).and(path(at)).respond_with(then).with_priority(2).mount(server).await;
}

async fn create_service(server: &MockServer) -> azure_core::Result<ApiManagementServiceResource> {
    let client = client(server);
    let poller = client.api_management_service().begin_create_or_update(
        "rg1",
        "apimService1",
        new_service().try_into().expect("body"),
        None,
    )?;
    tokio::time::timeout(LIMIT, poller).await.expect("the poller must finish")?.into_model()
}

/// Every request reached the mock server with the token and exactly one api-version.
async fn assert_all_authenticated(server: &MockServer) {
    for request in received(server).await {
        assert_authenticated(&request);
    }
}

// ---------------------------------------------------------------------------------------------
// a. Azure-AsyncOperation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn put_polls_azure_async_operation_then_gets_the_original_uri() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/1?monitor=true").as_str())
            .set_body_json(service("Created")),
    )
    .await;
    mount_sequence(&server, "GET", "/op/1", status("InProgress"), status("Succeeded")).await;
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let resource = create_service(&server).await?;
    assert_eq!(resource.name.as_deref(), Some("apimService1"));
    assert_eq!(resource.properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(resource.properties.gateway_url.as_deref(), Some("https://apimservice1.azure-api.net"));

    assert_eq!(count(&server, "PUT", &service_path()).await, 1, "the initial request is sent exactly once");
    assert_eq!(count(&server, "GET", "/op/1").await, 2, "InProgress, then Succeeded");
    assert_eq!(count(&server, "GET", &service_path()).await, 1, "one final GET of the original URI");
    let requests = received(&server).await;
    let order: Vec<String> = requests.iter().map(|r| format!("{} {}", r.method, r.url.path())).collect();
    let put = format!("PUT {}", service_path());
    let get = format!("GET {}", service_path());
    assert_eq!(order, [put.as_str(), "GET /op/1", "GET /op/1", get.as_str()]);
    // The status link's own query is kept and api-version added.
    assert_eq!(query(&requests[1], "monitor"), ["true"]);
    // The PUT carried the body.
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(sent["location"], "West US");
    assert_eq!(sent["properties"]["publisherEmail"], "admin@example.com");
    assert_all_authenticated(&server).await;
    Ok(())
}

#[tokio::test]
async fn poller_as_a_stream_reports_each_status() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/1").as_str())
            .set_body_json(service("Created")),
    )
    .await;
    mount_sequence(&server, "GET", "/op/1", status("InProgress"), status("Succeeded")).await;
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let client = client(&server);
    let mut poller = client.api_management_service().begin_create_or_update(
        "rg1",
        "apimService1",
        new_service().try_into().expect("body"),
        None,
    )?;
    let mut statuses = Vec::new();
    let run = async {
        while let Some(response) = poller.try_next().await? {
            statuses.push(response.into_model()?.status().clone());
        }
        azure_core::Result::Ok(())
    };
    tokio::time::timeout(LIMIT, run).await.expect("the poller must finish")?;
    assert_eq!(
        statuses,
        [PollerStatus::UnknownValue("Created".to_owned()), PollerStatus::InProgress, PollerStatus::Succeeded]
    );
    assert_eq!(count(&server, "PUT", &service_path()).await, 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// b. Location
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn post_polls_location_until_it_returns_the_result() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    let backup = format!("{}/backup", service_path());
    mount(
        &server,
        "POST",
        &backup,
        ResponseTemplate::new(202).insert_header("Location", format!("{base}/loc/1").as_str()),
    )
    .await;
    mount_sequence(
        &server,
        "GET",
        "/loc/1",
        ResponseTemplate::new(202),
        ResponseTemplate::new(200).set_body_json(service("Succeeded")),
    )
    .await;

    let client = client(&server);
    let poller = client.api_management_service().begin_backup(
        "rg1",
        "apimService1",
        backup_parameters().try_into().expect("body"),
        None,
    )?;
    let resource = tokio::time::timeout(LIMIT, poller).await.expect("finishes")?.into_model()?;
    assert_eq!(resource.name.as_deref(), Some("apimService1"));

    assert_eq!(count(&server, "POST", &backup).await, 1, "the initial request is sent exactly once");
    let polls = count(&server, "GET", "/loc/1").await;
    // 202, then 200; the runtime then GETs the same Location once more as the final result.
    assert!((2..=3).contains(&polls), "{polls} GETs of the Location URL");
    assert_eq!(count(&server, "GET", &service_path()).await, 0, "a POST never GETs the original URI");
    let requests = received(&server).await;
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(sent["storageAccount"], "teststorageaccount");
    assert_all_authenticated(&server).await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// c. Retry-After between polls
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn retry_after_on_a_poll_delays_the_next_poll() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/1").as_str())
            .set_body_json(service("Created")),
    )
    .await;
    mount_sequence(
        &server,
        "GET",
        "/op/1",
        status("InProgress").insert_header("Retry-After", "1"),
        status("Succeeded"),
    )
    .await;
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let start = Instant::now();
    let resource = create_service(&server).await?;
    let elapsed = start.elapsed();
    assert_eq!(resource.name.as_deref(), Some("apimService1"));
    assert!(elapsed >= Duration::from_millis(950), "the second poll came after only {elapsed:?}");
    assert_eq!(count(&server, "GET", "/op/1").await, 2);
    Ok(())
}

#[tokio::test]
async fn retry_after_ms_on_the_initial_response_delays_the_first_poll() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/1").as_str())
            .insert_header("retry-after-ms", "250")
            .set_body_json(service("Created")),
    )
    .await;
    mount(&server, "GET", "/op/1", status("Succeeded")).await;
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let start = Instant::now();
    create_service(&server).await?;
    assert!(start.elapsed() >= Duration::from_millis(250), "{:?}", start.elapsed());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// d. Failed and Canceled
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn failed_operation_is_an_error_with_the_service_error() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/1").as_str())
            .set_body_json(service("Created")),
    )
    .await;
    mount_sequence(
        &server,
        "GET",
        "/op/1",
        status("InProgress"),
        ResponseTemplate::new(200)
            .set_body_json(json!({ "status": "Failed", "error": { "code": "Conflict", "message": "nope" } })),
    )
    .await;

    let error = create_service(&server).await.expect_err("the operation failed");
    let message = error.to_string();
    assert!(message.contains("Conflict") && message.contains("nope"), "{message}");
    match error.kind() {
        ErrorKind::HttpResponse { error_code, .. } => assert_eq!(error_code.as_deref(), Some("Conflict")),
        other => panic!("expected an HttpResponse error, got {other:?}"),
    }
    let typed = error_response(&error).and_then(|e| e.error).expect("a typed error");
    assert_eq!(typed.code.as_deref(), Some("Conflict"));
    assert_eq!(typed.message.as_deref(), Some("nope"));
    assert_eq!(count(&server, "PUT", &service_path()).await, 1);
    assert_eq!(count(&server, "GET", "/op/1").await, 2);
    assert_eq!(count(&server, "GET", &service_path()).await, 0, "no final GET after a failure");
}

#[tokio::test]
async fn canceled_operation_is_an_error() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/1").as_str())
            .set_body_json(service("Created")),
    )
    .await;
    mount(&server, "GET", "/op/1", status("Canceled")).await;

    let error = create_service(&server).await.expect_err("the operation was canceled");
    assert!(error.to_string().contains("canceled"), "{error}");
    assert_eq!(count(&server, "GET", &service_path()).await, 0);
}

#[tokio::test]
async fn failed_provisioning_state_while_polling_the_resource_is_an_error() {
    // No async headers: a PUT still provisioning is polled at its own URL.
    let server = MockServer::start().await;
    mount(&server, "PUT", &service_path(), ResponseTemplate::new(201).set_body_json(service("Creating"))).await;
    let mut failed = service("Failed");
    failed["properties"]["error"] = json!({ "code": "InvalidSku", "message": "sku not available" });
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(failed)).await;

    let error = create_service(&server).await.expect_err("provisioning failed");
    assert!(error.to_string().contains("InvalidSku"), "{error}");
    assert_eq!(count(&server, "PUT", &service_path()).await, 1);
}

#[tokio::test]
async fn initial_error_status_is_an_error_and_is_not_polled() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(409)
            .set_body_json(json!({ "error": { "code": "ServiceAlreadyExists", "message": "taken" } })),
    )
    .await;
    let error = create_service(&server).await.expect_err("409");
    assert_eq!(error.http_status(), Some(azure_core::http::StatusCode::Conflict));
    assert_eq!(
        error_response(&error).and_then(|e| e.error).and_then(|e| e.code).as_deref(),
        Some("ServiceAlreadyExists")
    );
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// e. final-state-via original-uri
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn patch_gets_the_original_uri_not_the_location_after_success() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PATCH",
        &service_path(),
        ResponseTemplate::new(202)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/2").as_str())
            .insert_header("Location", format!("{base}/loc/2").as_str()),
    )
    .await;
    mount_sequence(&server, "GET", "/op/2", status("InProgress"), status("Succeeded")).await;
    mount(&server, "GET", "/loc/2", ResponseTemplate::new(200).set_body_json(json!({ "name": "wrong" }))).await;
    let mut updated = service("Succeeded");
    updated["tags"] = json!({ "env": "test" });
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(updated)).await;

    let client = client(&server);
    let parameters = ApiManagementServiceUpdateParameters {
        tags: Some([("env".to_owned(), "test".to_owned())].into()),
        ..Default::default()
    };
    let poller = client.api_management_service().begin_update(
        "rg1",
        "apimService1",
        parameters.try_into().expect("body"),
        None,
    )?;
    let resource = tokio::time::timeout(LIMIT, poller).await.expect("finishes")?.into_model()?;
    assert_eq!(resource.name.as_deref(), Some("apimService1"));
    assert_eq!(resource.tags.as_ref().and_then(|t| t.get("env")).map(String::as_str), Some("test"));

    assert_eq!(count(&server, "PATCH", &service_path()).await, 1);
    assert_eq!(count(&server, "GET", "/op/2").await, 2);
    assert_eq!(count(&server, "GET", "/loc/2").await, 0, "Azure-AsyncOperation wins over Location");
    assert_eq!(count(&server, "GET", &service_path()).await, 1, "the result is read from the original URI");
    assert_all_authenticated(&server).await;
    Ok(())
}

#[tokio::test]
async fn put_without_async_headers_polls_the_resource_itself() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    mount(&server, "PUT", &service_path(), ResponseTemplate::new(201).set_body_json(service("Creating"))).await;
    mount_sequence(
        &server,
        "GET",
        &service_path(),
        ResponseTemplate::new(200).set_body_json(service("Activating")),
        ResponseTemplate::new(200).set_body_json(service("Succeeded")),
    )
    .await;

    let resource = create_service(&server).await?;
    assert_eq!(resource.properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(count(&server, "PUT", &service_path()).await, 1);
    assert!(count(&server, "GET", &service_path()).await >= 2);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// f. Finished at once
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn put_answered_200_succeeded_completes_without_polling() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    mount(&server, "PUT", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let resource = create_service(&server).await?;
    assert_eq!(resource.name.as_deref(), Some("apimService1"));
    assert_eq!(resource.properties.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(received(&server).await.len(), 1, "exactly one request: no polling, no final GET");
    Ok(())
}

#[tokio::test]
async fn post_answered_200_completes_without_polling() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let backup = format!("{}/backup", service_path());
    mount(&server, "POST", &backup, ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let client = client(&server);
    let poller = client.api_management_service().begin_backup(
        "rg1",
        "apimService1",
        backup_parameters().try_into().expect("body"),
        None,
    )?;
    let resource = tokio::time::timeout(LIMIT, poller).await.expect("finishes")?.into_model()?;
    assert_eq!(resource.name.as_deref(), Some("apimService1"));
    assert_eq!(received(&server).await.len(), 1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Links from the service are never followed to another host
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn status_link_to_another_host_is_refused() {
    let other = MockServer::start().await;
    let server = MockServer::start().await;
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{}/op/1", other.uri()).as_str())
            .set_body_json(service("Created")),
    )
    .await;
    let error = create_service(&server).await.expect_err("refused");
    assert!(error.to_string().contains("another host"), "{error}");
    assert!(received(&other).await.is_empty(), "no request (and so no token) may reach the other host");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn accepted_without_a_link_is_an_error() {
    let server = MockServer::start().await;
    let backup = format!("{}/backup", service_path());
    mount(&server, "POST", &backup, ResponseTemplate::new(202)).await;
    let client = client(&server);
    let poller = client
        .api_management_service()
        .begin_backup("rg1", "apimService1", backup_parameters().try_into().expect("body"), None)
        .unwrap();
    let error = tokio::time::timeout(LIMIT, poller).await.expect("finishes").expect_err("no URL to poll");
    assert!(error.to_string().contains("no URL to poll"), "{error}");
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Where the final result comes from (bugs)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn azure_async_operation_header_is_polled_even_when_the_body_has_no_state() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    mount(
        &server,
        "PUT",
        &service_path(),
        ResponseTemplate::new(201).insert_header("Azure-AsyncOperation", format!("{base}/op/1").as_str()),
    )
    .await;
    mount_sequence(&server, "GET", "/op/1", status("InProgress"), status("Succeeded")).await;
    mount(&server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;

    let result = create_service(&server).await;
    assert_eq!(count(&server, "GET", "/op/1").await, 2, "the operation must be polled to its end");
    assert_eq!(result?.name.as_deref(), Some("apimService1"));
    Ok(())
}

#[tokio::test]
async fn put_with_final_state_location_but_no_location_header_gets_the_original_uri() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    let named_value = format!("{}/namedValues/nv1", service_path());
    mount(
        &server,
        "PUT",
        &named_value,
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/3").as_str())
            .set_body_json(
                json!({ "name": "nv1", "properties": { "displayName": "prop1", "provisioningState": "Creating" } }),
            ),
    )
    .await;
    mount(&server, "GET", "/op/3", status("Succeeded")).await;
    mount(
        &server,
        "GET",
        &named_value,
        ResponseTemplate::new(200)
            .set_body_json(json!({ "name": "nv1", "properties": { "displayName": "prop1", "value": "v", "provisioningState": "Succeeded" } })),
    )
    .await;

    let client = client(&server);
    let parameters = NamedValueCreateContract {
        properties: Some(NamedValueCreateContractProperties { display_name: "prop1".to_owned(), ..Default::default() }),
        ..Default::default()
    };
    let poller = client.named_value().begin_create_or_update(
        "rg1",
        "apimService1",
        "nv1",
        parameters.try_into().expect("body"),
        None,
    )?;
    let named = tokio::time::timeout(LIMIT, poller).await.expect("finishes")?.into_model()?;
    assert_eq!(named.name.as_deref(), Some("nv1"), "the result must be the named value, not the status body");
    assert_eq!(named.properties.and_then(|p| p.value).as_deref(), Some("v"));
    assert_eq!(count(&server, "PUT", &named_value).await, 1);
    Ok(())
}

#[tokio::test]
async fn put_with_final_state_azure_async_operation_returns_the_resource() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    let connection = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/gateways/gw1/configConnections/conn1"
    );
    let resource = json!({
        "id": connection,
        "name": "conn1",
        "properties": { "provisioningState": "Succeeded", "sourceId": "/workspaces/ws1", "defaultHostname": "gw1.example" }
    });
    mount(
        &server,
        "PUT",
        &connection,
        ResponseTemplate::new(201)
            .insert_header("Azure-AsyncOperation", format!("{base}/op/4").as_str())
            .set_body_json(json!({ "name": "conn1", "properties": { "provisioningState": "Creating" } })),
    )
    .await;
    mount(&server, "GET", "/op/4", status("Succeeded")).await;
    mount(&server, "GET", &connection, ResponseTemplate::new(200).set_body_json(resource)).await;

    let client = client(&server);
    let poller = client.api_gateway_config_connection().begin_create_or_update(
        "rg1",
        "gw1",
        "conn1",
        ApiManagementGatewayConfigConnectionResource::default().try_into().expect("body"),
        None,
    )?;
    let connection_resource = tokio::time::timeout(LIMIT, poller).await.expect("finishes")?.into_model()?;
    assert_eq!(
        connection_resource.name.as_deref(),
        Some("conn1"),
        "the result must be the resource, not the status body"
    );
    assert_eq!(connection_resource.properties.default_hostname.as_deref(), Some("gw1.example"));
    Ok(())
}
