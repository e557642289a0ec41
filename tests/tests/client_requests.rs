//! The generated client against a loopback `wiremock` server: request shape, path/query/header
//! encoding, validation before sending, typed headers and errors, and retries.

mod client_support;

use api_management_client::clients::BackendClientListByServiceOptions;
use api_management_client::error_response;
use api_management_client::headers::BackendContractHeaders;
use api_management_client::models::{
    BackendContract, BackendContractProperties, BackendProtocol, BackendUpdateParameterProperties,
    BackendUpdateParameters,
};
use azure_core::error::ErrorKind;
use azure_core::http::StatusCode;
use client_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn backend_body(name: &str) -> serde_json::Value {
    json!({
        "id": backend_path(name),
        "type": "Microsoft.ApiManagement/service/backends",
        "name": name,
        "properties": {
            "description": "Service Fabric Test App 1",
            "title": "sf backend",
            "protocol": "http",
            "url": "fabric:/mytestapp/mytestservice"
        }
    })
}

/// A server that answers 200 with a backend to anything.
async fn permissive_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(backend_body("x"))).mount(&server).await;
    server
}

// ---------------------------------------------------------------------------------------------
// 1. The request and the typed response
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_exact_request_and_reads_typed_etag_and_body() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(backend_path("sfbackend")))
        .and(query_param("api-version", API_VERSION))
        .and(header("authorization", BEARER))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "\"AAAAAAAAcDc=\"")
                .set_body_json(backend_body("sfbackend")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let response = client.backend().get("rg1", "apimService1", "sfbackend", None).await?;
    assert_eq!(response.status(), StatusCode::Ok);
    assert_eq!(response.etag()?.as_deref(), Some("\"AAAAAAAAcDc=\""));
    let backend = response.into_model()?;
    assert_eq!(backend.name.as_deref(), Some("sfbackend"));
    assert_eq!(backend.r#type.as_deref(), Some("Microsoft.ApiManagement/service/backends"));
    assert_eq!(backend.id.as_deref(), Some(backend_path("sfbackend").as_str()));
    let properties = backend.properties.expect("properties");
    assert_eq!(properties.description.as_deref(), Some("Service Fabric Test App 1"));
    assert_eq!(properties.title.as_deref(), Some("sf backend"));
    assert_eq!(properties.url, "fabric:/mytestapp/mytestservice");
    assert_eq!(properties.protocol, BackendProtocol::Http);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), backend_path("sfbackend"));
    assert_eq!(request.url.query(), Some("api-version=2024-05-01"), "the only query parameter is api-version");
    assert_authenticated(request);
    assert!(request.body.is_empty(), "a GET has no body");
    Ok(())
}

#[tokio::test]
async fn missing_etag_reads_as_none() -> azure_core::Result<()> {
    let server = permissive_server().await;
    let response = client(&server).backend().get("rg1", "apimService1", "sfbackend", None).await?;
    assert_eq!(response.etag()?, None);
    Ok(())
}

