//! One test per rule of the validation module.

use super::*;
use crate::model::{LapId, SessionId};
use pitwall_acc::enums::SessionType;

/// 2024-05-31 10:00:00 UTC.
const T0: u64 = 1_717_149_600_000;
/// The clock of these tests: a day after T0.
const NOW: u64 = T0 + 86_400_000;

fn info() -> SessionInfo {
    SessionInfo {
        id: SessionId(1),
        track: "monza".into(),
        car: "ferrari_296_gt3".into(),
        session_type: SessionType::Practice,
        driver: "Ann".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms: T0,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

fn lap_of(time_ms: u32, sectors: Vec<Option<u32>>) -> Lap {
    Lap {
        id: LapId(1),
        session: SessionId(1),
        number: 1,
        time_ms,
        sectors,
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: T0 + 1_000,
        completed_at_ms: T0 + 1_000 + u64::from(time_ms),
        car: Default::default(),
        driver: String::new(),
    }
}

fn check(l: &Lap) -> Result {
    lap(&info(), l, NOW)
}

#[test]
fn sectors_must_add_up_when_all_are_known() {
    assert!(check(&lap_of(90_000, vec![Some(30_000); 3])).is_ok());
    assert!(
        check(&lap_of(90_001, vec![Some(30_000); 3])).is_ok(),
        "1 ms rounding"
    );
    let err = check(&lap_of(90_002, vec![Some(30_000); 3])).unwrap_err();
    assert!(err.message().contains("add up to 90000 ms"), "{err}");
    assert!(check(&lap_of(90_000, vec![None, Some(30_000), Some(30_000)])).is_ok());
    assert!(check(&lap_of(50_000, vec![None, Some(30_000), Some(30_000)])).is_err());
    assert!(
        check(&lap_of(90_000, vec![Some(30_000); 4])).is_err(),
        "4 sectors of 3"
    );
    // The import fault: sectors of 6 ms in all on an 85 s lap.
    assert!(check(&lap_of(85_000, vec![Some(2), Some(2), Some(2)])).is_err());
}

#[test]
fn a_pace_lap_takes_between_the_floor_and_the_ceiling() {
    // The ingest fault: a 1 ms lap with a 1 ms last sector led the leaderboard.
    let err = check(&lap_of(1, vec![None, None, Some(1)])).unwrap_err();
    assert!(err.message().contains("too short"), "{err}");
    assert!(check(&lap_of(MIN_LAP_MS - 1, vec![])).is_err());
    assert!(check(&lap_of(MIN_LAP_MS, vec![])).is_ok());
    assert!(check(&lap_of(MAX_LAP_MS, vec![])).is_ok());
    let err = check(&lap_of(MAX_LAP_MS + 1, vec![])).unwrap_err();
    assert!(err.message().contains("too long"), "{err}");
    assert!(
        check(&lap_of(u32::MAX, vec![])).is_err(),
        "garbage timer values"
    );
    // A partial lap counts for bests too, so the floor holds for it.
    let mut partial = lap_of(1, vec![]);
    partial.partial = true;
    assert!(check(&partial).is_err());
}

#[test]
fn out_and_in_laps_may_be_short_or_hold_time_in_the_pits() {
    let mut out = lap_of(5_000, vec![None, None, Some(5_000)]);
    out.out_lap = true;
    assert!(
        check(&out).is_ok(),
        "a short out-lap from a box before the line"
    );
    let mut waited = lap_of(20 * 3_600_000, vec![]);
    waited.out_lap = true;
    assert!(
        check(&waited).is_ok(),
        "a driver who sat in the pits for 20 h"
    );
    let mut absurd = lap_of(MAX_PIT_LAP_MS + 1, vec![]);
    absurd.in_lap = true;
    assert!(check(&absurd).is_err());
    let mut blink = lap_of(MIN_PIT_LAP_MS - 1, vec![]);
    blink.in_lap = true;
    assert!(check(&blink).is_err());
}

#[test]
fn a_zero_time_is_only_for_a_partial_lap() {
    assert!(check(&lap_of(0, vec![])).is_err());
    let mut partial = lap_of(0, vec![]);
    partial.partial = true;
    assert!(check(&partial).is_ok());
}

#[test]
fn a_pace_lap_sector_is_not_absurdly_short() {
    let err = check(&lap_of(85_000, vec![None, None, Some(1)])).unwrap_err();
    assert!(err.message().contains("sector of 1 ms"), "{err}");
    assert!(check(&lap_of(85_000, vec![None, None, Some(MIN_SECTOR_MS)])).is_ok());
    // Zero is unknown, as in the store.
    assert!(check(&lap_of(85_000, vec![Some(0), None, Some(30_000)])).is_ok());
}

#[test]
fn invalid_sector_and_lap_numbers_are_in_range() {
    let mut l = lap_of(90_000, vec![]);
    l.invalid_sector = Some(3);
    assert!(check(&l).is_err());
    l.invalid_sector = Some(2);
    assert!(check(&l).is_ok());
    l.number = 0;
    assert!(check(&l).is_err());
    l.number = MAX_LAP_NUMBER + 1;
    assert!(check(&l).is_err());
}

#[test]
fn timestamps_are_bounded() {
    let mut s = info();
    assert!(session(&s, Some(T0 + 1), NOW).is_ok());
    s.started_at_ms = i64::MAX as u64;
    let err = session(&s, None, NOW).unwrap_err();
    assert!(err.message().contains("in the future"), "{err}");
    s.started_at_ms = u64::MAX;
    assert!(session(&s, None, NOW).is_err(), "never 2^63 or more");
    s.started_at_ms = 5;
    assert!(
        session(&s, None, NOW)
            .unwrap_err()
            .message()
            .contains("2018")
    );
    s.started_at_ms = NOW + MAX_AHEAD_MS;
    assert!(session(&s, None, NOW).is_ok(), "a day ahead is allowed");
    let s = info();
    assert!(session(&s, Some(T0 - 1), NOW).is_err(), "end before start");
    assert!(session(&s, Some(NOW + MAX_AHEAD_MS + 1), NOW).is_err());

    let mut l = lap_of(90_000, vec![]);
    l.completed_at_ms = u64::MAX;
    assert!(check(&l).is_err());
    let mut l = lap_of(90_000, vec![]);
    l.started_at_ms = l.completed_at_ms + 1;
    assert!(check(&l).is_err());
    let mut l = lap_of(90_000, vec![]);
    l.started_at_ms = T0 - 200_000;
    l.completed_at_ms = T0 - 100_000;
    let err = check(&l).unwrap_err();
    assert!(
        err.message().contains("before its session started"),
        "{err}"
    );
}

#[test]
fn strings_are_bounded_and_free_of_nul() {
    let cases: Vec<(&str, Change)> = vec![
        ("track", |s| s.track = "x".repeat(MAX_NAME_BYTES + 1)),
        ("car", |s| s.car = "x".repeat(MAX_NAME_BYTES + 1)),
        ("driver", |s| s.driver = "x".repeat(MAX_NAME_BYTES + 1)),
        ("sm_version", |s| {
            s.sm_version = "1".repeat(MAX_VERSION_BYTES + 1)
        }),
        ("ac_version", |s| s.ac_version = "1".repeat(100_000)),
        ("track", |s| s.track = "mon\0za".into()),
        ("car", |s| s.car = "\0".into()),
        ("driver", |s| s.driver = "Ann\0".into()),
        ("sm_version", |s| s.sm_version = "1.9\0".into()),
        ("ac_version", |s| s.ac_version = "\0".into()),
        ("track", |s| s.track = "  ".into()),
    ];
    for (what, change) in cases {
        let mut s = info();
        change(&mut s);
        let err = session(&s, None, NOW).unwrap_err();
        assert!(err.message().contains(what), "{what}: {err}");
    }
    let mut s = info();
    s.driver = String::new();
    assert!(
        session(&s, None, NOW).is_ok(),
        "the game may not name the driver"
    );
    s.driver = "Ü".repeat(MAX_NAME_BYTES / 2);
    assert!(session(&s, None, NOW).is_ok());
    s.sector_count = MAX_SECTORS + 1;
    assert!(session(&s, None, NOW).is_err());
}

#[test]
fn lap_numbers_and_ids_are_unique_in_a_session() {
    let s = info();
    let one = lap_of(90_000, vec![]);
    let mut two = lap_of(91_000, vec![]);
    two.id = LapId(2);
    two.number = 2;
    assert!(session_with_laps(&s, None, &[one.clone(), two.clone()], NOW).is_ok());
    let mut same_number = two.clone();
    same_number.number = 1;
    let err = session_with_laps(&s, None, &[one.clone(), same_number], NOW).unwrap_err();
    assert!(
        err.message().contains("lap number 1 is given twice"),
        "{err}"
    );
    let mut same_id = two;
    same_id.id = LapId(1);
    let err = session_with_laps(&s, None, &[one.clone(), same_id], NOW).unwrap_err();
    assert!(err.message().contains("given twice"), "{err}");
    let mut other = one;
    other.session = SessionId(9);
    assert!(
        session_with_laps(&s, None, &[other], NOW).is_err(),
        "another session's lap"
    );
}

#[test]
fn duplicate_keys_are_refused_at_every_level() {
    let ok = br#"{"a": {"b": [{"c": 1}, {"c": 2}]}, "d": null, "e": [1, "x", true, 1.5]}"#;
    assert!(serde_json::from_slice::<UniqueKeys>(ok).is_ok());
    for (text, path) in [
        (r#"{"a": 1, "a": 2}"#, "duplicate key `a`"),
        (
            r#"{"session": {"id": "1", "id": "2"}}"#,
            "duplicate key `session.id`",
        ),
        (
            r#"{"laps": [{"n": 1}, {"n": 2, "t": 1, "t": 2}]}"#,
            "duplicate key `laps[1].t`",
        ),
    ] {
        let err = serde_json::from_slice::<UniqueKeys>(text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains(path), "{text}: {err}");
    }
}

/// A change that breaks one rule.
type Change = fn(&mut SessionInfo);
