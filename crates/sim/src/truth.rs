//! [`Truth`]: what the script actually drove, recorded by the simulator as it plays, so tests
//! can compare a lap detector's output with the laps that really happened.

use pitwall_acc::enums::SessionType;
use std::time::Duration;

/// Ground truth of everything the simulator has driven so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Truth {
    /// Every session started so far, in order (a restart starts a new entry with the same
    /// `session_index`).
    pub sessions: Vec<TruthSession>,
}

impl Truth {
    /// Every completed lap of every session, in order.
    pub fn laps(&self) -> impl Iterator<Item = &TruthLap> {
        self.sessions.iter().flat_map(|s| s.laps.iter())
    }
}

/// One session as driven.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthSession {
    /// Kunos track id written to the static page.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// The player's name.
    pub driver: String,
    /// The session type (`graphics.session`, ignoring scripted flickers).
    pub session_type: SessionType,
    /// `graphics.sessionIndex`.
    pub session_index: i32,
    /// True when this session began with a `restart` of the previous one.
    pub restarted: bool,
    /// Simulated time at which the session started.
    pub started_at: Duration,
    /// Completed laps, in order.
    pub laps: Vec<TruthLap>,
    /// Laps interrupted by a return to the pits (never completed).
    pub abandoned: Vec<AbandonedLap>,
}

/// A completed lap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruthLap {
    /// `completedLaps` right after this lap.
    pub number: u32,
    /// The lap time, ms (what `iLastTime` shows after it).
    pub time_ms: u32,
    /// Each sector's own time, ms; they sum to `time_ms`.
    pub sectors_ms: Vec<u32>,
    /// False when the car cut the track during the lap.
    pub valid: bool,
    /// The lap started in the pit lane.
    pub out_lap: bool,
    /// The lap ended in the pit lane.
    pub in_lap: bool,
    /// Simulated time at which the lap started (its line crossing).
    pub started_at: Duration,
    /// Simulated time of the line crossing that completed it (later than
    /// `started_at + time_ms` by any pause inside the lap).
    pub completed_at: Duration,
}

/// A lap abandoned by returning to the pits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbandonedLap {
    /// `completedLaps` while it was driven (unchanged by the abandon).
    pub completed_laps: u32,
    /// Lap time driven before the return to the pits, ms.
    pub driven_ms: u32,
    /// False when the car had cut the track before returning.
    pub valid: bool,
    /// The lap started in the pit lane.
    pub out_lap: bool,
    /// Simulated time at which the lap started.
    pub started_at: Duration,
    /// Simulated time of the return to the pits.
    pub abandoned_at: Duration,
}
