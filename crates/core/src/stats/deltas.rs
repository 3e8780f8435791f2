//! Deltas for lap tables: each lap against the lap before it and against a reference time
//! (usually the personal best). Signed milliseconds: positive is slower.

use crate::model::{Lap, LapId};

/// A lap's deltas. Every lap given gets one, invalid and out/in laps included: deltas
/// inform, they set no record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LapDelta {
    /// The lap.
    pub lap: LapId,
    /// This lap's time minus the previous counting lap's (ms); `None` before the first
    /// counting lap and for a lap without a time (zero).
    pub to_previous_ms: Option<i64>,
    /// This lap's time minus the reference (ms); `None` without a reference or a time.
    pub to_reference_ms: Option<i64>,
}

/// The deltas of each lap, in the order given (completion order). "Previous" is the nearest
/// earlier lap that counts (valid, flying, timed: [`Lap::counts`]): an out-lap, an in-lap
/// or an invalid lap is never the lap a driver compares with. A zero time counts as no
/// time, and so does a zero reference.
pub fn lap_deltas<'a>(
    laps: impl IntoIterator<Item = &'a Lap>,
    reference_ms: Option<u32>,
) -> Vec<LapDelta> {
    let reference = reference_ms.filter(|&r| r > 0).map(i64::from);
    let mut previous: Option<i64> = None;
    laps.into_iter()
        .map(|lap| {
            let time = (lap.time_ms > 0).then(|| i64::from(lap.time_ms));
            let delta = LapDelta {
                lap: lap.id,
                to_previous_ms: time.zip(previous).map(|(t, p)| t - p),
                to_reference_ms: time.zip(reference).map(|(t, r)| t - r),
            };
            if lap.counts() {
                previous = time;
            }
            delta
        })
        .collect()
}
