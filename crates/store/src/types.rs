//! What the store returns and takes beyond the core model: a session with its laps, lap
//! filters, the results of the statistics queries, and the upload outbox's items.

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_core::stats::BestSector;

/// A stored session with its laps (in lap order, each with its sectors).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionWithLaps {
    /// What was known when it started.
    pub info: SessionInfo,
    /// When it ended (ms), or `None` while it runs (or if its end was never seen).
    pub ended_at_ms: Option<u64>,
    /// Its completed laps, by lap number (then id).
    pub laps: Vec<Lap>,
}

/// Which laps [`Reads::laps`](crate::Reads::laps) returns; every field left `None` matches
/// all. Results are newest first (by completion).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LapFilter {
    /// Kunos track id.
    pub track: Option<String>,
    /// Kunos car model id.
    pub car: Option<String>,
    /// Session type.
    pub session_type: Option<SessionType>,
    /// Driver name.
    pub driver: Option<String>,
    /// `Some(true)` for valid laps only, `Some(false)` for invalid ones only.
    pub valid: Option<bool>,
    /// Laps completed at or after this time (ms).
    pub from_ms: Option<u64>,
    /// Laps completed before this time (ms).
    pub to_ms: Option<u64>,
    /// At most this many laps (default [`LapFilter::DEFAULT_LIMIT`]).
    pub limit: Option<u32>,
    /// Skip this many laps first.
    pub offset: u32,
}

impl LapFilter {
    /// The page size when `limit` is `None`.
    pub const DEFAULT_LIMIT: u32 = 1000;
}

/// A lap with what identifies its session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLap {
    /// The lap, with its sectors.
    pub lap: Lap,
    /// Kunos track id.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// Session type.
    pub session_type: SessionType,
    /// Who drove it.
    pub driver: String,
}

/// A lap time that holds a record (personal best, leaderboard entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordLap {
    /// Kunos track id.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// Who drove it.
    pub driver: String,
    /// The lap time (ms).
    pub time_ms: u32,
    /// The lap.
    pub lap: LapId,
    /// Its session.
    pub session: SessionId,
    /// When it was completed (ms).
    pub completed_at_ms: u64,
}

/// Best sectors for a track and car, and their sum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectorBests {
    /// One slot per sector index (as many as the most sectors of any counting lap or
    /// session); `None` while no counting lap has a known time for it.
    pub sectors: Vec<Option<BestSector>>,
    /// The sum of the best sectors, when every slot has one.
    pub theoretical_best_ms: Option<u32>,
}

/// A track and car that has been driven, with how much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackCar {
    /// Kunos track id.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// Sessions on it.
    pub sessions: u64,
    /// Completed laps (all, counting or not).
    pub laps: u64,
    /// When the last lap was completed (ms), if any.
    pub last_lap_at_ms: Option<u64>,
}

/// What importing one session changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The session was not stored before.
    pub session_new: bool,
    /// How many of its laps were not stored before.
    pub laps_new: u32,
}

/// An item waiting in the upload outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingUpload {
    /// The session (for a lap, its session).
    pub session: SessionId,
    /// The lap, or `None` for the session itself (its start or end).
    pub lap: Option<LapId>,
    /// When it was queued (ms).
    pub queued_at_ms: u64,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// The upload outbox at a glance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    /// Items not yet acknowledged.
    pub pending: u64,
    /// When the oldest of them was queued.
    pub oldest_queued_at_ms: Option<u64>,
}

/// Upload items of one session whose last attempt failed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFailure {
    /// The session.
    pub session: SessionId,
    /// Its items that failed (the session itself and its laps).
    pub items: u64,
    /// What the server answered, or what went wrong.
    pub reason: String,
    /// When the last attempt failed (ms).
    pub at_ms: u64,
}

/// Whether a write also queues what it stored for upload to a remote server, in the same
/// transaction (see [`Outbox`](crate::Outbox)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upload {
    /// Store only: nothing is uploaded from here (a server's own store, an import).
    Skip,
    /// Store, and queue what was stored for upload.
    Queue {
        /// When it was queued (ms): the outbox sends oldest first.
        at_ms: u64,
    },
}

impl Upload {
    /// [`Upload::Queue`] at `at_ms` when `queue`, else [`Upload::Skip`]: for a caller that
    /// uploads or not by configuration.
    pub fn queue_if(queue: bool, at_ms: u64) -> Self {
        if queue {
            Upload::Queue { at_ms }
        } else {
            Upload::Skip
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_if_queues_only_when_asked() {
        assert_eq!(Upload::queue_if(true, 7), Upload::Queue { at_ms: 7 });
        assert_eq!(Upload::queue_if(false, 7), Upload::Skip);
    }
}