/// Sub-clients are owned, as the official SDK's are: one can outlive the expression that made
/// it, be cloned, and move into a task of its own.
#[tokio::test]
async fn sub_clients_are_owned_and_move_into_tasks() -> azure_core::Result<()> {
    let server = permissive_server().await;
    let backends = client(&server).backend();
    let copy = backends.clone();
    let task =
        tokio::spawn(async move { copy.get("rg1", "apimService1", "sfbackend", None).await.map(|r| r.status()) });
    assert_eq!(task.await.expect("the task runs")?, StatusCode::Ok);
    assert_eq!(backends.get("rg1", "apimService1", "sfbackend", None).await?.status(), StatusCode::Ok);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 2. Path encoding and validation before sending
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hostile_backend_ids_are_encoded_as_one_segment() -> azure_core::Result<()> {
    let server = permissive_server().await;
    let client = client(&server);
    let cases = [
        ("a/b", "a%2Fb"),
        ("%2F", "%252F"),
        ("a b", "a%20b"),
        ("ü", "%C3%BC"),
        ("über backend", "%C3%BCber%20backend"),
        ("../../other", "..%2F..%2Fother"),
        ("..%2F..%2Fother", "..%252F..%252Fother"),
        ("a?b#c", "a%3Fb%23c"),
        ("a;b=c&d", "a%3Bb%3Dc%26d"),
        ("...", "..."),
        ("a\\b", "a%5Cb"),
    ];
    for (id, _) in cases {
        client.backend().get("rg1", "apimService1", id, None).await?;
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), cases.len());
    let prefix = format!("{}/backends/", service_path());
    for (request, (id, encoded)) in requests.iter().zip(cases) {
        let raw_path = request.url.path();
        assert_eq!(raw_path, backend_path(encoded), "backend id {id:?}");
        // Nothing escapes the `backends` collection, and the id stays exactly one segment.
        let rest = raw_path.strip_prefix(&prefix).unwrap_or_else(|| panic!("{raw_path} escaped /backends/"));
        assert!(!rest.contains('/'), "{id:?} became more than one segment: {raw_path}");
        // `?` and `#` in the id never start a query or fragment.
        assert_eq!(request.url.query(), Some("api-version=2024-05-01"), "backend id {id:?}");
        assert_eq!(request.url.fragment(), None);
        assert_authenticated(request);
    }
    Ok(())
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_rejected_before_sending() {
    let server = permissive_server().await;
    let client = client(&server);
    for id in ["..", ".", ""] {
        let error = client.backend().get("rg1", "apimService1", id, None).await.expect_err(id);
        let message = error.to_string();
        assert!(message.contains("backendId"), "{id:?}: {message}");
        assert!(matches!(error.kind(), ErrorKind::DataConversion), "{id:?}: {:?}", error.kind());
        // The other methods taking a backend id validate it the same way.
        let error = client.backend().delete("rg1", "apimService1", id, "*", None).await.expect_err(id);
        assert!(error.to_string().contains("backendId"), "{error}");
    }
    let too_long = "b".repeat(81);
    let error = client.backend().get("rg1", "apimService1", &too_long, None).await.expect_err("81 chars");
    assert!(error.to_string().contains("backendId") && error.to_string().contains("80"), "{error}");
    assert!(received(&server).await.is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn invalid_service_names_are_rejected_before_sending() {
    let server = permissive_server().await;
    let client = client(&server);
    let error = client.backend().get("rg1", "-bad-", "sfbackend", None).await.expect_err("-bad-");
    let message = error.to_string();
    assert!(message.contains("serviceName"), "{message}");
    assert!(message.contains("pattern") && message.contains("^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$"), "{message}");

    let long = "a".repeat(51);
    let error = client.backend().get("rg1", &long, "sfbackend", None).await.expect_err("51 chars");
    let message = error.to_string();
    assert!(message.contains("serviceName") && message.contains("at most 50"), "{message}");

    let Err(error) = client.backend().list_by_service("rg1", "bad/name", None) else { panic!("a/b service name") };
    assert!(error.to_string().contains("serviceName"), "{error}");

    let error = client.backend().get("", "apimService1", "sfbackend", None).await.expect_err("empty rg");
    assert!(error.to_string().contains("resourceGroupName"), "{error}");

    assert!(received(&server).await.is_empty(), "nothing may reach the server");
}

// ---------------------------------------------------------------------------------------------
// 3. Query and header encoding
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_query_options_are_encoded() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let list_path = format!("{}/backends", service_path());
    Mock::given(method("GET"))
        .and(path(list_path.as_str()))
        .and(query_param("api-version", API_VERSION))
        .and(query_param("$filter", "title eq 'a b'&x"))
        .and(query_param("$top", "5"))
        .and(query_param("$skip", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [backend_body("b1")] })))
        .expect(1)
        .mount(&server)
        .await;
    let options = BackendClientListByServiceOptions {
        filter: Some("title eq 'a b'&x".to_owned()),
        top: Some(5),
        skip: Some(10),
        ..Default::default()
    };
    let mut pager = client(&server).backend().list_by_service("rg1", "apimService1", Some(options))?;
    let mut names = Vec::new();
    while let Some(item) = pager.try_next().await? {
        names.push(item.name.unwrap_or_default());
    }
    assert_eq!(names, ["b1"]);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_authenticated(request);
    assert_eq!(query(request, "$filter"), ["title eq 'a b'&x"]);
    assert_eq!(query(request, "$top"), ["5"]);
    assert_eq!(query(request, "$skip"), ["10"]);
    // The raw query: the `&` and the spaces inside the filter are escaped, so the filter stays one
    // parameter and nothing else appears.
    let raw = request.url.query().expect("a query");
    assert_eq!(raw.split('&').count(), 4, "{raw}");
    assert!(!raw.contains(' ') && !raw.contains("&x"), "{raw}");
    assert!(raw.contains("%26x"), "{raw}");
    Ok(())
}

