//! Unit tests of the session boundaries on hand-built frames: each restart signal alone.

use super::*;
use crate::model::{EndReason, Event};
use pitwall_acc::enums::{SessionType, Status};

fn statics(track: &str) -> StaticInfo {
    StaticInfo {
        track: track.into(),
        car: "ferrari_296_gt3".into(),
        driver: "Test".into(),
        sector_count: 3,
        sm_version: "1.9".into(),
        ac_version: "1.7".into(),
        online: false,
    }
}

fn frame(at_ms: u64) -> Frame {
    Frame {
        at_ms,
        status: Status::Live,
        session_type: SessionType::Practice,
        session_index: 0,
        completed_laps: 2,
        current_ms: 30_000 + at_ms as i32 % 1000,
        last_ms: 107_000,
        sector_index: 0,
        last_sector_ms: 0,
        valid: true,
        in_pit_lane: false,
        in_pit: false,
        distance_m: 12_000.0,
        time_left_ms: 600_000.0,
        spline: 0.3,
        physics_zeroed: false,
        graphics_packet: at_ms as i32,
        player_car: 0,
        conditions: None,
    }
}

/// The end reasons after a steady frame and then `changed`.
fn ends_after(change: impl Fn(&mut Frame), new_statics: Option<StaticInfo>) -> Vec<EndReason> {
    let mut d = Detector::new();
    let mut out = Vec::new();
    d.statics(statics("monza"));
    d.push(&frame(0), &mut out);
    d.push(&frame(16), &mut out);
    if let Some(s) = new_statics {
        d.statics(s);
    }
    let mut f = frame(33);
    change(&mut f);
    d.push(&f, &mut out);
    out.iter()
        .filter_map(|e| match e {
            Event::SessionEnded { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn steady_frames_keep_the_session() {
    assert_eq!(ends_after(|_| {}, None), []);
    // Jitter is not a restart: small distance and time-left moves, a lap timer wobble.
    assert_eq!(
        ends_after(
            |f| {
                f.distance_m -= 50.0;
                f.time_left_ms += 500.0;
                f.current_ms -= 100
            },
            None
        ),
        []
    );
}

#[test]
fn each_restart_signal_alone_ends_the_session() {
    assert_eq!(
        ends_after(|f| f.session_index = 1, None),
        [EndReason::NextSession]
    );
    assert_eq!(
        ends_after(|f| f.session_type = SessionType::Qualify, None),
        [EndReason::NextSession]
    );
    assert_eq!(
        ends_after(|f| f.completed_laps = 0, None),
        [EndReason::Restart]
    );
    assert_eq!(
        ends_after(|f| f.distance_m = 0.0, None),
        [EndReason::Restart]
    );
    assert_eq!(
        ends_after(|f| f.time_left_ms = 900_000.0, None),
        [EndReason::Restart]
    );
    assert_eq!(
        ends_after(|_| {}, Some(statics("spa"))),
        [EndReason::TrackOrCarChanged]
    );
}

#[test]
fn track_filled_in_late_is_not_a_change() {
    let mut d = Detector::new();
    let mut out = Vec::new();
    d.statics(statics(""));
    d.push(&frame(0), &mut out);
    assert!(out.is_empty(), "no session before the track is known");
    d.statics(statics("monza"));
    d.push(&frame(16), &mut out);
    assert!(matches!(&out[0], Event::SessionStarted(info) if info.track == "monza"));
}

#[test]
fn lasting_unknown_session_type_ends_the_session_but_a_flicker_does_not() {
    let mut d = Detector::new();
    let mut out = Vec::new();
    d.statics(statics("monza"));
    d.push(&frame(0), &mut out);
    for at in [16, 33, 50] {
        d.push(
            &Frame {
                session_type: SessionType::AccUnknown,
                ..frame(at)
            },
            &mut out,
        );
    }
    d.push(&frame(66), &mut out);
    assert!(!out.iter().any(|e| matches!(e, Event::SessionEnded { .. })));
    for at in (100..1_300).step_by(100) {
        d.push(
            &Frame {
                session_type: SessionType::AccUnknown,
                ..frame(at)
            },
            &mut out,
        );
    }
    assert!(out.iter().any(|e| matches!(
        e,
        Event::SessionEnded {
            reason: EndReason::Left,
            ..
        }
    )));
}

#[test]
fn same_input_same_ids() {
    let run = || {
        let mut d = Detector::new();
        let mut out = Vec::new();
        d.statics(statics("monza"));
        for at in (0..5_000).step_by(16) {
            d.push(&frame(at), &mut out);
        }
        out
    };
    assert_eq!(run(), run());
}

#[test]
fn ids_are_pinned() {
    // Stored laps are recognised by id: the derivation must never change silently.
    assert_eq!(
        crate::model::stable_hash(&[b"monza", b"ferrari_296_gt3"]),
        PINNED
    );
}

const PINNED: u64 = 816_041_614_193_664_695;

#[test]
fn a_lap_count_falling_to_another_non_zero_count_is_garbage_unless_it_lasts() {
    // One reading of 1 among readings of 2 is no restart (a restart zeroes the count).
    assert_eq!(ends_after(|f| f.completed_laps = 1, None), []);
    // Lasting, it is believed: a restart.
    let mut d = Detector::new();
    let mut out = Vec::new();
    d.statics(statics("monza"));
    d.push(&frame(0), &mut out);
    for at in (16..1_600).step_by(16) {
        d.push(
            &Frame {
                completed_laps: 1,
                ..frame(at)
            },
            &mut out,
        );
    }
    assert!(out.iter().any(|e| matches!(
        e,
        Event::SessionEnded {
            reason: EndReason::Restart,
            ..
        }
    )));
}

#[test]
fn absurd_values_are_dropped_at_the_bounds() {
    use super::sanity::{PAGE_LAPS_CEILING, PAGE_TIME_CEILING_MS, absurd};
    let ok = frame(0);
    assert!(!absurd(&ok));
    assert!(!absurd(&Frame {
        last_ms: i32::MAX,
        last_sector_ms: i32::MAX,
        current_ms: PAGE_TIME_CEILING_MS,
        completed_laps: PAGE_LAPS_CEILING,
        ..ok
    }));
    for bad in [
        Frame {
            current_ms: PAGE_TIME_CEILING_MS + 1,
            ..ok
        },
        Frame { last_ms: -1, ..ok },
        Frame {
            last_ms: i32::MAX - 1,
            ..ok
        },
        Frame {
            completed_laps: PAGE_LAPS_CEILING + 1,
            ..ok
        },
        Frame {
            session_index: -1,
            ..ok
        },
        Frame {
            time_left_ms: f32::NAN,
            ..ok
        },
        Frame {
            distance_m: -1.0,
            ..ok
        },
    ] {
        assert!(absurd(&bad), "{bad:?}");
    }
}

/// Quirk Q15: the sector index may drop back to 0 a little before the lap completes; the
/// drop is not a sector line, and the lap's sectors stay those of its splits.
#[test]
fn sector_index_dropping_to_zero_before_the_line_is_ignored() {
    let mut d = Detector::new();
    let mut out = Vec::new();
    d.statics(statics("monza"));
    for t in (0..=89_900).step_by(100) {
        let mut f = frame(t as u64);
        f.current_ms = t;
        (f.sector_index, f.last_sector_ms) = match t {
            ..30_000 => (0, 0),
            30_000..60_000 => (1, 30_000),
            60_000..89_800 => (2, 60_000),
            _ => (0, 60_000), // dropped back just before the line
        };
        d.push(&f, &mut out);
    }
    for (t, current) in [(90_000, 0), (90_100, 100)] {
        let mut f = frame(t);
        (f.completed_laps, f.current_ms, f.last_ms) = (3, current, 90_000);
        d.push(&f, &mut out);
    }
    let sectors: Vec<(u8, Option<u32>)> = out
        .iter()
        .filter_map(|e| match e {
            Event::SectorCompleted {
                sector, time_ms, ..
            } => Some((*sector, *time_ms)),
            _ => None,
        })
        .collect();
    assert_eq!(
        sectors,
        [(0, Some(30_000)), (1, Some(30_000)), (2, Some(30_000))],
        "{out:#?}"
    );
    let laps: Vec<&crate::model::Lap> = out
        .iter()
        .filter_map(|e| match e {
            Event::LapCompleted(lap) => Some(lap),
            _ => None,
        })
        .collect();
    assert_eq!(laps.len(), 1, "{out:#?}");
    assert_eq!((laps[0].number, laps[0].time_ms), (3, 90_000));
    assert_eq!(laps[0].sectors, [Some(30_000), Some(30_000), Some(30_000)]);
}
