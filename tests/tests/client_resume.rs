//! Resuming work after a restart, against a loopback `wiremock` server: a long-running
//! operation from a status's resume token (`resume_…` methods), and a listing from a saved
//! pager continuation. A token of another endpoint, of another operation, or garbage is an error
//! and sends nothing.

mod client_support;

use api_management_client::ResumeToken;
use api_management_client::clients::BackendClientListByServiceOptions;
use api_management_client::models::ApiManagementServiceBackupRestoreParameters;
use azure_core::http::pager::{PagerContinuation, PagerOptions};
use client_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::time::Duration;
use wiremock::{MockServer, ResponseTemplate};

/// Every poller is bounded: one that never finishes fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(10);

fn service(provisioning_state: &str) -> serde_json::Value {
    json!({
        "id": service_path(),
        "name": "apimService1",
        "location": "West US",
        "sku": { "name": "Developer", "capacity": 1 },
        "properties": {
            "publisherEmail": "admin@example.com",
            "publisherName": "Contoso",
            "provisioningState": provisioning_state
        }
    })
}

/// A create that is accepted with an `Azure-AsyncOperation` URL still `InProgress`, and a
/// service that reads `Succeeded` once the operation is polled as done.
async fn slow_create(server: &MockServer, done: bool) {
    let operation = format!("{}/operations/1", server.uri());
    let accepted = ResponseTemplate::new(201)
        .insert_header("Azure-AsyncOperation", operation.as_str())
        .set_body_json(service("Created"));
    mount(server, "PUT", &service_path(), accepted).await;
    mount(server, "GET", "/operations/1", status(if done { "Succeeded" } else { "InProgress" })).await;
    mount(server, "GET", &service_path(), ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;
}

/// Starts the create, reads its first status's token, and drops the poller and the client.
async fn token_of_started_create(server: &MockServer) -> String {
    let client = client(server);
    let body = new_service().try_into().expect("body");
    let mut poller = client.api_management_service().begin_create_or_update("rg1", "apimService1", body, None).unwrap();
    let first = tokio::time::timeout(LIMIT, poller.try_next()).await.expect("a status").unwrap().expect("a status");
    first.resume_token().expect("an in-progress status has a resume token")
}

#[tokio::test]
async fn a_dropped_operation_resumes_in_a_new_client_to_its_typed_result() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    slow_create(&server, true).await;
    let token = token_of_started_create(&server).await;
    assert_eq!(count(&server, "PUT", &service_path()).await, 1);

    // Another client (a restarted process) carries on from the token alone.
    let poller = client(&server).api_management_service().resume_create_or_update(&token, None)?;
    let resource = tokio::time::timeout(LIMIT, poller).await.expect("the poller must finish")?.into_model()?;
    assert_eq!(resource.properties.provisioning_state.as_deref(), Some("Succeeded"));
    // The initial request is not sent again; the operation is polled, then the resource read.
    assert_eq!(count(&server, "PUT", &service_path()).await, 1);
    let gets: Vec<String> = received(&server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(gets, ["/operations/1", service_path().as_str()]);
    Ok(())
}

#[tokio::test]
async fn a_post_resumes_to_its_location_result() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    let accepted = ResponseTemplate::new(202).insert_header("Location", format!("{base}/results/1").as_str());
    mount(&server, "POST", &format!("{}/backup", service_path()), accepted).await;
    mount(&server, "GET", "/results/1", ResponseTemplate::new(200).set_body_json(service("Succeeded"))).await;
    let body = ApiManagementServiceBackupRestoreParameters {
        storage_account: "account".into(),
        container_name: "backups".into(),
        backup_name: "b1".into(),
        ..Default::default()
    };
    let client = client(&server);
    let mut poller = client.api_management_service().begin_backup("rg1", "apimService1", body.try_into()?, None)?;
    let first = poller.try_next().await?.expect("a status");
    let token = first.resume_token().expect("a token");
    drop((poller, client));

    let poller = client_for(&base).api_management_service().resume_backup(&token, None)?;
    let resource = tokio::time::timeout(LIMIT, poller).await.expect("finishes")?.into_model()?;
    assert_eq!(resource.name.as_deref(), Some("apimService1"));
    assert_eq!(count(&server, "POST", &format!("{}/backup", service_path())).await, 1);
    Ok(())
}

