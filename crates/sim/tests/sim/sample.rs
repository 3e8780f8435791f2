//! What readers polling at 400, 60, 10 and 1 Hz see ([`sample`]), and the plausibility and
//! determinism of the telemetry itself.

use pitwall_sim::{Scenario, SimOptions, Simulator, sample};
use std::time::Duration;
use zerocopy::IntoBytes;

const SCRIPT: &str =
    "quirk last_time same\npitbox 3s\noutlap 1:00.000\nlap 0:50.000\nlap 0:51.000\nexit\n";

fn sim() -> Simulator {
    Simulator::new(SCRIPT.parse().expect("valid"), SimOptions::default())
}

#[test]
fn polling_sees_one_snapshot_per_poll() {
    // The script runs ~3 s + pit roll ~4.6 s + 161 s + 1 s of pause menu.
    for hz in [1u64, 10, 60, 400] {
        let interval = Duration::from_nanos(1_000_000_000 / hz);
        let snapshots: Vec<_> = sample(sim(), interval).collect();
        let polls =
            (snapshots.last().expect("some").at.as_nanos() / interval.as_nanos()) as usize + 1;
        assert_eq!(snapshots.len(), polls, "{hz} Hz: a change at every poll");
        let span = snapshots.last().map(|s| s.at).unwrap_or_default();
        assert!(
            span > Duration::from_secs(169) && span < Duration::from_secs(171),
            "{span:?}"
        );
        for pair in snapshots.windows(2) {
            assert_eq!(pair[1].at - pair[0].at, interval);
        }
        // Even at 1 Hz, the last lap and the totals are readable at the end.
        let last = snapshots.last().expect("some");
        assert_eq!(last.graphics.completed_laps.get(), 3, "{hz} Hz");
        assert_eq!(last.graphics.i_last_time.get(), 51_000);
        assert_eq!(last.graphics.i_best_time.get(), 50_000);
    }
}

#[test]
fn sampled_pages_are_the_pages_at_poll_time() {
    let mut reference = sim();
    let mut at_poll = Vec::new();
    let mut next_poll = Duration::ZERO;
    while let Some(at) = reference.next_at() {
        while at > next_poll {
            at_poll.push(reference.snapshot().clone());
            next_poll += Duration::from_secs(1);
        }
        reference.step();
    }
    at_poll.push(reference.snapshot().clone());
    let sampled: Vec<_> = sample(sim(), Duration::from_secs(1)).collect();
    // Poll k sees everything up to k seconds.
    assert_eq!(sampled.len(), at_poll.len());
    for (k, s) in sampled.iter().enumerate() {
        assert!(s.graphics == at_poll[k].graphics, "graphics at poll {k}");
        assert!(s.physics == at_poll[k].physics, "physics at poll {k}");
    }
}

