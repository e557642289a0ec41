//! The in-memory fake server behind the crate's `fake` feature, for users' own tests: handlers
//! registered per operation answer the client's requests through its transport, with no socket.
//!
//! A request is routed by method and path template (and an `x-ms-paths` query), then checked as
//! the client checks it (`api-version`, every path value against the spec's rules, the body as
//! the operation's type) before its handler sees it. Lists are served in pages linked by
//! `nextLink`; long-running operations answer with an `Azure-AsyncOperation` URL, stay
//! `InProgress` for some polls, then give the handler's result where the operation reads it.

use super::invalid;
use super::validate::{Path, PathRules, Rule};
use super::resource_id::decode;
use azure_core::http::headers::Headers;
use azure_core::http::{AsyncRawResponse, HttpClient, Method, Request, StatusCode, Transport};
use serde_json::{Map, Value, json};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

/// Where a fake's client sends its requests; nothing is ever resolved or connected.
pub const FAKE_ENDPOINT: &str = "https://fake.management.azure.test";

/// An operation as the fake routes it.
pub struct Route {
    pub method: Method,
    pub path: &'static Path,
    /// `x-ms-paths` query pairs the request must carry.
    pub constants: &'static [(&'static str, &'static str)],
    /// The operation's success statuses, the first being what a result is answered with.
    pub success: &'static [u16],
    /// The operationId, for errors.
    pub name: &'static str,
}

/// How an operation's result becomes responses.
#[derive(Clone, Copy)]
pub enum FakeKind {
    /// One response.
    Call,
    /// Pages of the handler's items: the page's item field and next-link field.
    List(&'static str, Option<&'static str>),
    /// A long-running operation, polled to the handler's result.
    LongRunning,
}

/// An ARM error a handler answers with instead of a result.
#[derive(Debug, Clone)]
pub struct FakeError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl FakeError {
    pub fn new(status: u16, code: &str, message: &str) -> Self {
        FakeError { status, code: code.to_owned(), message: message.to_owned() }
    }

    /// `404 ResourceNotFound`.
    pub fn not_found(message: &str) -> Self {
        Self::new(404, "ResourceNotFound", message)
    }
}

/// A request the handler cannot read (`request.body()?`) is a `400 InvalidRequestContent`.
impl From<azure_core::Error> for FakeError {
    fn from(error: azure_core::Error) -> Self {
        Self::new(400, "InvalidRequestContent", &error.to_string())
    }
}

/// A request as a handler sees it, `B` being the operation's JSON body type (`()` for none).
pub struct FakeRequest<B = ()> {
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Headers,
    body: Vec<u8>,
    typed: PhantomData<fn() -> B>,
}

impl<B> FakeRequest<B> {
    /// A path value by its placeholder's name (`"backendId"`), decoded.
    pub fn path(&self, placeholder: &str) -> Option<&str> {
        self.path.iter().find(|(name, _)| *name == placeholder).map(|(_, value)| value.as_str())
    }

    /// A query parameter, decoded.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// A header (its name in lowercase).
    pub fn header(&self, name: &'static str) -> Option<&str> {
        self.headers.get_optional_str(&azure_core::http::headers::HeaderName::from_static(name))
    }

