//! Shared by the example tests: a fake credential, client options pointing at a local server,
//! and the check that a typed model holds every field of an example body.



use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

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
pub fn body(text: &str) -> JsonBody {
    JsonBody(json(text))
}

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
