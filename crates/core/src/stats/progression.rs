//! PB progression: the moments a personal best improved, for charts of progress over time.

use std::collections::BTreeMap;

use super::{Combo, LapRef, counts};
use crate::model::{Lap, LapId};

/// One improvement of the personal best.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PbStep {
    /// When the improving lap was completed (ms, the caller's clock).
    pub completed_at_ms: u64,
    /// The new personal best (ms).
    pub time_ms: u32,
    /// The lap that set it.
    pub lap: LapId,
    /// By how much it beat the previous personal best (ms); `None` for the first.
    pub gain_ms: Option<u32>,
}

/// The steps at which the personal best improved, oldest first. Laps are taken in order of
/// `completed_at_ms` (given order on equal times); only counting laps are considered, and a
/// lap only makes a step when strictly faster than every earlier one, so times strictly
/// decrease along the result. Meant for the laps of one track and car; see
/// [`pb_progression_by_combo`] for mixed input.
pub fn pb_progression<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Vec<PbStep> {
    let mut laps: Vec<&Lap> = laps.into_iter().filter(|lap| counts(lap)).collect();
    laps.sort_by_key(|lap| lap.completed_at_ms);
    let mut steps: Vec<PbStep> = Vec::new();
    for lap in laps {
        let previous = steps.last().map(|s| s.time_ms);
        if previous.is_none_or(|pb| lap.time_ms < pb) {
            steps.push(PbStep {
                completed_at_ms: lap.completed_at_ms,
                time_ms: lap.time_ms,
                lap: lap.id,
                gain_ms: previous.map(|pb| pb - lap.time_ms),
            });
        }
    }
    steps
}

/// [`pb_progression`] for each track and car found among `laps`; combinations without any
/// counting lap are absent.
pub fn pb_progression_by_combo<'a>(
    laps: impl IntoIterator<Item = LapRef<'a>>,
) -> BTreeMap<Combo<'a>, Vec<PbStep>> {
    let mut grouped: BTreeMap<Combo<'a>, Vec<&'a Lap>> = BTreeMap::new();
    for r in laps.into_iter().filter(|r| counts(r.lap)) {
        grouped.entry(r.combo()).or_default().push(r.lap);
    }
    grouped
        .into_iter()
        .map(|(combo, laps)| (combo, pb_progression(laps)))
        .collect()
}
