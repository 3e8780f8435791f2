//! The game's quirks, injected on purpose: `iLastTime` a frame late or early, flickers,
//! graphics stalls, zero physics after loading, a late static page, replays and menus.

use pitwall_acc::enums::{SessionType, Status};
use pitwall_acc::snapshot::Snapshot;
use pitwall_sim::{Scenario, SimOptions, Simulator};
use std::time::Duration;

fn sim(script: &str) -> Simulator {
    let scenario: Scenario = script.parse().expect("valid script");
    Simulator::new(scenario, SimOptions::default())
}

/// Every graphics frame (and the static page with it) of a script.
fn frames(script: &str) -> Vec<Snapshot> {
    let mut sim = sim(script);
    let mut out = Vec::new();
    while let Some(step) = sim.step() {
        if step.graphics {
            out.push(sim.snapshot().clone());
        }
    }
    out
}

/// Index of the frame where completedLaps first reaches `laps`.
fn crossing(frames: &[Snapshot], laps: i32) -> usize {
    frames
        .iter()
        .position(|s| s.graphics.completed_laps.get() == laps)
        .expect("the lap is completed")
}

#[test]
fn last_time_can_come_late() {
    let f = frames("quirk last_time late:2\nlap 1:00.000\nlap 1:01.000\nexit\n");
    let i = crossing(&f, 2);
    let g = |k: usize| {
        (
            f[k].graphics.completed_laps.get(),
            f[k].graphics.i_last_time.get(),
        )
    };
    assert!(f[i].graphics.i_current_time.get() < 17);
    assert_eq!(g(i - 1), (1, 60_000));
    assert_eq!(g(i), (2, 60_000), "counter first");
    assert_eq!(g(i + 1), (2, 60_000));
    assert_eq!(g(i + 2), (2, 61_000), "time two frames later");
    assert_eq!(f[i + 2].graphics.i_best_time.get(), 60_000);
}

#[test]
fn last_time_can_come_early() {
    let f = frames("quirk last_time early\nlap 1:00.000\nlap 0:59.000\nexit\n");
    let i = crossing(&f, 2);
    let g = |k: usize| {
        (
            f[k].graphics.completed_laps.get(),
            f[k].graphics.i_last_time.get(),
        )
    };
    assert_eq!(g(i - 2), (1, 60_000));
    assert_eq!(g(i - 1), (1, 59_000), "time one frame before the counter");
    assert_eq!(f[i - 1].graphics.i_best_time.get(), 59_000);
    assert!(f[i - 1].graphics.i_current_time.get() > 58_900);
    assert_eq!(g(i), (2, 59_000));
}

#[test]
fn per_lap_setting_overrides_and_mixed_varies() {
    let f = frames("quirk last_time same\nlap 1:00.000 last_time=late:3\nexit\n");
    let i = crossing(&f, 1);
    let lasts: Vec<i32> = f[i..i + 4]
        .iter()
        .map(|s| s.graphics.i_last_time.get())
        .collect();
    assert_eq!(lasts, [i32::MAX, i32::MAX, i32::MAX, 60_000]);
    // The default, mixed: within two frames of the counter, not always in the same frame.
    let mut sim = sim("laps 24 0:30.000 jitter=2s\nexit\n");
    let mut f = Vec::new();
    while let Some(step) = sim.step() {
        if step.graphics {
            f.push(sim.snapshot().graphics);
        }
    }
    let times: Vec<u32> = sim.truth().laps().map(|l| l.time_ms).collect();
    let mut offsets = std::collections::BTreeSet::new();
    for (k, &time) in times.iter().enumerate() {
        let counter = f
            .iter()
            .position(|g| g.completed_laps.get() == k as i32 + 1)
            .expect("counter");
        if k > 0 && times[k - 1] == time {
            continue; // the same time twice in a row: its change cannot be seen
        }
        let shown = (counter - 3..f.len())
            .find(|&i| f[i].i_last_time.get() == time as i32)
            .expect("time shown");
        let offset = shown as i64 - counter as i64;
        assert!((-1..=2).contains(&offset), "lap {}: {offset}", k + 1);
        offsets.insert(offset);
    }
    assert!(offsets.len() >= 2, "{offsets:?}");
}

#[test]
fn valid_flag_flickers_at_the_line() {
    let f =
        frames("quirk valid_flicker on\nquirk last_time same\nlap 1:00.000\nlap 1:00.000\nexit\n");
    let i = crossing(&f, 1);
    let valid = |k: usize| f[k].graphics.is_valid_lap.get();
    assert_eq!((valid(i - 1), valid(i), valid(i + 1)), (1, 0, 1));
    let zeros = f
        .iter()
        .filter(|s| s.graphics.is_valid_lap.get() == 0)
        .count();
    assert_eq!(zeros, 2, "one frame per line crossing, nothing else");
}

#[test]
fn session_type_flickers_for_the_scripted_frames() {
    let f = frames("session race\nlap 1:00.000\nflicker session 3\nlap 1:00.000\nexit\n");
    let sessions: Vec<i32> = f.iter().map(|s| s.graphics.session.get()).collect();
    let unknown: Vec<usize> = (0..sessions.len()).filter(|&k| sessions[k] == -1).collect();
    assert_eq!(unknown.len(), 3);
    assert_eq!(unknown[2] - unknown[0], 2, "consecutive");
    assert_eq!(sessions[unknown[0] - 1], i32::from(SessionType::Race));
    assert_eq!(sessions[unknown[2] + 1], i32::from(SessionType::Race));
}

