//! The Windows named mappings end to end: the simulator's `MappingSink` (over this crate's
//! `publish::MappingWriter`) creates `Local\acpmf_*` and writes pages as ACC does,
//! `WindowsSource` finds, reads and lets go of them.
//!
//! The main test runs the writer in another process, as the game is: this test binary
//! re-executes itself (`writer_process`, ignored unless run as the child) and the parent
//! reads what the child publishes, then watches the pages go stale and disappear once the
//! child has exited. Runs on Windows and, on Linux, under Wine (`scripts/ci/wine.sh`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure
#![cfg(windows)]

use pitwall_acc::decode::set_utf16;
use pitwall_acc::enums::Status;
use pitwall_acc::layout::{Graphics, Physics, Static};
use pitwall_acc::publish::MappingError;
use pitwall_acc::source::{LiveOptions, WindowsSource};
use pitwall_acc::{PageKind, Read, Snapshot, Source, Waiting};
use pitwall_sim::sink::{MappingSink, PageSink, SinkError};
use std::io::{BufRead, BufReader, Read as _};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};
use zerocopy::IntoBytes;
use zerocopy::little_endian::{F32, I32};

/// Set in the child's environment: `writer_process` only writes when it is present.
const WRITER_ENV: &str = "PITWALL_TEST_SHM_WRITER";
/// The line the child prints once the three pages hold a first frame.
const READY: &str = "pitwall-test-writer: ready";

const STALE_AFTER: Duration = Duration::from_millis(300);
const ATTACH_EVERY: Duration = Duration::from_millis(50);
/// Generous bound for every wait: Wine can be slow to start a process.
const TIMEOUT: Duration = Duration::from_secs(30);

const TRACK: &str = "monza";
const CAR: &str = "ferrari_296_gt3";
const PLAYER: &str = "Ada";
const LAST_LAP_MS: i32 = 107_345;
const COMPLETED_LAPS: i32 = 3;

/// The mapping names are global: tests of this binary take turns.
static MAPPINGS: Mutex<()> = Mutex::new(());

fn take_turn() -> MutexGuard<'static, ()> {
    MAPPINGS.lock().unwrap_or_else(PoisonError::into_inner)
}

fn options() -> LiveOptions {
    LiveOptions {
        stale_after: STALE_AFTER,
        attach_every: ATTACH_EVERY,
        poll_interval: Duration::from_millis(2),
    }
}

fn statics() -> Static {
    let mut s = Static::default();
    set_utf16(&mut s.sm_version, "1.9");
    set_utf16(&mut s.ac_version, "1.10");
    set_utf16(&mut s.track, TRACK);
    set_utf16(&mut s.car_model, CAR);
    set_utf16(&mut s.player_name, PLAYER);
    s.sector_count = I32::new(3);
    s
}

/// `speedKmh` that goes with a physics `packetId` (exact in `f32`).
fn speed_for(packet_id: i32) -> f32 {
    100.0 + (packet_id % 400) as f32 * 0.25
}

/// `iCurrentTime` that goes with a graphics `packetId`: rising by 16 ms a frame.
fn current_time_for(packet_id: i32) -> i32 {
    20_000 + packet_id * 16
}

fn physics(packet_id: i32) -> Physics {
    Physics {
        packet_id: I32::new(packet_id),
        speed_kmh: F32::new(speed_for(packet_id)),
        gear: I32::new(5),
        ..Physics::default()
    }
}

fn graphics(packet_id: i32) -> Graphics {
    let mut g = Graphics::default();
    g.packet_id = I32::new(packet_id);
    g.status = I32::new(2);
    g.completed_laps = I32::new(COMPLETED_LAPS);
    g.i_last_time = I32::new(LAST_LAP_MS);
    g.i_current_time = I32::new(current_time_for(packet_id));
    g
}

/// Publishes frame `n`: physics runs three steps per graphics frame, as in the game.
fn publish(sink: &mut MappingSink, n: i32) {
    sink.write(PageKind::Static, statics().as_bytes())
        .expect("write static");
    sink.write(PageKind::Graphics, graphics(n).as_bytes())
        .expect("write graphics");
    sink.write(PageKind::Physics, physics(3 * n).as_bytes())
        .expect("write physics");
}