#[tokio::test]
async fn the_last_status_has_no_token() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    slow_create(&server, true).await;
    let body = new_service().try_into()?;
    let poller = client(&server).api_management_service().begin_create_or_update("rg1", "apimService1", body, None)?;
    let statuses: Vec<_> = tokio::time::timeout(LIMIT, poller.try_collect::<Vec<_>>()).await.expect("finishes")?;
    let tokens: Vec<bool> = statuses.iter().map(|s| s.resume_token().is_some()).collect();
    assert_eq!(tokens, [true, false], "in progress, then done");
    Ok(())
}

#[tokio::test]
async fn a_token_for_another_endpoint_is_refused_and_nothing_is_sent() {
    let first = MockServer::start().await;
    slow_create(&first, false).await;
    let token = token_of_started_create(&first).await;
    let sent_before = received(&first).await.len();

    // The same token given to a client for another endpoint would send its credential to the
    // first host: refused before anything is sent, to either.
    let other = MockServer::start().await;
    let error = client(&other).api_management_service().resume_create_or_update(&token, None).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("not this client's endpoint"), "{message}");
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(received(&other).await.is_empty());
    assert_eq!(received(&first).await.len(), sent_before);
}

#[tokio::test]
async fn garbage_and_tokens_of_other_operations_are_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    slow_create(&server, false).await;
    let token = token_of_started_create(&server).await;
    let sent_before = received(&server).await.len();
    let client = client(&server);
    let service = client.api_management_service();
    for garbage in ["", "hello", "v1.", "v1.%%%", "v1.bm90IGpzb24", &token[..token.len() - 4]] {
        let error = service.resume_create_or_update(garbage, None).unwrap_err();
        assert!(error.to_string().contains("not a resume token"), "{garbage:?}: {error}");
    }
    // A real token, but of the create: resuming a backup with it is refused by name.
    let error = service.resume_backup(&token, None).unwrap_err().to_string();
    assert!(error.contains("ApiManagementServiceClient.begin_create_or_update"), "{error}");
    assert!(error.contains("ApiManagementServiceClient.begin_backup"), "{error}");
    assert_eq!(received(&server).await.len(), sent_before);
}

#[tokio::test]
async fn a_listing_resumes_from_a_saved_continuation() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let base = server.uri();
    let page = |names: &[&str], next: Option<String>| {
        let mut body = json!({ "value": names.iter().map(|n| json!({ "name": n })).collect::<Vec<_>>() });
        if let Some(next) = next {
            body["nextLink"] = json!(next);
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    mount(&server, "GET", &format!("{}/backends", service_path()), page(&["b1"], Some(format!("{base}/page2")))).await;
    mount(&server, "GET", "/page2", page(&["b2"], Some(format!("{base}/page3")))).await;
    mount(&server, "GET", "/page3", page(&["b3"], None)).await;

    // Read one page, and keep where the listing stands as text.
    let mut pages = client(&server).backend().list_by_service("rg1", "apimService1", None)?.into_pages();
    let first = pages.try_next().await?.expect("a page").into_model()?;
    assert_eq!(first.value.unwrap_or_default().len(), 1);
    let saved: String = pages.continuation().expect("more pages").to_string();
    drop(pages);

    // Later, in another client: the listing picks up at the saved page.
    let continuation = PagerContinuation::Link(saved.parse().expect("a URL"));
    let method_options = PagerOptions { continuation: Some(continuation), ..Default::default() };
    let options = BackendClientListByServiceOptions { method_options, ..Default::default() };
    let rest: Vec<Option<String>> = client(&server)
        .backend()
        .list_by_service("rg1", "apimService1", Some(options))?
        .map_ok(|b| b.name)
        .try_collect()
        .await?;
    assert_eq!(rest, [Some("b2".to_owned()), Some("b3".to_owned())]);
    let first_page_requests = received(&server).await.iter().filter(|r| r.url.path().ends_with("/backends")).count();
    assert_eq!(first_page_requests, 1, "the first page is not fetched again");
    Ok(())
}
