//! The client core every sub-client shares: building a request ([`Req`]), sending it with the
//! operation's success codes ([`Call`]), and reading typed response headers and error bodies.
//!
//! Generated methods stay a few lines each by calling these: validation and URL building, query
//! and header encoding, sending with the operation's success codes, paging and polling.

use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use azure_core::error::ErrorKind;
use azure_core::http::pager::PagerOptions;
use azure_core::http::policies::Policy;
use azure_core::http::{
    Body, ClientMethodOptions, ClientOptions, Context, Method, Pipeline, PipelineSendOptions, RawResponse, Request,
    Response, Url,
};

use super::auth::BearerAuth;
use super::validate::encode_segment;
use super::options::Tracing;
use super::{MethodOptions, Path, PathRules, QueryValue, Rule, date_time, invalid};

/// What a method that sends one request returns: `.await` it for the typed response. Each
/// generated method is then a plain function, and the one future behind every call is compiled
/// once, not once per method or per response type.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T> {
    sent: RawCall<'a>,
    typed: std::marker::PhantomData<fn() -> T>,
}

pub(super) type RawCall<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<RawResponse>> + Send + 'a>>;

impl<T: From<RawResponse>> std::future::Future for Call<'_, T> {
    type Output = azure_core::Result<T>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        self.sent.as_mut().poll(cx).map(|sent| sent.map(T::from))
    }
}

impl<T> Call<'_, T> {
    /// A call that fails with `error` when awaited, having sent nothing.
    pub(super) fn failed(error: azure_core::Error) -> Self {
        Call { sent: Box::pin(std::future::ready(Err(error))), typed: std::marker::PhantomData }
    }
}

impl<T> std::fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

