//! [`Tokens`]: API tokens, stored only as hashes and bound to a driver.

use std::future::Future;

use crate::error::Result;

/// Storing, checking and revoking API tokens.
pub trait Tokens: Send + Sync {
    /// Binds an API token, given as a hash (never the token itself), to a driver (created if
    /// new). Storing the same hash again keeps its first binding.
    fn create_token(
        &self,
        driver: &str,
        hash: &[u8],
        at_ms: u64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The driver a token hash belongs to, unless unknown or revoked.
    fn driver_for_token(&self, hash: &[u8]) -> impl Future<Output = Result<Option<String>>> + Send;

    /// Revokes a token. Returns whether it was active.
    fn revoke_token(&self, hash: &[u8], at_ms: u64) -> impl Future<Output = Result<bool>> + Send;
}
