//! Paging (`x-ms-pageable`) against a loopback `wiremock` server: absolute opaque next links,
//! `api-version` and the token on follow-ups, termination guards, and never following a link to
//! another host.

mod client_support;

use api_management_client::models::BackendCollection;
use azure_core::http::Pager;
use client_support::*;
use futures::TryStreamExt;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every test is bounded: a pager that loops forever fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(5);

fn list_path() -> String {
    format!("{}/backends", service_path())
}

fn item(name: &str) -> serde_json::Value {
    json!({ "id": backend_path(name), "name": name, "properties": { "url": format!("https://{name}.example"), "protocol": "http" } })
}

fn page(names: &[&str], next_link: Option<String>) -> serde_json::Value {
    let mut body = json!({ "value": names.iter().map(|n| item(n)).collect::<Vec<_>>() });
    if let Some(link) = next_link {
        body["nextLink"] = json!(link);
    }
    body
}

/// Serves the first page at the list URL.
async fn mount_first(server: &MockServer, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(query_param("api-version", API_VERSION))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

/// Serves a follow-up page at `page_path?token=<token>`, only with api-version and the token.
async fn mount_page(server: &MockServer, page_path: &str, token: &str, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(page_path))
        .and(query_param("token", token))
        .and(query_param("api-version", API_VERSION))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn pager(server: &MockServer) -> Pager<BackendCollection> {
    client(server).backend().list_by_service("rg1", "apimService1", None).expect("valid arguments")
}

/// Drains a pager item by item, giving the names seen and the error that ended it, if any.
async fn drain(mut pager: Pager<BackendCollection>) -> (Vec<String>, Option<azure_core::Error>) {
    let run = async {
        let mut names = Vec::new();
        loop {
            match pager.try_next().await {
                Ok(Some(item)) => names.push(item.name.unwrap_or_default()),
                Ok(None) => return (names, None),
                Err(error) => return (names, Some(error)),
            }
        }
    };
    tokio::time::timeout(LIMIT, run).await.expect("the pager must terminate")
}

/// Three pages: two absolute, opaque next links without api-version, then none.
async fn three_pages(server: &MockServer) {
    let base = server.uri();
    mount_first(server, page(&["b1", "b2"], Some(format!("{base}/page2?token=abc")))).await;
    mount_page(server, "/page2", "abc", page(&["b3"], Some(format!("{base}/page3?token=def")))).await;
    mount_page(server, "/page3", "def", page(&["b4", "b5"], None)).await;
}

#[tokio::test]
async fn items_arrive_in_order_across_three_pages() {
    let server = MockServer::start().await;
    three_pages(&server).await;

    let (names, error) = drain(pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(names, ["b1", "b2", "b3", "b4", "b5"]);

    let requests = received(&server).await;
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, [list_path().as_str(), "/page2", "/page3"]);
    for request in &requests {
        // The next link's own query is kept, and api-version is added exactly once.
        assert_authenticated(request);
    }
    assert_eq!(query(&requests[1], "token"), ["abc"]);
    assert_eq!(query(&requests[2], "token"), ["def"]);
}

#[tokio::test]
async fn pages_arrive_in_order_via_into_pages() -> azure_core::Result<()> {
    let server = MockServer::start().await;
    three_pages(&server).await;

    let mut pages = pager(&server).into_pages();
    let mut seen = Vec::new();
    let run = async {
        while let Some(page) = pages.try_next().await? {
            let page = page.into_model()?;
            seen.push(
                page.value.unwrap_or_default().into_iter().map(|b| b.name.unwrap_or_default()).collect::<Vec<_>>(),
            );
        }
        azure_core::Result::Ok(())
    };
    tokio::time::timeout(LIMIT, run).await.expect("the pager must terminate")?;
    assert_eq!(seen, [vec!["b1", "b2"], vec!["b3"], vec!["b4", "b5"]]);
    assert_eq!(received(&server).await.len(), 3);
    Ok(())
}

#[tokio::test]
async fn next_link_to_itself_ends_paging_without_duplicates() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount_first(&server, page(&["b1"], Some(format!("{base}/page2?token=abc")))).await;
    // Page 2 points at itself.
    mount_page(&server, "/page2", "abc", page(&["b2"], Some(format!("{base}/page2?token=abc")))).await;

    let (names, error) = drain(pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(names, ["b1", "b2"]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn next_link_cycle_ends_paging_without_duplicates() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount_first(&server, page(&["b1"], Some(format!("{base}/page2?token=abc")))).await;
    mount_page(&server, "/page2", "abc", page(&["b2"], Some(format!("{base}/page3?token=def")))).await;
    // Page 3 points back at page 2.
    mount_page(&server, "/page3", "def", page(&["b3"], Some(format!("{base}/page2?token=abc")))).await;

    let (names, error) = drain(pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(names, ["b1", "b2", "b3"]);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn next_link_back_to_the_first_page_ends_paging_without_duplicates() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount_first(&server, page(&["b1"], Some(format!("{base}/page2?token=abc")))).await;
    // Page 2 points back at the first page (the list URL, as the service would spell it).
    let first = format!("{base}{}?api-version={API_VERSION}", list_path());
    mount_page(&server, "/page2", "abc", page(&["b2"], Some(first))).await;

    let (names, error) = drain(pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(names, ["b1", "b2"], "no item may be yielded twice");
    assert_eq!(received(&server).await.len(), 2, "the first page may not be fetched again");
}

#[tokio::test]
async fn empty_or_null_next_link_ends_paging() {
    for next_link in [json!(""), serde_json::Value::Null] {
        let server = MockServer::start().await;
        let mut body = page(&["b1", "b2"], None);
        body["nextLink"] = next_link.clone();
        mount_first(&server, body).await;

        let (names, error) = drain(pager(&server)).await;
        assert!(error.is_none(), "{next_link}: {error:?}");
        assert_eq!(names, ["b1", "b2"]);
        assert_eq!(received(&server).await.len(), 1, "{next_link}: nothing after the last page");
    }
}

#[tokio::test]
async fn relative_next_link_is_resolved_against_the_endpoint() {
    let server = MockServer::start().await;
    mount_first(&server, page(&["b1"], Some("/page2?token=abc".to_owned()))).await;
    mount_page(&server, "/page2", "abc", page(&["b2"], None)).await;

    let (names, error) = drain(pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(names, ["b1", "b2"]);
}

#[tokio::test]
async fn next_link_with_its_own_api_version_is_kept() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount_first(&server, page(&["b1"], Some(format!("{base}/page2?token=abc&api-version={API_VERSION}")))).await;
    mount_page(&server, "/page2", "abc", page(&["b2"], None)).await;

    let (names, error) = drain(pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(names, ["b1", "b2"]);
    let requests = received(&server).await;
    assert_eq!(query(&requests[1], "api-version"), [API_VERSION], "api-version is not duplicated");
}

#[tokio::test]
async fn next_link_to_another_host_is_never_followed() {
    let other = MockServer::start().await; // 127.0.0.1 on another port: another origin.
    let server = MockServer::start().await;
    mount_first(&server, page(&["b1"], Some(format!("{}/x?token=steal", other.uri())))).await;

    let (names, error) = drain(pager(&server)).await;
    // Either an error or a plain stop is acceptable; following the link is not.
    if let Some(error) = &error {
        assert!(error.to_string().contains("another host"), "{error}");
    }
    assert!(names.len() <= 1, "{names:?}");
    assert!(received(&other).await.is_empty(), "no request (and so no token) may reach the other host");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn items_of_the_page_with_a_foreign_next_link_are_still_delivered() {
    let other = MockServer::start().await;
    let server = MockServer::start().await;
    mount_first(&server, page(&["b1", "b2"], Some(format!("{}/x", other.uri())))).await;

    let (names, error) = drain(pager(&server)).await;
    assert_eq!(names, ["b1", "b2"], "the page was received intact; only the link is refused (error: {error:?})");
    assert!(received(&other).await.is_empty());
}

#[tokio::test]
async fn next_link_to_an_external_host_is_never_followed() {
    for link in ["https://evil.example/x?token=steal", "http://127.0.0.2:1/x", "//evil.example/x"] {
        let server = MockServer::start().await;
        mount_first(&server, page(&["b1"], Some(link.to_owned()))).await;

        let (_, error) = drain(pager(&server)).await;
        if let Some(error) = &error {
            // Refused before sending, not a failed connection attempt.
            assert!(error.to_string().contains("another host"), "{link}: {error}");
        }
        assert_eq!(received(&server).await.len(), 1, "{link}");
    }
}

#[tokio::test]
async fn a_failing_follow_up_page_is_an_error_after_the_earlier_items() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount_first(&server, page(&["b1"], Some(format!("{base}/page2?token=abc")))).await;
    Mock::given(method("GET"))
        .and(path("/page2"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({ "error": { "code": "BadToken", "message": "expired" } })),
        )
        .mount(&server)
        .await;

    let (names, error) = drain(pager(&server)).await;
    assert_eq!(names, ["b1"]);
    let error = error.expect("page 2 failed");
    assert_eq!(error.http_status(), Some(azure_core::http::StatusCode::BadRequest));
    let typed = api_management_client::error_response(&error).and_then(|e| e.error).expect("typed error");
    assert_eq!(typed.code.as_deref(), Some("BadToken"));
}
