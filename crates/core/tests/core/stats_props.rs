//! Properties of the statistics over random sessions: bests are minima of counting laps only,
//! a fast lap that does not count changes nothing, progression strictly improves, no NaN.

use crate::stats_support as support;

use std::collections::BTreeSet;

use pitwall_acc::enums::SessionType;
use pitwall_core::stats::{self, BestSectors, LapRef, TimingColour};
use pitwall_core::{Lap, LapId};
use proptest::prelude::*;

/// One random lap: three sector times from a narrow range (so ties happen), some hidden, the
/// lap time their sum (or zero, rarely), random validity and pit flags.
fn arb_lap() -> impl Strategy<Value = Lap> {
    (
        prop::array::uniform3((20_000u32..20_012, prop::bool::weighted(0.8))),
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.7),
        prop::option::of(0u8..4),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        0u64..3,
    )
        .prop_map(
            |(sectors, zero, valid, invalid_sector, out, inn, gap)| Lap {
                time_ms: if zero {
                    0
                } else {
                    sectors.iter().map(|s| s.0).sum()
                },
                sectors: sectors.iter().map(|&(t, seen)| seen.then_some(t)).collect(),
                valid,
                invalid_sector: if valid { None } else { invalid_sector },
                out_lap: out,
                in_lap: inn,
                // Stash the gap to the previous completion here; `session` fixes it up.
                completed_at_ms: gap,
                ..support::lap(1, 0)
            },
        )
}

/// A session: ids and numbers in order, completion times non-decreasing (equal ones too).
fn arb_session() -> impl Strategy<Value = Vec<Lap>> {
    prop::collection::vec(arb_lap(), 0..14).prop_map(|laps| {
        let mut at = 1_000_000;
        laps.into_iter()
            .enumerate()
            .map(|(i, lap)| {
                at += lap.completed_at_ms * 50_000;
                let number = i as u32 + 1;
                Lap {
                    id: LapId(u64::from(number)),
                    number,
                    completed_at_ms: at,
                    ..lap
                }
            })
            .collect()
    })
}

fn counting(laps: &[Lap]) -> Vec<&Lap> {
    laps.iter().filter(|l| l.counts()).collect()
}

/// A lap faster than anything in [`arb_session`], which does not count: invalid, out or in,
/// or without a time.
fn arb_intruder() -> impl Strategy<Value = Lap> {
    (0usize..4, prop::option::of(0u8..4), 1u32..1_000).prop_map(|(kind, sector, t)| {
        let lap = support::with_sectors(support::lap(99, t * 3), &[Some(t); 3]);
        let lap = Lap {
            id: LapId(99),
            completed_at_ms: 0,
            ..lap
        };
        match kind {
            0 => support::invalid(lap, sector),
            1 => support::out_lap(lap),
            2 => support::in_lap(lap),
            _ => Lap { time_ms: 0, ..lap },
        }
    })
}

