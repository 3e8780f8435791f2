//! The store trait: every read and write the tracker, the API and the UIs need, in domain
//! terms. Both backends implement it; [`AnyStore`](crate::AnyStore) picks one at run time and
//! dispatches statically.
//!
//! # Exactly once
//! Writes are keyed by the detector's ids and are idempotent: storing the same session or lap
//! again (a retry, a replayed recording) changes nothing and reports that it was not new. The
//! first write of an id wins; a later write with other content is ignored. A write is durable
//! when its future resolves.
//!
//! # What counts
//! Personal bests, best sectors, PB progression and leaderboards only consider *counting*
//! laps, as [`pitwall_core::stats`] does: valid, neither out-lap nor in-lap, and timed (a time
//! above zero; a sector time of zero counts as unknown). Ties go to the earlier lap.

use std::future::Future;

use pitwall_core::model::{Checkpoint, Conditions, Lap, SessionId, SessionInfo};
use pitwall_core::stats::PbStep;

use crate::error::Result;
use crate::resume::UploadFailure;
use crate::types::{
    ImportOutcome, LapFilter, OutboxStatus, PendingUpload, RecordLap, SectorBests, SessionWithLaps,
    StoredLap, TrackCar,
};

/// Storage for sessions, laps and API tokens. See the module docs for the guarantees.
pub trait Store: Send + Sync {
    /// Stores a session that started (and its driver, if new). Returns whether it was new.
    fn upsert_session(&self, info: &SessionInfo) -> impl Future<Output = Result<bool>> + Send;

    /// Records when a session ended. Returns whether the session exists.
    fn end_session(&self, id: SessionId, at_ms: u64) -> impl Future<Output = Result<bool>> + Send;

    /// Records the conditions at a session's start, when they became known only after it was
    /// stored (the physics page came alive a moment later). Keeps conditions already stored.
    /// Returns whether it changed anything.
    fn set_conditions(
        &self,
        id: SessionId,
        conditions: &Conditions,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Stores a completed lap with its sectors; its session must be stored. Returns whether
    /// it was new.
    fn upsert_lap(&self, lap: &Lap) -> impl Future<Output = Result<bool>> + Send;

    /// The most recent sessions (by start, newest first) with their laps and sectors,
    /// skipping `offset` of them.
    fn recent_sessions(
        &self,
        limit: u32,
        offset: u32,
    ) -> impl Future<Output = Result<Vec<SessionWithLaps>>> + Send;

    /// One session with its laps and sectors.
    fn session(
        &self,
        id: SessionId,
    ) -> impl Future<Output = Result<Option<SessionWithLaps>>> + Send;

    /// For export: up to `limit` sessions with laps, in id order, after `after` (from the
    /// start when `None`). Call again with the last id returned until the page is empty.
    fn sessions_after(
        &self,
        after: Option<SessionId>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<SessionWithLaps>>> + Send;

    /// For import: stores a session, its end and its laps in one transaction, idempotently.
    fn import_session(
        &self,
        session: &SessionWithLaps,
    ) -> impl Future<Output = Result<ImportOutcome>> + Send;

    /// Laps matching `filter`, newest first, with their sectors and session context.
    fn laps(&self, filter: &LapFilter) -> impl Future<Output = Result<Vec<StoredLap>>> + Send;

    /// The personal best of each driver (or of `driver` only) on each track and car, ordered
    /// by track, car, then time.
    fn personal_bests(
        &self,
        driver: Option<&str>,
    ) -> impl Future<Output = Result<Vec<RecordLap>>> + Send;

    /// Best sectors and theoretical best on a track and car, of one driver or of everyone.
    fn best_sectors(
        &self,
        track: &str,
        car: &str,
        driver: Option<&str>,
    ) -> impl Future<Output = Result<SectorBests>> + Send;

    /// The steps at which a driver's personal best on a track and car improved, oldest first.
    fn pb_progression(
        &self,
        track: &str,
        car: &str,
        driver: &str,
    ) -> impl Future<Output = Result<Vec<PbStep>>> + Send;

    /// Every track and car driven (by one driver, or by anyone), with session and lap counts,
    /// ordered by track then car.
    fn tracks_and_cars(
        &self,
        driver: Option<&str>,
    ) -> impl Future<Output = Result<Vec<TrackCar>>> + Send;

    /// The fastest drivers on a track and car: each driver's best, fastest first.
    fn leaderboard(
        &self,
        track: &str,
        car: &str,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<RecordLap>>> + Send;

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

    /// How many writes through this store (or a clone of it) have changed something so far:
    /// it grows, after the write is committed, with every write that reports a change, and
    /// never decreases. An atomic load, cheap enough for every request; a cache keyed by it
    /// is stale as soon as a write through this store commits. Writes by other processes
    /// sharing the database are not counted.
    fn changes(&self) -> u64;

    /// [`Store::upsert_session`], and queues the session for upload in the same transaction.
    fn upsert_session_queued(
        &self,
        info: &SessionInfo,
        at_ms: u64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// [`Store::end_session`], and queues the session (its end) for upload.
    fn end_session_queued(
        &self,
        id: SessionId,
        at_ms: u64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// [`Store::upsert_lap`], and queues the lap for upload when it was new.
    fn upsert_lap_queued(&self, lap: &Lap, at_ms: u64)
    -> impl Future<Output = Result<bool>> + Send;

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

    /// How many items wait for upload, and since when.
    fn outbox_status(&self) -> impl Future<Output = Result<OutboxStatus>> + Send;

    /// Stores where a running session stands (replacing its previous checkpoint), so that a
    /// restarted tracker can carry on with it.
    fn save_checkpoint(&self, checkpoint: &Checkpoint) -> impl Future<Output = Result<()>> + Send;

    /// Forgets a session's checkpoint: the game ended the session, nothing carries it on.
    fn drop_checkpoint(&self, session: SessionId) -> impl Future<Output = Result<()>> + Send;

    /// The most recent checkpoint of any session.
    fn last_checkpoint(&self) -> impl Future<Output = Result<Option<Checkpoint>>> + Send;

    /// Clears the end of a session that had ended (a tracker's stop ended it, and a restarted
    /// tracker carries it on); queues the session for upload when `queue_at_ms` is given.
    /// Returns whether it had ended.
    fn reopen_session(
        &self,
        id: SessionId,
        queue_at_ms: Option<u64>,
    ) -> impl Future<Output = Result<bool>> + Send;

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

    /// Closes the connections, waiting for those in use.
    fn close(&self) -> impl Future<Output = ()> + Send;
}
