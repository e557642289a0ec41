//! What every scenario test needs: the mock server's endpoint, a credential that never leaves
//! the machine, and the values the scenarios expect.

use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use std::sync::Arc;

pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
pub const RESOURCE_GROUP: &str = "test-rg";

/// The mock server `cargo xtask spector` started (loopback).
pub fn endpoint() -> String {
    std::env::var("SPECTOR_ENDPOINT").expect("SPECTOR_ENDPOINT: run these through `cargo xtask spector`")
}

#[derive(Debug)]
struct FakeCredential;

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(&self, _: &[&str], _: Option<TokenRequestOptions<'_>>) -> azure_core::Result<AccessToken> {
        let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        Ok(AccessToken::new(Secret::new("spector-token"), expires))
    }
}

pub fn credential() -> Arc<dyn TokenCredential> {
    Arc::new(FakeCredential)
}

/// Quick polling: the mock's long-running operations finish at once.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(10);

/// A client (`$client`, with options `$options`, of crate `$krate`) for the mock server, with
/// the scenario's subscription.
#[macro_export]
macro_rules! client {
    ($krate:ident, $client:ident, $options:ident) => {
        $krate::$client::new(
            $crate::support::SUBSCRIPTION,
            $crate::support::credential(),
            Some($krate::$options {
                endpoint: $crate::support::endpoint(),
                poll_interval: $crate::support::POLL,
                ..Default::default()
            }),
        )
        .expect("a client for the Spector server")
    };
}
