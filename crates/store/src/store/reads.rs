//! [`Reads`]: the queries of the API, the dashboard, the TUI and export — sessions with
//! their laps, lap searches, records — and the count of writes a response cache keys on.

use std::future::Future;

use pitwall_core::model::SessionId;
use pitwall_core::stats::PbStep;

use crate::error::Result;
use crate::types::{LapFilter, RecordLap, SectorBests, SessionWithLaps, StoredLap, TrackCar};

/// Reading sessions, laps and records. Only *counting* laps make records (valid, flying,
/// timed: [`pitwall_core::model::lap_counts`]); ties go to the earlier lap.
pub trait Reads: Send + Sync {
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

    /// How many writes through this store (or a clone of it) have changed something so far:
    /// it grows, after the write is committed, with every write that reports a change, and
    /// never decreases. An atomic load, cheap enough for every request; a cache keyed by it
    /// is stale as soon as a write through this store commits. Writes by other processes
    /// sharing the database are not counted.
    fn changes(&self) -> u64;
}