/// Checks one snapshot against what `publish` writes; returns (physics, graphics) ids.
fn check_frame(snap: &Snapshot) -> (i32, i32) {
    let s = &snap.statics;
    assert_eq!(s.sm_version_text(), "1.9");
    assert_eq!(s.track_text(), TRACK);
    assert_eq!(s.car_model_text(), CAR);
    assert_eq!(s.player_name_text(), PLAYER);
    assert_eq!(s.sector_count.get(), 3);

    let g = &snap.graphics;
    let graphics_id = g.packet_id.get();
    assert!(graphics_id >= 1, "graphics packetId {graphics_id}");
    assert_eq!(g.status(), Status::Live);
    assert_eq!(g.completed_laps.get(), COMPLETED_LAPS);
    assert_eq!(g.last_lap_ms(), Some(LAST_LAP_MS as u32));
    // Values of one frame only: a torn copy would mix two frames.
    assert_eq!(g.i_current_time.get(), current_time_for(graphics_id));

    let p = &snap.physics;
    let physics_id = p.packet_id.get();
    assert!(physics_id >= 3, "physics packetId {physics_id}");
    assert_eq!(p.speed_kmh.get(), speed_for(physics_id));
    assert_eq!(p.gear.get(), 5);
    (physics_id, graphics_id)
}

fn read(source: &mut WindowsSource, snap: &mut Snapshot) -> Read {
    source.read(snap).expect("WindowsSource::read")
}

fn assert_not_running(read: Read) {
    match read {
        Read::Waiting(Waiting::NotRunning { place }) => {
            assert_eq!(place, "Local\\acpmf_{physics,graphics,static}");
        }
        other => panic!("expected NotRunning, got {other:?}"),
    }
}

/// Polls until `Stale`, then expects `NotRunning`. Before `Stale` only `Unchanged` is
/// expected, or one `Fresh` when `last_fresh_allowed` (a frame written after our last read).
fn wait_stale_then_gone(source: &mut WindowsSource, last_fresh_allowed: bool) {
    let mut snap = Snapshot::default();
    let deadline = Instant::now() + TIMEOUT;
    let mut fresh_left = u32::from(last_fresh_allowed);
    loop {
        assert!(Instant::now() < deadline, "the pages never went stale");
        match read(source, &mut snap) {
            Read::Unchanged => {}
            Read::Fresh if fresh_left > 0 => {
                fresh_left -= 1;
                check_frame(&snap);
            }
            Read::Waiting(Waiting::Stale(quiet)) => {
                assert!(quiet >= STALE_AFTER, "stale after only {quiet:?}");
                break;
            }
            other => panic!("expected Unchanged then Stale, got {other:?}"),
        }
        thread::sleep(Duration::from_millis(5));
    }
    // The source dropped its views and handles; with the writer gone too, the sections
    // died: the next read attaches at once and finds nothing, and so does a later attempt.
    assert_not_running(read(source, &mut snap));
    thread::sleep(ATTACH_EVERY * 2);
    assert_not_running(read(source, &mut snap));
}

/// The writer child. Does nothing in an ordinary `--ignored` run; with `WRITER_ENV` set it
/// publishes frames every 2 ms until its standard input closes (or `TIMEOUT`).
#[test]
#[ignore = "the child process of reads_pages_another_process_publishes"]
fn writer_process() {
    if std::env::var_os(WRITER_ENV).is_none() {
        return;
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            // Returns at end of input: the parent dropped its end of the pipe.
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            stop.store(true, Ordering::Release);
        });
    }
    let mut sink = MappingSink::create().expect("create the mappings");
    let mut n = 1;
    publish(&mut sink, n);
    println!("{READY}");
    let deadline = Instant::now() + TIMEOUT;
    while !stop.load(Ordering::Acquire) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
        n += 1;
        publish(&mut sink, n);
    }
    drop(sink);
}

