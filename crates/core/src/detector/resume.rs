//! Carrying on with a stored session after the tracker restarted ([`Resume`]): whether the
//! game's pages show the very session a stopped (or killed) tracker was in, so the restarted
//! detector continues it (same session id, lap ids after the stored ones) instead of
//! opening a second one.
//!
//! The pages carry no session identity beyond track, car, driver, session type and index,
//! which a restart of the session in the game keeps. What tells "the same session, still
//! running" from "the same kind of session, started again" is the game's own clock: the
//! session clock must have run on by the wall-clock time since the checkpoint, within
//! [`CLOCK_SLACK_MS`] (plus [`CLOCK_SLACK_PER_MIN_MS`] per minute of the gap). Timed
//! sessions are judged by `sessionTimeLeft`; untimed ones by the lap timer, which only
//! works while no lap was completed in between. Anything else (a pause during the gap, a
//! lap completed unseen in an untimed session) opens a new session, as without a resume.

use std::collections::HashSet;

use crate::frame::{Frame, StaticInfo};
use crate::model::{Checkpoint, LapId, SessionInfo};

/// How far the game's clock may be from the wall clock's gap (ms): two clocks read a HUD
/// frame apart, and the restarted tracker's first reading.
pub const CLOCK_SLACK_MS: u64 = 2_000;

/// Further slack per minute of the gap (ms): the game's clock and the wall clock drift.
pub const CLOCK_SLACK_PER_MIN_MS: u64 = 500;

/// `distanceTraveled` may read this much below the checkpoint's (m) without being a restart.
const DISTANCE_SLACK_M: f32 = 100.0;

/// Attempts beyond the checkpoint's that are searched for stored lap ids (laps started after
/// the last checkpoint was stored).
const ATTEMPT_SEARCH: u32 = 1_024;

/// No session has more attempts than this (a bound on the search, whatever the store says).
const MAX_ATTEMPTS: u32 = 1 << 20;

/// A stored session offered to a fresh detector (see [`super::Detector::resume`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Resume {
    /// The session as stored.
    pub info: SessionInfo,
    /// Where it stood when its tracker last stored a checkpoint.
    pub checkpoint: Checkpoint,
    /// The ids of its stored laps: new laps get ids after every one of them.
    pub lap_ids: Vec<LapId>,
}

impl Resume {
    /// Whether `frame` (the first of a session the detector would start, with `statics`)
    /// shows this session still running.
    pub(super) fn continues(&self, frame: &Frame, statics: &StaticInfo) -> bool {
        let (info, cp) = (&self.info, &self.checkpoint);
        let same = info.track == statics.track
            && info.car == statics.car
            && info.driver == statics.driver
            && info.session_type == frame.session_type
            && info.session_index == frame.session_index
            && cp.session == info.id;
        if !same || frame.at_ms < cp.at_ms || frame.completed_laps < cp.completed_laps {
            return false;
        }
        if !(frame.distance_m.is_finite() && frame.distance_m + DISTANCE_SLACK_M >= cp.distance_m) {
            return false;
        }
        let gap = frame.at_ms - cp.at_ms;
        let slack = CLOCK_SLACK_MS.saturating_add(gap / 60_000 * CLOCK_SLACK_PER_MIN_MS);
        let near = |ran_ms: f64| (ran_ms - gap as f64).abs() <= slack as f64;
        let timed = |t: f32| t.is_finite() && t > 0.0;
        if timed(cp.time_left_ms) && timed(frame.time_left_ms) {
            // The session clock counts down with real time while the session runs.
            return near(f64::from(cp.time_left_ms) - f64::from(frame.time_left_ms));
        }
        // Untimed: the lap timer is the only clock, and only within one lap.
        frame.completed_laps == cp.completed_laps
            && frame.current_ms >= cp.current_ms
            && near(f64::from(frame.current_ms - cp.current_ms))
    }

    /// The attempt count to continue from: past the checkpoint's and past every stored lap.
    pub(super) fn attempts(&self) -> u32 {
        let stored: HashSet<LapId> = self.lap_ids.iter().copied().collect();
        let last = self
            .checkpoint
            .attempts
            .saturating_add(ATTEMPT_SEARCH)
            .min(MAX_ATTEMPTS);
        (1..=last)
            .filter(|&a| stored.contains(&LapId::of(self.info.id, a)))
            .max()
            .unwrap_or(0)
            .max(self.checkpoint.attempts)
    }
}
