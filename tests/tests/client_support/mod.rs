//! Shared helpers for the loopback client tests (`client_*.rs`): a fake credential, a client
//! pointed at a `wiremock` server on 127.0.0.1, and small request-inspection helpers.
#![allow(dead_code)]

use api_management_client::{ApiManagementClient, ApiManagementClientOptions};
use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use azure_core::http::{ClientOptions, FixedRetryOptions, RetryOptions};
use std::sync::Arc;
use time::OffsetDateTime;
use wiremock::{MockServer, Request};

pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
pub const API_VERSION: &str = "2024-05-01";
pub const TOKEN: &str = "fake-token";
pub const BEARER: &str = "Bearer fake-token";

/// `/subscriptions/<sub>/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1`
pub fn service_path() -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1")
}

/// The path of a backend of `apimService1` in `rg1`, with `id` already encoded.
pub fn backend_path(encoded_id: &str) -> String {
    format!("{}/backends/{encoded_id}", service_path())
}

/// A credential that always returns `fake-token`, valid for an hour.
#[derive(Debug)]
pub struct FakeCredential;

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Ok(AccessToken::new(Secret::new(TOKEN), OffsetDateTime::now_utc() + time::Duration::hours(1)))
    }
}

/// A client for `server` with 5 ms polls and fast fixed retries (3 retries, 5 ms apart; a
/// server's `Retry-After` still wins when longer).
pub fn client(server: &MockServer) -> ApiManagementClient {
    client_for(&server.uri())
}

/// A client for an arbitrary endpoint (see [`client`]).
pub fn client_for(endpoint: &str) -> ApiManagementClient {
    let client_options = ClientOptions {
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: azure_core::time::Duration::milliseconds(5),
            max_retries: 3,
            max_total_elapsed: azure_core::time::Duration::seconds(10),
        }),
        ..Default::default()
    };
    let options = ApiManagementClientOptions {
        client_options,
        endpoint: endpoint.to_owned(),
        poll_interval: std::time::Duration::from_millis(5),
        ..Default::default()
    };
    ApiManagementClient::new(SUBSCRIPTION, Arc::new(FakeCredential), Some(options)).expect("client")
}

/// Every request the server received so far.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is enabled")
}

/// How many requests with `method` and exactly `path` the server received.
pub async fn count(server: &MockServer, method: &str, path: &str) -> usize {
    received(server).await.iter().filter(|r| r.method.as_str() == method && r.url.path() == path).count()
}

/// A request header as text.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The values of query parameter `name` (decoded).
pub fn query(request: &Request, name: &str) -> Vec<String> {
    request.url.query_pairs().filter(|(k, _)| k == name).map(|(_, v)| v.into_owned()).collect()
}

/// Asserts the request carries `api-version=2024-05-01` exactly once and the fake bearer token.
pub fn assert_authenticated(request: &Request) {
    assert_eq!(query(request, "api-version"), vec![API_VERSION.to_owned()], "api-version on {}", request.url);
    assert_eq!(header(request, "authorization"), Some(BEARER), "Authorization on {}", request.url);
}

// Long-running operations (`client_lro.rs`, `client_resume.rs`)

/// The smallest API Management service a create accepts.
pub fn new_service() -> api_management_client::models::ApiManagementServiceResource {
    let mut resource = api_management_client::models::ApiManagementServiceResource {
        location: "West US".to_owned(),
        ..Default::default()
    };
    resource.properties.publisher_email = "admin@example.com".to_owned();
    resource.properties.publisher_name = "Contoso".to_owned();
    resource
}

/// An `Azure-AsyncOperation` status body.
pub fn status(text: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "op-1", "status": text }))
}

/// Answers `verb path` with `response`, for good.
pub async fn mount(server: &MockServer, verb: &str, at: &str, response: wiremock::ResponseTemplate) {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method(verb)).and(path(at)).respond_with(response).mount(server).await;
}
