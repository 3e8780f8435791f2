//! The lap table every screen shows (the session page, the live page, the TUI's live and
//! history screens, the CSV export): for each lap its timing colours, its marks, its deltas,
//! and whether it was a personal best when it was driven; for the session, how many laps
//! there are and how many count, the best, the theoretical best, and the mean and spread of
//! the counting laps. Every screen takes these from [`lap_table`], so the same laps read the
//! same everywhere.
//!
//! # Rules
//! - Colours are [`colour_laps`]'s, with the all-time references *as of each lap*: a lap is
//!   green when it was at least as fast as the driver's personal best just before it
//!   (earlier sessions, given as [`Prior`], and the earlier laps of this one). A lap that
//!   later laps beat stays green: it was a personal best when it was driven.
//! - Marks: `INVALID (S2)` (where the game invalidated it, when known), `OUT`, `IN`,
//!   `PARTIAL`, `PB` (a personal best when driven), in that order.
//! - Deltas: to the session best, and to the previous counting lap (an out-lap, an in-lap
//!   or an invalid lap is never what "previous" means).
//! - Counts: "laps" is every completed lap, "counting" those that [`Lap::counts`]: the same
//!   laps the mean and the spread are taken over.
//!
//! A lap still being driven is coloured and marked against the same references with
//! [`LapTable::running_colours`] and [`running_marks`].

use std::borrow::Cow;

use super::colours::References;
use super::{
    BestSectors, LapColours, LapDelta, TimingColour, colour_laps, lap_deltas, mean_ms,
    session_best, std_dev_ms,
};
use crate::model::{Lap, LapId, SessionId};

/// A lap's mark, shown beside its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    /// Invalidated, in this 0-based sector when the game said.
    Invalid {
        /// The sector it was invalidated in.
        sector: Option<u8>,
    },
    /// Started in the pit lane.
    Out,
    /// Ended in the pit lane.
    In,
    /// Already running when pitwall first saw it.
    Partial,
    /// A personal best when it was driven.
    PersonalBest,
}

impl Mark {
    /// The mark as every screen writes it: `INVALID (S2)`, `OUT`, `IN`, `PARTIAL`, `PB`.
    pub fn label(self) -> Cow<'static, str> {
        match self {
            Mark::Invalid { sector: Some(s) } => {
                Cow::Owned(format!("INVALID (S{})", u32::from(s) + 1))
            }
            Mark::Invalid { sector: None } => Cow::Borrowed("INVALID"),
            Mark::Out => Cow::Borrowed("OUT"),
            Mark::In => Cow::Borrowed("IN"),
            Mark::Partial => Cow::Borrowed("PARTIAL"),
            Mark::PersonalBest => Cow::Borrowed("PB"),
        }
    }

    /// What the mark means, for tooltips and legends.
    pub fn meaning(self) -> &'static str {
        match self {
            Mark::Invalid { .. } => "Invalid: track limits or a cut; it sets no record",
            Mark::Out => "Out-lap: started in the pit lane",
            Mark::In => "In-lap: ended in the pit lane",
            Mark::Partial => "Already running when pitwall first saw it",
            Mark::PersonalBest => "A personal best when it was driven",
        }
    }

    /// A short name for the mark's kind, as CSS classes and CSV cells use it: `invalid`,
    /// `out`, `in`, `partial`, `pb`.
    pub fn kind(self) -> &'static str {
        match self {
            Mark::Invalid { .. } => "invalid",
            Mark::Out => "out",
            Mark::In => "in",
            Mark::Partial => "partial",
            Mark::PersonalBest => "pb",
        }
    }
}

/// The marks of a completed lap, in the order every screen shows them.
pub fn marks(lap: &Lap, personal_best: bool) -> Vec<Mark> {
    let mut marks = Vec::with_capacity(2);
    if !lap.valid {
        marks.push(Mark::Invalid {
            sector: lap.invalid_sector,
        });
    }
    if lap.out_lap {
        marks.push(Mark::Out);
    }
    if lap.in_lap {
        marks.push(Mark::In);
    }
    if lap.partial {
        marks.push(Mark::Partial);
    }
    if personal_best {
        marks.push(Mark::PersonalBest);
    }
    marks
}

