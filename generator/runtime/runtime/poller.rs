//! Long-running operations (`x-ms-long-running-operation`): the poller that sends the initial
//! request once, polls the status until the operation ends, and fetches the final result.

use std::sync::{Arc, Mutex};

use azure_core::error::ErrorKind;
use azure_core::http::poller::{
    PollerContinuation, PollerOptions, PollerResult, PollerState, PollerStatus, StatusMonitor,
};
use azure_core::http::{
    ClientMethodOptions, Context, Format, JsonFormat, Method, Poller, RawResponse, Request, Response, Url,
};

use super::http::RawCall;
use super::resume::with_token;
use super::{Core, MethodOptions, Req, invalid};

/// Where the final result of a long-running operation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalState {
    /// GET the original request URL (PUT and PATCH).
    OriginalUri,
    /// GET the `Location` URL of the first response, when there is one (POST and DELETE).
    Location,
    /// The last status response itself.
    LastStatus,
}

/// The status of a long-running operation, read from any ARM polling response: the
/// `Azure-AsyncOperation` body's `status`, or a resource's `properties.provisioningState`.
pub struct LroStatus<T, F = JsonFormat> {
    status: PollerStatus,
    marker: std::marker::PhantomData<fn() -> (T, F)>,
}

impl<T, F> std::fmt::Debug for LroStatus<T, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LroStatus").field("status", &self.status).finish()
    }
}

impl<T, F> LroStatus<T, F> {
    fn from_body(body: &[u8]) -> Self {
        Self::from_value(&serde_json::from_slice(body).unwrap_or_default())
    }

    fn from_value(value: &serde_json::Value) -> Self {
        let text = value
            .get("status")
            .or_else(|| value.pointer("/properties/provisioningState"))
            .and_then(serde_json::Value::as_str);
        // A body without a status is a finished resource (or nothing at all).
        let status = text.map_or(PollerStatus::Succeeded, PollerStatus::from);
        LroStatus { status, marker: std::marker::PhantomData }
    }

    /// The operation's status.
    pub fn status(&self) -> &PollerStatus {
        &self.status
    }
}

impl<'de, T, F> serde::Deserialize<'de> for LroStatus<T, F> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        Ok(LroStatus::from_value(&value))
    }
}

impl<T, F: Format + Send> StatusMonitor for LroStatus<T, F> {
    type Output = T;
    type Format = F;
    fn status(&self) -> PollerStatus {
        self.status.clone()
    }
}

