//! Scenario tests of the simulator: scripts are played and the pages they produce are decoded
//! and checked against ACC's semantics (reference sections 3 and 4) and against the truth.

use pitwall_acc::decode::NO_TIME;
use pitwall_acc::enums::{SessionType, Status};
use pitwall_acc::snapshot::Snapshot;
use pitwall_sim::{Scenario, SimOptions, Simulator, TruthLap};
use std::time::Duration;

/// The fields a lap detector looks at, from one graphics frame.
#[derive(Clone, Debug, PartialEq)]
struct Frame {
    at: Duration,
    status: i32,
    session: i32,
    index: i32,
    laps: i32,
    current: i32,
    last: i32,
    best: i32,
    sector: i32,
    last_sector: i32,
    valid: i32,
    in_pit: i32,
    pit_lane: i32,
    spline: f32,
    distance: f32,
    time_left: f32,
    physics_zero: bool,
    limiter: i32,
}

fn frame(s: &Snapshot) -> Frame {
    let g = &s.graphics;
    Frame {
        at: s.at,
        status: g.status.get(),
        session: g.session.get(),
        index: g.session_index.get(),
        laps: g.completed_laps.get(),
        current: g.i_current_time.get(),
        last: g.i_last_time.get(),
        best: g.i_best_time.get(),
        sector: g.current_sector_index.get(),
        last_sector: g.last_sector_time.get(),
        valid: g.is_valid_lap.get(),
        in_pit: g.is_in_pit.get(),
        pit_lane: g.is_in_pit_lane.get(),
        spline: g.normalized_car_position.get(),
        distance: g.distance_traveled.get(),
        time_left: g.session_time_left.get(),
        physics_zero: s.physics.is_zeroed(),
        limiter: s.physics.pit_limiter_on.get(),
    }
}

/// Plays a script to its end; returns the simulator and every graphics frame.
fn play(script: &str) -> (Simulator, Vec<Frame>) {
    let scenario: Scenario = script.parse().expect("valid script");
    let mut sim = Simulator::new(scenario, SimOptions::default());
    let mut frames = Vec::new();
    while let Some(step) = sim.step() {
        if step.graphics {
            frames.push(frame(sim.snapshot()));
        }
    }
    (sim, frames)
}

const EXAMPLE: &str = "
track brands_hatch
car mclaren_720s_gt3_evo
session practice
driver Margot
sectors 3
quirk last_time same
pitbox 5s
outlap 2:05.000
lap 1:47.345
lap 1:46.901 cut=2
lap 1:47.002 splits=34.100,38.200
restart
lap 1:48.000
exit
";

#[test]
fn example_script_yields_exactly_the_scripted_laps() {
    let (sim, _) = play(EXAMPLE);
    let truth = sim.truth();
    assert_eq!(truth.sessions.len(), 2);
    let first = &truth.sessions[0];
    assert_eq!(first.track, "brands_hatch");
    assert_eq!(first.car, "mclaren_720s_gt3_evo");
    assert_eq!(first.session_type, SessionType::Practice);
    assert!(!first.restarted);
    let summary = |laps: &[TruthLap]| -> Vec<(u32, u32, bool, bool, bool)> {
        laps.iter()
            .map(|l| (l.number, l.time_ms, l.valid, l.out_lap, l.in_lap))
            .collect()
    };
    assert_eq!(
        summary(&first.laps),
        [
            (1, 125_000, true, true, false),
            (2, 107_345, true, false, false),
            (3, 106_901, false, false, false),
            (4, 107_002, true, false, false),
        ]
    );
    assert_eq!(first.laps[3].sectors_ms, [34_100, 38_200, 34_702]);
    for lap in truth.laps() {
        assert_eq!(lap.sectors_ms.len(), 3);
        assert_eq!(lap.sectors_ms.iter().sum::<u32>(), lap.time_ms);
        assert_eq!(
            lap.completed_at - lap.started_at,
            Duration::from_millis(lap.time_ms.into())
        );
    }
    // Laps follow each other without gaps.
    for pair in first.laps.windows(2) {
        assert_eq!(pair[0].completed_at, pair[1].started_at);
    }
    // The out-lap starts after 5 s in the box and the roll down the pit lane.
    assert!(first.laps[0].started_at > Duration::from_secs(5));
    let second = &truth.sessions[1];
    assert!(second.restarted);
    assert_eq!(second.session_index, first.session_index);
    assert_eq!(summary(&second.laps), [(1, 108_000, true, false, false)]);
    assert!(second.abandoned.is_empty() && first.abandoned.is_empty());
}

