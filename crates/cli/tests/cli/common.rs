//! Helpers shared by the end-to-end tests of the `pitwall` binary: the binary with no
//! configuration from the environment, the `run` and `simulate` commands the tests start,
//! a child process whose log lines are read on a thread, signals and clean stops, the
//! address in a server's start line, the time in a lap line and the store a run leaves
//! behind.
//!
//! Each test binary uses only some of these, hence the `#[allow(dead_code)]` on each item.

use std::future::Future;
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use pitwall_store::{Reads as _, SessionWithLaps, SqliteStore, Store as _};

/// Configuration read from the environment, removed so that a developer's settings never
/// reach a test.
const CONFIG_VARS: [&str; 13] = [
    "PITWALL_SHM_DIR",
    "PITWALL_DATA_DIR",
    "PITWALL_DATABASE_URL",
    "PITWALL_DATABASE_URL_FILE",
    "PITWALL_CONFIG",
    "PITWALL_LISTEN",
    "PITWALL_UPLOAD",
    "PITWALL_UPLOAD_URL",
    "PITWALL_UPLOAD_TOKEN",
    "PITWALL_UPLOAD_TOKEN_FILE",
    "PITWALL_CORS_ORIGINS",
    "PITWALL_RATE_LIMIT",
    "PITWALL_PRIVATE_READS",
];

/// `pitwall` with no configuration from the environment, logging at `info` without colours.
#[allow(dead_code)]
pub(crate) fn pitwall() -> Command {
    let mut cmd = Command::cargo_bin("pitwall").unwrap();
    for var in CONFIG_VARS {
        cmd.env_remove(var);
    }
    cmd.env("PITWALL_LOG", "info").env("NO_COLOR", "1");
    cmd
}

/// `pitwall run` on the pages in `shm`, storing into `data`, its dashboard on a free port.
#[allow(dead_code)]
pub(crate) fn run_cmd(shm: &Path, data: &Path) -> Command {
    let mut cmd = pitwall();
    cmd.args(["run", "--listen", "127.0.0.1:0", "--shm-dir"])
        .arg(shm)
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// `pitwall serve` of the store in `data` on a free port, with no collector.
#[allow(dead_code)]
pub(crate) fn serve_cmd(data: &Path) -> Command {
    let mut cmd = pitwall();
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--collect=false",
        "--data-dir",
    ])
    .arg(data);
    cmd
}

/// `pitwall simulate` of the scenario `script` at `speed`× into `shm`, logging warnings only.
#[allow(dead_code)]
pub(crate) fn simulate_cmd(shm: &Path, script: &Path, speed: &str) -> Command {
    let mut cmd = pitwall();
    cmd.env("PITWALL_LOG", "warn")
        .args(["simulate", "--speed", speed, "--scenario"])
        .arg(script)
        .arg("--shm-dir")
        .arg(shm);
    cmd
}

/// Spawns `cmd` with stderr piped and hands each of its lines to `on_line` on a thread.
#[allow(dead_code)]
pub(crate) fn spawn_with_lines(
    mut cmd: Command,
    mut on_line: impl FnMut(String) + Send + 'static,
) -> Child {
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            on_line(line);
        }
    });
    child
}

/// A child process killed (SIGKILL) on drop unless it already stopped; its stderr lines
/// arrive on `log`, and those read so far are kept in `seen`.
#[allow(dead_code)]
pub(crate) struct Proc {
    pub(crate) child: Child,
    pub(crate) log: Receiver<(Instant, String)>,
    pub(crate) seen: Vec<(Instant, String)>,
}

#[allow(dead_code)]
impl Proc {
    /// Spawns `cmd` (stdout discarded).
    pub(crate) fn spawn(mut cmd: Command) -> Proc {
        cmd.stdout(Stdio::null());
        let (tx, log) = channel();
        // Stops reading once the receiver is gone, with the process.
        let child = spawn_with_lines(cmd, move |line| {
            let _ = tx.send((Instant::now(), line));
        });
        Proc {
            child,
            log,
            seen: Vec::new(),
        }
    }

