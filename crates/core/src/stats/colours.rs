//! Timing colours for lap tables: purple for the session best, green for a personal best, red
//! for invalid, plain otherwise, for each lap and each of its sectors.
//!
//! # Rules
//! Laps:
//! - an invalid lap is [`Invalid`](TimingColour::Invalid), however fast;
//! - a counting lap (valid, flying, timed) as fast as the session best is
//!   [`SessionBest`](TimingColour::SessionBest) (tied laps are all purple), otherwise
//!   [`PersonalBest`](TimingColour::PersonalBest) if at least as fast as the all-time PB
//!   given, otherwise [`Normal`](TimingColour::Normal);
//! - a valid out-lap or in-lap is `Normal`: it is tagged by the caller, not coloured.
//!
//! Sectors, with the session's best sectors taken from counting laps only:
//! - on an invalid lap, the sector where it was invalidated and every later one are
//!   `Invalid`; all of them are when the lap does not say where (or names a sector it does
//!   not have);
//! - *clean* sectors, those of a valid flying lap and those of an invalid flying lap before
//!   the sector where it was invalidated, are coloured against the references: `SessionBest`
//!   if at least as fast as the session's best for that sector, else `PersonalBest` if at
//!   least as fast as the all-time best sector given, else `Normal`. The game judges track
//!   limits per sector as the lap goes, so a clean first sector of a lap cut later is shown
//!   for what it was (the lap itself stays red). Such a sector never *becomes* a reference:
//!   it is only compared with the bests of counting laps, so it can be purple only when a
//!   counting lap also has a time for that sector, and it never changes another lap's colour;
//! - sectors of out-laps and in-laps, and unknown sectors, are `Normal`.
//!
//! The all-time references may be those from before the session or include it: with
//! "at least as fast", a lap that equals the all-time PB is green either way.

use super::{BestSectors, counts, known, session_best};
use crate::model::{Lap, LapId};

/// The class of a time in a timing display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimingColour {
    /// Purple: the best of the session.
    SessionBest,
    /// Green: at least as fast as the all-time personal best.
    PersonalBest,
    /// Red: the lap, or this part of it, was invalid.
    Invalid,
    /// No highlight.
    Normal,
}

/// The colours of one lap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LapColours {
    /// The lap.
    pub lap: LapId,
    /// The lap time's colour.
    pub time: TimingColour,
    /// One colour per entry of the lap's `sectors`.
    pub sectors: Vec<TimingColour>,
}

/// The colours of a session's laps, one entry per lap in the order given (see the module
/// docs for the rules). `all_time_pb_ms` is the personal best for the session's track and
/// car, `all_time_best_sectors` the all-time best time per sector index (as from
/// [`BestSectors::times`]); either may be absent or shorter than the laps' sectors, and then
/// nothing is green against it.
pub fn colour_laps<'a>(
    laps: impl IntoIterator<Item = &'a Lap>,
    all_time_pb_ms: Option<u32>,
    all_time_best_sectors: &[Option<u32>],
) -> Vec<LapColours> {
    let laps: Vec<&Lap> = laps.into_iter().collect();
    let best_lap = session_best(laps.iter().copied()).map(|lap| lap.time_ms);
    let best_sectors = BestSectors::from_laps(laps.iter().copied()).times();
    let refs = References {
        session_lap: best_lap,
        all_time_lap: all_time_pb_ms.filter(|&t| t > 0),
        session_sectors: &best_sectors,
        all_time_sectors: all_time_best_sectors,
    };
    laps.into_iter()
        .map(|lap| LapColours {
            lap: lap.id,
            time: refs.lap(lap),
            sectors: (0..lap.sectors.len())
                .map(|i| refs.sector(lap, i))
                .collect(),
        })
        .collect()
}

/// What a lap and its sectors are coloured against.
pub(super) struct References<'r> {
    /// The session best lap time.
    pub(super) session_lap: Option<u32>,
    /// The all-time personal best.
    pub(super) all_time_lap: Option<u32>,
    /// The session's best sectors.
    pub(super) session_sectors: &'r [Option<u32>],
    /// The all-time best sectors.
    pub(super) all_time_sectors: &'r [Option<u32>],
}

impl References<'_> {
    /// The colour of a lap's time.
    pub(super) fn lap(&self, lap: &Lap) -> TimingColour {
        if !lap.valid {
            TimingColour::Invalid
        } else if counts(lap) {
            classify(lap.time_ms, self.session_lap, self.all_time_lap)
        } else {
            TimingColour::Normal
        }
    }

    /// The colour of sector `index` of `lap`.
    pub(super) fn sector(&self, lap: &Lap, index: usize) -> TimingColour {
        let clean = lap.valid
            || lap
                .invalid_sector
                .is_some_and(|s| index < usize::from(s) && usize::from(s) < lap.sectors.len());
        if !clean {
            return TimingColour::Invalid;
        }
        let time = lap.sectors.get(index).copied().and_then(known);
        match time {
            Some(t) if lap.is_flying() && lap.time_ms > 0 => classify(
                t,
                self.session_sectors.get(index).copied().flatten(),
                self.all_time_sectors
                    .get(index)
                    .copied()
                    .flatten()
                    .filter(|&r| r > 0),
            ),
            _ => TimingColour::Normal,
        }
    }
}

fn classify(time: u32, session: Option<u32>, all_time: Option<u32>) -> TimingColour {
    if session.is_some_and(|best| time <= best) {
        TimingColour::SessionBest
    } else if all_time.is_some_and(|best| time <= best) {
        TimingColour::PersonalBest
    } else {
        TimingColour::Normal
    }
}
