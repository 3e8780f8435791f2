//! One scenario per quirk of ACC's pages (`acc-shared-memory.md` section 4), each named after
//! the quirk it covers, sampled at the graphics rate (60 Hz) unless the quirk is about
//! sampling. The scenario-wide checks live in `scenarios.rs`; the random ones in
//! `properties.rs`.

use crate::common;

use common::*;
use pitwall_core::{AbandonReason, EndReason, Event};
use std::time::Duration;

const HZ60: Duration = Duration::from_micros(16_667);

fn script(body: &str) -> String {
    format!(
        "track monza\ncar ferrari_296_gt3\nsession practice\ndriver Test\nsectors 3\n{body}\nexit\n"
    )
}

fn times(events: &[Event]) -> Vec<u32> {
    laps(events).iter().map(|l| l.time_ms).collect()
}

fn ends(events: &[Event]) -> Vec<EndReason> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::SessionEnded { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

fn abandons(events: &[Event]) -> Vec<AbandonReason> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::LapAbandoned { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn cumulative_last_sector_time_becomes_sector_times() {
    let s = script("lap 1:47.345 splits=35.100,38.200\nlap 1:48.000 splits=36.000,37.000");
    let laps = laps(&common::events(&s, HZ60, 1));
    // Sector k = split_k - split_(k-1); last sector = lap time - last split.
    assert_eq!(laps[0].sectors, [Some(35_100), Some(38_200), Some(34_045)]);
    assert_eq!(laps[1].sectors, [Some(36_000), Some(37_000), Some(35_000)]);
}

#[test]
fn last_time_arriving_late_or_early_is_still_exact() {
    for mode in ["late:1", "late:3", "early:1", "early:2", "same"] {
        let s = script(&format!(
            "quirk last_time {mode}\nlap 1:47.345\nlap 1:46.901\nlap 1:46.901\nlap 1:47.002"
        ));
        let t = times(&common::events(&s, HZ60, 1));
        assert_eq!(t, [107_345, 106_901, 106_901, 107_002], "mode {mode}");
    }
}

#[test]
fn pit_lane_line_crossing_starts_the_out_lap_without_a_lap() {
    let s = script("pitbox 20s\noutlap 2:10.000\nlap 1:47.345");
    let events = common::events(&s, HZ60, 1);
    let laps = laps(&events);
    assert_eq!(
        laps.iter()
            .map(|l| (l.time_ms, l.out_lap))
            .collect::<Vec<_>>(),
        [(130_000, true), (107_345, false)]
    );
    // Pit time is not an abandoned lap; the only abandoned lap is the one begun at the last
    // line when the game exits.
    assert_eq!(
        abandons(&events),
        [AbandonReason::SessionEnded],
        "{events:#?}"
    );
}

#[test]
fn in_lap_and_drive_through_are_flagged() {
    let s = script("lap 1:47.000\ninlap 1:55.000\nlap 1:50.000\nlap 1:47.500");
    let laps = laps(&common::events(&s, HZ60, 1));
    let flags: Vec<(bool, bool)> = laps.iter().map(|l| (l.out_lap, l.in_lap)).collect();
    assert_eq!(
        flags,
        [(false, false), (false, true), (true, false), (false, false)]
    );
}

#[test]
fn is_valid_lap_latches_and_its_flicker_is_ignored() {
    let s = script(
        "quirk valid_flicker on\nlap 1:47.000\nlap 1:48.000 cut=2\nlap 1:47.500\nflicker valid 1\nlap 1:47.600",
    );
    let laps = laps(&common::events(&s, HZ60, 1));
    let valid: Vec<(bool, Option<u8>)> = laps.iter().map(|l| (l.valid, l.invalid_sector)).collect();
    assert_eq!(
        valid,
        [(true, None), (false, Some(1)), (true, None), (true, None)]
    );
}

#[test]
fn session_type_flicker_is_debounced() {
    let s = script("lap 1:47.000\nflicker session 5\nlap 1:47.500\nlap 1:47.600");
    let events = common::events(&s, HZ60, 1);
    assert_eq!(times(&events), [107_000, 107_500, 107_600]);
    assert_eq!(ends(&events), [EndReason::Left], "one session: {events:#?}");
}

#[test]
fn pause_freezes_the_lap() {
    let s = script("lap 1:47.000\nlap 1:48.000 pause_at=0.5:20s\npause 5s\nlap 1:47.500");
    let events = common::events(&s, HZ60, 1);
    assert_eq!(times(&events), [107_000, 108_000, 107_500]);
    assert_eq!(ends(&events), [EndReason::Left]);
}

#[test]
fn replay_is_never_recorded() {
    let s = script("lap 1:47.000\nreplay 120s\nlap 1:48.000");
    let events = common::events(&s, HZ60, 1);
    assert_eq!(times(&events), [107_000, 108_000]);
}

#[test]
fn restart_before_the_first_lap_is_a_new_session() {
    // No lap completed yet: only the distance (and the time left) show the restart.
    let s = script(
        "duration 30m\npitbox 3s\noutlap 2:10.000 abandon=0.9\nrestart\npitbox 2s\noutlap 2:10.000\nlap 1:47.000",
    );
    let events = common::events(&s, HZ60, 1);
    assert_eq!(
        ends(&events),
        [EndReason::Restart, EndReason::Left],
        "{events:#?}"
    );
    assert_eq!(times(&events), [130_000, 107_000]);
}

#[test]
fn restart_mid_lap_abandons_it() {
    let s = script("lap 1:47.000\nlap 1:48.000 abandon=0.99\nrestart\nlap 1:49.000");
    let events = common::events(&s, HZ60, 1);
    // The teleport and the restart come within the pause menu: the lap is dropped either way.
    assert_eq!(abandons(&events)[0], AbandonReason::Restart);
    assert_eq!(times(&events), [107_000, 109_000]);
    assert_eq!(ends(&events)[0], EndReason::Restart);
    let s = script("lap 1:47.000\nlap 1:48.000\nrestart after=0\nlap 1:49.000");
    let evs = common::events(&s, HZ60, 1);
    assert_eq!(ends(&evs), [EndReason::Restart, EndReason::Left]);
}

#[test]
fn next_session_is_a_new_session() {
    let s = script("lap 1:47.000\nlap 1:48.000\nnext qualify\nlap 1:46.000\nlap 1:46.500");
    let events = common::events(&s, HZ60, 1);
    assert_eq!(ends(&events), [EndReason::NextSession, EndReason::Left]);
    let starts: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::SessionStarted(i) => Some(i.session_type),
            _ => None,
        })
        .collect();
    assert_eq!(starts.len(), 2);
    assert_ne!(starts[0], starts[1]);
}