#[test]
fn reads_pages_another_process_publishes() {
    let _turn = take_turn();
    let mut source = WindowsSource::new(options());
    let mut snap = Snapshot::default();
    assert_not_running(read(&mut source, &mut snap));

    let mut child = Command::new(std::env::current_exe().expect("current_exe"))
        .args([
            "writer_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_ENV, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the writer process");
    let stdout = child.stdout.take().expect("child stdout");
    let (lines_tx, lines_rx) = mpsc::channel();
    let drain = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + TIMEOUT;
    let mut output = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines_rx.recv_timeout(left) {
            // libtest prints "test writer_process ... " on the same line first.
            Ok(line) if line.trim_end().ends_with(READY) => break,
            Ok(line) => output.push(line),
            Err(e) => {
                let _ = child.kill();
                panic!("the writer never got ready ({e}); its output: {output:#?}");
            }
        }
    }

    // The writer is publishing: fresh, whole, rising frames.
    let mut fresh = 0;
    let mut last = (0, 0);
    while fresh < 20 {
        assert!(Instant::now() < deadline, "only {fresh} fresh reads");
        match read(&mut source, &mut snap) {
            Read::Fresh => {
                let (physics_id, graphics_id) = check_frame(&snap);
                // Fresh means a packetId moved, and ids only ever rise.
                assert!(
                    physics_id >= last.0
                        && graphics_id >= last.1
                        && (physics_id, graphics_id) != last,
                    "{last:?} then ({physics_id}, {graphics_id})"
                );
                last = (physics_id, graphics_id);
                fresh += 1;
            }
            // Until the next attach attempt, and between two frames.
            Read::Waiting(Waiting::NotRunning { .. }) if fresh == 0 => {}
            Read::Unchanged => {}
            other => panic!("expected Fresh, got {other:?}"),
        }
        thread::sleep(Duration::from_millis(3));
    }
    assert_eq!(source.describe(), "Local\\acpmf_{physics,graphics,static}");

    // The game exits: close the child's input, it stops writing and ends.
    drop(child.stdin.take());
    let status = child.wait().expect("wait for the writer");
    assert!(status.success(), "writer exited with {status}");
    drain.join().expect("stdout drain");

    // Our views kept the sections alive with the last values; after `stale_after` the
    // source lets go and the sections are gone.
    wait_stale_then_gone(&mut source, true);
}

#[test]
fn sink_and_source_in_one_process() {
    let _turn = take_turn();
    let mut source = WindowsSource::new(options());
    let mut snap = Snapshot::default();
    assert_not_running(read(&mut source, &mut snap));

    // The reader created nothing: the names are free.
    let mut sink = MappingSink::create().expect("create the mappings");
    assert_eq!(sink.describe(), source.describe());
    match MappingSink::create() {
        Err(SinkError::Mapping(MappingError::AlreadyExists { name })) => {
            assert_eq!(name, "Local\\acpmf_physics")
        }
        other => panic!("expected AlreadyExists, got {other:?}"),
    }

    // Created but not written yet: all zeros.
    thread::sleep(ATTACH_EVERY);
    assert_eq!(
        read(&mut source, &mut snap),
        Read::Waiting(Waiting::NotWritten)
    );

    publish(&mut sink, 7);
    assert_eq!(read(&mut source, &mut snap), Read::Fresh);
    assert_eq!(check_frame(&snap), (21, 7));
    assert_eq!(read(&mut source, &mut snap), Read::Unchanged);
    publish(&mut sink, 8);
    assert_eq!(read(&mut source, &mut snap), Read::Fresh);
    assert_eq!(check_frame(&snap), (24, 8));

    // The sink is gone, but the reader's views keep the sections (and the last values)
    // alive, exactly like a reader after ACC exits.
    drop(sink);
    match MappingSink::create() {
        Err(SinkError::Mapping(MappingError::AlreadyExists { name })) => {
            assert_eq!(name, "Local\\acpmf_physics")
        }
        other => panic!("expected AlreadyExists while the reader holds views, got {other:?}"),
    }
    wait_stale_then_gone(&mut source, false);

    // And the names are free again.
    let sink = MappingSink::create().expect("create the mappings again");
    drop(sink);
}