#[test]
fn line_crossings_show_the_lap_time_and_cumulative_sectors() {
    let (sim, frames) = play(EXAMPLE);
    let laps: Vec<&TruthLap> = sim.truth().laps().collect();
    let mut seen = 0;
    for pair in frames.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        if after.laps != before.laps + 1 {
            continue;
        }
        let lap = laps[seen];
        seen += 1;
        // `quirk last_time same`: everything changes in the same frame.
        assert_eq!(after.last, lap.time_ms as i32, "lap {}", lap.number);
        assert!(after.current < 17, "timer reset: {}", after.current);
        assert!(before.current as u32 > lap.time_ms - 17 && before.current as u32 <= lap.time_ms);
        // lastSectorTime read S1+S2 just before the line, and 0 after.
        assert_eq!(before.sector, 2);
        assert_eq!(
            before.last_sector as u32,
            lap.sectors_ms[0] + lap.sectors_ms[1]
        );
        assert_eq!((after.sector, after.last_sector), (0, 0));
        // The spline position sticks at 1.0 before the line and 0.0 after it.
        assert_eq!(before.spline, 1.0);
        assert_eq!(after.spline, 0.0);
    }
    assert_eq!(seen, 5, "every lap, the one after the restart included");
    // In sector 1 of lap 2, lastSectorTime is S1 exactly.
    let lap2 = laps[1];
    let in_s2 = frames
        .iter()
        .find(|f| f.laps == 1 && f.sector == 1 && f.index == 0)
        .expect("a frame in sector 2 of lap 2");
    assert_eq!(in_s2.last_sector as u32, lap2.sectors_ms[0]);
    // iBestTime keeps the best valid lap: the cut 1:46.901 does not count.
    let end_of_session = frames.iter().rfind(|f| f.laps == 4).expect("lap 4 shown");
    assert_eq!(end_of_session.best, 107_002);
    let after_cut = frames.iter().find(|f| f.laps == 3).expect("lap 3 shown");
    assert_eq!((after_cut.last, after_cut.best), (106_901, 107_345));
}

#[test]
fn pit_lane_crossing_resets_the_timer_without_counting_a_lap() {
    let (_, frames) = play("pitbox 5s\noutlap 2:05.000\nexit\n");
    assert_eq!(frames[0].status, Status::Live.into());
    assert_eq!((frames[0].in_pit, frames[0].pit_lane), (1, 1));
    assert_eq!(frames[0].last, NO_TIME);
    // iCurrentTime runs in the box.
    let at_4s = frames
        .iter()
        .find(|f| f.at >= Duration::from_secs(4))
        .expect("4 s");
    assert!(
        (3_990..=4_010).contains(&at_4s.current),
        "{}",
        at_4s.current
    );
    assert_eq!(at_4s.in_pit, 1);
    let resets: Vec<usize> = (1..frames.len())
        .filter(|&i| frames[i].current < frames[i - 1].current)
        .filter(|&i| frames[i].laps == frames[i - 1].laps)
        .collect();
    assert_eq!(
        resets.len(),
        1,
        "one reset without a lap: the pit-lane line"
    );
    let (before, after) = (&frames[resets[0] - 1], &frames[resets[0]]);
    assert_eq!((before.laps, after.laps), (0, 0));
    assert_eq!(after.last, NO_TIME);
    assert_eq!((before.pit_lane, after.pit_lane), (1, 1));
    assert_eq!(
        (before.in_pit, after.in_pit),
        (0, 0),
        "out of the box when driving"
    );
    assert!(before.current > 5_000);
    // The pit lane ends a little later; the limiter is on exactly while in the lane.
    let exit = frames[resets[0]..]
        .iter()
        .find(|f| f.pit_lane == 0)
        .expect("leaves the pit lane");
    assert!(
        exit.current > 3_000 && exit.current < 30_000,
        "{}",
        exit.current
    );
    for f in frames.iter().filter(|f| !f.physics_zero) {
        assert_eq!(f.limiter, f.pit_lane, "at {:?}", f.at);
    }
    // The out-lap itself completes: completedLaps 1 on track.
    let last = frames.last().expect("frames");
    assert_eq!(last.laps, 1);
    assert_eq!(last.last, 125_000);
}

