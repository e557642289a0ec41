//! Shared by the example tests: a fake credential, client options pointing at a local server,
//! an [`Exchange`] that serves one example's responses to exactly the request it describes, and
//! the check that a typed model holds every field of an example body.



use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::cell::Cell;
use std::sync::Arc;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer};

/// One example: the request the client must send (method, encoded path, query, headers, JSON
/// body) and the example's success responses, as JSON the generated test passes in.
pub struct Exchange {
    request: Value,
    responses: Vec<Value>,
    /// For a list operation: the next-link property (or `null`) and the items property.
    pages: Option<(Option<String>, String)>,
    client: Vec<String>,
    api_version: String,
}

impl Exchange {
    pub fn new(text: &str) -> Self {
        let mut value = json(text);
        let pages = value.get("pages").map(|p| {
            (p["nextLink"].as_str().map(str::to_owned), p["items"].as_str().unwrap_or("value").to_owned())
        });
        let responses = value["responses"].as_array().cloned().unwrap_or_default();
        let client = value["client"].as_array().map(|a| a.iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect());
        let api_version = value["apiVersion"].as_str().unwrap_or_default().to_owned();
        Exchange { request: value["request"].take(), responses, pages, client: client.unwrap_or_default(), api_version }
    }

    /// The example's value of the client's parameter `index` (`subscriptionId`).
    pub fn client_arg(&self, index: usize) -> &str {
        &self.client[index]
    }

    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The request body the example sends, as the method's argument.
    pub fn request_body<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.request["body"].clone())
            .unwrap_or_else(|e| panic!("the example body does not fit the model: {e}"))
    }

    fn pairs(value: &Value) -> Vec<(&str, &str)> {
        let pairs = value.as_array().map(Vec::as_slice).unwrap_or_default();
        pairs.iter().map(|p| (p[0].as_str().unwrap_or_default(), p[1].as_str().unwrap_or_default())).collect()
    }

    /// A mock that matches only the example's request.
    fn expected(&self) -> MockBuilder {
        let request = &self.request;
        let mut mock = Mock::given(method(request["method"].as_str().unwrap_or("GET")))
            .and(path(request["path"].as_str().unwrap_or("/")));
        for (name, value) in Self::pairs(&request["query"]) {
            mock = mock.and(query_param(name, value));
        }
        for (name, value) in Self::pairs(&request["headers"]) {
            mock = mock.and(header(name, value));
        }
        if let Some(body) = request.get("body") {
            mock = mock.and(JsonBody(body.clone()));
        }
        mock
    }

    fn body(&self, index: usize) -> Option<String> {
        self.responses[index].get("body").map(Value::to_string)
    }

    fn respond(&self, index: usize, server: &MockServer) -> wiremock::ResponseTemplate {
        let response = &self.responses[index];
        let status = response["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(200);
        respond(status, &Self::pairs(&response["headers"]), self.body(index).as_deref(), &server.uri())
    }

    /// A local server answering the example's request, once, with response `index`.
    pub async fn serve(&self, index: usize) -> MockServer {
        let server = MockServer::start().await;
        self.expected().respond_with(self.respond(index, &server)).expect(1).mount(&server).await;
        server
    }

    /// [`serve`](Self::serve) without verifying the request came: for a request that must not match.
    pub async fn serve_unverified(&self, index: usize) -> MockServer {
        let server = MockServer::start().await;
        self.expected().respond_with(self.respond(index, &server)).mount(&server).await;
        server
    }

    pub fn check_status(&self, index: usize, status: u16) {
        assert_eq!(u64::from(status), self.responses[index]["status"].as_u64().unwrap_or(200), "status");
    }

    /// A typed header reads as the example's value.
    pub fn check_header(&self, index: usize, name: &str, typed: Option<&str>) {
        let example = Self::pairs(&self.responses[index]["headers"])
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        assert_eq!(typed, example, "typed header {name}");
    }

    pub fn check_body<T: DeserializeOwned + Serialize>(&self, index: usize, body: &[u8]) {
        check_body::<T>(body, &self.body(index).unwrap_or_default());
    }

    /// Serves response `index` as a list: with a next link, as two pages, the second reached
    /// through the first's link (so following it is tested too).
    pub async fn serve_pages(&self, index: usize) -> (MockServer, Pages) {
        let server = MockServer::start().await;
        let body = self.body(index).unwrap_or_else(|| "{}".to_owned());
        let (next_link, items) = self.pages.clone().unwrap_or((None, "value".to_owned()));
        let per_page = json(&body).get(&items).and_then(Value::as_array).map_or(0, Vec::len);
        let bodies = match next_link {
            Some(next) => {
                let first = page(&body, &next, Some(&format!("{}/example-next-page", server.uri())));
                let second = page(&body, &next, None);
                let version = Self::pairs(&self.request["query"])
                    .into_iter()
                    .find(|(k, _)| *k == "api-version")
                    .map_or(String::new(), |(_, v)| v.to_owned());
                Mock::given(method("GET"))
                    .and(path("/example-next-page"))
                    .and(query_param("api-version", version.as_str()))
                    .respond_with(respond(200, &[], Some(&second), &server.uri()))
                    .expect(1)
                    .mount(&server)
                    .await;
                vec![first, second]
            }
            None => vec![body],
        };
        let first = respond(200, &[], Some(&bodies[0]), &server.uri());
        self.expected().respond_with(first).expect(1).mount(&server).await;
        (server, Pages { bodies, per_page, seen: Cell::new(0) })
    }

    /// The response that starts a long-running operation: a 202 or 201, else the first.
    fn initial(&self) -> usize {
        let status = |r: &Value| r["status"].as_u64().unwrap_or(200);
        self.responses.iter().position(|r| status(r) == 202 || status(r) == 201).unwrap_or(0)
    }

    /// The operation's result: a 200 with a body, else any response with one.
    fn result(&self) -> Option<String> {
        let with_body = |r: &&Value| r.get("body").is_some();
        let ok = self.responses.iter().filter(with_body).find(|r| r["status"].as_u64() == Some(200));
        ok.or_else(|| self.responses.iter().find(with_body)).map(|r| r["body"].to_string())
    }

    /// Serves a long-running operation: the first response starts it; its polling links are
    /// served locally and answer "Succeeded"; the final GET (the request URL or `Location`)
    /// answers with the example's result.
    pub async fn serve_long_running(&self) -> MockServer {
        let server = MockServer::start().await;
        let initial = self.initial();
        self.expected().respond_with(self.respond(initial, &server)).expect(1).mount(&server).await;
        let result = self.result().unwrap_or_default();
        for (name, value) in Self::pairs(&self.responses[initial]["headers"]) {
            let lower = name.to_ascii_lowercase();
            if !["location", "azure-asyncoperation", "operation-location"].contains(&lower.as_str()) {
                continue;
            }
            let status_link = lower != "location";
            let answer = if status_link { r#"{"status":"Succeeded"}"# } else { result.as_str() };
            let link: azure_core::http::Url = local_link(name, value, &server.uri()).parse().expect("a local link");
            // A status link may share its path with `Location`: the status answers first.
            Mock::given(method("GET"))
                .and(path(link.path()))
                .respond_with(respond(200, &[], Some(answer), &server.uri()))
                .with_priority(if status_link { 1 } else { 5 })
                .mount(&server)
                .await;
        }
        if self.request["method"] != "GET" {
            let url = self.request["path"].as_str().unwrap_or("/");
            Mock::given(method("GET"))
                .and(path(url))
                .respond_with(respond(200, &[], Some(&result), &server.uri()))
                .mount(&server)
                .await;
        }
        server
    }

    /// The final result of a long-running operation holds the example's.
    pub fn check_result<T: DeserializeOwned + Serialize>(&self, body: &[u8]) {
        check_body::<T>(body, &self.result().unwrap_or_default());
    }
}

/// The pages served for a list example, checked one by one as the pager yields them.
pub struct Pages {
    bodies: Vec<String>,
    per_page: usize,
    seen: Cell<usize>,
}

impl Pages {
    pub fn check<T: DeserializeOwned + Serialize>(&self, body: &[u8]) {
        let n = self.seen.get();
        assert!(n < self.bodies.len(), "more pages than were served");
        check_body::<T>(body, &self.bodies[n]);
        self.seen.set(n + 1);
    }

    /// Every page came, with every item.
    pub fn done(&self, items: usize) {
        let pages = self.bodies.len();
        assert_eq!((self.seen.get(), items), (pages, pages * self.per_page), "(pages, items)");
    }
}

/// A credential that never leaves the machine.
#[derive(Debug)]
struct FakeCredential;

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(&self, _: &[&str], _: Option<TokenRequestOptions<'_>>) -> azure_core::Result<AccessToken> {
        let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        Ok(AccessToken::new(Secret::new("example-token"), expires))
    }
}

