//! Fault test: `pitwall run` killed with SIGKILL at random moments while the simulator (a
//! separate process) drives a scripted session, and started again each time. Every lap the
//! tracker reported (it logs a lap only once the store has it) is stored exactly once, and
//! no stored lap is one the simulator did not drive.
//!
//! The seed of the kill times is printed; set `PITWALL_FAULT_SEED` to replay a run.

use crate::common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{interrupt, lap_time, run_cmd, simulate_cmd, spawn_with_lines, stored_times};

/// Fourteen laps of distinct times after an out-lap.
fn script() -> String {
    let mut s = String::from(
        "track monza\ncar ferrari_296_gt3\nsession practice\ndriver Fault\nsectors 3\n\
         pitbox 1s\noutlap 2:00.000\n",
    );
    for i in 0..14 {
        s.push_str(&format!("lap 1:40.{:03}\n", 101 + i * 37));
    }
    s.push_str("exit\n");
    s
}

/// The lap times (ms) the script drives.
fn driven() -> Vec<u32> {
    let mut times = vec![120_000];
    times.extend((0..14).map(|i| 100_000 + 101 + i * 37));
    times
}

/// A small deterministic generator for the kill times.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Starts the tracker; its lap lines are collected into `laps`.
fn start_run(shm: &Path, data: &Path, laps: &Arc<Mutex<Vec<u32>>>) -> Child {
    let laps = Arc::clone(laps);
    spawn_with_lines(run_cmd(shm, data), move |line| {
        if let Some(time) = lap_time(&line) {
            laps.lock().unwrap().push(time);
        }
    })
}

#[test]
fn killed_trackers_lose_and_double_nothing() {
    let seed = std::env::var("PITWALL_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("PITWALL_FAULT_SEED={seed}");
    let mut rng = Lcg(seed);
    let dir = tempfile::tempdir().unwrap();
    let shm = dir.path().join("shm");
    let data = dir.path().join("data");
    std::fs::create_dir(&shm).unwrap();
    let script_path = dir.path().join("fault.txt");
    std::fs::write(&script_path, script()).unwrap();

    let reported = Arc::new(Mutex::new(Vec::new()));
    let mut tracker = start_run(&shm, &data, &reported);
    std::thread::sleep(Duration::from_millis(500));
    let mut simulator = simulate_cmd(&shm, &script_path, "40")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();

    let started = Instant::now();
    let mut kills = 0;
    while simulator.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the simulator hangs"
        );
        std::thread::sleep(Duration::from_millis(1_000 + rng.below(4_000)));
        if simulator.try_wait().unwrap().is_some() {
            break;
        }
        tracker.kill().unwrap(); // SIGKILL
        tracker.wait().unwrap();
        kills += 1;
        tracker = start_run(&shm, &data, &reported);
    }
    // Let the last tracker see the end (pages go stale), then stop it cleanly.
    std::thread::sleep(Duration::from_secs(4));
    assert!(interrupt(&mut tracker).success());
    assert!(kills >= 3, "only {kills} kills: the run was too short");

    let stored = stored_times(&data);
    let reported = reported.lock().unwrap().clone();
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for t in &stored {
        *counts.entry(*t).or_default() += 1;
    }
    let driven = driven();
    for t in &stored {
        assert!(driven.contains(t), "stored lap {t} ms was never driven");
    }
    for (t, n) in &counts {
        assert_eq!(*n, 1, "lap {t} ms stored {n} times (seed {seed})");
    }
    for t in &reported {
        assert!(
            counts.contains_key(t),
            "reported lap {t} ms is not stored (seed {seed})"
        );
    }
    assert!(
        stored.len() >= 5,
        "too few laps survived to judge: {stored:?} (seed {seed}, {kills} kills)"
    );
    println!(
        "{kills} kills; {} laps stored of {} driven",
        stored.len(),
        driven.len()
    );
}