#[test]
fn pause_zeroes_physics_and_freezes_the_timers() {
    let script = "quirk physics_warmup 0\nlap 1:40.000 pause_at=0.5:3s\nexit\n";
    let scenario: Scenario = script.parse().expect("valid");
    let mut sim = Simulator::new(scenario, SimOptions::default());
    let mut paused: Vec<(Frame, i32)> = Vec::new();
    let mut physics_ids = Vec::new();
    while let Some(step) = sim.step() {
        let s = sim.snapshot();
        if s.at > Duration::from_secs(90) {
            break; // the pause before the exit is not the one under test
        }
        if s.graphics.status.get() == i32::from(Status::Pause) && step.physics {
            physics_ids.push(s.physics.packet_id.get());
            assert!(
                s.physics.is_zeroed(),
                "physics zeroed in pause at {:?}",
                s.at
            );
            assert_eq!(s.physics.air_temp.get(), 0.0);
            assert_eq!(s.physics.current_max_rpm.get(), 0);
        }
        if step.graphics {
            let f = frame(s);
            if f.status == i32::from(Status::Pause) {
                paused.push((f, s.graphics.packet_id.get()));
            } else {
                assert!(!s.physics.is_zeroed(), "live physics at {:?}", s.at);
            }
        }
    }
    // About 3 s of pause: ~1200 physics steps and ~180 HUD frames, ids still counting.
    assert!(
        (1195..=1205).contains(&physics_ids.len()),
        "{}",
        physics_ids.len()
    );
    assert!(physics_ids.windows(2).all(|w| w[1] == w[0] + 1));
    assert!((178..=182).contains(&paused.len()));
    let first = &paused[0].0;
    for (f, _) in &paused {
        assert_eq!(
            (f.current, f.time_left, f.distance),
            (first.current, first.time_left, first.distance)
        );
    }
    assert!((49_980..=50_000).contains(&first.current));
    while sim.step().is_some() {}
    // The lap still takes exactly its scripted time, plus the pause in simulated time.
    let lap = &sim.truth().sessions[0].laps[0];
    assert_eq!(lap.time_ms, 100_000);
    assert_eq!(lap.completed_at - lap.started_at, Duration::from_secs(103));
    assert_eq!(sim.snapshot().graphics.i_last_time.get(), 100_000);
}

#[test]
fn restart_and_next_session_reset_what_the_game_resets() {
    let script = "duration 30m\nquirk last_time same\nlap 1:40.000\nlap 1:41.000\nrestart\nlap 1:39.000\nnext qualify after=1s\nlap 1:38.000\nexit\n";
    let (sim, frames) = play(script);
    let by_session =
        |index: i32, laps: i32| frames.iter().rfind(|f| f.index == index && f.laps == laps);
    let before = frames
        .iter()
        .rfind(|f| f.laps == 2)
        .expect("two laps before the restart")
        .clone();
    let i = frames.iter().position(|f| f == &before).expect("found") + 1;
    let after = frames[i..]
        .iter()
        .find(|f| f.status == 2)
        .expect("live after restart");
    assert_eq!(after.laps, 0);
    assert_eq!(after.index, before.index);
    assert!(
        before.distance > 7_000.0 && after.distance < 50.0,
        "{} -> {}",
        before.distance,
        after.distance
    );
    assert!(after.time_left > before.time_left + 100_000.0);
    assert!(
        (after.time_left - 1_800_000.0).abs() < 100.0,
        "{}",
        after.time_left
    );
    assert!(after.current < 100);
    assert_eq!((after.last, after.best), (NO_TIME, NO_TIME));
    // Between them, the pause menu (2 s by default).
    assert!(
        frames[i..]
            .iter()
            .take_while(|f| f.status != 2)
            .all(|f| f.status == 3)
    );
    // next: a new session index and type.
    let qualify = by_session(1, 1).expect("a lap in qualifying");
    assert_eq!(qualify.session, i32::from(SessionType::Qualify));
    assert_eq!(qualify.last, 98_000);
    let truth = sim.truth();
    let indexes: Vec<(i32, bool)> = truth
        .sessions
        .iter()
        .map(|s| (s.session_index, s.restarted))
        .collect();
    assert_eq!(indexes, [(0, false), (0, true), (1, false)]);
    assert_eq!(truth.sessions[2].session_type, SessionType::Qualify);
}

