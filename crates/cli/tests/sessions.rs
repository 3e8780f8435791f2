//! End-to-end: sessions across tracker stops and restarts, and why uploads fail. `pitwall
//! run` and `pitwall simulate` run as separate processes, as a user runs them:
//! - a tracker stopped with SIGTERM or Ctrl-C (SIGINT) ends its running session in the store;
//! - a tracker killed (SIGKILL) or stopped and started again in the middle of the same game
//!   session carries that session on: one session whose laps are all there, numbered 1, 2,
//!   3…; a restart of the session in the game after that still opens a second one;
//! - an upload refused because the token's driver is not the session's names both drivers
//!   in the tracker's log and in `pitwall status`.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use pitwall_store::{SessionWithLaps, Store};

fn pitwall() -> Command {
    let mut cmd = Command::cargo_bin("pitwall").unwrap();
    for var in [
        "PITWALL_DATA_DIR",
        "PITWALL_DATABASE_URL",
        "PITWALL_CONFIG",
        "PITWALL_LISTEN",
        "PITWALL_UPLOAD",
        "PITWALL_UPLOAD_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("PITWALL_LOG", "info").env("NO_COLOR", "1");
    cmd
}

/// A running process whose stderr lines arrive on `log`; killed when dropped.
struct Proc {
    child: Child,
    log: Receiver<String>,
    seen: Vec<String>,
}

impl Proc {
    fn spawn(mut cmd: Command) -> Proc {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Proc {
            child,
            log,
            seen: Vec::new(),
        }
    }

    /// Waits for a log line containing `needle`; returns it.
    fn wait_for(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!("no {needle:?} within {within:?}; log: {:#?}", self.seen),
            }
        }
    }

    /// Sends `signal` and waits for the exit; asserts a clean one.
    fn stop(mut self, signal: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{signal}: exited with {status}");
        self.seen.extend(self.log.try_iter());
    }

    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
    let mut cmd = pitwall();
    cmd.args(["run", "--listen", "127.0.0.1:0", "--shm-dir"])
        .arg(&d.shm)
        .arg("--data-dir")
        .arg(&d.data)
        .args(extra);
    let mut p = Proc::spawn(cmd);
    p.wait_for("reading the game's pages", Duration::from_secs(30));
    p
}

fn simulator(d: &Dirs, speed: &str) -> Proc {
    let mut cmd = pitwall();
    cmd.env("PITWALL_LOG", "warn")
        .args(["simulate", "--speed", speed, "--scenario"])
        .arg(&d.script)
        .arg("--shm-dir")
        .arg(&d.shm);
    Proc::spawn(cmd)
}

fn stored(data: &Path) -> Vec<SessionWithLaps> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = pitwall_store::SqliteStore::open_in_dir(Some(data))
                .await
                .unwrap();
            let mut sessions = store.recent_sessions(100, 0).await.unwrap();
            store.close().await;
            sessions.reverse(); // oldest first
            sessions
        })
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
    let mut serve = pitwall();
    serve
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--collect=false",
            "--data-dir",
        ])
        .arg(&hosted);
    let mut server = Proc::spawn(serve);
    let line = server.wait_for("pitwall serving on http://", Duration::from_secs(30));
    let address = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next();
    let url = format!("http://{}", address.unwrap());

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