pub fn credential() -> Arc<dyn TokenCredential> {
    Arc::new(FakeCredential)
}

/// Client options for a local server: its endpoint, the example's `api-version`, quick polling.
pub fn options(endpoint: &str, api_version: &str) -> __OPTIONS__ {
    __OPTIONS__ {
        endpoint: endpoint.to_owned(),
        api_version: api_version.to_owned(),
        poll_interval: std::time::Duration::from_millis(1),
        ..Default::default()
    }
}

/// Runs one example's test, failing it rather than hanging when an operation never completes.
pub async fn within(test: impl std::future::Future<Output = ()>) {
    let limit = std::time::Duration::from_secs(30);
    if tokio::time::timeout(limit, test).await.is_err() {
        panic!("the example did not complete within {limit:?}");
    }
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("example JSON: {e}"))
}

/// Matches a request whose JSON body is the example's: the same keys and values, numbers by
/// value (`50` is `50.0`) and date-times by instant (`Z` is `+00:00`).
pub struct JsonBody(Value);

impl wiremock::Match for JsonBody {
    fn matches(&self, request: &wiremock::Request) -> bool {
        serde_json::from_slice::<Value>(&request.body).is_ok_and(|sent| same(&sent, &self.0))
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        // A `null` in the example is a value the client may leave out.
        (Value::Object(a), Value::Object(b)) => {
            a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
                && b.iter().all(|(k, w)| w.is_null() || a.contains_key(k))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w)),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(a), Value::String(b)) => a == b || same_instant(a, b),
        (a, b) => a == b,
    }
}

