//! Bests within one session: the fastest counting lap (the session best shown in purple) and
//! the fastest valid lap of any kind, out-laps and in-laps included.

use super::{counts, fastest_where};
use crate::model::Lap;

/// Both bests of a session, found in one pass by [`session_bests`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionBests<'a> {
    /// The fastest lap that counts for bests (valid, flying, timed): the session best.
    pub counting: Option<&'a Lap>,
    /// The fastest valid lap of any kind, out-laps and in-laps included.
    pub any_valid: Option<&'a Lap>,
}

/// The session best: the fastest lap that counts for bests, the earlier on a tie; `None`
/// when no lap counts.
pub fn session_best<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Option<&'a Lap> {
    fastest_where(laps, counts)
}

/// The fastest valid lap of any kind (out-laps and in-laps included, zero times excluded),
/// the earlier on a tie; `None` when no lap is valid.
pub fn fastest_valid_lap<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Option<&'a Lap> {
    fastest_where(laps, is_timed_valid)
}

/// [`session_best`] and [`fastest_valid_lap`] in one pass.
pub fn session_bests<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> SessionBests<'a> {
    let mut bests = SessionBests::default();
    for lap in laps {
        if is_timed_valid(lap) {
            bests.any_valid =
                fastest_where([bests.any_valid, Some(lap)].into_iter().flatten(), |_| true);
        }
        if counts(lap) {
            bests.counting =
                fastest_where([bests.counting, Some(lap)].into_iter().flatten(), |_| true);
        }
    }
    bests
}

fn is_timed_valid(lap: &Lap) -> bool {
    lap.valid && lap.time_ms > 0
}