impl Core {
    /// Sends the initial request exactly once, then polls `Azure-AsyncOperation`, else
    /// `Location`, else the resource itself, honouring `Retry-After`; `Failed` and `Canceled`
    /// end in an error carrying the service's error body.
    pub fn poller<'a, O: MethodOptions<'a>, T, F>(
        self: &Arc<Self>,
        req: Req,
        options: O,
        success: &'static [u16],
        final_state: FinalState,
    ) -> azure_core::Result<Poller<LroStatus<T, F>>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let options = self.traced(O::API, options.into_inner());
        self.start_poller(req, options, success, final_state, O::API)
    }

    /// [`Core::poller`] once the options are the call's traced context; `operation` names the
    /// operation in its resume tokens.
    pub(super) fn start_poller<T, F>(
        self: &Arc<Self>,
        req: Req,
        options: ClientMethodOptions<'_>,
        success: &'static [u16],
        final_state: FinalState,
        operation: &'static str,
    ) -> azure_core::Result<Poller<LroStatus<T, F>>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let polls = Polls {
            core: Arc::clone(self),
            initial: Mutex::new(Some(req.request?)),
            resume: Mutex::new(None),
            success,
            final_state,
            operation,
        };
        Ok(self.poll(polls, options))
    }

    /// A poller that starts where a resume token left off: no initial request.
    pub(super) fn continue_poller<T, F>(
        self: &Arc<Self>,
        continuation: PollerContinuation,
        options: ClientMethodOptions<'_>,
        operation: &'static str,
    ) -> azure_core::Result<Poller<LroStatus<T, F>>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let polls = Polls {
            core: Arc::clone(self),
            initial: Mutex::new(None),
            resume: Mutex::new(Some(continuation)),
            success: &[],
            // The token's final link already says where the result comes from.
            final_state: FinalState::LastStatus,
            operation,
        };
        Ok(self.poll(polls, options))
    }

    fn poll<T, F>(&self, polls: Polls, options: ClientMethodOptions<'_>) -> Poller<LroStatus<T, F>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let polls = Arc::new(polls);
        let options = PollerOptions { context: options.context.into_owned(), ..PollerOptions::default() };
        // Only typing the raw responses depends on `T` and `F`: the polling itself is compiled once.
        Poller::new(
            move |state: PollerState, options: PollerOptions<'static>| {
                let polls = Arc::clone(&polls);
                let context = options.context.clone();
                let step = Polls::step(Arc::clone(&polls), state, options);
                Box::pin(async move {
                    Ok(match step.await? {
                        Step::InProgress { raw, retry_after, continuation } => {
                            let raw = with_token(raw, polls.operation, &continuation);
                            PollerResult::InProgress { response: raw.into(), retry_after, continuation }
                        }
                        Step::Done { raw, final_link } => {
                            let last = raw.clone();
                            let target = Box::new(move || -> FinalResult<T, F> {
                                let fetch = polls.final_result(final_link, last, context);
                                Box::pin(async move { fetch.await.map(Response::from) })
                            });
                            PollerResult::Succeeded { response: raw.into(), target }
                        }
                    })
                })
            },
            Some(options),
        )
    }

    /// `Retry-After` (seconds, or an HTTP date) or `retry-after-ms`, else the client's interval.
    fn retry_after(&self, raw: &RawResponse) -> azure_core::time::Duration {
        let headers = raw.headers();
        let get = |name: &'static str| headers.get_optional_str(&azure_core::http::headers::HeaderName::from_static(name));
        let millis = get("retry-after-ms").or_else(|| get("x-ms-retry-after-ms")).and_then(|v| v.trim().parse::<i64>().ok());
        if let Some(ms) = millis {
            return azure_core::time::Duration::milliseconds(ms.max(0));
        }
        if let Some(value) = get("retry-after") {
            if let Ok(seconds) = value.trim().parse::<i64>() {
                return azure_core::time::Duration::seconds(seconds.max(0));
            }
            if let Ok(when) = azure_core::time::parse_rfc7231(value) {
                return (when - azure_core::time::OffsetDateTime::now_utc()).max(azure_core::time::Duration::ZERO);
            }
        }
        azure_core::time::Duration::try_from(self.poll_interval).unwrap_or(azure_core::time::Duration::seconds(30))
    }
}

/// What fetching the final result of a long-running operation yields.
type FinalResult<T, F> =
    std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<Response<T, F>>> + Send>>;

/// What a poller polls with: the initial request (sent once), its success codes, and where the
/// final result comes from.
struct Polls {
    core: Arc<Core>,
    initial: Mutex<Option<Request>>,
    /// Where a resumed poller starts instead of sending `initial`.
    resume: Mutex<Option<PollerContinuation>>,
    success: &'static [u16],
    final_state: FinalState,
    /// The operation its resume tokens name.
    operation: &'static str,
}

/// One poll's outcome, before its response is typed.
enum Step {
    InProgress { raw: RawResponse, retry_after: azure_core::time::Duration, continuation: PollerContinuation },
    Done { raw: RawResponse, final_link: Option<Url> },
}

type RawStep = std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<Step>> + Send>>;

