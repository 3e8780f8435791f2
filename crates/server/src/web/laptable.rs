//! A session's lap table, computed with [`pitwall_core::stats`]: each lap's timing colours
//! (purple session best, green personal best *as of that lap*, red invalid), its deltas to
//! the session best and to the previous lap, and the session's best sectors and theoretical
//! best for the closing row.
//!
//! "As of that lap": a lap is green when it was at least as fast as the driver's personal
//! best on the track and car just before it, counting the laps of earlier sessions (the
//! `prior` references) and the earlier laps of this session. A lap that later laps beat
//! stays green: it was a personal best when it was driven.

use pitwall_core::model::Lap;
use pitwall_core::stats::{
    BestSectors, LapColours, LapDelta, TimingColour, colour_laps, lap_deltas, mean_ms,
    session_best, std_dev_ms,
};

/// One row of the table.
#[derive(Clone, Debug)]
pub(crate) struct Row<'a> {
    /// The lap.
    pub(crate) lap: &'a Lap,
    /// Its colours.
    pub(crate) colours: LapColours,
    /// Deltas to the session best and the previous lap.
    pub(crate) delta: LapDelta,
    /// It counted and was at least as fast as the personal best before it.
    pub(crate) personal_best: bool,
}

/// The whole table and the session's summary.
#[derive(Clone, Debug)]
pub(crate) struct LapTable<'a> {
    /// One row per lap, in lap order.
    pub(crate) rows: Vec<Row<'a>>,
    /// Sector columns.
    pub(crate) sector_count: usize,
    /// The session best.
    pub(crate) best: Option<&'a Lap>,
    /// The session's best sectors.
    pub(crate) best_sectors: BestSectors,
    /// Their sum.
    pub(crate) theoretical_ms: Option<u32>,
    /// The personal best before the session.
    pub(crate) prior_pb_ms: Option<u32>,
    /// Mean of the counting laps, ms.
    pub(crate) mean_ms: Option<f64>,
    /// Their standard deviation, ms.
    pub(crate) std_dev_ms: Option<f64>,
}

/// The driver's references on the session's track and car from before the session.
#[derive(Clone, Debug, Default)]
pub(crate) struct Prior {
    /// Personal best lap time.
    pub(crate) pb_ms: Option<u32>,
    /// Best sectors.
    pub(crate) sectors: BestSectors,
}

impl Prior {
    /// The references of laps driven before the session.
    pub(crate) fn of(laps: &[Lap]) -> Self {
        Prior {
            pb_ms: session_best(laps).map(|l| l.time_ms),
            sectors: BestSectors::from_laps(laps),
        }
    }
}

/// The colours of a session's laps against a personal best and best sectors.
struct Coloured {
    pb_ms: Option<u32>,
    sectors: Vec<Option<u32>>,
    laps: Vec<LapColours>,
}

/// The table of `laps` (one session's, in lap order) with `sector_count` sector columns at
/// least.
pub(crate) fn build<'a>(laps: &'a [Lap], sector_count: usize, prior: &Prior) -> LapTable<'a> {
    let best = session_best(laps);
    let deltas = lap_deltas(laps, best.map(|l| l.time_ms));
    let mut pb = prior.pb_ms;
    let mut sectors = prior.sectors.clone();
    let mut rows = Vec::with_capacity(laps.len());
    // The colouring of the whole session against the current references: recomputed only
    // when a lap improves them, which is rare after the first laps of a session.
    let mut coloured: Option<Coloured> = None;
    for ((i, lap), delta) in laps.iter().enumerate().zip(deltas) {
        let counts = session_best([lap]).is_some();
        let personal_best = counts && pb.is_none_or(|p| lap.time_ms <= p);
        // The references as of this lap include it, so that the first lap ever driven on a
        // track and car is a personal best too.
        if counts {
            pb = Some(pb.map_or(lap.time_ms, |p| p.min(lap.time_ms)));
            sectors.add(lap);
        }
        let times = sectors.times();
        let stale = coloured
            .as_ref()
            .is_none_or(|c| (c.pb_ms, &c.sectors) != (pb, &times));
        if stale {
            coloured = Some(Coloured {
                laps: colour_laps(laps, pb, &times),
                pb_ms: pb,
                sectors: times,
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
        mean_ms: mean_ms(laps),
        std_dev_ms: std_dev_ms(laps),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pitwall_core::model::{LapId, SessionId};
    use pitwall_core::stats::TimingColour::{Invalid, Normal, PersonalBest, SessionBest};

    fn lap(number: u32, time_ms: u32, sectors: [u32; 3], valid: bool, out_lap: bool) -> Lap {
        Lap {
            id: LapId(u64::from(number)),
            session: SessionId(1),
            number,
            time_ms,
            sectors: sectors.iter().map(|&s| Some(s)).collect(),
            valid,
            invalid_sector: (!valid).then_some(1),
            out_lap,
            in_lap: false,
            partial: false,
            started_at_ms: u64::from(number) * 200_000,
            completed_at_ms: u64::from(number) * 200_000 + u64::from(time_ms),
        }
    }

    #[test]
    fn green_is_a_personal_best_as_of_the_lap_and_purple_the_session_best() {
        let laps = [
            lap(1, 130_000, [50_000, 40_000, 40_000], true, true),
            lap(2, 108_000, [36_000, 36_000, 36_000], true, false),
            lap(3, 107_500, [35_900, 35_800, 35_800], true, false),
            lap(4, 100_000, [30_000, 35_000, 35_000], false, false),
            lap(5, 107_800, [35_950, 35_900, 35_950], true, false),
            lap(6, 107_000, [35_800, 35_700, 35_500], true, false),
        ];
        let prior = Prior::of(&[]);
        let table = build(&laps, 3, &prior);
        let time: Vec<_> = table.rows.iter().map(|r| r.colours.time).collect();
        // No earlier sessions: lap 2 is the first PB, lap 3 improves it, lap 5 does not.
        assert_eq!(
            time,
            [
                Normal,
                PersonalBest,
                PersonalBest,
                Invalid,
                Normal,
                SessionBest
            ]
        );
        let pbs: Vec<_> = table.rows.iter().map(|r| r.personal_best).collect();
        assert_eq!(pbs, [false, true, true, false, false, true]);
        assert_eq!(table.best.map(|l| l.number), Some(6));
        assert_eq!(table.theoretical_ms, Some(35_800 + 35_700 + 35_500));
        assert_eq!(table.rows[4].delta.to_reference_ms, Some(800));
        assert_eq!(table.rows[4].delta.to_previous_ms, Some(7_800));
    }

    #[test]
    fn earlier_sessions_set_the_bar() {
        let earlier = [lap(9, 107_600, [35_700, 36_000, 35_900], true, false)];
        let laps = [
            lap(1, 107_900, [35_800, 36_000, 36_100], true, false),
            lap(2, 107_700, [35_600, 36_000, 36_100], true, false),
        ];
        let table = build(&laps, 3, &Prior::of(&earlier));
        // Lap 2 is the session best but slower than the earlier PB: purple, not a PB.
        assert_eq!(table.rows[1].colours.time, SessionBest);
        assert!(!table.rows[1].personal_best);
        assert_eq!(table.rows[0].colours.time, Normal);
        // Its first sector beat the earlier best S1 and is the session's best: purple.
        assert_eq!(table.rows[1].colours.sectors[0], SessionBest);
        assert_eq!(table.prior_pb_ms, Some(107_600));
    }
}