#[test]
fn return_to_pits_abandons_the_lap_and_the_session_goes_on() {
    let s =
        script("lap 1:47.000\nlap 1:48.000 abandon=0.5\npitbox 5s\noutlap 2:10.000\nlap 1:47.500");
    let events = common::events(&s, HZ60, 1);
    assert_eq!(
        abandons(&events),
        [AbandonReason::ReturnedToPits, AbandonReason::SessionEnded]
    );
    assert_eq!(ends(&events), [EndReason::Left]);
    assert_eq!(times(&events), [107_000, 130_000, 107_500]);
}

#[test]
fn menus_and_exit_end_the_session() {
    let s = script("lap 1:47.000\npause 2s\nmenu 5s\nnext practice\nlap 1:48.000");
    let events = common::events(&s, HZ60, 1);
    assert!(ends(&events).len() >= 2, "{events:#?}");
    assert_eq!(times(&events), [107_000, 108_000]);
}

#[test]
fn graphics_stall_loses_nothing() {
    let s =
        script("lap 1:47.000\nlap 1:48.000 stall_at=0.99:600ms\nlap 1:47.500 stall_at=0.3:800ms");
    assert_eq!(
        times(&common::events(&s, HZ60, 1)),
        [107_000, 108_000, 107_500]
    );
}

#[test]
fn static_page_arriving_late() {
    let s = script("quirk track_delay 3s\nlap 1:47.000\nlap 1:48.000");
    let evs = common::events(&s, HZ60, 1);
    let info = evs
        .iter()
        .find_map(|e| match e {
            Event::SessionStarted(i) => Some(i.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(info.track, "monza");
    assert_eq!(times(&evs), [107_000, 108_000]);
}

#[test]
fn garbage_frames_are_dropped() {
    let scenario = pitwall_sim::Scenario::parse(&script("lap 1:47.000\nlap 1:48.000")).unwrap();
    let sim = pitwall_sim::Simulator::new(scenario, pitwall_sim::SimOptions::default());
    // Every 50th frame is torn: negative lap counter and timer.
    let snaps = pitwall_sim::sample(sim, HZ60)
        .enumerate()
        .map(|(i, mut s)| {
            if i % 50 == 25 {
                s.graphics.completed_laps.set(-7);
                s.graphics.i_current_time.set(-1);
            }
            s
        });
    assert_eq!(times(&run(snaps)), [107_000, 108_000]);
}
