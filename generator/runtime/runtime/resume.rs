//! Resuming a long-running operation after a restart: each in-progress status carries a resume
//! token (the operation it belongs to, the URL to poll and the one the result comes from;
//! nothing secret), and a `resume_…` method rebuilds the poller from it, in any client for the
//! same endpoint, continuing to the same typed result.
//!
//! A token is checked before anything is sent: it must be this client's (`v1.` then base64url
//! JSON), of the method's operation, and point at the client's own endpoint, so a token can
//! never send the credential to another host.

use std::sync::Arc;

use azure_core::http::poller::PollerContinuation;
use azure_core::http::{ClientMethodOptions, Format, Poller, RawResponse, Response, Url};

use super::{Core, LroStatus, MethodOptions, invalid};

/// The response header a status carries its token in (added by the client, never sent).
const TOKEN_HEADER: &str = "x-client-resume-token";
const PREFIX: &str = "v1.";

/// The resume token of a long-running operation's status: pass it to the operation's
/// `resume_…` method to carry on polling, in this process or another. `None` once the operation
/// is done (there is nothing left to resume).
pub trait ResumeToken {
    /// The token, a printable string to store as it is.
    fn resume_token(&self) -> Option<String>;
}

impl<T, F: Format> ResumeToken for Response<LroStatus<T, F>> {
    fn resume_token(&self) -> Option<String> {
        self.headers().get_optional_string(&azure_core::http::headers::HeaderName::from_static(TOKEN_HEADER))
    }
}

/// The token of `operation` at `continuation`, in the status response it goes with.
pub(super) fn with_token(raw: RawResponse, operation: &str, continuation: &PollerContinuation) -> RawResponse {
    let PollerContinuation::Links { next_link, final_link } = continuation else { return raw };
    let token = serde_json::json!({
        "operation": operation,
        "next": next_link.as_str(),
        "final": final_link.as_ref().map(Url::as_str),
    });
    let token = format!("{PREFIX}{}", azure_core::base64::encode_url_safe(token.to_string()));
    let (status, mut headers, body) = raw.deconstruct();
    headers.insert(TOKEN_HEADER, token);
    RawResponse::from_bytes(status, headers, azure_core::Bytes::from(body))
}

/// Where polling continues, read back from a token of `operation`, both URLs on `core`'s
/// endpoint.
fn read_token(core: &Core, token: &str, operation: &str) -> azure_core::Result<PollerContinuation> {
    let not_a_token = || invalid("the text given is not a resume token of this client; nothing was sent".to_owned());
    let encoded = token.trim().strip_prefix(PREFIX).ok_or_else(not_a_token)?;
    let json = azure_core::base64::decode_url_safe(encoded).map_err(|_| not_a_token())?;
    let value: serde_json::Value = serde_json::from_slice(&json).map_err(|_| not_a_token())?;
    let field = |name: &str| value.get(name).and_then(serde_json::Value::as_str);
    let of = field("operation").ok_or_else(not_a_token)?;
    if of != operation {
        return Err(invalid(format!("the resume token is of `{of}`, not `{operation}`; nothing was sent")));
    }
    let next_link = on_endpoint(core, field("next").ok_or_else(not_a_token)?)?;
    let final_link = field("final").map(|link| on_endpoint(core, link)).transpose()?;
    Ok(PollerContinuation::Links { next_link, final_link })
}

/// `link` as a URL on the client's own endpoint (scheme, host and port), else an error.
fn on_endpoint(core: &Core, link: &str) -> azure_core::Result<Url> {
    let url = Url::parse(link).map_err(|e| invalid(format!("the resume token has an invalid URL: {e}; nothing was sent")))?;
    if url.origin() != core.endpoint.origin() {
        return Err(invalid(format!(
            "the resume token points at `{}`, not this client's endpoint `{}`; nothing was sent",
            url.origin().ascii_serialization(),
            core.endpoint.origin().ascii_serialization()
        )));
    }
    Ok(url)
}

impl Core {
    /// The poller of `operation` (the `begin_…` method's span name, which its tokens carry),
    /// continuing from `token`: validated first, so a bad token is an error and sends nothing.
    pub fn resume<'a, O, T, F>(
        self: &Arc<Self>,
        token: &str,
        options: Option<O>,
        operation: &'static str,
    ) -> azure_core::Result<Poller<LroStatus<T, F>>>
    where
        O: MethodOptions<'a>,
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let continuation = read_token(self, token, operation)?;
        let options = match options {
            Some(options) => options.into_inner(),
            None => ClientMethodOptions::default(),
        };
        let options = self.traced(O::API, options);
        self.continue_poller(continuation, options, operation)
    }
}
