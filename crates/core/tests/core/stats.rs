//! Statistics over hand-made sessions: each test pins one rule, including the recurring bugs
//! of other tools (invalid laps or out-laps becoming bests).

use crate::stats_support as support;

use pitwall_acc::enums::SessionType;
use pitwall_core::stats::{self, BestSectors, Combo, DriverCombo, LapRef, PbStep};
use pitwall_core::{Lap, LapId};
use support::{in_lap, invalid, lap, out_lap, split, with_sectors};

#[test]
fn empty_input_gives_none_everywhere() {
    let none: [Lap; 0] = [];
    assert_eq!(stats::session_best(&none), None);
    assert_eq!(stats::fastest_valid_lap(&none), None);
    assert_eq!(stats::session_bests(&none), stats::SessionBests::default());
    assert!(stats::personal_bests(std::iter::empty()).is_empty());
    assert_eq!(stats::theoretical_best_ms(&none), None);
    assert_eq!(stats::mean_ms(&none), None);
    assert_eq!(stats::std_dev_ms(&none), None);
    assert_eq!(stats::rolling_average_ms(&none, 3), None);
    assert!(stats::rolling_averages(&none, 3).is_empty());
    assert!(stats::lap_deltas(&none, Some(90_000)).is_empty());
    assert!(stats::pb_progression(&none).is_empty());
    assert!(stats::colour_laps(&none, Some(90_000), &[Some(30_000)]).is_empty());
}

#[test]
fn invalid_and_pit_laps_never_become_the_session_best() {
    // An invalid 1:20 (accweb#272), a short out-lap (gt7-datalogger PR #10) and an in-lap.
    let laps = [
        out_lap(lap(1, 70_000)),
        lap(2, 92_000),
        invalid(lap(3, 80_000), Some(1)),
        lap(4, 91_500),
        in_lap(lap(5, 85_000)),
    ];
    assert_eq!(stats::session_best(&laps).unwrap().number, 4);
    // The fastest valid lap of any kind may be an out-lap, but never the invalid one.
    assert_eq!(stats::fastest_valid_lap(&laps).unwrap().number, 1);
    let both = stats::session_bests(&laps);
    assert_eq!(both.counting.map(|l| l.number), Some(4));
    assert_eq!(both.any_valid.map(|l| l.number), Some(1));
}

#[test]
fn ties_go_to_the_earlier_lap_and_zero_times_are_ignored() {
    let laps = [lap(3, 90_000), lap(1, 95_000), lap(2, 90_000), lap(4, 0)];
    // Lap 2 completed before lap 3, though given after it.
    assert_eq!(stats::session_best(&laps).unwrap().number, 2);
    let same_instant = [
        lap(7, 90_000),
        Lap {
            id: LapId(9),
            ..lap(7, 90_000)
        },
    ];
    assert_eq!(stats::session_best(&same_instant).unwrap().id, LapId(1007));
    assert_eq!(stats::session_best(&[lap(1, 0)]), None);
}

#[test]
fn personal_bests_per_track_and_car_and_per_driver() {
    let laps = [
        lap(1, 90_000),
        lap(2, 89_000),
        invalid(lap(3, 80_000), None),
        lap(4, 101_000),
        out_lap(lap(5, 60_000)),
    ];
    let tag = |i: usize, track, car, driver| LapRef {
        lap: &laps[i],
        track,
        car,
        session_type: SessionType::Practice,
        driver,
    };
    let refs = [
        tag(0, "monza", "ferrari_296_gt3", "Ann"),
        tag(1, "monza", "ferrari_296_gt3", "Bob"),
        tag(2, "monza", "ferrari_296_gt3", "Ann"),
        tag(3, "spa", "ferrari_296_gt3", "Ann"),
        tag(4, "spa", "ferrari_296_gt3", "Ann"),
    ];
    let pbs = stats::personal_bests(refs);
    let monza = Combo {
        track: "monza",
        car: "ferrari_296_gt3",
    };
    let spa = Combo {
        track: "spa",
        car: "ferrari_296_gt3",
    };
    assert_eq!(pbs.len(), 2);
    assert_eq!(pbs[&monza].lap.number, 2);
    assert_eq!(pbs[&spa].lap.number, 4);

    let per_driver = stats::personal_bests_per_driver(refs);
    let ann = DriverCombo {
        track: "monza",
        car: "ferrari_296_gt3",
        driver: "Ann",
    };
    assert_eq!(per_driver.len(), 3);
    assert_eq!(per_driver[&ann].lap.number, 1);
}

#[test]
fn best_sectors_remember_their_lap_and_skip_unknown_ones() {
    let laps = [
        split(1, [30_500, 40_000, 20_000]),
        with_sectors(lap(2, 91_000), &[None, Some(39_000), Some(0)]),
        invalid(split(3, [29_000, 38_000, 19_000]), Some(2)),
        split(4, [30_000, 40_500, 20_100]),
        out_lap(split(5, [10_000, 10_000, 10_000])),
    ];
    let bests = BestSectors::from_laps(&laps);
    let numbers: Vec<_> = bests
        .sectors()
        .iter()
        .map(|s| s.unwrap().lap_number)
        .collect();
    assert_eq!(numbers, [4, 2, 1]);
    assert_eq!(bests.times(), [Some(30_000), Some(39_000), Some(20_000)]);
    assert_eq!(bests.get(1).unwrap().lap, LapId(1002));
    assert_eq!(bests.get(3), None);
    assert_eq!(bests.theoretical_best_ms(), Some(89_000));
    assert_eq!(stats::theoretical_best_ms(&laps), Some(89_000));
}

