//! The `fake` feature as a user's own tests would use it: handlers per operation, the client
//! unchanged on top, no socket. A get, a listing of three pages, a long-running create, typed
//! errors, and the checks the fake applies to requests.

mod client_support;

use api_management_client::fake::{Fake, FakeError};
use api_management_client::ids::BackendId;
use api_management_client::models::{ApiManagementServiceResource, BackendContract, BackendContractProperties};
use futures::TryStreamExt;

use client_support::SUBSCRIPTION;

fn backend(name: &str, url: &str) -> BackendContract {
    let properties = BackendContractProperties { url: url.to_owned(), ..Default::default() };
    BackendContract { name: Some(name.to_owned()), properties: Some(properties), ..Default::default() }
}

#[tokio::test]
async fn a_get_is_answered_by_its_handler() -> azure_core::Result<()> {
    let fake = Fake::new();
    fake.backend().on_get(|request| {
        assert_eq!(request.path("subscriptionId"), Some(SUBSCRIPTION));
        let name = request.path("backendId").unwrap_or_default();
        Ok(backend(name, "https://backend.example"))
    });
    let client = fake.client(SUBSCRIPTION)?;

    for name in ["a b/c", "x&y=z+1", "100%25 %zz", "naïve€"] {
        let got = client.backend().get("rg1", "apimService1", name, None).await?.into_model()?;
        assert_eq!(got.name.as_deref(), Some(name), "path values reach the handler decoded");
    }
    let id: BackendId = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/backends/b1"
    )
    .parse()?;
    let by_id = client.backend().get_by_id(&id, None).await?.into_model()?;
    assert_eq!(by_id.properties.map(|p| p.url).as_deref(), Some("https://backend.example"));
    Ok(())
}

#[tokio::test]
async fn a_listing_comes_in_pages_linked_by_next_link() -> azure_core::Result<()> {
    let fake = Fake::new();
    fake.page_size(2).backend().on_list_by_service(|request| {
        assert_eq!(request.path("serviceName"), Some("apimService1"));
        Ok((1..=5).map(|i| backend(&format!("b{i}"), "https://x")).collect())
    });
    let client = fake.client(SUBSCRIPTION)?;

    let pages: Vec<_> =
        client.backend().list_by_service("rg1", "apimService1", None)?.into_pages().try_collect().await?;
    assert_eq!(pages.len(), 3, "5 items, 2 per page");
    let items: Vec<BackendContract> =
        client.backend().list_by_service("rg1", "apimService1", None)?.try_collect().await?;
    let names: Vec<_> = items.iter().filter_map(|b| b.name.as_deref()).collect();
    assert_eq!(names, ["b1", "b2", "b3", "b4", "b5"]);
    Ok(())
}

#[tokio::test]
async fn a_long_running_create_is_polled_to_its_result() -> azure_core::Result<()> {
    let fake = Fake::new();
    fake.polls(3).api_management_service().on_begin_create_or_update(|request| {
        let mut created: ApiManagementServiceResource = request.body()?;
        created.name = request.path("serviceName").map(str::to_owned);
        created.properties.provisioning_state = Some("Succeeded".to_owned());
        Ok(created)
    });
    let client = fake.client(SUBSCRIPTION)?;
    let mut body = ApiManagementServiceResource { location: "West US".to_owned(), ..Default::default() };
    body.properties.publisher_email = "admin@example.com".to_owned();
    body.properties.publisher_name = "Contoso".to_owned();

    let service = client.api_management_service();
    let statuses: Vec<_> =
        service.begin_create_or_update("rg1", "apim1", body.clone().try_into()?, None)?.try_collect().await?;
    assert_eq!(statuses.len(), 5, "the accepted response, 3 polls in progress, and the last");
    let created = service.begin_create_or_update("rg1", "apim1", body.try_into()?, None)?.await?.into_model()?;
    assert_eq!(created.name.as_deref(), Some("apim1"));
    assert_eq!(created.properties.publisher_name, "Contoso");
    assert_eq!(created.properties.provisioning_state.as_deref(), Some("Succeeded"));
    Ok(())
}

#[tokio::test]
async fn errors_are_the_services_and_requests_are_checked() -> azure_core::Result<()> {
    let fake = Fake::new();
    fake.backend().on_get(|request| Err(FakeError::not_found(&format!("no backend {:?}", request.path("backendId")))));
    let client = fake.client(SUBSCRIPTION)?;

    let error = client.backend().get("rg1", "apimService1", "b1", None).await.expect_err("the handler's error");
    assert_eq!(error.http_status().map(u16::from), Some(404));
    let body = api_management_client::error_response(&error).and_then(|e| e.error).expect("a typed ARM error");
    assert_eq!(body.code.as_deref(), Some("ResourceNotFound"));

    // No handler: a 404 naming the request.
    let error = client.backend().delete("rg1", "apimService1", "b1", "*", None).await.expect_err("unregistered");
    assert!(error.to_string().contains("no handler is registered for DELETE"), "{error}");

    // Another api-version than the spec's is refused, as the service would.
    let mut options = fake.options();
    options.api_version = "2020-01-01".to_owned();
    let other = api_management_client::ApiManagementClient::new(
        SUBSCRIPTION,
        std::sync::Arc::new(client_support::FakeCredential),
        Some(options),
    )?;
    let error = other.backend().get("rg1", "apimService1", "b1", None).await.expect_err("wrong api-version");
    assert!(error.to_string().contains("`api-version` must be `2024-05-01`"), "{error}");
    Ok(())
}

/// What the client never sends, sent straight to the fake's transport: the fake refuses it as the
/// client would have, naming the rule, before any handler runs.
#[tokio::test]
async fn the_fake_checks_path_values_against_the_specs_rules() -> azure_core::Result<()> {
    use azure_core::http::{Context, Method, Pipeline, Request};
    let fake = Fake::new();
    fake.backend().on_get(|_| -> Result<BackendContract, FakeError> { panic!("the handler must not run") });
    let pipeline = Pipeline::new(Some("t"), Some("1"), fake.options().client_options, Vec::new(), Vec::new(), None);
    let url = format!(
        "{}/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/-bad-/backends/b1?api-version=2024-05-01",
        api_management_client::fake::FAKE_ENDPOINT
    );
    let mut request = Request::new(url.parse()?, Method::Get);
    let error = pipeline.send(&Context::new(), &mut request, None).await.expect_err("a bad service name");
    assert_eq!(error.http_status().map(u16::from), Some(400));
    assert!(format!("{error:?}").contains("serviceName"), "{error:?}");
    Ok(())
}
