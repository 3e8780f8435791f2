//! The lap table's rules, on small sessions written out by hand.

use super::*;
use crate::stats::TimingColour::{Invalid, Normal, PersonalBest, SessionBest};

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
        car: Default::default(),
        driver: String::new(),
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
    let table = lap_table(&laps, 3, &Prior::default());
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
    assert_eq!((table.laps(), table.counting), (6, 4));
    assert_eq!(table.pb_ms, Some(107_000));
}

#[test]
fn the_previous_lap_is_the_previous_counting_lap() {
    let laps = [
        lap(1, 130_000, [50_000, 40_000, 40_000], true, true),
        lap(2, 108_000, [36_000, 36_000, 36_000], true, false),
        lap(3, 100_000, [30_000, 35_000, 35_000], false, false),
        lap(4, 107_800, [35_950, 35_900, 35_950], true, false),
    ];
    let table = lap_table(&laps, 3, &Prior::default());
    let previous: Vec<_> = table.rows.iter().map(|r| r.delta.to_previous_ms).collect();
    // Lap 2 follows the out-lap: nothing to compare with. Lap 4 is compared with lap 2, not
    // with the invalid lap 3.
    assert_eq!(previous, [None, None, Some(-8_000), Some(-200)]);
}

#[test]
fn earlier_sessions_set_the_bar() {
    let earlier = [lap(9, 107_600, [35_700, 36_000, 35_900], true, false)];
    let laps = [
        lap(1, 107_900, [35_800, 36_000, 36_100], true, false),
        lap(2, 107_700, [35_600, 36_000, 36_100], true, false),
    ];
    let table = lap_table(&laps, 3, &Prior::of(&earlier));
    // Lap 2 is the session best but slower than the earlier PB: purple, not a PB.
    assert_eq!(table.rows[1].colours.time, SessionBest);
    assert!(!table.rows[1].personal_best);
    assert_eq!(table.rows[0].colours.time, Normal);
    // Its first sector beat the earlier best S1 and is the session's best: purple.
    assert_eq!(table.rows[1].colours.sectors[0], SessionBest);
    assert_eq!(table.prior_pb_ms, Some(107_600));
}

#[test]
fn marks_say_where_a_lap_was_invalidated_and_that_it_was_a_pb() {
    let laps = [
        lap(1, 130_000, [50_000, 40_000, 40_000], true, true),
        lap(2, 108_000, [36_000, 36_000, 36_000], true, false),
        lap(3, 100_000, [30_000, 35_000, 35_000], false, false),
    ];
    let table = lap_table(&laps, 3, &Prior::default());
    let labels: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.marks.iter().map(|m| m.label().into_owned()).collect())
        .collect();
    assert_eq!(
        labels,
        [vec!["OUT"], vec!["PB"], vec!["INVALID (S2)"]]
            .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>())
    );
    // The invalid lap's sectors from the one it was invalidated in are red; the first is
    // clean and the session's fastest first sector so far among counting laps' is 36.000.
    assert_eq!(
        table.rows[2].colours.sectors,
        [SessionBest, Invalid, Invalid]
    );
}

#[test]
fn a_running_lap_is_coloured_and_marked_against_the_same_references() {
    let earlier = [lap(9, 107_600, [35_700, 36_000, 35_900], true, false)];
    let laps = [lap(1, 107_900, [35_800, 36_000, 36_100], true, false)];
    let table = lap_table(&laps, 3, &Prior::of(&earlier));
    let sectors = [Some(35_750), Some(35_900)];
    assert_eq!(
        table.running_colours(&sectors, true, None, false),
        [SessionBest, SessionBest]
    );
    assert_eq!(
        table.running_colours(&[Some(35_850)], true, None, false),
        [Normal]
    );
    assert_eq!(
        table.running_colours(&sectors, false, Some(1), false),
        [SessionBest, Invalid]
    );
    // Invalidated in the sector being driven: the completed first sector stays clean.
    assert_eq!(
        table.running_colours(&sectors[..1], false, Some(1), false),
        [SessionBest]
    );
    // An out-lap's sectors are never coloured.
    assert_eq!(
        table.running_colours(&sectors, true, None, true),
        [Normal, Normal]
    );
    assert_eq!(
        running_marks(false, Some(0), true),
        [Mark::Invalid { sector: Some(0) }, Mark::Out]
    );
}