#[test]
fn theoretical_best_needs_every_sector() {
    let laps = [with_sectors(
        lap(1, 90_000),
        &[Some(30_000), None, Some(20_000)],
    )];
    assert_eq!(stats::theoretical_best_ms(&laps), None);
    // A track's third sector with no time yet.
    let mut bests = BestSectors::new(3);
    bests.add(&with_sectors(lap(2, 90_000), &[Some(30_000), Some(40_000)]));
    assert_eq!(bests.sectors().len(), 3);
    assert_eq!(bests.theoretical_best_ms(), None);
    bests.add(&split(3, [31_000, 41_000, 21_000]));
    assert_eq!(bests.theoretical_best_ms(), Some(91_000));
    assert_eq!(BestSectors::new(0).theoretical_best_ms(), None);
}

#[test]
fn consistency_and_rolling_average_use_counting_laps_only() {
    let laps = [
        out_lap(lap(1, 120_000)),
        lap(2, 90_000),
        invalid(lap(3, 60_000), Some(0)),
        lap(4, 91_000),
        in_lap(lap(5, 130_000)),
        lap(6, 92_000),
    ];
    assert_eq!(stats::mean_ms(&laps), Some(91_000.0));
    assert_eq!(stats::std_dev_ms(&laps), Some(1_000.0));
    assert_eq!(stats::std_dev_ms(&laps[..2]), None);
    assert_eq!(
        stats::std_dev_ms(&[lap(1, 90_000), lap(2, 90_000)]),
        Some(0.0)
    );
    assert_eq!(stats::rolling_average_ms(&laps, 2), Some(91_500.0));
    assert_eq!(stats::rolling_average_ms(&laps, 3), Some(91_000.0));
    assert_eq!(stats::rolling_average_ms(&laps, 4), None);
    assert_eq!(stats::rolling_average_ms(&laps, 0), None);
    let series = stats::rolling_averages(&laps, 2);
    let points: Vec<_> = series.iter().map(|p| (p.lap, p.average_ms)).collect();
    assert_eq!(points, [(LapId(1004), 90_500.0), (LapId(1006), 91_500.0)]);
}

#[test]
fn deltas_to_previous_and_to_reference() {
    let laps = [
        lap(1, 91_000),
        out_lap(lap(2, 100_000)),
        invalid(lap(3, 89_000), Some(1)),
        lap(4, 0),
        lap(5, 90_500),
    ];
    let deltas = stats::lap_deltas(&laps, Some(90_000));
    let prev: Vec<_> = deltas.iter().map(|d| d.to_previous_ms).collect();
    let reference: Vec<_> = deltas.iter().map(|d| d.to_reference_ms).collect();
    // "Previous" is the last lap that counts: lap 5 is compared with lap 1, not with the
    // out-lap, the invalid lap or the lap without a time in between.
    assert_eq!(prev, [None, Some(9_000), Some(-2_000), None, Some(-500)]);
    assert_eq!(
        reference,
        [Some(1_000), Some(10_000), Some(-1_000), None, Some(500)]
    );
    assert!(
        stats::lap_deltas(&laps, None)
            .iter()
            .all(|d| d.to_reference_ms.is_none())
    );
}

#[test]
fn pb_progression_only_steps_on_strict_improvements() {
    let laps = [
        lap(1, 95_000),
        lap(2, 93_000),
        invalid(lap(3, 85_000), None),
        lap(4, 93_000),
        out_lap(lap(5, 80_000)),
        lap(7, 92_000),
        lap(6, 96_000),
    ];
    let steps = stats::pb_progression(&laps);
    let at = |n: u32| lap(n, 0).completed_at_ms;
    assert_eq!(
        steps,
        [
            PbStep {
                completed_at_ms: at(1),
                time_ms: 95_000,
                lap: LapId(1001),
                gain_ms: None
            },
            PbStep {
                completed_at_ms: at(2),
                time_ms: 93_000,
                lap: LapId(1002),
                gain_ms: Some(2_000)
            },
            PbStep {
                completed_at_ms: at(7),
                time_ms: 92_000,
                lap: LapId(1007),
                gain_ms: Some(1_000)
            },
        ]
    );
}

#[test]
fn pb_progression_by_combo_keeps_combos_apart() {
    let laps = [lap(1, 95_000), lap(2, 80_000), lap(3, 94_000)];
    let tag = |i: usize, track| LapRef {
        lap: &laps[i],
        track,
        car: "bmw_m4_gt3",
        session_type: SessionType::Hotlap,
        driver: "Ann",
    };
    let by_combo =
        stats::pb_progression_by_combo([tag(0, "zolder"), tag(1, "misano"), tag(2, "zolder")]);
    let zolder = &by_combo[&Combo {
        track: "zolder",
        car: "bmw_m4_gt3",
    }];
    assert_eq!(
        zolder.iter().map(|s| s.time_ms).collect::<Vec<_>>(),
        [95_000, 94_000]
    );
    assert_eq!(by_combo.len(), 2);
}