proptest! {
    #[test]
    fn session_best_is_the_earliest_fastest_counting_lap(laps in arb_session()) {
        let best = stats::session_best(&laps);
        let counting = counting(&laps);
        prop_assert_eq!(best.is_none(), counting.is_empty());
        if let Some(best) = best {
            prop_assert!(best.counts());
            let min = counting.iter().map(|l| l.time_ms).min().unwrap();
            prop_assert_eq!(best.time_ms, min);
            let first = counting.iter().find(|l| l.time_ms == min).unwrap();
            prop_assert_eq!(best.id, first.id);
        }
        let reversed: Vec<Lap> = laps.iter().rev().cloned().collect();
        let key = |l: &Lap| (l.time_ms, l.completed_at_ms);
        prop_assert_eq!(stats::session_best(&reversed).map(key), best.map(key));
        let any = stats::fastest_valid_lap(&laps);
        prop_assert!(any.is_none_or(|l| l.valid && best.is_none_or(|b| l.time_ms <= b.time_ms)));
        let both = stats::SessionBests { counting: best, any_valid: any };
        prop_assert_eq!(stats::session_bests(&laps), both);
    }

    #[test]
    fn theoretical_best_never_beats_a_fully_timed_lap(laps in arb_session()) {
        let theoretical = stats::theoretical_best_ms(&laps);
        for lap in counting(&laps) {
            if lap.sectors.iter().all(Option::is_some) {
                prop_assert!(theoretical.is_some());
                prop_assert!(theoretical.unwrap() <= lap.time_ms);
            }
        }
        let bests = BestSectors::from_laps(&laps);
        for (i, best) in bests.sectors().iter().enumerate() {
            let times = counting(&laps).into_iter().filter_map(|l| l.sectors[i]);
            prop_assert_eq!(best.map(|b| b.time_ms), times.min());
            if let Some(b) = best {
                let from = laps.iter().find(|l| l.id == b.lap).unwrap();
                prop_assert!(from.counts());
                prop_assert_eq!(from.sectors[i], Some(b.time_ms));
            }
        }
    }

    #[test]
    fn pb_progression_strictly_improves_to_the_session_best(laps in arb_session()) {
        let steps = stats::pb_progression(&laps);
        for pair in steps.windows(2) {
            prop_assert!(pair[1].time_ms < pair[0].time_ms);
            prop_assert!(pair[1].completed_at_ms >= pair[0].completed_at_ms);
            prop_assert_eq!(pair[1].gain_ms, Some(pair[0].time_ms - pair[1].time_ms));
        }
        let best = stats::session_best(&laps);
        prop_assert_eq!(steps.last().map(|s| s.lap), best.map(|l| l.id));
        prop_assert_eq!(steps.first().map(|s| s.lap), counting(&laps).first().map(|l| l.id));
    }

    #[test]
    fn a_fast_lap_that_does_not_count_changes_no_best(
        laps in arb_session(),
        intruder in arb_intruder(),
        at in any::<prop::sample::Index>(),
    ) {
        let mut with = laps.clone();
        let pos = at.index(laps.len() + 1);
        with.insert(pos, intruder);
        let id = |l: Option<&Lap>| l.map(|l| l.id);
        prop_assert_eq!(id(stats::session_best(&with)), id(stats::session_best(&laps)));
        prop_assert_eq!(BestSectors::from_laps(&with), BestSectors::from_laps(&laps));
        prop_assert_eq!(stats::theoretical_best_ms(&with), stats::theoretical_best_ms(&laps));
        prop_assert_eq!(stats::mean_ms(&with), stats::mean_ms(&laps));
        prop_assert_eq!(stats::std_dev_ms(&with), stats::std_dev_ms(&laps));
        prop_assert_eq!(stats::rolling_average_ms(&with, 3), stats::rolling_average_ms(&laps, 3));
        prop_assert_eq!(stats::rolling_averages(&with, 2), stats::rolling_averages(&laps, 2));
        prop_assert_eq!(stats::pb_progression(&with), stats::pb_progression(&laps));
        let pb = |ls: &[Lap]| {
            let refs = ls.iter().map(|lap| LapRef {
                lap,
                track: "imola",
                car: "amr_v8_vantage_gt3",
                session_type: SessionType::Race,
                driver: "Ann",
            });
            stats::personal_bests(refs).into_values().map(|r| r.lap.id).collect::<Vec<_>>()
        };
        prop_assert_eq!(pb(&with), pb(&laps));
        let all_time = [Some(20_005); 3];
        let mut colours = stats::colour_laps(&with, Some(60_010), &all_time);
        let theirs = colours.remove(pos);
        prop_assert_eq!(colours, stats::colour_laps(&laps, Some(60_010), &all_time));
        let highlighted = [TimingColour::SessionBest, TimingColour::PersonalBest];
        prop_assert!(!highlighted.contains(&theirs.time));
    }

    #[test]
    fn colours_follow_the_rules(
        laps in arb_session(),
        pb in prop::option::of(60_000u32..60_040),
    ) {
        let all_time = [Some(20_004), None, Some(20_008)];
        let colours = stats::colour_laps(&laps, pb, &all_time);
        let best = stats::session_best(&laps).map(|l| l.time_ms);
        prop_assert_eq!(colours.len(), laps.len());
        for (lap, c) in laps.iter().zip(&colours) {
            prop_assert_eq!(c.lap, lap.id);
            prop_assert_eq!(c.sectors.len(), lap.sectors.len());
            let counts = lap.counts();
            let purple = counts && Some(lap.time_ms) == best;
            prop_assert_eq!(c.time == TimingColour::SessionBest, purple);
            prop_assert_eq!(c.time == TimingColour::Invalid, !lap.valid);
            if c.time == TimingColour::PersonalBest {
                prop_assert!(counts && lap.time_ms <= pb.unwrap());
            }
            for (i, s) in c.sectors.iter().enumerate() {
                let clean = lap.valid
                    || lap.invalid_sector.is_some_and(|k| i < usize::from(k) && k < 3);
                prop_assert_eq!(*s == TimingColour::Invalid, !clean);
                if !lap.is_flying() || lap.sectors[i].is_none() {
                    prop_assert!(matches!(s, TimingColour::Normal | TimingColour::Invalid));
                }
                if *s == TimingColour::PersonalBest {
                    prop_assert!(lap.sectors[i].unwrap() <= all_time[i].unwrap());
                }
            }
        }
    }

    #[test]
    fn consistency_is_finite_order_free_and_bounded(laps in arb_session(), window in 0usize..5) {
        let times: Vec<u32> = counting(&laps).iter().map(|l| l.time_ms).collect();
        let sd = stats::std_dev_ms(&laps);
        prop_assert_eq!(sd.is_some(), times.len() >= 2);
        if let Some(sd) = sd {
            let range = f64::from(times.iter().max().unwrap() - times.iter().min().unwrap());
            prop_assert!(sd.is_finite() && sd >= 0.0 && sd <= range);
            let reversed: Vec<Lap> = laps.iter().rev().cloned().collect();
            prop_assert_eq!(stats::std_dev_ms(&reversed), Some(sd));
        }
        let avg = stats::rolling_average_ms(&laps, window);
        prop_assert_eq!(avg.is_some(), window > 0 && times.len() >= window);
        if let Some(avg) = avg {
            let last = &times[times.len() - window..];
            prop_assert!(avg >= f64::from(*last.iter().min().unwrap()));
            prop_assert!(avg <= f64::from(*last.iter().max().unwrap()));
            let series = stats::rolling_averages(&laps, window);
            prop_assert_eq!(series.last().map(|p| p.average_ms), Some(avg));
        }
    }

    #[test]
    fn deltas_telescope_and_match_the_reference(
        laps in arb_session(),
        reference in 1u32..200_000,
    ) {
        let deltas = stats::lap_deltas(&laps, Some(reference));
        prop_assert_eq!(deltas.len(), laps.len());
        // Over the counting laps, each compared with the counting lap before it, the deltas
        // telescope to the last minus the first.
        let counting: Vec<i64> =
            laps.iter().filter(|l| l.counts()).map(|l| i64::from(l.time_ms)).collect();
        let total: i64 = laps
            .iter()
            .zip(&deltas)
            .filter(|(l, _)| l.counts())
            .filter_map(|(_, d)| d.to_previous_ms)
            .sum();
        prop_assert_eq!(total, counting.last().unwrap_or(&0) - counting.first().unwrap_or(&0));
        for (lap, d) in laps.iter().zip(&deltas) {
            let expected =
                (lap.time_ms > 0).then(|| i64::from(lap.time_ms) - i64::from(reference));
            prop_assert_eq!(d.to_reference_ms, expected);
        }
    }

    #[test]
    fn personal_bests_are_the_session_best_of_each_combo(
        laps in arb_session(),
        combos in prop::collection::vec(0usize..4, 14),
    ) {
        const TRACKS: [&str; 2] = ["monza", "spa"];
        const CARS: [&str; 2] = ["porsche_992_gt3_r", "audi_r8_lms_evo_ii"];
        let refs: Vec<LapRef<'_>> = laps
            .iter()
            .zip(&combos)
            .map(|(lap, &c)| LapRef {
                lap,
                track: TRACKS[c / 2],
                car: CARS[c % 2],
                session_type: SessionType::Practice,
                driver: "Ann",
            })
            .collect();
        let pbs = stats::personal_bests(refs.iter().copied());
        for (combo, pb) in &pbs {
            let same = refs.iter().filter(|r| r.combo() == *combo).map(|r| r.lap);
            prop_assert_eq!(stats::session_best(same).map(|l| l.id), Some(pb.lap.id));
        }
        let with_bests: BTreeSet<_> = refs
            .iter()
            .filter(|r| r.lap.counts())
            .map(|r| r.combo())
            .collect();
        prop_assert_eq!(pbs.keys().copied().collect::<BTreeSet<_>>(), with_bests);
    }
}