/// The marks of a lap still being driven: `INVALID (Sn)` once the game invalidated it,
/// `OUT` when it started in the pit lane.
pub fn running_marks(valid: bool, invalid_sector: Option<u8>, out_lap: bool) -> Vec<Mark> {
    let mut marks = Vec::with_capacity(2);
    if !valid {
        marks.push(Mark::Invalid {
            sector: invalid_sector,
        });
    }
    if out_lap {
        marks.push(Mark::Out);
    }
    marks
}

/// The driver's references on the session's track and car from before the session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prior {
    /// Personal best lap time.
    pub pb_ms: Option<u32>,
    /// Best time of each sector.
    pub sectors: Vec<Option<u32>>,
}

impl Prior {
    /// The references set by `laps` (laps of earlier sessions; only counting ones matter).
    pub fn of<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Self {
        let laps: Vec<&Lap> = laps.into_iter().collect();
        Prior {
            pb_ms: session_best(laps.iter().copied()).map(|l| l.time_ms),
            sectors: BestSectors::from_laps(laps).times(),
        }
    }

    /// Takes a counting lap into account (any other lap changes nothing).
    fn add(&mut self, lap: &Lap) {
        if !lap.counts() {
            return;
        }
        self.pb_ms = Some(self.pb_ms.map_or(lap.time_ms, |p| p.min(lap.time_ms)));
        keep_best_sectors(&mut self.sectors, &lap.sectors);
    }
}

/// Moves best sector times on with a counting lap's `sectors`: each known (non-zero) time
/// replaces the best where it is faster; slots are added for sectors not seen before.
pub fn keep_best_sectors(best: &mut Vec<Option<u32>>, sectors: &[Option<u32>]) {
    if best.len() < sectors.len() {
        best.resize(sectors.len(), None);
    }
    for (best, time) in best.iter_mut().zip(sectors) {
        if let Some(t) = time.filter(|&t| t > 0) {
            *best = Some(best.map_or(t, |b| b.min(t)));
        }
    }
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Row<'a> {
    /// The lap.
    pub lap: &'a Lap,
    /// Its colours.
    pub colours: LapColours,
    /// Its deltas to the session best and to the previous counting lap.
    pub delta: LapDelta,
    /// It counted and was at least as fast as the personal best before it.
    pub personal_best: bool,
    /// Its marks.
    pub marks: Vec<Mark>,
}

/// The whole table and the session's figures.
#[derive(Clone, Debug)]
pub struct LapTable<'a> {
    /// One row per lap, in the order given (lap order).
    pub rows: Vec<Row<'a>>,
    /// Sector columns: the session's count, or more if a lap has more.
    pub sector_count: usize,
    /// The session best.
    pub best: Option<&'a Lap>,
    /// The session's best sectors.
    pub best_sectors: BestSectors,
    /// Their sum.
    pub theoretical_ms: Option<u32>,
    /// The personal best before the session.
    pub prior_pb_ms: Option<u32>,
    /// The personal best after the session's laps (before it, or a faster lap of it).
    pub pb_ms: Option<u32>,
    /// The best sector times after the session's laps, all time.
    pub pb_sectors: Vec<Option<u32>>,
    /// How many of the laps count (valid, flying, timed).
    pub counting: usize,
    /// Mean of the counting laps, ms.
    pub mean_ms: Option<f64>,
    /// Their standard deviation, ms.
    pub std_dev_ms: Option<f64>,
}

/// The colours of a session's laps against a personal best and best sectors.
struct Coloured {
    refs: Prior,
    laps: Vec<LapColours>,
}

