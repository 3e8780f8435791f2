//! PostgreSQL faults under the real binary: what `disk_full.rs` proves for SQLite on a full
//! disk, here for a PostgreSQL database whose connections are killed. A write the store did
//! not durably commit is never acknowledged, and the store recovers by itself as soon as the
//! fault clears, without a restart.
//!
//! Each test gets a database of its own on the server at `PITWALL_TEST_POSTGRES_URL`
//! (`pitwall_pgfault_…`, dropped at the end, also on failure), and kills only that
//! database's backends with `pg_terminate_backend`, again and again.
//!
//! - `pitwall serve`, with two clients POSTing laps to `/api/ingest`: its backends are killed
//!   for 2 s, then its writes wait on a lock the test holds for longer than the database's
//!   300 ms `statement_timeout`. Every lap answered 200 is in the database afterwards, every
//!   failed upload was answered 503 (never 500) with a message saying to retry, and each
//!   client's first 200 after the fault clears comes within 2 s.
//! - `pitwall run`, driven by the simulator: its backends are killed for 4 s mid-run. Every
//!   lap it logged ("lap N: …") is in the database after a clean stop, and every lap driven
//!   is stored once, in order, including those completed during the fault.
//!
//! The tests are ignored unless run with `--include-ignored`; then they fail without
//! `PITWALL_TEST_POSTGRES_URL`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use pitwall_store::{Reads as _, Store as _};
use sqlx::Connection as _;

use crate::common;

