//! Recording size and cost at full rate: records a simulated hour of driving (physics at
//! 400 Hz, graphics at 60 Hz, static constant) and prints MB per hour and µs per push, then
//! reads the recording back and checks it frame by frame.
//!
//! Run with `cargo bench -p pitwall-recording --bench recording_size`. Environment:
//! `PITWALL_BENCH_SECONDS` (default 3600), `PITWALL_BENCH_LEVEL` (zstd level, default 3),
//! `PITWALL_BENCH_BLOCK_MS` (block length, default 1000) and `PITWALL_BENCH_PHYSICS_HZ`
//! (record physics at most this often; default 0, every change).
//!
//! Frames come from [`frames`]: the simulator's endless drive.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use pitwall_acc::Snapshot;
use pitwall_recording::{Recorder, RecorderOptions, RecordingReader};
use pitwall_sim::{Scenario, SimOptions, Simulator};
use std::time::{Duration, Instant};

/// Physics steps per second.
const PHYSICS_HZ: u64 = 400;
/// Graphics updates per second.
const GRAPHICS_HZ: u64 = 60;

fn main() {
    let seconds: u64 = env("PITWALL_BENCH_SECONDS", 3600.0) as u64;
    let mut next = frames(7, seconds);
    let options = RecorderOptions {
        level: env("PITWALL_BENCH_LEVEL", 3.0) as i32,
        block_time: Duration::from_millis(env("PITWALL_BENCH_BLOCK_MS", 1000.0) as u64),
        physics_every: match env("PITWALL_BENCH_PHYSICS_HZ", 0.0) {
            hz if hz > 0.0 => Duration::from_micros((1e6 / hz) as u64),
            _ => Duration::ZERO,
        },
        ..RecorderOptions::default()
    };
    let mut recorder = Recorder::with_options(Vec::with_capacity(64 << 20), options).unwrap();
    let mut times = Vec::with_capacity((seconds * PHYSICS_HZ) as usize);
    let mut last_at = Duration::ZERO;
    while let Some(snap) = next() {
        let t = Instant::now();
        recorder.push(&snap).unwrap();
        times.push(t.elapsed());
        last_at = snap.at;
    }
    let pushes = times.len() as u64;
    let push_time: Duration = times.iter().sum();
    times.sort_unstable();
    let quantile = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
    let stats = recorder.stats();
    let bytes = recorder.finish().unwrap();
    let hours = last_at.as_secs_f64() / 3600.0;
    let mb_per_hour = bytes.len() as f64 / 1e6 / hours;
    println!(
        "recorded {:.0} s: {pushes} pushes, {} frames, {} pages ({:.1} MB raw) in {} blocks",
        last_at.as_secs_f64(),
        stats.frames,
        stats.records,
        stats.page_bytes as f64 / 1e6,
        stats.blocks
    );
    println!(
        "size: {:.2} MB ({mb_per_hour:.1} MB per hour, {:.1} bytes per frame, ratio {:.0}:1)",
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / stats.frames as f64,
        stats.page_bytes as f64 / bytes.len() as f64
    );
    println!(
        "push: {:.2} µs on average (block compression included); median {:.2} µs, \
         99.9th percentile {:.0} µs, worst {:.0} µs (the pushes that close a block)",
        push_time.as_secs_f64() * 1e6 / pushes as f64,
        quantile(0.5),
        quantile(0.999),
        quantile(1.0)
    );

    if options.physics_every > Duration::ZERO {
        println!(
            "physics kept at most every {:?}: read-back check skipped",
            options.physics_every
        );
        return;
    }
    // Read back and compare with a second run of the generator.
    let t = Instant::now();
    let mut again = frames(7, seconds);
    let mut expected = again();
    let mut read = 0u64;
    for snap in RecordingReader::new(&bytes[..]).unwrap() {
        let snap = snap.unwrap();
        // Pushes without a change are not recorded; skip them in the reference.
        while let Some(e) = &expected {
            if e.physics == snap.physics && e.graphics == snap.graphics {
                break;
            }
            expected = again();
        }
        let e = expected
            .take()
            .expect("the recording holds more frames than were pushed");
        assert_eq!(e.physics, snap.physics);
        assert_eq!(e.graphics, snap.graphics);
        assert_eq!(e.statics, snap.statics);
        assert_eq!(e.at.as_micros(), snap.at.as_micros());
        read += 1;
        expected = again();
    }
    assert_eq!(read, stats.frames);
    println!(
        "read back and verified {read} frames in {:.2} s ({:.2} µs per frame incl. generation)",
        t.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64() * 1e6 / read as f64
    );
}

fn env(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The frames to record: `seconds` of the simulator's endless drive at full rate (physics
/// 400 Hz, graphics 60 Hz), one snapshot per page update, as a live source polling fast
/// enough would see them.
fn frames(seed: u64, seconds: u64) -> impl FnMut() -> Option<Snapshot> {
    let options = SimOptions {
        physics_hz: PHYSICS_HZ as u32,
        graphics_hz: GRAPHICS_HZ as u32,
        seed,
    };
    let mut sim = Simulator::new(Scenario::endless(seed), options);
    let end = Duration::from_secs(seconds);
    move || {
        let step = sim.step()?;
        (step.at <= end).then(|| sim.snapshot().clone())
    }
}
