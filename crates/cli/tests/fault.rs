//! Fault test: `pitwall run` killed with SIGKILL at random moments while the simulator (a
//! separate process) drives a scripted session, and started again each time. Every lap the
//! tracker reported (it logs a lap only once the store has it) is stored exactly once, and
//! no stored lap is one the simulator did not drive.
//!
//! The seed of the kill times is printed; set `PITWALL_FAULT_SEED` to replay a run.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use pitwall_store::Store;

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
fn start_run(shm: &std::path::Path, data: &std::path::Path, laps: &Arc<Mutex<Vec<u32>>>) -> Child {
    let mut child = Command::cargo_bin("pitwall")
        .unwrap()
        .env("PITWALL_LOG", "info")
        .env("NO_COLOR", "1")
        .args(["run", "--listen", "127.0.0.1:0", "--shm-dir"])
        .arg(shm)
        .arg("--data-dir")
        .arg(data)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let laps = Arc::clone(laps);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(time) = lap_time(&line) {
                laps.lock().unwrap().push(time);
            }
        }
    });
    child
}

/// The time of a "lap N: m:ss.mmm …" log line.
fn lap_time(line: &str) -> Option<u32> {
    let rest = &line[line.find(" lap ")? + 5..];
    let (_, rest) = rest.split_once(": ")?;
    let time = rest.split_whitespace().next()?;
    let (m, rest) = time.split_once(':')?;
    let (s, ms) = rest.split_once('.')?;
    Some(m.parse::<u32>().ok()? * 60_000 + s.parse::<u32>().ok()? * 1000 + ms.parse::<u32>().ok()?)
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
    let mut simulator = Command::cargo_bin("pitwall")
        .unwrap()
        .env("PITWALL_LOG", "warn")
        .args(["simulate", "--speed", "40", "--scenario"])
        .arg(&script_path)
        .arg("--shm-dir")
        .arg(&shm)
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
    let pid = tracker.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(tracker.wait().unwrap().success());
    assert!(kills >= 3, "only {kills} kills: the run was too short");

    let stored: Vec<u32> = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = pitwall_store::SqliteStore::open_in_dir(Some(&data))
                .await
                .unwrap();
            let sessions = store.recent_sessions(100, 0).await.unwrap();
            sessions
                .iter()
                .flat_map(|s| s.laps.iter().map(|l| l.time_ms))
                .collect()
        });
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