#[test]
fn exit_leaves_the_pages_as_they_were() {
    let scenario: Scenario = "lap 1:40.000\nexit after=500ms\n".parse().expect("valid");
    let mut sim = Simulator::new(scenario, SimOptions::default());
    let mut last_at = Duration::ZERO;
    while let Some(step) = sim.step() {
        last_at = step.at;
    }
    // The lap, then half a second in the pause menu, then nothing.
    assert!(last_at >= Duration::from_millis(100_497) && last_at < Duration::from_millis(100_500));
    let frozen = sim.snapshot().clone();
    assert_eq!(frozen.graphics.completed_laps.get(), 1);
    assert_eq!(frozen.graphics.status.get(), i32::from(Status::Pause));
    for _ in 0..10 {
        assert_eq!(sim.step(), None);
        assert_eq!(sim.next_at(), None);
    }
    assert_eq!(sim.snapshot(), &frozen);
    // A script without `exit` ends the same way after its last line (1 s in the menu).
    let scenario: Scenario = "lap 1:40.000\n".parse().expect("valid");
    let mut sim = Simulator::new(scenario, SimOptions::default());
    let mut last_at = Duration::ZERO;
    while let Some(step) = sim.step() {
        last_at = step.at;
    }
    assert!(last_at >= Duration::from_millis(100_997) && last_at < Duration::from_millis(101_000));
    assert_eq!(sim.truth().laps().count(), 1);
}

#[test]
fn abandon_returns_to_the_box_and_the_session_goes_on() {
    let script = "quirk last_time same\nlap 1:40.000\nlap 1:40.000 abandon=0.5\npitbox 10s\noutlap 2:00.000\nexit\n";
    let (sim, frames) = play(script);
    let session = &sim.truth().sessions[0];
    assert_eq!(session.laps.len(), 2);
    assert_eq!(session.abandoned.len(), 1);
    let abandoned = &session.abandoned[0];
    assert_eq!((abandoned.completed_laps, abandoned.driven_ms), (1, 50_000));
    let teleport = frames
        .iter()
        .position(|f| f.in_pit == 1)
        .expect("back in the box");
    let (before, after) = (&frames[teleport - 1], &frames[teleport]);
    assert!(before.current > 49_900 && after.current < 20);
    assert_eq!((before.laps, after.laps), (1, 1));
    assert_eq!(after.index, before.index);
    assert!(after.distance >= before.distance);
    assert!(after.time_left < before.time_left);
    assert_eq!(after.pit_lane, 1);
    let out = &session.laps[1];
    assert!(out.out_lap && out.number == 2 && out.time_ms == 120_000);
}

#[test]
fn in_lap_ends_in_the_pit_lane() {
    let script =
        "quirk last_time same\nlap 1:40.000\ninlap 1:50.000\npitbox 20s\noutlap 2:05.000\nexit\n";
    let (sim, frames) = play(script);
    let laps: Vec<(bool, bool)> = sim.truth().laps().map(|l| (l.out_lap, l.in_lap)).collect();
    assert_eq!(laps, [(false, false), (false, true), (true, false)]);
    let crossing = frames
        .iter()
        .position(|f| f.laps == 2)
        .expect("in-lap completed");
    assert_eq!(frames[crossing].pit_lane, 1);
    assert_eq!(frames[crossing - 1].pit_lane, 1);
    assert_eq!(frames[crossing].last, 110_000);
    // Then the box (timer still running from the in-lap's line), then the pit-lane line.
    let boxed = frames[crossing..]
        .iter()
        .find(|f| f.in_pit == 1)
        .expect("box");
    assert_eq!(boxed.laps, 2);
    let reset = (crossing + 1..frames.len())
        .find(|&i| frames[i].current < frames[i - 1].current)
        .expect("pit-lane line");
    assert_eq!(frames[reset].laps, 2);
    assert!(frames[reset - 1].current > 20_000);
}