/// `sub_clients!(ApiManagementClient { backend => BackendClient "Backend", … })`: the main
/// client's accessors, one per operation group, each handing out an owned sub-client that shares
/// the client's pipeline.
#[allow(unused_macros)]
macro_rules! sub_clients {
    ($client:ident { $($accessor:ident => $sub:ident $wire:literal),* $(,)? }) => {
        impl $client {
            $(
                #[doc = concat!("The `", $wire, "` operations.")]
                pub fn $accessor(&self) -> $sub {
                    $sub { core: ::std::sync::Arc::clone(&self.core) }
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use sub_clients;

/// `groups!(backend, …)`: one module per operation group (`clients/backend.rs`), its types
/// re-exported from `clients`.
#[allow(unused_macros)]
macro_rules! groups {
    ($($group:ident),* $(,)?) => {
        $(mod $group; pub use $group::*;)*
    };
}
#[allow(unused_imports)]
pub(crate) use groups;

/// The state every sub-client of one client shares: endpoint, `api-version`, pipeline, and the
/// client-level path values (`subscriptionId`).
#[derive(Debug)]
pub struct Core {
    pub(super) endpoint: Url,
    api_version: String,
    pipeline: Pipeline,
    pub(super) poll_interval: std::time::Duration,
    client_values: Vec<(&'static Rule, String)>,
    path_rules: PathRules,
    tracing: Tracing,
}

/// The client-wide settings a generated client passes to [`Core::new`].
#[derive(Debug)]
pub struct CoreOptions {
    /// The crate name and version, for the `User-Agent` header.
    pub crate_name: &'static str,
    pub crate_version: &'static str,
    /// The resource provider (`Microsoft.ApiManagement`), for spans' `az.namespace`.
    pub namespace: Option<&'static str>,
    pub endpoint: String,
    pub api_version: String,
    pub client_options: ClientOptions,
    /// How long to wait between polls of a long-running operation without `Retry-After`.
    pub poll_interval: std::time::Duration,
    /// The value of each client-level path parameter, by its rule (a static of its own).
    pub client_values: Vec<(&'static Rule, String)>,
    /// Each path placeholder's usual rule.
    pub path_rules: PathRules,
}

impl Core {
    /// Builds the pipeline with bearer-token authentication for `{endpoint}/.default`.
    pub fn new(credential: Arc<dyn TokenCredential>, options: CoreOptions) -> azure_core::Result<Arc<Self>> {
        let endpoint: Url = options.endpoint.parse().map_err(|e| {
            invalid(format!("the endpoint `{}` is not a valid URL: {e}", options.endpoint))
        })?;
        if !matches!(endpoint.scheme(), "https" | "http") {
            return Err(invalid(format!("the endpoint `{endpoint}` must be an http(s) URL")));
        }
        let scope = format!("{}/.default", options.endpoint.trim_end_matches('/'));
        let auth: Arc<dyn Policy> = Arc::new(BearerAuth::new(credential, scope));
        let tracing = Tracing::new(&options.client_options, options.namespace, options.crate_name, options.crate_version);
        let pipeline = Pipeline::new(
            Some(options.crate_name),
            Some(options.crate_version),
            options.client_options,
            Vec::new(),
            vec![auth],
            None,
        );
        Ok(Arc::new(Core {
            endpoint,
            api_version: options.api_version,
            pipeline,
            poll_interval: options.poll_interval,
            client_values: options.client_values,
            path_rules: options.path_rules,
            tracing,
        }))
    }

    /// The service endpoint.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The client's own value of a client-level path placeholder (`subscriptionId`).
    pub(super) fn client_value(&self, placeholder: &str) -> Option<&str> {
        self.client_values.iter().find(|(rule, _)| rule.name == placeholder).map(|(_, value)| value.as_str())
    }

    /// Starts a request: validates the path values (`args` for the method's placeholders, the
    /// client's own for client-level ones), encodes each as exactly one segment, and adds
    /// `api-version`. An invalid value is kept in the request and fails the call.
    pub fn request(&self, method: Method, path: &Path, args: &[&str]) -> Req {
        Req { request: self.build(method, path, args) }
    }

    /// Starts a GET request (see [`Core::request`]).
    pub fn get(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Get, path, args)
    }

    /// Starts a PUT request (see [`Core::request`]).
    pub fn put(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Put, path, args)
    }

    /// Starts a POST request (see [`Core::request`]).
    pub fn post(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Post, path, args)
    }

    /// Starts a PATCH request (see [`Core::request`]).
    pub fn patch(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Patch, path, args)
    }

    /// Starts a DELETE request (see [`Core::request`]).
    pub fn delete(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Delete, path, args)
    }

    /// Starts a HEAD request (see [`Core::request`]).
    pub fn head(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Head, path, args)
    }

    fn build(&self, method: Method, path: &Path, args: &[&str]) -> azure_core::Result<Request> {
        let template = path.template;
        let mut url = self.endpoint.as_str().trim_end_matches('/').to_owned();
        let mut listed = path.rules.map(|rules| rules.iter());
        let mut args = args.iter();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let placeholder = rest.get(open + 1..close).unwrap_or("");
            // `{+name}`: the value spans segments (an ARM id) and keeps its `/`.
            let (name, reserved) = match placeholder.strip_prefix('+') {
                Some(name) => (name, true),
                None => (placeholder, false),
            };
            let rule = match &mut listed {
                Some(rules) => rules.next().copied(),
                None => (self.path_rules)(name),
            };
            let value = rule.and_then(|rule| {
                let client = self.client_values.iter().find(|(r, _)| std::ptr::eq(*r, rule));
                client.map(|(_, v)| v.as_str()).or_else(|| args.next().copied()).map(|v| (rule, v))
            });
            let Some((rule, value)) = value else {
                return Err(invalid(format!("no value for `{{{name}}}`")));
            };
            if reserved {
                // The template already has the `/` an ARM id starts with; an empty scope (the
                // tenant) leaves the template's `/` alone.
                let value = if url.ends_with('/') { value.trim_start_matches('/') } else { value };
                if value.is_empty() && url.ends_with('/') {
                    url.pop();
                }
                for (i, segment) in value.split('/').enumerate().filter(|_| !value.is_empty()) {
                    rule.check_segment(segment)?;
                    if i > 0 {
                        url.push('/');
                    }
                    encode_segment(segment, &mut url);
                }
            } else {
                rule.check_segment(value)?;
                encode_segment(value, &mut url);
            }
            rest = rest.get(close + 1..).unwrap_or("");
        }
        url.push_str(rest);
        let mut url: Url = url.parse().map_err(|e| invalid(format!("cannot build a URL from `{template}`: {e}")))?;
        url.query_pairs_mut().append_pair("api-version", &self.api_version);
        let mut request = Request::new(url, method);
        request.insert_header("accept", "application/json");
        Ok(request)
    }

    /// Sends a request; a status outside `success` becomes an error carrying the ARM error.
    pub fn send<'a, O: MethodOptions<'a>, T: 'a, F: 'a>(
        &'a self,
        req: Req,
        options: O,
        success: &'static [u16],
    ) -> Call<'a, Response<T, F>> {
        let options = self.traced(O::API, options.into_inner());
        Call { sent: self.send_boxed(req, options, success), typed: std::marker::PhantomData }
    }

    /// [`Core::send`] for a method whose options are only the call's context.
    pub fn call<'a, O: MethodOptions<'a>, T: 'a, F: 'a>(
        &'a self,
        req: Req,
        options: Option<O>,
        success: &'static [u16],
    ) -> Call<'a, Response<T, F>> {
        // Not `unwrap_or_default`: that would compile each options type's `Default` too.
        let options = match options {
            Some(options) => options.into_inner(),
            None => ClientMethodOptions::default(),
        };
        let options = self.traced(O::API, options);
        Call { sent: self.send_boxed(req, options, success), typed: std::marker::PhantomData }
    }

    /// Not generic, so not compiled once per response type (an async block in `send` would be).
    fn send_boxed<'a>(&'a self, req: Req, options: ClientMethodOptions<'a>, success: &'static [u16]) -> RawCall<'a> {
        Box::pin(async move { self.send_raw(&options.context, req.request?, success).await })
    }

    /// The method's context with its span name and the client's tracer, when tracing is on.
    pub(super) fn traced<'a>(&self, api: &'static str, options: ClientMethodOptions<'a>) -> ClientMethodOptions<'a> {
        self.tracing.call(api, options)
    }

    /// [`Core::traced`] for a list method's options.
    pub(super) fn traced_list<'a>(&self, api: &'static str, options: PagerOptions<'a>) -> PagerOptions<'a> {
        self.tracing.list(api, options)
    }

    pub(super) async fn send_raw(&self, context: &Context<'_>, mut request: Request, success: &'static [u16]) -> azure_core::Result<RawResponse> {
        let options = PipelineSendOptions {
            check_success: azure_core::error::CheckSuccessOptions { success_codes: success },
            ..PipelineSendOptions::default()
        };
        self.pipeline.send(context, &mut request, Some(options)).await
    }

    /// A GET of a URL the service returned (next page, operation status), which must stay on
    /// the endpoint's origin: the bearer token is never sent elsewhere.
    pub(super) fn follow(&self, link: &str) -> azure_core::Result<Request> {
        let url = self.endpoint.join(link).map_err(|e| invalid(format!("the service returned an invalid link `{link}`: {e}")))?;
        if url.origin() != self.endpoint.origin() {
            return Err(invalid(format!("the service returned a link to another host (`{url}`); not following it")));
        }
        let mut url = url;
        if !url.query_pairs().any(|(k, _)| k == "api-version") {
            url.query_pairs_mut().append_pair("api-version", &self.api_version);
        }
        let mut request = Request::new(url, Method::Get);
        request.insert_header("accept", "application/json");
        Ok(request)
    }
}