#[test]
fn telemetry_is_plausible_and_alive() {
    let scenario: Scenario = "lap 1:30.000\nlap 1:29.000\nexit\n".parse().expect("valid");
    let mut sim = Simulator::new(scenario, SimOptions::default());
    let mut previous: Option<Vec<u8>> = None;
    let (mut min_kmh, mut max_kmh) = (f32::MAX, 0f32);
    let mut gears = std::collections::BTreeSet::new();
    let mut changed_bytes = 0usize;
    let mut steps = 0usize;
    let mut last_fuel = f32::MAX;
    let mut last_distance = 0f32;
    while let Some(step) = sim.step() {
        let s = sim.snapshot();
        let p = &s.physics;
        if p.is_zeroed() || s.graphics.status.get() != 2 {
            continue;
        }
        if step.physics {
            let kmh = p.speed_kmh.get();
            min_kmh = min_kmh.min(kmh);
            max_kmh = max_kmh.max(kmh);
            gears.insert(p.gear.get());
            assert!(
                p.rpm.get() <= 7700 && p.rpm.get() >= 1500,
                "rpm {}",
                p.rpm.get()
            );
            assert!((0.0..=1.0).contains(&p.gas.get()) && (0.0..=1.0).contains(&p.brake.get()));
            assert!(p.steer_angle.get().abs() <= 1.0);
            assert!(p.fuel.get() <= last_fuel && p.fuel.get() > 50.0);
            last_fuel = p.fuel.get();
            for t in p.tyre_core_temp {
                assert!((20.0..130.0).contains(&t.get()), "tyre {}", t.get());
            }
            assert_eq!(p.tyre_temp, p.tyre_core_temp);
            assert_eq!(p.current_max_rpm.get(), 7700);
            assert!(p.air_temp.get() > 15.0 && p.road_temp.get() > p.air_temp.get());
            let bytes = p.as_bytes()[4..].to_vec();
            if let Some(prev) = &previous {
                let n = bytes.iter().zip(prev).filter(|(a, b)| a != b).count();
                assert!(n > 0, "physics changes every step");
                changed_bytes += n;
                steps += 1;
            }
            previous = Some(bytes);
        }
        if step.graphics {
            let g = &s.graphics;
            let x = g.normalized_car_position.get();
            assert!((0.0..=1.0).contains(&x));
            assert!(g.distance_traveled.get() >= last_distance);
            last_distance = g.distance_traveled.get();
            let slot = g.player_slot().expect("player in carID");
            let car = g.car_coordinates[slot];
            let wheel = p.tyre_contact_point[0];
            let gap = (car[0].get() - wheel[0].get()).hypot(car[2].get() - wheel[2].get());
            assert!(gap < 5.0, "car and its wheel {gap} m apart");
            assert_eq!(g.active_cars.get(), 9);
            assert!(
                g.car_id[..9]
                    .iter()
                    .all(|id| (1000..1070).contains(&id.get()))
            );
            assert!((1..=9).contains(&g.position.get()));
            assert_eq!(g.tyre_compound_text(), "dry_compound");
            assert!(g.clock.get() > 50_000.0);
        }
    }
    assert!(
        min_kmh < 130.0 && max_kmh > 200.0 && max_kmh < 290.0,
        "{min_kmh}..{max_kmh}"
    );
    assert!(gears.len() >= 4, "{gears:?}");
    assert!(
        last_distance > 7_700.0 && last_distance < 7_900.0,
        "{last_distance}"
    );
    // Smooth, not noise: on average well under half of the bytes change per step.
    let average = changed_bytes as f64 / steps as f64;
    assert!(
        average > 20.0 && average < 400.0,
        "{average} bytes per step"
    );
}

#[test]
fn same_seed_same_pages_other_seed_other_noise() {
    let run = |seed: u64| {
        let options = SimOptions {
            seed,
            ..SimOptions::default()
        };
        let mut sim = Simulator::new(SCRIPT.parse().expect("valid"), options);
        let mut pages = Vec::new();
        while let Some(step) = sim.step() {
            if step.at > Duration::from_secs(20) {
                break;
            }
            if step.graphics {
                pages.push(sim.snapshot().clone());
            }
        }
        pages
    };
    let (a, b, c) = (run(5), run(5), run(6));
    assert_eq!(a, b);
    assert_ne!(a, c);
    // The timing does not depend on the noise seed.
    let timing = |pages: &[pitwall_acc::snapshot::Snapshot]| -> Vec<i32> {
        pages
            .iter()
            .map(|s| s.graphics.i_current_time.get())
            .collect()
    };
    assert_eq!(timing(&a), timing(&c));
}

#[test]
fn rates_are_configurable() {
    let options = SimOptions {
        physics_hz: 333,
        graphics_hz: 118,
        seed: 1,
    };
    let mut sim = Simulator::new(
        "lap 1:00.000\nexit after=0s\n".parse().expect("valid"),
        options,
    );
    let (mut physics, mut graphics, mut both) = (0, 0, 0);
    while let Some(step) = sim.step() {
        physics += usize::from(step.physics);
        graphics += usize::from(step.graphics);
        both += usize::from(step.physics && step.graphics);
    }
    assert_eq!(physics, 333 * 60);
    assert_eq!(graphics, 118 * 60);
    assert!(both >= 60, "updates due at the same time come in one step");
    assert_eq!(sim.snapshot().physics.packet_id.get(), 333 * 60);
    assert_eq!(sim.snapshot().graphics.packet_id.get(), 118 * 60);
}