/// The table of `laps` (one session's, in lap order) with `sector_count` sector columns at
/// least, against the references from before the session.
pub fn lap_table<'a>(laps: &'a [Lap], sector_count: usize, prior: &Prior) -> LapTable<'a> {
    let best = session_best(laps);
    let deltas = lap_deltas(laps, best.map(|l| l.time_ms));
    let mut refs = prior.clone();
    let mut rows = Vec::with_capacity(laps.len());
    // The colouring of the whole session against the references as of a lap: recomputed
    // only when a lap improves them, which is rare after the first laps of a session.
    let mut coloured: Option<Coloured> = None;
    for ((i, lap), delta) in laps.iter().enumerate().zip(deltas) {
        let personal_best = lap.counts() && refs.pb_ms.is_none_or(|p| lap.time_ms <= p);
        // The references as of this lap include it, so that the first lap ever driven on a
        // track and car is a personal best too.
        refs.add(lap);
        if coloured.as_ref().is_none_or(|c| c.refs != refs) {
            coloured = Some(Coloured {
                laps: colour_laps(laps, refs.pb_ms, &refs.sectors),
                refs: refs.clone(),
            });
        }
        let colours = coloured
            .as_ref()
            .and_then(|c| c.laps.get(i).cloned())
            .unwrap_or_else(|| LapColours {
                lap: lap.id,
                time: TimingColour::Normal,
                sectors: Vec::new(),
            });
        rows.push(Row {
            lap,
            colours,
            delta,
            personal_best,
            marks: marks(lap, personal_best),
        });
    }
    let best_sectors = BestSectors::from_laps(laps);
    let sector_count = laps
        .iter()
        .map(|l| l.sectors.len())
        .chain([sector_count, best_sectors.sectors().len()])
        .max()
        .unwrap_or(sector_count);
    LapTable {
        rows,
        sector_count,
        best,
        theoretical_ms: best_sectors.theoretical_best_ms(),
        best_sectors,
        prior_pb_ms: prior.pb_ms,
        pb_ms: refs.pb_ms,
        pb_sectors: refs.sectors,
        counting: laps.iter().filter(|l| l.counts()).count(),
        mean_ms: mean_ms(laps),
        std_dev_ms: std_dev_ms(laps),
    }
}

impl LapTable<'_> {
    /// How many laps the table has.
    pub fn laps(&self) -> usize {
        self.rows.len()
    }

    /// The colours of the sectors of a lap still being driven (`sectors` so far), against
    /// the session's best sectors and the all-time bests, as they would be were it to
    /// complete now.
    pub fn running_colours(
        &self,
        sectors: &[Option<u32>],
        valid: bool,
        invalid_sector: Option<u8>,
        out_lap: bool,
    ) -> Vec<TimingColour> {
        // The sectors still to come are unknown: as many as the track has, and at least up to
        // the one it was invalidated in (which the game may report before its time).
        let mut all = sectors.to_vec();
        let needed = self
            .sector_count
            .max(invalid_sector.map_or(0, |s| usize::from(s) + 1));
        if all.len() < needed {
            all.resize(needed, None);
        }
        let lap = Lap {
            id: LapId(0),
            session: SessionId(0),
            number: 0,
            // Any time: a lap being driven is timed; only its sectors are coloured here.
            time_ms: 1,
            sectors: all,
            valid,
            invalid_sector,
            out_lap,
            in_lap: false,
            partial: false,
            started_at_ms: 0,
            completed_at_ms: 0,
            car: Default::default(),
            driver: String::new(),
        };
        let session_sectors = self.best_sectors.times();
        let refs = References {
            session_lap: self.best.map(|l| l.time_ms),
            all_time_lap: self.pb_ms,
            session_sectors: &session_sectors,
            all_time_sectors: &self.pb_sectors,
        };
        (0..sectors.len()).map(|i| refs.sector(&lap, i)).collect()
    }
}

#[cfg(test)]
mod tests;