/// A request being built. The first invalid value is kept and fails the call, so the methods
/// building it need no `?` of their own.
#[derive(Debug)]
pub struct Req {
    pub(super) request: azure_core::Result<Request>,
}

impl Req {
    fn with(&mut self, step: impl FnOnce(&mut Request) -> azure_core::Result<()>) {
        if let Ok(request) = &mut self.request
            && let Err(error) = step(request)
        {
            self.request = Err(error);
        }
    }

    /// Adds a query parameter (left out when `None`), checked against `rule`.
    pub fn query(&mut self, rule: &Rule, value: impl QueryValue) {
        self.with(|request| {
            if let Some(text) = value.render(rule)? {
                request.url_mut().query_pairs_mut().append_pair(rule.name, &text);
            }
            Ok(())
        })
    }

    /// Adds a query pair the path itself fixes (`x-ms-paths`: `/items?op=export`).
    pub fn constant(&mut self, name: &'static str, value: &'static str) {
        self.with(|request| {
            request.url_mut().query_pairs_mut().append_pair(name, value);
            Ok(())
        })
    }

    /// Adds a header, rendered as a query value is (left out when `None`); `name` must be
    /// lowercase.
    pub fn header(&mut self, name: &'static str, value: impl QueryValue) {
        self.with(|request| {
            if let Some(text) = value.render(&Rule::new(name))? {
                request.insert_header(name, text);
            }
            Ok(())
        })
    }

