//! End-to-end: sessions across tracker stops and restarts, and why uploads fail. `pitwall
//! run` and `pitwall simulate` run as separate processes, as a user runs them:
//! - a tracker stopped with SIGTERM or Ctrl-C (SIGINT) ends its running session in the store;
//! - a tracker killed (SIGKILL) or stopped and started again in the middle of the same game
//!   session carries that session on: one session whose laps are all there, numbered 1, 2,
//!   3…; a restart of the session in the game after that still opens a second one;
//! - an upload refused because the token's driver is not the session's names both drivers
//!   in the tracker's log and in `pitwall status`.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::{Proc, address, pitwall, run_cmd, serve_cmd, simulate_cmd, stored_sessions};
use pitwall_store::SessionWithLaps;

struct Dirs {
    _tmp: tempfile::TempDir,
    shm: PathBuf,
    data: PathBuf,
    script: PathBuf,
}

fn dirs(script: &str) -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let shm = tmp.path().join("shm");
    std::fs::create_dir(&shm).unwrap();
    let script_path = tmp.path().join("scenario.txt");
    std::fs::write(&script_path, script).unwrap();
    Dirs {
        shm,
        data: tmp.path().join("data"),
        script: script_path,
        _tmp: tmp,
    }
}

fn tracker(d: &Dirs, extra: &[&str]) -> Proc {
    let mut cmd = run_cmd(&d.shm, &d.data);
    cmd.args(extra);
    let mut p = Proc::spawn(cmd);
    p.wait_for("reading the game's pages", Duration::from_secs(30));
    p
}

fn simulator(d: &Dirs, speed: &str) -> Proc {
    Proc::spawn(simulate_cmd(&d.shm, &d.script, speed))
}

fn stored(data: &Path) -> Vec<SessionWithLaps> {
    let mut sessions = stored_sessions(data);
    sessions.reverse(); // oldest first
    sessions
}

fn numbers(s: &SessionWithLaps) -> Vec<u32> {
    s.laps.iter().map(|l| l.number).collect()
}

const MIN: Duration = Duration::from_secs(60);

fn stop_ends_the_session(signal: &str) {
    let d = dirs(
        "track monza\ncar ferrari_296_gt3\ndriver Stop\npitbox 1s\noutlap 2:00.000\n\
         laps 20 1:40.000\nexit\n",
    );
    let mut run = tracker(&d, &[]);
    let _sim = simulator(&d, "20");
    run.wait_for("lap 1: ", MIN);
    run.stop(signal);
    let sessions = stored(&d.data);
    assert_eq!(sessions.len(), 1, "{sessions:#?}");
    assert!(
        sessions[0].ended_at_ms.is_some(),
        "{signal}: the session is left running: {sessions:#?}"
    );
    assert_eq!(numbers(&sessions[0])[0], 1);
}

#[test]
fn sigterm_ends_the_running_session() {
    stop_ends_the_session("-TERM");
}

#[test]
fn ctrl_c_ends_the_running_session() {
    stop_ends_the_session("-INT");
}

/// Real time (the game's clock and the wall clock agree). Laps of 31 s, just over the
/// shortest pace lap `pitwall_core::validate` accepts (30 s), so that a tracker stopped 2 s
/// into a lap is back long before its end; a 5 s out-lap to get going.
const RESTARTS: &str = "track resume_test length=500\ncar ferrari_296_gt3\ndriver Resume\n\
    session practice\nduration 30min\npitbox 1s\noutlap 5s\nlaps 3 31s\nrestart\nlaps 1 31s\n\
    exit\n";

#[test]
fn a_restarted_tracker_carries_on_the_same_session() {
    let d = dirs(RESTARTS);
    let mut run = tracker(&d, &[]);
    let _sim = simulator(&d, "1");
    run.wait_for("lap 1: ", MIN);
    std::thread::sleep(Duration::from_secs(2));
    run.kill(); // 2 s into lap 2, with no chance to end anything
    let mut run = tracker(&d, &[]);
    run.wait_for("carried on", Duration::from_secs(20));
    run.wait_for("lap 2: ", MIN);
    std::thread::sleep(Duration::from_secs(2));
    run.stop("-TERM"); // 2 s into lap 3: ends the session…
    let mut run = tracker(&d, &[]);
    run.wait_for("carried on", Duration::from_secs(20)); // …which is re-opened
    run.wait_for("lap 3: ", MIN);
    run.wait_for("lap 4: ", MIN);
    // The session is restarted in the game: a second session, as before.
    run.wait_for("session started", MIN);
    run.wait_for("lap 1: ", MIN);
    run.stop("-INT");

    let sessions = stored(&d.data);
    assert_eq!(sessions.len(), 2, "{sessions:#?}");
    assert_eq!(numbers(&sessions[0]), [1, 2, 3, 4], "{sessions:#?}");
    assert_eq!(numbers(&sessions[1]), [1], "{sessions:#?}");
    assert!(sessions.iter().all(|s| s.ended_at_ms.is_some()));
    let times: Vec<u32> = sessions[0].laps.iter().map(|l| l.time_ms).collect();
    assert_eq!(
        times,
        [5_000, 31_000, 31_000, 31_000],
        "the game's times, across every restart"
    );
    // The laps running across a restart of the tracker are partial (seen only in part).
    let partial: Vec<bool> = sessions[0].laps.iter().map(|l| l.partial).collect();
    assert_eq!(partial, [false, true, true, false]);
}

fn token_create(dir: &Path, driver: &str) -> String {
    let out = pitwall()
        .args(["token", "create", "--driver", driver, "--data-dir"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn status(data: &Path) -> Output {
    pitwall()
        .args(["status", "--data-dir"])
        .arg(data)
        .output()
        .unwrap()
}

#[test]
fn a_refused_upload_names_both_drivers_in_the_log_and_in_status() {
    let d = dirs(
        "track monza\ncar ferrari_296_gt3\ndriver Ann Lee\npitbox 1s\noutlap 2:00.000\n\
         laps 20 1:40.000\nexit\n",
    );
    let hosted = d.data.with_file_name("hosted");
    let bob = token_create(&hosted, "Bob");
    let mut server = Proc::spawn(serve_cmd(&hosted));
    let line = server.wait_for("pitwall serving on http://", Duration::from_secs(30));
    let url = format!("http://{}", address(&line));

    let mut run = tracker(&d, &["--upload", &url, "--token", &bob]);
    let _sim = simulator(&d, "20");
    let refused = run.wait_for("upload: ", MIN);
    assert!(
        refused.contains("\"Bob\"") && refused.contains("\"Ann Lee\"") && refused.contains("403"),
        "the log says which drivers: {refused}"
    );
    run.wait_for("lap 1: ", MIN);
    run.stop("-TERM");

    let out = status(&d.data);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("stored: 1 sessions"), "{text}");
    assert!(text.contains("items waiting"), "{text}");
    let why = text
        .lines()
        .find(|l| l.contains("last attempt failed"))
        .unwrap_or_else(|| panic!("status gives no reason: {text}"));
    assert!(
        why.contains("403") && why.contains("\"Bob\"") && why.contains("\"Ann Lee\""),
        "{why}"
    );
    server.stop("-TERM");
}

#[test]
fn status_of_an_empty_store_says_there_is_nothing_to_send() {
    let d = dirs("");
    std::fs::create_dir_all(&d.data).unwrap();
    // A store made by a tracker that saw no game.
    let _ = stored(&d.data);
    let out = status(&d.data);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("stored: 0 sessions, 0 laps"), "{text}");
    assert!(text.contains("upload outbox: empty"), "{text}");
}
