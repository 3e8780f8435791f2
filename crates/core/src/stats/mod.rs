//! Statistics over completed laps: session and personal bests, best sectors and the
//! theoretical best, consistency and rolling averages, deltas, PB progression, and the timing
//! colours of lap tables. Pure functions over laps; times are integer milliseconds.
//!
//! # What counts
//! A lap *counts* when [`Lap::counts`] holds ([`crate::model::lap_counts`]: valid, neither
//! out-lap nor in-lap, and a time above zero: a zero time is a bogus lap, never a record).
//! Only counting laps
//! feed session bests, personal bests, best sectors, the theoretical best, consistency,
//! rolling averages and PB progression. Every other lap is still listed where a function
//! returns one entry per lap (deltas, colours), but never becomes a reference: an invalid lap
//! faster than everything changes no best. A sector time of `Some(0)` is treated as unknown,
//! like `None`.
//!
//! # Ties
//! When two laps (or two sectors) have the same time, the earlier one holds the record: the
//! one with the smaller `completed_at_ms`, and among those the one given first.
//!
//! # Order
//! Functions that speak of "previous" or "last" laps ([`lap_deltas`],
//! [`rolling_average_ms`]) take the laps in the order given, which should be completion
//! order. [`pb_progression`] sorts by `completed_at_ms` itself, since it usually spans
//! several sessions.
//!
//! # Layout
//! - [`session_best`], [`fastest_valid_lap`], [`session_bests`]: bests within a session.
//! - [`LapRef`], [`personal_bests`], [`personal_bests_per_driver`]: bests per track and car.
//! - [`BestSectors`], [`theoretical_best_ms`]: best sectors and their sum.
//! - [`mean_ms`], [`std_dev_ms`], [`rolling_average_ms`], [`rolling_averages`]: pace and
//!   consistency.
//! - [`lap_deltas`]: each lap against the previous one and a reference.
//! - [`pb_progression`], [`pb_progression_by_combo`]: when the PB improved.
//! - [`TimingColour`], [`colour_laps`]: purple, green, red or plain for each lap and sector.
//! - [`lap_table`]: the lap table every screen shows (colours as of each lap, marks, deltas,
//!   counts), and [`Mark`]s.

mod colours;
mod consistency;
mod deltas;
mod personal;
mod progression;
mod sectors;
mod session;
mod table;

pub use colours::{LapColours, TimingColour, colour_laps};
pub use consistency::{RollingAverage, mean_ms, rolling_average_ms, rolling_averages, std_dev_ms};
pub use deltas::{LapDelta, lap_deltas};
pub use personal::{Combo, DriverCombo, LapRef, personal_bests, personal_bests_per_driver};
pub use progression::{PbStep, pb_progression, pb_progression_by_combo};
pub use sectors::{BestSector, BestSectors, theoretical_best_ms};
pub use session::{SessionBests, fastest_valid_lap, session_best, session_bests};
pub use table::{LapTable, Mark, Prior, Row, keep_best_sectors, lap_table, marks, running_marks};

use crate::model::Lap;

/// Whether a lap feeds bests, averages and progression (see the module docs).
fn counts(lap: &Lap) -> bool {
    lap.counts()
}

/// A sector time that is actually known: `Some(0)` is as good as unknown.
fn known(time: Option<u32>) -> Option<u32> {
    time.filter(|&t| t > 0)
}

/// Whether a time set at `at_ms` takes a record of `best_ms` set at `best_at_ms`: strictly
/// faster, or as fast and earlier. Equal in both keeps the record where it is (first given).
fn takes_record(time_ms: u32, at_ms: u64, best_ms: u32, best_at_ms: u64) -> bool {
    (time_ms, at_ms) < (best_ms, best_at_ms)
}

/// The record holder among `laps` that pass `keep`, by [`takes_record`].
fn fastest_where<'a>(
    laps: impl IntoIterator<Item = &'a Lap>,
    keep: impl Fn(&Lap) -> bool,
) -> Option<&'a Lap> {
    laps.into_iter()
        .filter(|lap| keep(lap))
        .fold(None, |best: Option<&'a Lap>, lap| match best {
            Some(b)
                if !takes_record(
                    lap.time_ms,
                    lap.completed_at_ms,
                    b.time_ms,
                    b.completed_at_ms,
                ) =>
            {
                Some(b)
            }
            _ => Some(lap),
        })
}