    /// The body as sent.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

impl<B: serde::de::DeserializeOwned> FakeRequest<B> {
    /// The body as the operation's type.
    pub fn body(&self) -> azure_core::Result<B> {
        serde_json::from_slice(&self.body).map_err(|e| invalid(format!("the request body is not the operation's type: {e}")))
    }
}

type Handler = Box<dyn Fn(Incoming) -> Result<Value, FakeError> + Send + Sync>;

struct Registered {
    route: Route,
    kind: FakeKind,
    handler: Handler,
}

/// A long-running operation in progress: polls left, and its result once done.
struct Running {
    polls_left: usize,
    result: Value,
}

#[derive(Default)]
struct State {
    handlers: Vec<Registered>,
    running: Vec<Running>,
    /// Results a long-running PUT or PATCH gives at its own URL, read once by its last GET.
    at_path: Vec<(String, Value)>,
}

/// The fake server: what is registered, and the operations in progress.
pub struct FakeServer {
    api_version: &'static str,
    rules: PathRules,
    page_size: std::sync::atomic::AtomicUsize,
    polls: std::sync::atomic::AtomicUsize,
    state: Mutex<State>,
}

/// A response of the fake: status, headers, JSON body (`Null`: none).
type Answer = (u16, Vec<(&'static str, String)>, Value);

/// The parts of a routed request a handler gets.
struct Incoming {
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Headers,
    body: Vec<u8>,
}

impl FakeServer {
    /// A server for `api_version`, checking path values with `rules` where a path lists none.
    pub fn new(api_version: &'static str, rules: PathRules) -> Arc<Self> {
        Arc::new(FakeServer {
            api_version,
            rules,
            page_size: 2.into(),
            polls: 2.into(),
            state: Mutex::new(State::default()),
        })
    }

    /// Items per page of a list (default 2).
    pub fn set_page_size(&self, items: usize) {
        self.page_size.store(items.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// `InProgress` polls before a long-running operation succeeds (default 2).
    pub fn set_polls(&self, polls: usize) {
        self.polls.store(polls, std::sync::atomic::Ordering::Relaxed);
    }

    /// The transport to put in the client's options.
    pub fn transport(self: &Arc<Self>) -> Transport {
        Transport::new(Arc::new(FakeTransport(Arc::clone(self))))
    }

    /// Registers (or replaces) the handler of `route`.
    pub fn on<B, T, F>(&self, route: Route, kind: FakeKind, handler: F)
    where
        B: 'static,
        T: serde::Serialize,
        F: Fn(&FakeRequest<B>) -> Result<T, FakeError> + Send + Sync + 'static,
    {
        let handler: Handler = Box::new(move |incoming: Incoming| {
            let request = FakeRequest {
                path: incoming.path,
                query: incoming.query,
                headers: incoming.headers,
                body: incoming.body,
                typed: PhantomData,
            };
            let result = handler(&request)?;
            super::json::answer_with(|| serde_json::to_value(result))
                .map_err(|e| FakeError::new(500, "FakeSerialization", &e.to_string()))
        });
        if let Ok(mut state) = self.state.lock() {
            state.handlers.retain(|r| !(r.route.method == route.method && std::ptr::eq(r.route.path, route.path)));
            state.handlers.push(Registered { route, kind, handler });
        }
    }

    fn answer(&self, request: &Request) -> Answer {
        let url = request.url();
        let origin = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
        let path = url.path().to_owned();
        let query: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let Ok(mut state) = self.state.lock() else { return error(500, "FakePoisoned", "a handler panicked") };
        if let Some(reply) = Self::poll(&mut state, &path) {
            return reply;
        }
        if request.method() == Method::Get
            && let Some(at) = state.at_path.iter().position(|(p, _)| *p == path)
        {
            return (200, Vec::new(), state.at_path.remove(at).1);
        }
        if !query.iter().any(|(k, v)| k == "api-version" && v == self.api_version) {
            return error(400, "InvalidApiVersion", &format!("`api-version` must be `{}`", self.api_version));
        }
        let matched = state.handlers.iter().enumerate().filter_map(|(i, r)| {
            let values = (r.route.method == request.method()).then(|| match_path(r.route.path.template(), &path)).flatten()?;
            r.route.constants.iter().all(|(k, v)| query.iter().any(|(qk, qv)| qk == k && qv == v)).then_some((i, values))
        });
        let Some((index, values)) = matched.max_by_key(|(i, _)| state.handlers[*i].route.constants.len()) else {
            let message = format!("no handler is registered for {} {path}", request.method());
            return error(404, "NoFakeHandler", &message);
        };
        let registered = &state.handlers[index];
        if let Err(e) = self.check(registered.route.path, &values) {
            return error(400, "InvalidParameter", &format!("{}: {e}", registered.route.name));
        }
        let (kind, route_success) = (registered.kind, registered.route.success);
        let body = azure_core::Bytes::from(request.body()).to_vec();
        let incoming = Incoming { path: values, query: query.clone(), headers: request.headers().clone(), body };
        let result = match (registered.handler)(incoming) {
            Ok(result) => result,
            Err(e) => return error(e.status, &e.code, &e.message),
        };
        let status = route_success.first().copied().unwrap_or(200);
        match kind {
            FakeKind::Call => (status, Vec::new(), result),
            FakeKind::List(items, next) => self.page(&origin, &path, &query, result, items, next),
            FakeKind::LongRunning => {
                let polls_left = self.polls.load(std::sync::atomic::Ordering::Relaxed);
                if matches!(request.method(), Method::Put | Method::Patch) {
                    state.at_path.push((path, result.clone()));
                }
                state.running.push(Running { polls_left, result });
                let id = state.running.len() - 1;
                let status = [202, 201, 200].into_iter().find(|s| route_success.contains(s)).unwrap_or(status);
                let headers = vec![
                    ("azure-asyncoperation", format!("{origin}/fakeOperations/{id}")),
                    ("location", format!("{origin}/fakeResults/{id}")),
                    ("retry-after-ms", "0".to_owned()),
                ];
                (status, headers, if status == 202 { Value::Null } else { json!({}) })
            }
        }
    }

    /// Status polls and final results of the long-running operations.
    fn poll(state: &mut State, path: &str) -> Option<Answer> {
        let (kind, id) = path.strip_prefix('/')?.split_once('/')?;
        let running = state.running.get_mut(id.parse::<usize>().ok()?)?;
        match kind {
            "fakeOperations" if running.polls_left > 0 => {
                running.polls_left -= 1;
                Some((200, vec![("retry-after-ms", "0".to_owned())], json!({ "status": "InProgress" })))
            }
            // The last status carries the result too, for operations that read it from there.
            "fakeOperations" => {
                let mut done = match &running.result {
                    Value::Object(fields) => fields.clone(),
                    _ => Map::new(),
                };
                done.insert("status".to_owned(), json!("Succeeded"));
                Some((200, Vec::new(), Value::Object(done)))
            }
            "fakeResults" => Some((200, Vec::new(), running.result.clone())),
            _ => None,
        }
    }

    /// Checks each path value as the client does, against the path's rules or the usual ones.
    fn check(&self, path: &Path, values: &[(&'static str, String)]) -> azure_core::Result<()> {
        for (i, (name, value)) in values.iter().enumerate() {
            let rule: Option<&Rule> = match path.rules {
                Some(rules) => rules.get(i).copied(),
                None => (self.rules)(name),
            };
            if let Some(rule) = rule {
                rule.check_segment(value)?;
            }
        }
        Ok(())
    }

    /// One page of `items` (a JSON array), linking to the next.
    fn page(
        &self,
        origin: &str,
        path: &str,
        query: &[(String, String)],
        items: Value,
        field: &'static str,
        next: Option<&'static str>,
    ) -> Answer {
        let items = match items {
            Value::Array(items) => items,
            other => vec![other],
        };
        let size = self.page_size.load(std::sync::atomic::Ordering::Relaxed);
        let page: usize = query.iter().find(|(k, _)| k == "fakePage").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        let chunk: Vec<Value> = items.iter().skip(page * size).take(size).cloned().collect();
        let mut body = Map::new();
        body.insert(field.to_owned(), Value::Array(chunk));
        if let Some(next) = next.filter(|_| (page + 1) * size < items.len()) {
            let mut link = url::Url::parse(&format!("{origin}{path}")).expect("the fake's own URL");
            link.query_pairs_mut().extend_pairs(query.iter().filter(|(k, _)| k != "fakePage"));
            link.query_pairs_mut().append_pair("fakePage", &(page + 1).to_string());
            body.insert(next.to_owned(), json!(link.as_str()));
        }
        (200, Vec::new(), Value::Object(body))
    }
}

/// The path's values by placeholder, decoded, if `path` fits `template` (segment names compared
/// as ARM does, without case).
fn match_path(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let (template, path): (Vec<&'static str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut values = Vec::new();
    for (expected, segment) in template.into_iter().zip(path) {
        match expected.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            Some(name) => values.push((name.trim_start_matches('+'), decode(segment)?)),
            None if expected.eq_ignore_ascii_case(segment) => {}
            None => return None,
        }
    }
    Some(values)
}

fn error(status: u16, code: &str, message: &str) -> Answer {
    (status, Vec::new(), json!({ "error": { "code": code, "message": message } }))
}

/// The server as an azure_core transport.
struct FakeTransport(Arc<FakeServer>);

impl std::fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeTransport")
    }
}

#[async_trait::async_trait]
impl HttpClient for FakeTransport {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let (status, extra, body) = self.0.answer(request);
        let mut headers = Headers::new();
        for (name, value) in extra {
            headers.insert(name, value);
        }
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            headers.insert("content-type", "application/json");
            serde_json::to_vec(&body).map_err(|e| invalid(format!("cannot serialize the fake's answer: {e}")))?
        };
        Ok(AsyncRawResponse::from_bytes(StatusCode::from(status), headers, bytes))
    }
}

/// A credential for the fake's client: a token that is never checked.
#[derive(Debug)]
pub struct FakeCredential;

#[async_trait::async_trait]
impl azure_core::credentials::TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        Ok(azure_core::credentials::AccessToken::new(azure_core::credentials::Secret::new("fake"), expires))
    }
}

/// `fakes!(BackendFake { on_get "Backend_Get" Get SERVICE_BACKENDS_ONE [] [200] () => models::BackendContract, Call; … })`:
/// each operation's typed registration: the handler gets the request with the operation's body
/// type and returns its result type (a list's items, a long-running operation's final result).
#[allow(unused_macros)]
macro_rules! fakes {
    ($fake:ident { $($on:ident $name:literal $method:ident $path:ident [$(($k:literal $v:literal))*] [$($code:literal)*] $body:ty => $out:ty, $kind:ident $(($($list:tt)*))?;)* }) => {
        impl $fake<'_> {$(
            #[doc = concat!("Answers `", $name, "` with `handler`'s result, replacing any handler it had.")]
            pub fn $on(
                &self,
                handler: impl Fn(&crate::runtime::FakeRequest<$body>) -> Result<$out, crate::runtime::FakeError> + Send + Sync + 'static,
            ) -> &Self {
                let route = crate::runtime::Route {
                    method: ::azure_core::http::Method::$method,
                    path: &crate::clients::paths::$path,
                    constants: &[$(($k, $v)),*],
                    success: &[$($code),*],
                    name: $name,
                };
                self.0.on(route, crate::runtime::FakeKind::$kind $(($($list)*))?, handler);
                self
            }
        )*}
    };
}
#[allow(unused_imports)]
pub(crate) use fakes;