    /// Sets the `Accept` header when the operation answers with more than JSON.
    pub fn accept(&mut self, media: &'static str) {
        self.header("accept", Some(media.to_owned()))
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        self.json_bytes(content_type, serde_json::to_vec(body));
    }

    /// Sets the body of a `RequestContent` (`content.body()`: a model serialized when the
    /// content was made, or raw bytes). Borrowed, so a method can still hand its options on; the
    /// bytes are shared, not copied. Not generic, so compiled once.
    pub fn content(&mut self, content_type: &'static str, body: &Body) {
        let body = body.clone();
        self.with(|request| {
            request.insert_header("content-type", content_type);
            request.set_body(body);
            Ok(())
        })
    }

    fn json_bytes(&mut self, content_type: &'static str, bytes: serde_json::Result<Vec<u8>>) {
        self.with(|request| {
            let bytes = bytes.map_err(|e| invalid(format!("cannot serialize the request body: {e}")))?;
            request.insert_header("content-type", content_type);
            request.set_body(bytes);
            Ok(())
        })
    }

    /// Sets a body that is not JSON (`application/octet-stream`, `text/plain`…).
    pub fn bytes(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.with(|request| {
            request.insert_header("content-type", content_type);
            request.set_body(body);
            Ok(())
        })
    }

    /// The request as built, or the first invalid value.
    pub fn finish(self) -> azure_core::Result<Request> {
        self.request
    }
}

// Responses: typed headers and typed errors

/// A response header value type.
pub trait FromHeader: Sized {
    /// Parses the header text.
    fn from_header(text: &str) -> Option<Self>;
}

impl FromHeader for String {
    fn from_header(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl FromHeader for i64 {
    fn from_header(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
}

impl FromHeader for bool {
    fn from_header(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
}

impl FromHeader for time::OffsetDateTime {
    fn from_header(text: &str) -> Option<Self> {
        azure_core::time::parse_rfc7231(text).ok().or_else(|| date_time::parse(text).ok())
    }
}

/// Reads a declared response header: `Ok(None)` when absent, an error when malformed.
pub fn header<T: FromHeader>(headers: &azure_core::http::headers::Headers, name: &'static str) -> azure_core::Result<Option<T>> {
    let key = azure_core::http::headers::HeaderName::from_static(name);
    match headers.get_optional_str(&key) {
        None => Ok(None),
        Some(text) => T::from_header(text)
            .map(Some)
            .ok_or_else(|| invalid(format!("the response header `{name}` has an unexpected value `{text}`"))),
    }
}

/// `response_headers!(BackendContractHeaders for Response<models::BackendContract> { etag: String = "etag" }; …)`:
/// each typed-header trait's impl, every method one [`header`] read. One call per file, so a
/// header costs a few words rather than a function's lines.
#[allow(unused_macros)]
macro_rules! response_headers {
    ($($headers:ident for $response:ty { $($name:ident: $t:ty = $wire:literal),* });+ $(;)?) => {$(
        impl $headers for $response {$(
            fn $name(&self) -> ::azure_core::Result<Option<$t>> {
                $crate::runtime::header(self.headers(), $wire)
            }
        )*}
    )+};
}
#[allow(unused_imports)]
pub(crate) use response_headers;

/// The typed error body of a failed call (`ErrorResponse` in ARM specs), if the error came from
/// the service and its body parses.
pub fn error_body<T: serde::de::DeserializeOwned>(error: &azure_core::Error) -> Option<T> {
    match error.kind() {
        ErrorKind::HttpResponse { raw_response: Some(raw), .. } => serde_json::from_slice(raw.body()).ok(),
        _ => None,
    }
}
