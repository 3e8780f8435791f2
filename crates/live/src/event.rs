//! What happens live: [`LiveEvent`], in the order it happened, serialised with a `type` tag
//! (one JSON object per event on `GET /api/live`). Its `reason` fields are the core's
//! [`EndReason`] and [`AbandonReason`], whose `serde` form is the word on the wire.

use pitwall_core::model::{AbandonReason, EndReason};
use serde::{Deserialize, Serialize};

use crate::Reference;
use crate::state::LiveState;
use crate::wire::{LapJson, SessionJson};

/// What happens live, in the order it happened. Serialised with a `type` tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// The whole current state: first event of every subscription, and after a subscriber
    /// fell behind.
    Snapshot {
        /// The state.
        state: Box<LiveState>,
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
        /// Why: `restart`, `next_session`, `track_or_car_changed`, `left` (the game), or
        /// `tracker_stopped` (the collector shut down; the session may carry on when it starts
        /// again).
        reason: EndReason,
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
        /// Why: `restart`, `returned_to_pits`, `session_ended`.
        reason: AbandonReason,
        /// When.
        at_ms: u64,
    },
}