pub fn parse<T: DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("the example body does not fit the model: {e}"))
}

/// A response as the example gives it, with `Location`/`Azure-AsyncOperation` pointed at `server`.
pub fn respond(status: u16, headers: &[(&str, &str)], body: Option<&str>, server: &str) -> wiremock::ResponseTemplate {
    let mut response = wiremock::ResponseTemplate::new(status);
    for (name, value) in headers {
        response = response.insert_header(*name, local_link(name, value, server).as_str());
    }
    if let Some(body) = body {
        response = response.set_body_raw(body.as_bytes().to_vec(), "application/json");
    }
    response
}

/// Polling links in examples point at Azure; keep their path, serve them locally.
pub fn local_link(name: &str, value: &str, server: &str) -> String {
    let polling = ["location", "azure-asyncoperation", "operation-location"].contains(&name.to_ascii_lowercase().as_str());
    match (polling, value.parse::<azure_core::http::Url>()) {
        (true, Ok(url)) => format!("{server}{}", &url[url::Position::BeforePath..]),
        _ => value.to_owned(),
    }
}

/// The page as served: `next_link` pointing at `next` on the local server, or removed.
pub fn page(text: &str, next_link: &str, next: Option<&str>) -> String {
    let mut value = json(text);
    if let Some(object) = value.as_object_mut() {
        match next {
            Some(link) => object.insert(next_link.to_owned(), Value::String(link.to_owned())),
            None => object.remove(next_link),
        };
    }
    value.to_string()
}