/// The admin URL of the test server (panics, saying what to set, when it is unset).
fn admin_url() -> String {
    pitwall_test_support::postgres_url()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One blocking connection for the test's own SQL.
struct Pg {
    rt: tokio::runtime::Runtime,
    conn: sqlx::PgConnection,
}

impl Pg {
    fn connect(url: &str) -> Pg {
        let rt = runtime();
        let conn = rt.block_on(sqlx::PgConnection::connect(url)).unwrap();
        Pg { rt, conn }
    }

    fn exec(&mut self, sql: &str) {
        self.rt
            .block_on(sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut self.conn))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Kills the backends of database `db` (but its own) for `how_long`, as fast as it can;
    /// returns how many it killed.
    fn kill_backends(&mut self, db: &str, how_long: Duration) -> i64 {
        let until = Instant::now() + how_long;
        let mut killed = 0;
        while Instant::now() < until {
            let n: i64 = self
                .rt
                .block_on(
                    sqlx::query_scalar(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
                         WHERE datname = $1 AND pid <> pg_backend_pid()",
                    )
                    .bind(db)
                    .fetch_one(&mut self.conn),
                )
                .unwrap();
            killed += n;
            std::thread::sleep(Duration::from_millis(1));
        }
        killed
    }
}

/// A database of the test's own, dropped (with whatever is still connected) on drop.
struct TestDb {
    admin: String,
    name: String,
    url: String,
}

impl TestDb {
    fn create(admin: &str) -> TestDb {
        let name = pitwall_test_support::unique_name("pitwall_pgfault");
        Pg::connect(admin).exec(&format!("CREATE DATABASE {name}"));
        let base = admin.split('?').next().unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        TestDb {
            admin: admin.to_owned(),
            name,
            url,
        }
    }

    /// The laps stored, as (session start, lap number, time in ms), in order.
    fn stored(&self) -> Vec<(u64, u32, u32)> {
        runtime().block_on(async {
            let store = pitwall_store::PgStore::connect(&self.url).await.unwrap();
            let mut laps: Vec<_> = store
                .recent_sessions(100, 0)
                .await
                .unwrap()
                .iter()
                .flat_map(|s| {
                    let start = s.info.started_at_ms;
                    s.laps.iter().map(move |l| (start, l.number, l.time_ms))
                })
                .collect();
            store.close().await;
            laps.sort_unstable();
            laps
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropped = runtime().block_on(async {
            let mut conn = sqlx::PgConnection::connect(&self.admin).await?;
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await?;
            conn.close().await
        });
        if let Err(e) = dropped {
            eprintln!("warning: cannot drop test database {}: {e}", self.name);
        }
    }
}

fn pitwall() -> Command {
    let mut cmd = Command::cargo_bin("pitwall").unwrap();
    for var in [
        "PITWALL_DATA_DIR",
        "PITWALL_DATABASE_URL",
        "PITWALL_CONFIG",
        "PITWALL_LISTEN",
        "PITWALL_SHM_DIR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("PITWALL_LOG", "info").env("NO_COLOR", "1");
    cmd
}

/// A child process killed on drop, with its log lines (and when each came) as they come.
struct Proc {
    child: Child,
    log: Receiver<(Instant, String)>,
    lines: Vec<(Instant, String)>,
}

impl Proc {
    fn spawn(mut cmd: Command) -> Proc {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Proc {
            child,
            log,
            lines: Vec::new(),
        }
    }

    /// Waits (at most 30 s) for a log line `is` accepts; returns it and when it came.
    fn wait_for(&mut self, is: impl Fn(&str) -> bool) -> (Instant, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.log.recv_timeout(left) else {
                panic!("not the awaited line within 30 s:\n{}", self.text());
            };
            self.lines.push(line.clone());
            if is(&line.1) {
                return line;
            }
        }
    }

    /// Collects log lines for `how_long`.
    fn collect(&mut self, how_long: Duration) {
        let until = Instant::now() + how_long;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            self.lines.extend(self.log.recv_timeout(left));
        }
    }

    fn text(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|(_, l)| l.as_str()).collect();
        lines.join("\n")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates a token for `driver` in the database at `url` (migrating it first if needed).
fn token(url: &str, driver: &str) -> String {
    let out = pitwall()
        .args(["token", "create", "--driver", driver, "--database-url", url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// One HTTP/1.1 POST of `body` to `/api/ingest`; the status (0 when the connection failed)
/// and the body.
fn ingest(address: &str, token: &str, body: &str) -> (u16, String) {
    common::post(address, "/api/ingest", token, body)
}

/// An upload of lap `number` of session `session`; its time (unique per lap) and its JSON.
fn upload(session: u64, number: u32) -> (u32, String) {
    common::upload(session, number, "Kill")
}

/// What one uploading client saw.
#[derive(Default)]
struct Client {
    acked: BTreeSet<u32>,
    /// Every answer other than 200: status and body.
    refused: Vec<(u16, String)>,
    first_after_clear: Option<Duration>,
}

/// When the fault cleared (once it has), and whether the clients should stop.
#[derive(Default)]
struct Clock {
    cleared: Mutex<Option<Instant>>,
    over: AtomicBool,
}

/// Uploads session `session` lap by lap, each retried every 50 ms until answered 200 (as
/// the uploader does), until `clock.over`.
fn client(address: &str, token: &str, session: u64, clock: &Clock) -> Client {
    let mut seen = Client::default();
    let mut number = 1;
    while !clock.over.load(Ordering::Acquire) {
        let (time, body) = upload(session, number);
        match ingest(address, token, &body) {
            (200, _) => {
                seen.acked.insert(time);
                number += 1;
                if let Some(at) = *clock.cleared.lock().unwrap() {
                    seen.first_after_clear.get_or_insert(at.elapsed());
                }
            }
            refused => {
                seen.refused.push(refused);
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    seen
}

#[test]
#[ignore = pitwall_test_support::needs_postgres!()]
fn serve_on_postgres_acknowledges_only_stored_laps_when_its_connections_are_killed() {
    let admin = admin_url();
    let db = TestDb::create(&admin);
    let token = token(&db.url, "Kill");
    // pitwall sets no statement timeout of its own: the database gives its connections one.
    Pg::connect(&admin).exec(&format!(
        "ALTER DATABASE {} SET statement_timeout = '300ms'",
        db.name
    ));
    let mut server = Proc::spawn({
        let mut cmd = pitwall();
        cmd.args([
            "serve",
            "--database-url",
            &db.url,
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--collect=false", "--rate-limit", "0"]);
        cmd
    });
    let (_, line) = server.wait_for(|l| l.contains("pitwall serving on"));
    let address = line.split("http://").nth(1).unwrap();
    let address = address.split_whitespace().next().unwrap().to_owned();

    let clock = Arc::new(Clock::default());
    let clients: Vec<_> = (1..=2_u64)
        .map(|session| {
            let (address, token, clock) = (address.clone(), token.clone(), clock.clone());
            std::thread::spawn(move || client(&address, &token, session, &clock))
        })
        .collect();
    let mut admin_conn = Pg::connect(&admin);
    server.collect(Duration::from_millis(500));
    let killed = admin_conn.kill_backends(&db.name, Duration::from_secs(2));
    // Then a statement timeout: ingest's writes wait on a lock held here for 1.5 s.
    let mut holder = Pg::connect(&db.url);
    holder.exec("SET statement_timeout = 0");
    holder.exec("BEGIN");
    holder.exec("LOCK TABLE laps IN ACCESS EXCLUSIVE MODE");
    server.collect(Duration::from_millis(1_500));
    holder.exec("ROLLBACK");
    *clock.cleared.lock().unwrap() = Some(Instant::now());
    server.collect(Duration::from_secs(2));
    clock.over.store(true, Ordering::Release);
    let seen: Vec<Client> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    server.collect(Duration::from_millis(100));
    drop(holder);

    Pg::connect(&admin).exec(&format!(
        "ALTER DATABASE {} RESET statement_timeout",
        db.name
    ));
    let stored: BTreeSet<u32> = db.stored().iter().map(|l| l.2).collect();
    let acked: BTreeSet<u32> = seen.iter().flat_map(|c| c.acked.iter().copied()).collect();
    let refused: Vec<&(u16, String)> = seen.iter().flat_map(|c| c.refused.iter()).collect();
    let lost: Vec<&u32> = acked.difference(&stored).collect();
    println!(
        "{killed} backends killed; {} laps acknowledged, {} uploads refused, {} laps stored; \
         first 200 after the fault cleared: {:?}",
        acked.len(),
        refused.len(),
        stored.len(),
        seen.iter().map(|c| c.first_after_clear).collect::<Vec<_>>()
    );
    assert!(killed > 0, "no backend of the server was killed");
    assert!(
        lost.is_empty(),
        "{} acknowledged laps are lost: {lost:?}",
        lost.len()
    );
    for (status, body) in &refused {
        assert_eq!(*status, 503, "a failed write is answered 503: {body}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        let message = json["error"]["message"].as_str().unwrap();
        assert!(message.contains("retry"), "{message}");
    }
    let log = server.text();
    let failed = |cause: bool| {
        server.lines.iter().any(|(_, l)| {
            l.contains("storage unavailable") && l.contains("statement timeout") == cause
        })
    };
    assert!(
        failed(false),
        "no upload failed on a killed connection:\n{log}"
    );
    assert!(failed(true), "no upload hit the statement timeout:\n{log}");
    assert!(!log.contains("ERROR"), "the server logged an error:\n{log}");
    for c in &seen {
        let first = c.first_after_clear.expect("no 200 after the fault cleared");
        assert!(first <= Duration::from_secs(2), "first 200 after {first:?}");
    }
}

/// The time of a "lap N: m:ss.mmm …" log line.
#[cfg(unix)]
fn lap_time(line: &str) -> Option<u32> {
    let rest = &line[line.find(" lap ")? + 5..];
    let (_, rest) = rest.split_once(": ")?;
    let (m, rest) = rest.split_whitespace().next()?.split_once(':')?;
    let (s, ms) = rest.split_once('.')?;
    Some(m.parse::<u32>().ok()? * 60_000 + s.parse::<u32>().ok()? * 1000 + ms.parse::<u32>().ok()?)
}

#[cfg(unix)]
#[test]
#[ignore = pitwall_test_support::needs_postgres!()]
fn run_on_postgres_logs_only_stored_laps_when_its_connections_are_killed() {
    let admin = admin_url();
    let db = TestDb::create(&admin);
    let dir = tempfile::tempdir().unwrap();
    let shm = dir.path().join("shm");
    std::fs::create_dir(&shm).unwrap();
    // Eight laps of distinct times after an out-lap: at 40× a lap every two seconds.
    let mut script = String::from(
        "track monza\ncar ferrari_296_gt3\nsession practice\ndriver Kill\nsectors 3\n\
         pitbox 1s\noutlap 1:30.000\n",
    );
    let mut driven = vec![90_000];
    driven.extend((0..8).map(|i| 80_000 + 101 + i * 37));
    for t in &driven[1..] {
        script.push_str(&format!("lap 1:{:02}.{:03}\n", t / 1000 - 60, t % 1000));
    }
    script.push_str("exit\n");
    let script_path = dir.path().join("kill.txt");
    std::fs::write(&script_path, script).unwrap();

    let mut tracker = Proc::spawn({
        let mut cmd = pitwall();
        cmd.args(["run", "--database-url", &db.url, "--listen", "127.0.0.1:0"])
            .arg("--shm-dir")
            .arg(&shm);
        cmd
    });
    tracker.wait_for(|l| l.contains("reading the game's pages"));
    let mut simulator = Proc::spawn({
        let mut cmd = pitwall();
        cmd.env("PITWALL_LOG", "warn")
            .args(["simulate", "--speed", "40", "--scenario"])
            .arg(&script_path)
            .arg("--shm-dir")
            .arg(&shm);
        cmd
    });

    // After the first two flying laps, the tracker's backends are killed for 4 s (two laps).
    tracker.wait_for(|l| l.contains(" lap 2: "));
    let killer = {
        let (admin, name) = (admin.clone(), db.name.clone());
        std::thread::spawn(move || Pg::connect(&admin).kill_backends(&name, Duration::from_secs(4)))
    };
    let started = Instant::now();
    while !killer.is_finished() {
        tracker.collect(Duration::from_millis(100));
    }
    let cleared = Instant::now();
    let killed = killer.join().unwrap();
    let during = tracker.lines.len();
    let (at, first_after) = tracker.wait_for(|l| lap_time(l).is_some());
    let recovered = at.saturating_duration_since(cleared);
    println!(
        "{killed} backends killed in {:?}; first lap logged {recovered:?} after: {first_after}",
        cleared - started
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while simulator.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the simulator hangs");
        tracker.collect(Duration::from_millis(100));
    }
    // Let the tracker see the pages go stale, then stop it cleanly.
    tracker.collect(Duration::from_secs(3));
    let pid = tracker.child.id().to_string();
    let interrupted = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(interrupted.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = tracker.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 30 s after SIGINT");
        tracker.collect(Duration::from_millis(50));
    };
    tracker.collect(Duration::from_millis(100));
    let log = tracker.text();
    assert!(status.success(), "stopped with {status:?}:\n{log}");

    let logged: Vec<u32> = tracker
        .lines
        .iter()
        .filter_map(|(_, l)| lap_time(l))
        .collect();
    let stored: Vec<u32> = db.stored().iter().map(|l| l.2).collect();
    println!("logged {logged:?}; stored {stored:?}");
    assert!(killed > 0, "no backend of the tracker was killed");
    assert!(
        tracker.lines[..during]
            .iter()
            .any(|(_, l)| l.contains("cannot store a completed lap")),
        "no lap failed to store while the backends were killed:\n{log}"
    );
    for t in &logged {
        assert!(
            stored.contains(t),
            "lap {t} ms was logged but is not stored\n{log}"
        );
    }
    assert_eq!(
        stored, driven,
        "the laps driven, stored once each in order\n{log}"
    );
    assert!(
        !log.contains("ERROR"),
        "the tracker logged an error:\n{log}"
    );
    assert!(
        recovered <= Duration::from_secs(2),
        "the first lap after the fault cleared was stored after {recovered:?}"
    );
}
