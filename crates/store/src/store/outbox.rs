//! [`Outbox`]: the upload queue that [`SessionWrites`](crate::SessionWrites) fill when given
//! [`Upload::Queue`](crate::Upload::Queue), read and acknowledged by the uploader.

use std::future::Future;

use crate::error::Result;
use crate::types::{OutboxStatus, PendingUpload, UploadFailure};

/// The upload outbox: what waits to be sent to a remote server, and how sending went.
pub trait Outbox: Send + Sync {
    /// The oldest items of the upload outbox (sessions before their laps), up to `limit`.
    fn pending_uploads(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<PendingUpload>>> + Send;

    /// Removes items the server acknowledged (`acknowledged`), or counts a failed attempt
    /// for each.
    fn finish_uploads(
        &self,
        items: &[PendingUpload],
        acknowledged: bool,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Counts a failed attempt for each item, recording why (`reason`) and when.
    fn fail_uploads(
        &self,
        items: &[PendingUpload],
        reason: &str,
        at_ms: u64,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The last failure of each session with queued items that failed, latest first, up to
    /// `limit` sessions.
    fn upload_failures(
        &self,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<UploadFailure>>> + Send;

    /// How many items wait for upload, and since when.
    fn outbox_status(&self) -> impl Future<Output = Result<OutboxStatus>> + Send;
}
