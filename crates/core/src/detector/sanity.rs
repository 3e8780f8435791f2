//! The detector's sanity bounds on page values: what no game state produces, so a frame
//! carrying it is garbage (a corrupted page, a writer that is not ACC, a torn copy) and is
//! dropped whole rather than turned into laps or sessions.
//!
//! These bounds are the detector's own, on raw page values; the floor and ceiling of a
//! stored lap's time are the store boundary's. The `PAGE_*` names are what to point at a
//! shared validation module should the two ever need to agree.

use super::lap::MAX_SECTORS;
use crate::frame::Frame;
use pitwall_acc::decode::NO_TIME;

/// The highest lap-timer value taken from a page (`iCurrentTime`, `iLastTime`,
/// `lastSectorTime`), ms: 1 hour. ACC's slowest laps (a long stop in the pit lane, the
/// Nordschleife-length tracks ACC does not have) are far below; `iLastTime`'s and
/// `lastSectorTime`'s "no time" sentinel, INT32_MAX, stays allowed.
pub(crate) const PAGE_TIME_CEILING_MS: i32 = 3_600_000;

/// The highest `completedLaps` a page may show: a 24-hour race is under 1,000 laps.
pub(crate) const PAGE_LAPS_CEILING: i32 = 5_000;

/// The highest `sessionIndex`: ACC numbers the sessions of one weekend from 0 (a handful).
pub(crate) const PAGE_SESSION_INDEX_CEILING: i32 = 1_000;

/// The largest `sessionTimeLeft` either side of zero, ms: 7 days (a 24-hour race is 1).
pub(crate) const PAGE_SESSION_TIME_CEILING_MS: f32 = 604_800_000.0;

/// The largest `distanceTraveled`, m: 100,000 km, far beyond a 24-hour race (it is never
/// negative).
pub(crate) const PAGE_DISTANCE_CEILING_M: f32 = 1.0e8;

/// A lap time or split as the page gives it: the "no time" sentinels (INT32_MAX, 0) or a
/// time within [`PAGE_TIME_CEILING_MS`]. Negative values are garbage.
fn plausible_time(raw: i32) -> bool {
    raw == NO_TIME || (0..=PAGE_TIME_CEILING_MS).contains(&raw)
}

/// Whether `frame` carries a value no game state produces.
///
/// Quirk Q1: garbage page values. Random or extreme timing values on an otherwise valid page
/// (INT32_MAX lap timers, negative counts, session indexes in the millions, NaN times) would
/// otherwise start a session per frame and complete laps of 2,147,483,647 ms.
pub(crate) fn absurd(frame: &Frame) -> bool {
    let time_left = frame.time_left_ms;
    let distance = frame.distance_m;
    !((0..=PAGE_LAPS_CEILING).contains(&frame.completed_laps)
        && (0..=PAGE_TIME_CEILING_MS).contains(&frame.current_ms)
        && plausible_time(frame.last_ms)
        && plausible_time(frame.last_sector_ms)
        && (0..=PAGE_SESSION_INDEX_CEILING).contains(&frame.session_index)
        && (0..MAX_SECTORS as i32).contains(&frame.sector_index)
        && time_left.is_finite()
        && time_left.abs() <= PAGE_SESSION_TIME_CEILING_MS
        && (0.0..=PAGE_DISTANCE_CEILING_M).contains(&distance))
}

/// Whether `frame` cannot follow `prev` within one session (`prev` the last frame taken).
///
/// Quirk Q2: garbage page values. A restart zeroes `completedLaps`; a count that falls to
/// another non-zero value is no restart the game makes, but one corrupted reading.
pub(crate) fn impossible_step(prev: &Frame, frame: &Frame) -> bool {
    frame.completed_laps < prev.completed_laps && frame.completed_laps != 0
}
