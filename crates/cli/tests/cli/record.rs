//! End-to-end: `pitwall run --record FILE` on the simulator's pages. The tracker stores the
//! laps and writes everything it read into a recording; after Ctrl-C the recording is
//! complete, and `pitwall replay --fast FILE` shows exactly the laps that were stored.

// The tracker is stopped with Ctrl-C (SIGINT) as a user would: Unix only.

use crate::common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{interrupt, pitwall, run_cmd, simulate_cmd, stored_sessions};

const SCRIPT: &str = "track spa\ncar porsche_992_gt3_r\nsession practice\ndriver Rec\n\
sectors 3\npitbox 2s\noutlap 2:40.000\nlap 2:18.250\nlap 2:19.125 cut=1\nlap 2:17.900\n\
inlap 2:30.000\nexit\n";

/// Waits until the file at `log` contains `text`.
fn wait_for(log: &Path, text: &str, within: Duration) -> String {
    let started = Instant::now();
    loop {
        let seen = std::fs::read_to_string(log).unwrap_or_default();
        if seen.contains(text) {
            return seen;
        }
        assert!(
            started.elapsed() < within,
            "no {text:?} within {within:?}:\n{seen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn run_records_what_it_reads_and_the_recording_replays_to_the_stored_laps() {
    let dir = tempfile::tempdir().unwrap();
    let shm = dir.path().join("shm");
    let data = dir.path().join("data");
    std::fs::create_dir(&shm).unwrap();
    let script = dir.path().join("s.txt");
    std::fs::write(&script, SCRIPT).unwrap();
    let recording = dir.path().join("run.pwrec");
    let log = dir.path().join("run.log");

    let mut run = run_cmd(&shm, &data)
        .arg("--record")
        .arg(&recording)
        .stderr(std::fs::File::create(&log).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&log, "waiting for ACC", Duration::from_secs(30));
    let sim = simulate_cmd(&shm, &script, "40").output().unwrap();
    assert!(
        sim.status.success(),
        "{}",
        String::from_utf8_lossy(&sim.stderr)
    );
    wait_for(&log, "session ended", Duration::from_secs(30));

    // SIGINT, as Ctrl-C: the recording is finished before the process exits.
    let status = interrupt(&mut run);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(status.success(), "run exits cleanly: {status}\n{logged}");
    assert!(logged.contains("recorded "), "{logged}");
    // Complete: every block and the end marker are there (a reader reports no damage).
    let frames = pitwall_recording::open(&recording).unwrap();
    assert!(frames.collect::<Result<Vec<_>, _>>().unwrap().len() > 100);

    let replay = pitwall()
        .env("PITWALL_LOG", "warn")
        .arg("replay")
        .arg(&recording)
        .arg("--fast")
        .output()
        .unwrap();
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let replayed = String::from_utf8_lossy(&replay.stdout);

    let sessions = stored_sessions(&data);
    assert_eq!(sessions.len(), 1, "one session stored");
    let stored: Vec<String> = sessions[0]
        .laps
        .iter()
        .map(pitwall_core::format::lap_line)
        .collect();
    let replayed_laps: Vec<&str> = replayed
        .lines()
        .filter(|l| l.starts_with("lap ") && !l.contains(" started"))
        .collect();
    assert_eq!(replayed_laps, stored, "replay:\n{replayed}");
    assert_eq!(stored.len(), 5, "out-lap, three flying laps, in-lap");
    assert!(replayed.contains("session started: PRACTICE at spa in porsche_992_gt3_r"));
}
