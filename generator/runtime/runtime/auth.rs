//! Authentication: the pipeline policy that adds a bearer token to every request.

use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, TokenCredential};
use azure_core::error::ErrorKind;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{Context, Request, Url};

/// Adds `Authorization: Bearer …`, reusing a token until five minutes before it expires.
/// Tokens go only over https, or to a loopback address (local test servers).
#[derive(Debug)]
pub(super) struct BearerAuth {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    cached: Mutex<Option<AccessToken>>,
}

impl BearerAuth {
    /// A policy asking `credential` for tokens for `scope` (`{endpoint}/.default`).
    pub(super) fn new(credential: Arc<dyn TokenCredential>, scope: String) -> Self {
        BearerAuth { credential, scope, cached: Mutex::new(None) }
    }

    async fn token(&self) -> azure_core::Result<String> {
        let fresh_until = azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::minutes(5);
        if let Ok(cached) = self.cached.lock()
            && let Some(token) = cached.as_ref().filter(|t| t.expires_on > fresh_until)
        {
            return Ok(token.token.secret().to_owned());
        }
        let token = self.credential.get_token(&[self.scope.as_str()], None).await?;
        let secret = token.token.secret().to_owned();
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some(token);
        }
        Ok(secret)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

#[async_trait::async_trait]
impl Policy for BearerAuth {
    async fn send(&self, ctx: &Context, request: &mut Request, next: &[Arc<dyn Policy>]) -> PolicyResult {
        if request.url().scheme() != "https" && !is_loopback(request.url()) {
            return Err(azure_core::Error::with_message(
                ErrorKind::Credential,
                "bearer tokens are only sent over https (or to a loopback address)",
            ));
        }
        let token = self.token().await?;
        request.insert_header("authorization", format!("Bearer {token}"));
        match next.split_first() {
            Some((policy, rest)) => policy.send(ctx, request, rest).await,
            None => Err(azure_core::Error::with_message(ErrorKind::Other, "the pipeline has no transport")),
        }
    }
}
