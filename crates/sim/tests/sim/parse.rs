//! Script parsing: accepted forms, and errors that name the line and say what to fix.

use pitwall_sim::{Scenario, ScenarioError, SimOptions, Simulator};
use std::time::Duration;

fn error(script: &str) -> ScenarioError {
    Scenario::parse(script).expect_err("the script must be rejected")
}

fn laps(script: &str) -> Vec<u32> {
    let scenario: Scenario = script.parse().expect("valid script");
    let mut sim = Simulator::new(scenario, SimOptions::default());
    while sim.step().is_some() {}
    sim.truth().laps().map(|l| l.time_ms).collect()
}

#[test]
fn errors_name_the_line() {
    let e = error("track brands_hatch\n\n  # comment\nlapp 1:47.000\n");
    assert_eq!(e.line(), 4);
    assert!(matches!(&e, ScenarioError::UnknownCommand { word, .. } if word == "lapp"));
    assert!(
        e.to_string()
            .starts_with("line 4: unknown command \"lapp\"")
    );

    let e = error("lap 1:47.000\nlap 1:7x.000\n");
    assert_eq!(e.line(), 2);
    assert!(e.to_string().contains("1:47.345"), "{e}");

    let e = error("pitbox 5s\nlap 1:47.000\n");
    assert_eq!(e.line(), 2);
    assert!(matches!(e, ScenarioError::NotHere { .. }));
    assert!(e.to_string().contains("outlap"), "{e}");

    let e = error("lap 1:47.000\noutlap 2:00.000\n");
    assert_eq!(e.line(), 2);
    let e = error("lap 1:47.000\npitbox 5s\n");
    assert!(e.to_string().contains("inlap"), "{e}");
    let e = error("restart\n");
    assert_eq!(e.line(), 1);
    let e = error("lap 1:47.000\nexit\nlap 1:47.000\n");
    assert_eq!(e.line(), 3);
    let e = error("lap 1:40.000 splits=30.000,30.000,30.000\n");
    assert!(e.to_string().contains("add up to 90000 ms"), "{e}");
    let e = error("sectors 3\nlap 1:40.000 cut=4\n");
    assert_eq!(e.line(), 2);
    let e = error("lap 1:40.000 abandon=1.5\n");
    assert!(e.to_string().contains("between 0 and 1"), "{e}");
    let e = error("lap 1:40.000 wobble=2\n");
    assert!(e.to_string().contains("unknown option"), "{e}");
    let e = error("session endurance\n");
    assert!(e.to_string().contains("not a session type"), "{e}");
    let e = error("lap 3s\n");
    assert!(e.to_string().contains("too short"), "{e}");
    let e = error("quirk last_time sometimes\n");
    assert!(e.to_string().contains("late"), "{e}");
    let e = error("lap 1:40.000\nmenu 2s\nlap 1:40.000\n");
    assert_eq!(e.line(), 3);
    assert!(e.to_string().contains("next"), "{e}");
}

#[test]
fn accepted_forms() {
    let script = "
        # a comment line
        track spa length=7004   # trailing comment
        car ferrari_296_gt3
        session 1
        driver Ada Lovelace
        nick ADA
        sectors 3
        duration none
        cars 1
        online yes
        fuel 80
        lap 2:17.5
        lap 137500ms
        lap 2:17.500 splits=45.000,46.000
        inlap 2:30
        pitbox 10s
        outlap 2:45.000
        laps 2 2:18.000
        next race after=0s
        lap 2:20.000
        exit after=0
    ";
    let scenario = Scenario::parse(script).expect("valid");
    assert!(!scenario.is_endless());
    let mut sim = Simulator::new(scenario, SimOptions::default());
    sim.step();
    let s = sim.snapshot();
    assert_eq!(s.statics.track_text(), "spa");
    assert_eq!(s.statics.car_model_text(), "ferrari_296_gt3");
    assert_eq!(s.statics.player_name_text(), "Ada");
    assert_eq!(s.statics.player_surname_text(), "Lovelace");
    assert_eq!(s.statics.player_nick_text(), "ADA");
    assert_eq!(s.statics.is_online.get(), 1);
    assert_eq!(s.statics.track_spline_length.get(), 7004.0);
    assert_eq!(s.graphics.session.get(), 1);
    assert_eq!(s.graphics.active_cars.get(), 1);
    assert_eq!(s.graphics.session_time_left.get(), 0.0);
    while sim.step().is_some() {}
    let times: Vec<u32> = sim.truth().laps().map(|l| l.time_ms).collect();
    assert_eq!(
        times,
        [
            137_500, 137_500, 137_500, 150_000, 165_000, 138_000, 138_000, 140_000
        ]
    );
    assert_eq!(sim.truth().sessions[1].session_index, 1);
}

#[test]
fn from_str_and_parse_agree() {
    let text = "lap 1:40.000\nlap 1:41.000 cut=0.25\n";
    let a: Scenario = text.parse().expect("valid");
    let b = Scenario::parse(text).expect("valid");
    assert_eq!(a, b);
    assert_ne!(a, Scenario::parse("lap 1:40.000\n").expect("valid"));
}

#[test]
fn laps_with_jitter_are_seeded() {
    let a = laps("seed 7\nlaps 5 1:40.000 jitter=500ms\n");
    let b = laps("seed 7\nlaps 5 1:40.000 jitter=500ms\n");
    let c = laps("seed 8\nlaps 5 1:40.000 jitter=500ms\n");
    assert_eq!(a.len(), 5);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.iter().all(|&t| (99_500..=100_500).contains(&t)), "{a:?}");
    assert!(a.windows(2).any(|w| w[0] != w[1]));
    assert_eq!(laps("laps 3 1:40.000\n"), [100_000; 3]);
}

#[test]
fn endless_never_ends() {
    let fast = SimOptions {
        physics_hz: 50,
        graphics_hz: 10,
        seed: 1,
    };
    let mut sim = Simulator::new(Scenario::endless(1), fast);
    assert!(Scenario::endless(1).is_endless());
    let mut last = Duration::ZERO;
    while last < Duration::from_secs(20 * 60) {
        last = sim.step().expect("the endless drive goes on").at;
    }
    let truth = sim.truth();
    assert_eq!(truth.sessions.len(), 1);
    let laps: Vec<_> = truth.laps().collect();
    assert!(laps.len() >= 10, "{} laps in 20 min", laps.len());
    assert!(laps[0].out_lap);
    assert!(laps.iter().all(|l| (70_000..130_000).contains(&l.time_ms)));
    // Different seeds, different laps.
    let mut other = Simulator::new(Scenario::endless(2), fast);
    while other
        .step()
        .is_some_and(|s| s.at < Duration::from_secs(400))
    {}
    let a: Vec<u32> = laps.iter().take(3).map(|l| l.time_ms).collect();
    let b: Vec<u32> = other.truth().laps().take(3).map(|l| l.time_ms).collect();
    assert_ne!(a, b);
}

#[test]
fn example_scripts_parse_and_play() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios directory") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).expect("readable");
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let options = SimOptions {
            physics_hz: 50,
            graphics_hz: 10,
            seed: 1,
        };
        let mut sim = Simulator::new(scenario, options);
        while sim.step().is_some() {}
        assert!(sim.truth().laps().count() >= 4, "{}", path.display());
    }
    assert!(count >= 4, "{count} scripts");
    let example = std::fs::read_to_string(dir.join("example.txt")).expect("example.txt");
    assert_eq!(
        laps(&example),
        [125_000, 107_345, 106_901, 107_002, 108_000]
    );
}
