//! Timing colours of hand-made sessions: purple, green, red and plain for laps and sectors,
//! with the rules on invalid laps, out/in laps, unknown sectors and ties.

use crate::stats_support as support;

use pitwall_core::LapId;
use pitwall_core::stats::{self, TimingColour::*};
use support::{in_lap, invalid, lap, out_lap, split, with_sectors};

#[test]
fn colours_of_a_session() {
    let laps = [
        out_lap(split(1, [40_000, 40_000, 25_000])),
        split(2, [30_200, 39_800, 20_500]),
        invalid(split(3, [29_000, 38_000, 21_000]), Some(1)),
        split(4, [30_000, 40_300, 20_400]),
        invalid(split(5, [29_900, 39_000, 20_000]), None),
        in_lap(split(6, [30_100, 39_500, 30_000])),
        split(7, [30_100, 39_900, 20_900]),
    ];
    // All-time: PB 91.0 s, best sectors 30.1 / 40.0 / 20.3.
    let colours = stats::colour_laps(
        &laps,
        Some(91_000),
        &[Some(30_100), Some(40_000), Some(20_300)],
    );
    let table: Vec<_> = colours
        .iter()
        .map(|c| (c.time, c.sectors.as_slice()))
        .collect();
    assert_eq!(
        table,
        [
            (Normal, &[Normal, Normal, Normal][..]),
            // 90.5 s: the session's best lap; its S2 is the session's best S2.
            (SessionBest, &[Normal, SessionBest, Normal][..]),
            // Invalid in S2: its clean S1 beats every counting S1 and is shown purple.
            (Invalid, &[SessionBest, Invalid, Invalid][..]),
            // 90.7 s: under the all-time PB, so green; best S1 and S3 of the session.
            (PersonalBest, &[SessionBest, Normal, SessionBest][..]),
            // Invalid without saying where: all red.
            (Invalid, &[Invalid, Invalid, Invalid][..]),
            (Normal, &[Normal, Normal, Normal][..]),
            // 90.9 s: green; S1 ties the all-time best S1, S2 beats the all-time S2 only.
            (PersonalBest, &[PersonalBest, PersonalBest, Normal][..]),
        ]
    );
    assert_eq!(colours[6].lap, LapId(1007));
}

#[test]
fn colours_without_references_and_with_odd_invalid_sectors() {
    let laps = [
        split(1, [30_000, 40_000, 20_000]),
        invalid(split(2, [29_000, 39_000, 19_000]), Some(7)),
        with_sectors(lap(3, 92_000), &[None, Some(0), Some(22_000)]),
    ];
    let colours = stats::colour_laps(&laps, None, &[]);
    assert_eq!(colours[0].time, SessionBest);
    assert_eq!(colours[0].sectors, [SessionBest, SessionBest, SessionBest]);
    // An invalid sector the lap does not have: nothing on that lap can be trusted.
    assert_eq!(colours[1].sectors, [Invalid, Invalid, Invalid]);
    assert_eq!(colours[2].time, Normal);
    assert_eq!(colours[2].sectors, [Normal, Normal, Normal]);
}

#[test]
fn tied_laps_are_all_purple() {
    let laps = [
        split(1, [30_000, 40_000, 20_000]),
        split(2, [30_000, 40_000, 20_000]),
    ];
    let colours = stats::colour_laps(&laps, None, &[]);
    assert!(colours.iter().all(|c| c.time == SessionBest));
    assert!(colours.iter().all(|c| c.sectors == [SessionBest; 3]));
    // The record itself belongs to the earlier lap.
    assert_eq!(stats::session_best(&laps).unwrap().id, LapId(1001));
}