/// `body` read as `T` loses nothing: no key is ignored while reading, and every key the model
/// writes back holds the example's value (read-only keys are read but never written).
pub fn check_body<T: DeserializeOwned + Serialize>(body: &[u8], example: &str) {
    let mut ignored = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let model: T = serde_ignored::deserialize(&mut deserializer, |path| ignored.push(path.to_string()))
        .unwrap_or_else(|e| panic!("the response does not read as the model: {e}"));
    assert!(ignored.is_empty(), "fields dropped while reading: {ignored:?}");
    let written = serde_json::to_value(&model).unwrap_or_else(|e| panic!("cannot write the model back: {e}"));
    if let Err(difference) = agrees(&written, &json(example), "") {
        panic!("the model does not hold the example: {difference}");
    }
}

/// `written` may leave keys out but every key it writes must hold the example's value; a `null`
/// in the example holds nothing to lose.
pub fn agrees(written: &Value, example: &Value, at: &str) -> Result<(), String> {
    match (written, example) {
        (_, Value::Null) => Ok(()),
        (Value::Object(w), Value::Object(e)) => w.iter().try_for_each(|(k, v)| match e.get(k) {
            Some(ev) => agrees(v, ev, &format!("{at}/{k}")),
            None => Err(format!("{at}/{k}: written but not in the example")),
        }),
        (Value::Array(w), Value::Array(e)) if w.len() == e.len() => {
            w.iter().zip(e).enumerate().try_for_each(|(i, (wv, ev))| agrees(wv, ev, &format!("{at}/{i}")))
        }
        (Value::Number(w), Value::Number(e)) if w.as_f64() == e.as_f64() => Ok(()),
        (w, e) if w == e => Ok(()),
        // Date-times are instants: `+00:00` and `Z` say the same.
        (Value::String(w), Value::String(e)) if same_instant(w, e) => Ok(()),
        (w, e) => Err(format!("{at}: wrote {w}, the example has {e}")),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    let parse = |text: &str| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
    };
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a == b)
}

#[test]
fn request_bodies_match_by_value() {
    assert!(same(&json(r#"{"p":50,"t":"2036-01-01T07:00:00Z"}"#), &json(r#"{"p":50.0,"t":"2036-01-01T07:00:00+00:00"}"#)));
    assert!(!same(&json(r#"{"p":50}"#), &json(r#"{"p":51}"#)));
    assert!(!same(&json(r#"{"p":50}"#), &json(r#"{"p":50,"q":1}"#)));
    assert!(same(&json(r#"{"p":50}"#), &json(r#"{"p":50,"q":null}"#)));
}

#[test]
fn date_times_compare_as_instants() {
    assert!(agrees(&serde_json::json!("2036-01-01T07:00:00Z"), &serde_json::json!("2036-01-01T07:00:00+00:00"), "").is_ok());
    assert!(agrees(&serde_json::json!("2036-01-01T07:00:00Z"), &serde_json::json!("2036-01-01T08:00:00+00:00"), "").is_err());
}

#[test]
fn a_dropped_or_changed_field_fails_the_check() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Known {
        a: i32,
    }
    let unknown_key = std::panic::catch_unwind(|| check_body::<Known>(br#"{"a":1,"b":2}"#, r#"{"a":1,"b":2}"#));
    assert!(unknown_key.is_err(), "a key the model drops must fail the check");
    let changed = std::panic::catch_unwind(|| check_body::<Known>(br#"{"a":1}"#, r#"{"a":2}"#));
    assert!(changed.is_err(), "a value that differs must fail the check");
    check_body::<Known>(br#"{"a":1}"#, r#"{"a":1}"#);
}