#[tokio::test]
async fn out_of_range_query_values_are_rejected_before_sending() {
    let server = permissive_server().await;
    let client = client(&server);
    for (top, skip, name, rule) in [
        (Some(0), None, "$top", "at least 1"),
        (Some(-3), None, "$top", "at least 1"),
        (None, Some(-1), "$skip", "at least 0"),
    ] {
        let options = BackendClientListByServiceOptions { top, skip, ..Default::default() };
        let Err(error) = client.backend().list_by_service("rg1", "apimService1", Some(options)) else {
            panic!("{name} {rule} must be rejected")
        };
        let message = error.to_string();
        assert!(message.contains(name) && message.contains(rule), "{message}");
    }
    // The minimum itself is fine (and is sent).
    let options = BackendClientListByServiceOptions { top: Some(1), skip: Some(0), ..Default::default() };
    let mut pager = client.backend().list_by_service("rg1", "apimService1", Some(options)).expect("valid");
    let _ = pager.try_next().await;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(query(&requests[0], "$top"), ["1"]);
    assert_eq!(query(&requests[0], "$skip"), ["0"]);
}

#[tokio::test]
async fn update_sends_if_match_and_json_body() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    let expected_body = json!({
        "properties": {
            "description": "Updated",
            "protocol": "soap",
            "url": "https://backend.example/api"
        }
    });
    Mock::given(method("PATCH"))
        .and(path(backend_path("sfbackend")))
        .and(header("if-match", "*"))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(200).insert_header("etag", "\"v2\"").set_body_json(backend_body("sfbackend")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let parameters = BackendUpdateParameters {
        properties: Some(BackendUpdateParameterProperties {
            description: Some("Updated".to_owned()),
            protocol: Some(BackendProtocol::Soap),
            url: Some("https://backend.example/api".to_owned()),
            ..Default::default()
        }),
    };
    let response =
        client(&server).backend().update("rg1", "apimService1", "sfbackend", "*", parameters.try_into()?, None).await?;
    assert_eq!(response.etag()?.as_deref(), Some("\"v2\""));
    assert_eq!(response.into_model()?.name.as_deref(), Some("sfbackend"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_authenticated(request);
    assert_eq!(header_value(request, "if-match"), vec!["*"]);
    assert_eq!(header_value(request, "content-type"), vec!["application/json"]);
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(sent, expected_body);
    Ok(())
}

#[tokio::test]
async fn delete_sends_quoted_if_match_exactly() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(backend_path("sfbackend")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).backend().delete("rg1", "apimService1", "sfbackend", "\"etag-1\"", None).await?;
    assert_eq!(response.status(), StatusCode::NoContent);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(header_value(&requests[0], "if-match"), vec!["\"etag-1\""]);
    assert!(requests[0].body.is_empty());
    assert_authenticated(&requests[0]);
    Ok(())
}

#[tokio::test]
async fn create_without_if_match_sends_no_if_match() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(backend_path("sfbackend")))
        .respond_with(ResponseTemplate::new(201).set_body_json(backend_body("sfbackend")))
        .expect(1)
        .mount(&server)
        .await;
    let parameters = BackendContract {
        properties: Some(BackendContractProperties {
            url: "https://backend.example".to_owned(),
            protocol: BackendProtocol::Http,
            ..Default::default()
        }),
        ..Default::default()
    };
    let response = client(&server)
        .backend()
        .create_or_update("rg1", "apimService1", "sfbackend", parameters.try_into()?, None)
        .await?;
    assert_eq!(response.status(), StatusCode::Created);
    let requests = received(&server).await;
    assert!(requests[0].headers.get("if-match").is_none());
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(sent, json!({ "properties": { "url": "https://backend.example", "protocol": "http" } }));
    Ok(())
}

