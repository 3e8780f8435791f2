//! [`SessionWrites`]: storing sessions and laps as the detector or an import delivers them,
//! each write optionally queueing what it stored for upload in the same transaction.

use std::future::Future;

use pitwall_core::model::{Conditions, Lap, SessionId, SessionInfo};

use crate::error::Result;
use crate::types::{ImportOutcome, SessionWithLaps, Upload};

/// Writes of sessions and laps. With [`Upload::Queue`], what a write stored is queued for
/// upload (see [`Outbox`](crate::Outbox)) in the same transaction, so a stored lap is never
/// forgotten by the uploader whatever happens to the process.
pub trait SessionWrites: Send + Sync {
    /// Stores a session that started (and its driver, if new). Returns whether it was new.
    /// With [`Upload::Queue`], queues the session for upload (new or not).
    fn upsert_session(
        &self,
        info: &SessionInfo,
        upload: Upload,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Records when a session ended. Returns whether the session exists. With
    /// [`Upload::Queue`], queues the session (its end) for upload when it exists.
    fn end_session(
        &self,
        id: SessionId,
        at_ms: u64,
        upload: Upload,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Records the conditions at a session's start, when they became known only after it was
    /// stored (the physics page came alive a moment later). Keeps conditions already stored.
    /// Returns whether it changed anything.
    fn set_conditions(
        &self,
        id: SessionId,
        conditions: &Conditions,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Stores a completed lap with its sectors; its session must be stored. Returns whether
    /// it was new. With [`Upload::Queue`], queues the lap for upload when it was new.
    fn upsert_lap(&self, lap: &Lap, upload: Upload) -> impl Future<Output = Result<bool>> + Send;

    /// For import: stores a session, its end and its laps in one transaction, idempotently.
    fn import_session(
        &self,
        session: &SessionWithLaps,
    ) -> impl Future<Output = Result<ImportOutcome>> + Send;

    /// Clears the end of a session that had ended (a tracker's stop ended it, and a restarted
    /// tracker carries it on). Returns whether it had ended. With [`Upload::Queue`], queues
    /// the session for upload when it had ended.
    fn reopen_session(
        &self,
        id: SessionId,
        upload: Upload,
    ) -> impl Future<Output = Result<bool>> + Send;
}
