//! Choosing the backend at run time: [`open`] reads the target's scheme, and [`AnyStore`]
//! forwards each call to the backend it holds (a `match`, no boxing: static dispatch).

use std::path::Path;

use pitwall_core::model::{Checkpoint, Conditions, Lap, SessionId, SessionInfo};
use pitwall_core::stats::PbStep;

use crate::Store;
use crate::error::Result;
use crate::postgres::PgStore;
use crate::resume::UploadFailure;
use crate::sqlite::SqliteStore;
use crate::types::{
    ImportOutcome, LapFilter, OutboxStatus, PendingUpload, RecordLap, SectorBests, SessionWithLaps,
    StoredLap, TrackCar,
};

/// A store of either backend.
#[derive(Clone, Debug)]
pub enum AnyStore {
    /// A SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

/// Opens a store: `postgres://…` or `postgresql://…` connects to PostgreSQL; `sqlite://PATH`,
/// `sqlite:PATH` or a bare path opens (creating if needed) that SQLite file.
pub async fn open(target: &str) -> Result<AnyStore> {
    if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        return Ok(AnyStore::Postgres(PgStore::connect(target).await?));
    }
    let path = target
        .strip_prefix("sqlite://")
        .or_else(|| target.strip_prefix("sqlite:"))
        .unwrap_or(target);
    Ok(AnyStore::Sqlite(SqliteStore::open(Path::new(path)).await?))
}

impl AnyStore {
    /// Where the data is, for messages: the SQLite file, or the PostgreSQL server and
    /// database without credentials.
    pub fn location(&self) -> String {
        match self {
            AnyStore::Sqlite(s) => s.path().display().to_string(),
            AnyStore::Postgres(s) => s.location().to_owned(),
        }
    }
}

/// Calls the same method on whichever backend `self` holds.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $call,
            AnyStore::Postgres($s) => $call,
        }
    };
}

impl Store for AnyStore {
    async fn upsert_session(&self, info: &SessionInfo) -> Result<bool> {
        each!(self, s => s.upsert_session(info).await)
    }
    async fn end_session(&self, id: SessionId, at_ms: u64) -> Result<bool> {
        each!(self, s => s.end_session(id, at_ms).await)
    }
    async fn set_conditions(&self, id: SessionId, conditions: &Conditions) -> Result<bool> {
        each!(self, s => s.set_conditions(id, conditions).await)
    }
    async fn upsert_lap(&self, lap: &Lap) -> Result<bool> {
        each!(self, s => s.upsert_lap(lap).await)
    }
    async fn recent_sessions(&self, limit: u32, offset: u32) -> Result<Vec<SessionWithLaps>> {
        each!(self, s => s.recent_sessions(limit, offset).await)
    }
    async fn session(&self, id: SessionId) -> Result<Option<SessionWithLaps>> {
        each!(self, s => s.session(id).await)
    }
    async fn sessions_after(
        &self,
        after: Option<SessionId>,
        limit: u32,
    ) -> Result<Vec<SessionWithLaps>> {
        each!(self, s => s.sessions_after(after, limit).await)
    }
    async fn import_session(&self, session: &SessionWithLaps) -> Result<ImportOutcome> {
        each!(self, s => s.import_session(session).await)
    }
    async fn laps(&self, filter: &LapFilter) -> Result<Vec<StoredLap>> {
        each!(self, s => s.laps(filter).await)
    }
    async fn personal_bests(&self, driver: Option<&str>) -> Result<Vec<RecordLap>> {
        each!(self, s => s.personal_bests(driver).await)
    }
    async fn best_sectors(
        &self,
        track: &str,
        car: &str,
        driver: Option<&str>,
    ) -> Result<SectorBests> {
        each!(self, s => s.best_sectors(track, car, driver).await)
    }
    async fn pb_progression(&self, track: &str, car: &str, driver: &str) -> Result<Vec<PbStep>> {
        each!(self, s => s.pb_progression(track, car, driver).await)
    }
    async fn tracks_and_cars(&self, driver: Option<&str>) -> Result<Vec<TrackCar>> {
        each!(self, s => s.tracks_and_cars(driver).await)
    }
    async fn leaderboard(&self, track: &str, car: &str, limit: u32) -> Result<Vec<RecordLap>> {
        each!(self, s => s.leaderboard(track, car, limit).await)
    }
    async fn create_token(&self, driver: &str, hash: &[u8], at_ms: u64) -> Result<()> {
        each!(self, s => s.create_token(driver, hash, at_ms).await)
    }
    async fn driver_for_token(&self, hash: &[u8]) -> Result<Option<String>> {
        each!(self, s => s.driver_for_token(hash).await)
    }
    async fn revoke_token(&self, hash: &[u8], at_ms: u64) -> Result<bool> {
        each!(self, s => s.revoke_token(hash, at_ms).await)
    }
    fn changes(&self) -> u64 {
        each!(self, s => s.changes())
    }
    async fn upsert_session_queued(&self, info: &SessionInfo, at_ms: u64) -> Result<bool> {
        each!(self, s => s.upsert_session_queued(info, at_ms).await)
    }
    async fn end_session_queued(&self, id: SessionId, at_ms: u64) -> Result<bool> {
        each!(self, s => s.end_session_queued(id, at_ms).await)
    }
    async fn upsert_lap_queued(&self, lap: &Lap, at_ms: u64) -> Result<bool> {
        each!(self, s => s.upsert_lap_queued(lap, at_ms).await)
    }
    async fn pending_uploads(&self, limit: u32) -> Result<Vec<PendingUpload>> {
        each!(self, s => s.pending_uploads(limit).await)
    }
    async fn finish_uploads(&self, items: &[PendingUpload], acknowledged: bool) -> Result<()> {
        each!(self, s => s.finish_uploads(items, acknowledged).await)
    }
    async fn outbox_status(&self) -> Result<OutboxStatus> {
        each!(self, s => s.outbox_status().await)
    }
    async fn save_checkpoint(&self, checkpoint: &Checkpoint) -> Result<()> {
        each!(self, s => s.save_checkpoint(checkpoint).await)
    }
    async fn drop_checkpoint(&self, session: SessionId) -> Result<()> {
        each!(self, s => s.drop_checkpoint(session).await)
    }
    async fn last_checkpoint(&self) -> Result<Option<Checkpoint>> {
        each!(self, s => s.last_checkpoint().await)
    }
    async fn reopen_session(&self, id: SessionId, queue_at_ms: Option<u64>) -> Result<bool> {
        each!(self, s => s.reopen_session(id, queue_at_ms).await)
    }
    async fn fail_uploads(&self, items: &[PendingUpload], reason: &str, at_ms: u64) -> Result<()> {
        each!(self, s => s.fail_uploads(items, reason, at_ms).await)
    }
    async fn upload_failures(&self, limit: u32) -> Result<Vec<UploadFailure>> {
        each!(self, s => s.upload_failures(limit).await)
    }
    async fn close(&self) {
        each!(self, s => s.close().await)
    }
}