#[test]
fn graphics_can_stall_while_physics_runs() {
    let mut sim = sim("lap 1:00.000 stall_at=0.5:350ms\nexit\n");
    let mut last_graphics: Option<(Duration, i32, i32)> = None;
    let mut longest = (Duration::ZERO, 0, 0);
    let mut physics_during = 0;
    while let Some(step) = sim.step() {
        let s = sim.snapshot();
        if step.graphics {
            let now = (
                s.at,
                s.graphics.packet_id.get(),
                s.graphics.i_current_time.get(),
            );
            if let Some(prev) = last_graphics {
                let gap = now.0 - prev.0;
                if gap > longest.0 {
                    longest = (gap, now.1 - prev.1, now.2 - prev.2);
                }
            }
            last_graphics = Some(now);
        } else if s.at > Duration::from_secs(30) && s.at < Duration::from_millis(30_350) {
            physics_during += 1;
        }
    }
    assert!(longest.0 >= Duration::from_millis(350) && longest.0 < Duration::from_millis(370));
    assert_eq!(longest.1, 1, "packetId moves by one after the stall");
    assert!(longest.2 >= 350, "iCurrentTime jumps: {}", longest.2);
    assert!(physics_during >= 138, "{physics_during}");
}

#[test]
fn physics_is_zero_while_the_car_loads() {
    let mut sim = sim("lap 1:00.000\nexit\n");
    let mut ids = Vec::new();
    while let Some(step) = sim.step() {
        let s = sim.snapshot();
        if !step.physics || s.at > Duration::from_millis(1_800) {
            continue;
        }
        assert_eq!(s.graphics.status.get(), i32::from(Status::Live));
        ids.push(s.physics.packet_id.get());
        let zero = s.physics.is_zeroed();
        assert_eq!(zero, s.at < Duration::from_millis(1_700), "at {:?}", s.at);
    }
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1));
    // Without the quirk, physics is live from the first step.
    let mut sim = self::sim("quirk physics_warmup 0\nlap 1:00.000\nexit\n");
    sim.step();
    assert!(!sim.snapshot().physics.is_zeroed());
    assert_eq!(sim.snapshot().physics.current_max_rpm.get(), 7700);
}

#[test]
fn static_page_can_arrive_late() {
    let mut sim = sim("quirk track_delay 500ms\ntrack monza\nlap 1:50.000\nexit\n");
    let first = sim.step().expect("first step");
    assert!(first.statics);
    let s = sim.snapshot();
    assert_eq!(s.statics.sm_version_text(), "1.9");
    assert_eq!(s.statics.car_model_text(), "mclaren_720s_gt3_evo");
    assert_eq!(s.statics.track_text(), "");
    let mut rewrite = None;
    while let Some(step) = sim.step() {
        if step.statics {
            rewrite = Some(step.at);
            break;
        }
        assert_eq!(sim.snapshot().statics.track_text(), "");
    }
    let at = rewrite.expect("track filled in");
    assert!(at >= Duration::from_millis(500) && at < Duration::from_millis(503));
    assert_eq!(sim.snapshot().statics.track_text(), "monza");
}

#[test]
fn replay_shows_another_car_and_freezes_the_session() {
    let f = frames("quirk physics_warmup 0\nlap 1:00.000\nreplay 5s\nlap 1:00.000\nexit\n");
    let replay: Vec<&Snapshot> = f
        .iter()
        .filter(|s| s.graphics.status.get() == i32::from(Status::Replay))
        .collect();
    assert!((299..=301).contains(&replay.len()), "{}", replay.len());
    let timer: Vec<i32> = replay
        .iter()
        .map(|s| s.graphics.i_current_time.get())
        .collect();
    assert!(timer.iter().all(|&t| t == timer[0]), "timing frozen");
    assert!(
        replay
            .iter()
            .all(|s| !s.physics.is_zeroed() && s.physics.speed_kmh.get() > 20.0)
    );
    let positions: Vec<f32> = replay
        .iter()
        .map(|s| s.graphics.normalized_car_position.get())
        .collect();
    assert!(
        positions.windows(2).any(|w| w[0] != w[1]),
        "the focused car moves"
    );
    let laps: Vec<u32> = f
        .last()
        .map(|s| s.graphics.completed_laps.get() as u32)
        .into_iter()
        .collect();
    assert_eq!(laps, [2]);
}

#[test]
fn menus_read_off_before_the_session() {
    let f = frames("menu 2s\nlap 1:00.000\nexit\n");
    let off: Vec<&Snapshot> = f
        .iter()
        .take_while(|s| s.graphics.status.get() == 0)
        .collect();
    assert!((119..=121).contains(&off.len()), "{}", off.len());
    assert!(off.iter().all(|s| s.statics.sm_version_text().is_empty()));
    assert!(
        off.iter()
            .all(|s| s.graphics.completed_laps.get() == 0 && s.physics.is_zeroed())
    );
    let live = &f[off.len()];
    assert_eq!(live.graphics.status.get(), i32::from(Status::Live));
    assert_eq!(live.statics.track_text(), "brands_hatch");
    assert!(live.graphics.packet_id.get() > off[off.len() - 1].graphics.packet_id.get());
}
