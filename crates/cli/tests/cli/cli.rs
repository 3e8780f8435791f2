//! End-to-end: the `pitwall` binary's simulator, reader, recorder and replay as separate
//! processes on bridge-style page files, as a Proton user would run them.

use assert_cmd::cargo::CommandCargoExt;
use std::process::{Command, Stdio};

const SCRIPT: &str = "track monza\ncar ferrari_296_gt3\nsession practice\ndriver Cli\nsectors 3\n\
pitbox 2s\noutlap 2:10.000\nlap 1:47.345\nlap 1:48.500 cut=2\nexit\n";

fn pitwall() -> Command {
    let mut cmd = Command::cargo_bin("pitwall").unwrap();
    cmd.env_remove("PITWALL_SHM_DIR").env("PITWALL_LOG", "warn");
    cmd
}

#[test]
fn simulate_record_watch_and_replay() {
    let dir = tempfile::tempdir().unwrap();
    let shm = dir.path().join("shm");
    std::fs::create_dir(&shm).unwrap();
    let script = dir.path().join("s.txt");
    std::fs::write(&script, SCRIPT).unwrap();
    let recording = dir.path().join("session.pwrec");

    // Reader and recorder first: they wait for the pages.
    let watch = pitwall()
        .args(["watch", "--timeout", "20", "--shm-dir"])
        .arg(&shm)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let record = pitwall()
        .args(["record", "--duration", "18", "--shm-dir"])
        .arg(&shm)
        .arg("--out")
        .arg(&recording)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let sim = pitwall()
        .args(["simulate", "--speed", "40", "--scenario"])
        .arg(&script)
        .arg("--shm-dir")
        .arg(&shm)
        .output()
        .unwrap();
    assert!(
        sim.status.success(),
        "{}",
        String::from_utf8_lossy(&sim.stderr)
    );

    let watched = watch.wait_with_output().unwrap();
    let watched = String::from_utf8_lossy(&watched.stdout);
    for expected in [
        "session started: PRACTICE at monza in ferrari_296_gt3 (driver Cli)",
        "lap 1: 2:10.000",
        "lap 2: 1:47.345  S1 ",
        "lap 3: 1:48.500  S1 ",
        "INVALID (S2)",
        "session ended (left the session)",
    ] {
        assert!(
            watched.contains(expected),
            "watch lacks {expected:?}:\n{watched}"
        );
    }
    let recorded = record.wait_with_output().unwrap();
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );

    // The recording replays to the same laps.
    let replay = pitwall()
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
    for expected in [
        "lap 1: 2:10.000",
        "lap 2: 1:47.345  S1 ",
        "lap 3: 1:48.500  S1 ",
        "INVALID (S2)",
    ] {
        assert!(
            replayed.contains(expected),
            "replay lacks {expected:?}:\n{replayed}"
        );
    }
}

#[test]
fn errors_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = pitwall()
        .args(["replay"])
        .arg(dir.path().join("missing.pwrec"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing.pwrec") && err.contains("check the path"),
        "{err}"
    );

    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "track monza\nlapp 1:40.000\n").unwrap();
    let out = pitwall()
        .args(["simulate", "--scenario"])
        .arg(&bad)
        .arg("--shm-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt") && err.contains("line 2"), "{err}");

    let out = pitwall()
        .args(["watch", "--once", "--timeout", "1", "--shm-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("waiting for ACC"));
}