impl Polls {
    /// Sends the initial request or polls the status URL; `Failed` and `Canceled` are errors.
    fn step(polls: Arc<Self>, state: PollerState, options: PollerOptions<'static>) -> RawStep {
        let resumed = matches!(state, PollerState::Initial).then(|| polls.resume.lock().ok()?.take()).flatten();
        let state = resumed.map_or(state, PollerState::More);
        Box::pin(async move {
            let core = &polls.core;
            let (raw, final_link) = match state {
                PollerState::Initial => {
                    let request = polls.initial.lock().ok().and_then(|mut r| r.take());
                    let request = request.ok_or_else(|| invalid("the initial request was already sent".to_owned()))?;
                    let original = request.url().clone();
                    let creates_resource = matches!(request.method(), Method::Put | Method::Patch);
                    let raw = core.send_raw(&options.context, request, polls.success).await?;
                    let location = location(&raw).map(|l| core.follow(&l)).transpose()?.map(|r| r.url().clone());
                    // PUT and PATCH end with their resource, unless the spec says `location` and there is one.
                    let final_link = match polls.final_state {
                        FinalState::Location if location.is_some() => location.clone(),
                        FinalState::OriginalUri => Some(original.clone()),
                        _ if creates_resource => Some(original.clone()),
                        _ => None,
                    };
                    // `Azure-AsyncOperation` always wins; `Location` on 202; a PUT or PATCH
                    // still provisioning is polled at its own URL.
                    let next = match async_link(&raw) {
                        Some(link) => Some(core.follow(&link)?.url().clone()),
                        None if raw.status() == 202 => location,
                        None if creates_resource && !is_terminal(&raw) => Some(original),
                        None => None,
                    };
                    match next {
                        Some(next_link) => {
                            let retry_after = core.retry_after(&raw);
                            let continuation = PollerContinuation::Links { next_link, final_link };
                            return Ok(Step::InProgress { raw, retry_after, continuation });
                        }
                        None if raw.status() == 202 => {
                            return Err(invalid("the service accepted the operation but gave no URL to poll".to_owned()));
                        }
                        None => (raw, None),
                    }
                }
                PollerState::More(PollerContinuation::Links { next_link, final_link }) => {
                    let raw = core.send_raw(&options.context, core.follow(next_link.as_str())?, &[200, 201, 202, 204]).await?;
                    let status = status_of(raw.body());
                    let in_progress = raw.status() == 202 || !matches!(status, PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled);
                    if in_progress {
                        let next = status_link(&raw).map(|l| core.follow(&l)).transpose()?.map(|r| r.url().clone());
                        let retry_after = core.retry_after(&raw);
                        let continuation = PollerContinuation::Links { next_link: next.unwrap_or(next_link), final_link };
                        return Ok(Step::InProgress { raw, retry_after, continuation });
                    }
                    // The URL just polled already answered with the result: no second GET.
                    (raw, final_link.filter(|url| *url != next_link))
                }
                PollerState::More(_) => return Err(invalid("unexpected poller continuation".to_owned())),
            };
            let status = status_of(raw.body());
            if matches!(status, PollerStatus::Failed | PollerStatus::Canceled) {
                return Err(operation_failed(raw, &status));
            }
            Ok(Step::Done { raw, final_link })
        })
    }

    /// The final result: fetched from `final_link`, or the last status response itself.
    fn final_result(&self, final_link: Option<Url>, last: RawResponse, context: Context<'static>) -> RawCall<'static> {
        let core = Arc::clone(&self.core);
        Box::pin(async move {
            let Some(url) = final_link else { return Ok(last) };
            let mut request = Request::new(url, Method::Get);
            request.insert_header("accept", "application/json");
            core.send_raw(&context, request, &[200, 201, 204]).await
        })
    }
}

/// The status a long-running operation's response body reports.
fn status_of(body: &[u8]) -> PollerStatus {
    LroStatus::<(), JsonFormat>::from_body(body).status
}

fn location(raw: &RawResponse) -> Option<String> {
    raw.headers().get_optional_string(&azure_core::http::headers::HeaderName::from_static("location"))
}

/// The URL to poll: `Azure-AsyncOperation` (or `Operation-Location`), else `Location`.
fn status_link(raw: &RawResponse) -> Option<String> {
    async_link(raw).or_else(|| location(raw))
}

fn async_link(raw: &RawResponse) -> Option<String> {
    let headers = raw.headers();
    ["azure-asyncoperation", "operation-location"]
        .into_iter()
        .find_map(|name| headers.get_optional_string(&azure_core::http::headers::HeaderName::from_static(name)))
}

fn is_terminal(raw: &RawResponse) -> bool {
    let status = LroStatus::<(), JsonFormat>::from_body(raw.body()).status;
    matches!(status, PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled)
}

/// `Failed`/`Canceled` as an error with the service's `error` (top level or under `properties`).
fn operation_failed(raw: RawResponse, status: &PollerStatus) -> azure_core::Error {
    let body: serde_json::Value = serde_json::from_slice(raw.body()).unwrap_or_default();
    let error = body.get("error").or_else(|| body.pointer("/properties/error"));
    let field = |name: &str| error.and_then(|e| e.get(name)).and_then(serde_json::Value::as_str).map(str::to_owned);
    let (code, message) = (field("code"), field("message"));
    let state = match status {
        PollerStatus::Canceled => "was canceled",
        _ => "failed",
    };
    let text = match (&code, &message) {
        (Some(code), Some(message)) => format!("the long-running operation {state}: {code}: {message}"),
        (Some(code), None) => format!("the long-running operation {state}: {code}"),
        (None, Some(message)) => format!("the long-running operation {state}: {message}"),
        (None, None) => format!("the long-running operation {state}"),
    };
    let kind = ErrorKind::HttpResponse { status: raw.status(), error_code: code, raw_response: Some(Box::new(raw)) };
    azure_core::Error::with_message(kind, text)
}