fn header_value<'r>(request: &'r wiremock::Request, name: &str) -> Vec<&'r str> {
    request.headers.get_all(name).iter().map(|v| v.to_str().expect("ASCII header")).collect()
}

// ---------------------------------------------------------------------------------------------
// 4. Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn not_found_is_a_typed_arm_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(backend_path("missing")))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({ "error": { "code": "ResourceNotFound", "message": "Backend not found" } })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server).backend().get("rg1", "apimService1", "missing", None).await.expect_err("404");

    assert_eq!(error.http_status(), Some(StatusCode::NotFound));
    match error.kind() {
        ErrorKind::HttpResponse { status, error_code, raw_response } => {
            assert_eq!(*status, StatusCode::NotFound);
            assert_eq!(error_code.as_deref(), Some("ResourceNotFound"));
            assert!(raw_response.is_some(), "the raw response is kept");
        }
        other => panic!("expected an HttpResponse error, got {other:?}"),
    }
    assert!(error.to_string().contains("Backend not found"), "{error}");

    let typed = error_response(&error).expect("a typed ErrorResponse");
    let detail = typed.error.expect("error detail");
    assert_eq!(detail.code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(detail.message.as_deref(), Some("Backend not found"));
    // 404 is not retried.
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn error_response_is_none_for_errors_not_from_the_service() {
    let server = permissive_server().await;
    let error = client(&server).backend().get("rg1", "apimService1", "", None).await.expect_err("empty id");
    assert!(error_response(&error).is_none());
    assert_eq!(error.http_status(), None);
}

#[tokio::test]
async fn unexpected_success_status_is_an_error() {
    // `Backend_Get` declares only 200; a 202 is not silently accepted as a backend.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let error = client(&server).backend().get("rg1", "apimService1", "sfbackend", None).await.expect_err("202");
    assert_eq!(error.http_status(), Some(StatusCode::Accepted));
}

// ---------------------------------------------------------------------------------------------
// 5. Retries honour Retry-After
// ---------------------------------------------------------------------------------------------

async fn retry_then_succeed(first: ResponseTemplate) -> (MockServer, Duration, azure_core::Result<()>) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(backend_path("sfbackend")))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(backend_path("sfbackend")))
        .respond_with(ResponseTemplate::new(200).set_body_json(backend_body("sfbackend")))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let start = Instant::now();
    let result = client.backend().get("rg1", "apimService1", "sfbackend", None).await;
    let elapsed = start.elapsed();
    let result = result.and_then(|r| r.into_model()).map(|b| assert_eq!(b.name.as_deref(), Some("sfbackend")));
    (server, elapsed, result)
}

#[tokio::test]
async fn retry_after_ms_on_503_is_honoured() -> azure_core::Result<()> {
    let (server, elapsed, result) =
        retry_then_succeed(ResponseTemplate::new(503).insert_header("retry-after-ms", "300")).await;
    result?;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "one failure, one retry");
    requests.iter().for_each(assert_authenticated);
    assert!(elapsed >= Duration::from_millis(300), "waited only {elapsed:?}");
    Ok(())
}

#[tokio::test]
async fn retry_after_seconds_on_429_is_honoured() -> azure_core::Result<()> {
    let (server, elapsed, result) = retry_then_succeed(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "1")
            .set_body_json(json!({ "error": { "code": "TooManyRequests", "message": "slow down" } })),
    )
    .await;
    result?;
    assert_eq!(received(&server).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(950), "waited only {elapsed:?}");
    Ok(())
}