    /// Waits for a log line containing `needle`; returns it.
    pub(crate) fn wait_for(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((at, line)) = self.log.recv_timeout(left) else {
                panic!("no {needle:?} within {within:?}; log:\n{}", self.text());
            };
            self.seen.push((at, line.clone()));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Keeps the lines that arrive within `span`.
    pub(crate) fn read_for(&mut self, span: Duration) {
        let until = Instant::now() + span;
        while Instant::now() < until {
            self.read_some();
        }
    }

    /// Keeps the lines that arrive within 100 ms.
    pub(crate) fn read_some(&mut self) {
        self.seen
            .extend(self.log.recv_timeout(Duration::from_millis(100)));
    }

    /// The lines read so far, one a line.
    pub(crate) fn text(&self) -> String {
        self.seen
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Stops it with `signal` and waits (at most 30 s) for a clean exit; keeps the rest of
    /// its log.
    pub(crate) fn stop(&mut self, signal: &str) {
        send_signal(&self.child, signal);
        let status = wait_within(&mut self.child, Duration::from_secs(30), signal);
        std::thread::sleep(Duration::from_millis(100));
        self.seen.extend(self.log.try_iter());
        assert!(
            status.success(),
            "{signal}: exited with {status:?}; log:\n{}",
            self.text()
        );
    }

    /// Kills it (SIGKILL): no chance to end anything.
    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `signal` (as `kill` takes it: `-INT`, `-TERM`) to `child`.
#[allow(dead_code)]
pub(crate) fn send_signal(child: &Child, signal: &str) {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap()
            .success()
    );
}

/// Waits at most `within` for `child` to exit (after `why`); its status.
#[allow(dead_code)]
pub(crate) fn wait_within(child: &mut Child, within: Duration, why: &str) -> ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "still running {within:?} after {why}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Ctrl-C (SIGINT) to `child`; its exit status.
#[allow(dead_code)]
pub(crate) fn interrupt(child: &mut Child) -> ExitStatus {
    send_signal(child, "-INT");
    child.wait().unwrap()
}

/// The server's address from its start line ("… http://ADDRESS …").
#[allow(dead_code)]
pub(crate) fn address(line: &str) -> String {
    let rest = line.split("http://").nth(1).unwrap();
    rest.split_whitespace().next().unwrap().to_owned()
}

/// The time of a "lap N: m:ss.mmm …" log line.
#[allow(dead_code)]
pub(crate) fn lap_time(line: &str) -> Option<u32> {
    let rest = &line[line.find(" lap ")? + 5..];
    let (_, rest) = rest.split_once(": ")?;
    let time = rest.split_whitespace().next()?;
    let (m, rest) = time.split_once(':')?;
    let (s, ms) = rest.split_once('.')?;
    Some(m.parse::<u32>().ok()? * 60_000 + s.parse::<u32>().ok()? * 1000 + ms.parse::<u32>().ok()?)
}

#[allow(dead_code)]
/// One HTTP/1.1 POST; the status and the body (status 0 when the connection failed).
pub(crate) fn post(address: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return (0, String::new());
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut response = String::new();
    if stream.write_all(request.as_bytes()).is_err()
        || stream.read_to_string(&mut response).is_err()
    {
        return (0, String::new());
    }
    let Some((head, body)) = response.split_once("\r\n\r\n") else {
        return (0, String::new());
    };
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_owned())
}

#[allow(dead_code)]
/// An upload of lap `number` of session `session` by `driver`: its time (unique per lap)
/// and its JSON.
pub(crate) fn upload(session: u64, number: u32, driver: &str) -> (u32, String) {
    let started = 1_717_149_600_000_u64 + session * 10_000_000;
    let time = 80_000 + u32::try_from(session).unwrap() * 1_000 + number;
    let done = started + u64::from(number) * 100_000;
    let body = serde_json::json!({
        "session": {
            "id": format!("{session:016x}"), "track": "monza", "car": "ferrari_296_gt3",
            "session_type": 0, "session_type_label": "PRACTICE", "driver": driver,
            "sector_count": 3, "session_index": 0, "started_at_ms": started,
            "sm_version": "1.9", "ac_version": "1.10.2", "online": false,
            "joined_late": false, "conditions": null
        },
        "ended_at_ms": null,
        "laps": [{
            "id": format!("{:016x}", session * 100_000 + u64::from(number)),
            "session_id": format!("{session:016x}"), "number": number,
            "time_ms": time, "sectors": [26_000, 27_000, time - 53_000], "valid": true,
            "invalid_sector": null, "out_lap": false, "in_lap": false, "partial": false,
            "started_at_ms": done - u64::from(time), "completed_at_ms": done
        }]
    });
    (time, body.to_string())
}

/// Runs `future` to its end on a new single-threaded runtime.
#[allow(dead_code)]
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// The SQLite store in a data directory.
#[allow(dead_code)]
pub(crate) async fn open_store(data: &Path) -> SqliteStore {
    SqliteStore::open_in_dir(Some(data)).await.unwrap()
}

/// The sessions stored in a data directory (at most 100), newest first.
#[allow(dead_code)]
pub(crate) fn stored_sessions(data: &Path) -> Vec<SessionWithLaps> {
    block_on(async {
        let store = open_store(data).await;
        let sessions = store.recent_sessions(100, 0).await.unwrap();
        store.close().await;
        sessions
    })
}

/// The lap times (ms) stored in a data directory.
#[allow(dead_code)]
pub(crate) fn stored_times(data: &Path) -> Vec<u32> {
    stored_sessions(data)
        .iter()
        .flat_map(|s| s.laps.iter().map(|l| l.time_ms))
        .collect()
}
