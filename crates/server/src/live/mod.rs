//! The live hub: the collector publishes [`LiveEvent`]s; the hub keeps the current
//! [`LiveState`] (so a client that connects mid-lap sees the running lap at once) and fans
//! every event out to the subscribers of `GET /api/live` (see [`sse`]).
//!
//! Publishing never blocks: a subscriber that falls more than [`BACKLOG`] events behind
//! skips ahead to a fresh snapshot instead of slowing the collector.

pub mod sse;
mod state;

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::json::{LapJson, SessionJson};

pub use state::{LAST_LAPS, LiveState, Reference, RunningLap};

/// Events a subscriber may fall behind before it is resynchronised.
pub const BACKLOG: usize = 256;

/// What happens live, in the order it happened. Serialised with a `type` tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// The whole current state: first event of every subscription, and after a subscriber
    /// fell behind.
    Snapshot {
        /// The state.
        state: LiveState,
    },
    /// Whether the game is there, in words for the user.
    Status {
        /// The game's pages are being read.
        connected: bool,
        /// What is going on ("waiting for ACC: …").
        message: String,
    },
    /// A session started.
    SessionStarted {
        /// The session.
        session: SessionJson,
        /// The driver's records on this track and car, when known.
        reference: Option<Reference>,
    },
    /// A session ended.
    SessionEnded {
        /// Session id.
        session_id: String,
        /// When, ms since the epoch.
        at_ms: u64,
        /// Why (`restart`, `next_session`, `track_or_car_changed`, `left`, `tracker_stopped`).
        reason: String,
    },
    /// A lap started.
    LapStarted {
        /// Lap id.
        lap_id: String,
        /// Its number once completed.
        number: u32,
        /// When.
        at_ms: u64,
        /// Started in the pit lane.
        out_lap: bool,
        /// Already running when first seen.
        partial: bool,
    },
    /// The running lap's timer (a few times a second).
    Tick {
        /// Lap id.
        lap_id: String,
        /// The game's lap timer, ms.
        current_ms: u32,
        /// Current sector, 0-based.
        sector: u8,
        /// Still valid.
        valid: bool,
        /// When.
        at_ms: u64,
    },
    /// A sector line was crossed.
    SectorCompleted {
        /// Lap id.
        lap_id: String,
        /// 0-based sector.
        sector: u8,
        /// The sector's own time, when known.
        time_ms: Option<u32>,
        /// Lap still valid at the line.
        valid: bool,
        /// When.
        at_ms: u64,
        /// Lap time so far minus the personal best's at the same line, when both are known.
        delta_ms: Option<i64>,
    },
    /// A lap was completed (and stored).
    LapCompleted {
        /// The lap.
        lap: LapJson,
        /// A new personal best on this track and car.
        personal_best: bool,
        /// The best counting lap of the session so far.
        session_best: bool,
        /// Lap time minus the previous personal best, when there was one.
        delta_ms: Option<i64>,
    },
    /// A lap in progress was dropped.
    LapAbandoned {
        /// Lap id.
        lap_id: String,
        /// Why (`restart`, `returned_to_pits`, `session_ended`).
        reason: String,
        /// When.
        at_ms: u64,
    },
}

/// Where live events go; cheap to clone.
#[derive(Clone, Debug)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    tx: broadcast::Sender<Arc<LiveEvent>>,
    state: Mutex<LiveState>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    /// A hub with nobody connected and no game yet.
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        LiveHub {
            inner: Arc::new(Inner {
                tx,
                state: Mutex::new(LiveState::default()),
            }),
        }
    }

    /// Applies `event` to the current state and sends it to every subscriber.
    pub fn publish(&self, event: LiveEvent) {
        let mut state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.apply(&event);
        // Sent under the lock, so a subscriber's snapshot and its stream never overlap.
        let _nobody_listening = self.inner.tx.send(Arc::new(event));
    }

    /// The current state and the events after it.
    pub fn subscribe(&self) -> (LiveState, broadcast::Receiver<Arc<LiveEvent>>) {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (state.clone(), self.inner.tx.subscribe())
    }

    /// The current state.
    pub fn state(&self) -> LiveState {
        self.subscribe().0
    }

    /// The id of the lap being driven, if any (without copying the whole state).
    pub fn running_lap_id(&self) -> Option<String> {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.lap.as_ref().map(|l| l.lap_id.clone())
    }

    /// How many clients are subscribed.
    pub fn subscribers(&self) -> usize {
        self.inner.tx.receiver_count()
    }
}
