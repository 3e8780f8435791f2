//! Configuration mistakes say what is wrong instead of looking healthy, and secrets stay off
//! the command line: unknown database URL schemes are refused, a SQLite path in a missing
//! directory is not created, read-only commands never create a store, `--listen` takes
//! `localhost:PORT` and a bare port, an error's cause is said once, logs on a pipe are plain
//! text, `--token-file` keeps the token out of `/proc/PID/cmdline`, `--database-url-file`
//! works, TLS to PostgreSQL works from the command line, and `watch --once` says what it
//! waits for.

use crate::common;

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// `pitwall` with no configuration from the environment, run in `cwd`; without `NO_COLOR`,
/// so that plain logs on a pipe are pitwall's own doing.
fn pitwall(cwd: &Path) -> Command {
    let mut cmd = common::pitwall();
    cmd.env_remove("NO_COLOR").current_dir(cwd);
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Everything in `dir`, for "nothing was created" checks.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn unknown_database_url_schemes_are_refused_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for url in ["mysql://me@db/laps", "postgress://me@db/laps", "not a url"] {
        let out = pitwall(dir.path())
            .args(["token", "create", "--driver", "Ann", "--database-url", url])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{url}: accepted\n{err}");
        assert!(
            err.contains("postgres://") && err.contains("sqlite:") && err.contains("path"),
            "{url}: {err}"
        );
        assert!(
            entries(dir.path()).is_empty(),
            "{url}: {:?}",
            entries(dir.path())
        );
    }
}

#[test]
fn a_sqlite_path_in_a_missing_directory_is_an_error_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nonexistent").join("dir");
    let url = format!("sqlite:{}", missing.join("x.db").display());
    let out = pitwall(dir.path())
        .args(["token", "create", "--driver", "Ann", "--database-url", &url])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("does not exist") && err.contains("nonexistent"),
        "{err}"
    );
    assert!(!dir.path().join("nonexistent").exists());
}

#[test]
fn read_only_commands_never_create_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo");
    for args in [
        &["status"][..],
        &["export", "--format", "csv"][..],
        &["token", "revoke", &format!("pw_{}", "0".repeat(64))][..],
    ] {
        let out = pitwall(dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&typo)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}: {err}");
        assert!(
            err.contains("no database at") && err.contains("run `pitwall run` first"),
            "{args:?}: {err}"
        );
        assert!(!typo.exists(), "{args:?} created {}", typo.display());
    }
    let url = format!("sqlite:{}", dir.path().join("none.db").display());
    let out = pitwall(dir.path())
        .args(["status", "--database-url", &url])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("no database at"), "{}", stderr(&out));
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn an_error_says_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = pitwall(dir.path())
        .args([
            "status",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert_eq!(err.matches("Connection refused").count(), 1, "{err}");
    assert!(err.contains("is the server running?"), "{err}");
}

/// Reads `child`'s stderr lines on a thread: the receiver gets each line.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let pipe = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Lines from `rx` until one contains `needle` (returned with those before it), or `None`
/// after `within`.
fn wait_for(rx: &mpsc::Receiver<String>, needle: &str, within: Duration) -> Option<String> {
    let deadline = std::time::Instant::now() + within;
    let mut seen = String::new();
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return Some(seen);
                }
            }
            Err(_) => break,
        }
    }
    eprintln!("never saw {needle:?}; saw:\n{seen}");
    None
}

fn kill(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts `pitwall run` on an empty page directory with `args`, stderr piped.
fn start_run(dir: &Path, args: &[&str]) -> Child {
    let shm = dir.join("shm");
    std::fs::create_dir_all(&shm).unwrap();
    pitwall(dir)
        .arg("run")
        .arg("--shm-dir")
        .arg(&shm)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts `pitwall run --listen LISTEN` and returns its stderr up to the line that says
/// where it listens, or `None` when it did not start.
fn run_started(dir: &Path, listen: &str) -> Option<String> {
    let mut child = start_run(dir, &["--listen", listen]);
    let lines = stderr_lines(&mut child);
    let seen = wait_for(
        &lines,
        "dashboard and live timing at http://127.0.0.1:",
        Duration::from_secs(20),
    );
    kill(child);
    seen
}

#[test]
fn listen_takes_localhost_and_a_bare_port() {
    let dir = tempfile::tempdir().unwrap();
    for listen in ["localhost:0", "0"] {
        assert!(
            run_started(dir.path(), listen).is_some(),
            "--listen {listen} did not start"
        );
    }
}

#[test]
fn logs_on_a_pipe_are_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let seen = run_started(dir.path(), "127.0.0.1:0").expect("pitwall run did not start");
    assert!(!seen.contains('\x1b'), "ANSI codes on a pipe: {seen:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_token_file_keeps_the_token_off_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = format!("pw_{}", "5ec7e7".repeat(10));
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    let mut child = start_run(
        dir.path(),
        &[
            "--listen",
            "127.0.0.1:0",
            "--upload",
            "http://127.0.0.1:1",
            "--token-file",
            file.to_str().unwrap(),
        ],
    );
    let lines = stderr_lines(&mut child);
    let started = wait_for(
        &lines,
        "uploading every lap to http://127.0.0.1:1",
        Duration::from_secs(20),
    );
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap_or_default();
    let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap_or_default();
    kill(child);
    assert!(started.is_some(), "pitwall run --token-file did not start");
    let cmdline = String::from_utf8_lossy(&cmdline);
    assert!(cmdline.contains("--token-file"), "{cmdline}");
    assert!(!cmdline.contains(&token), "{cmdline}");
    assert!(!String::from_utf8_lossy(&environ).contains(&token));
}

#[test]
fn the_database_url_can_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("laps.db");
    let file = dir.path().join("database-url");
    std::fs::write(&file, format!("sqlite:{}\n", db.display())).unwrap();
    let out = pitwall(dir.path())
        .args(["token", "create", "--driver", "Ann", "--database-url-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.exists());
    let out = pitwall(dir.path())
        .args(["status", "--database-url-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("store: {}", db.display())), "{text}");
}

#[test]
#[ignore = pitwall_test_support::needs_postgres!()]
fn status_connects_to_postgres_over_tls_with_sslmode_require() {
    let url = pitwall_test_support::postgres_url();
    let dir = tempfile::tempdir().unwrap();
    let schema = format!("pitwall_cli_tls_{}", std::process::id());
    let psql = |sql: &str| {
        let out = Command::new("psql")
            .arg(&url)
            .args(["-qAtc", sql])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    psql(&format!("CREATE SCHEMA {schema}"));
    let sep = if url.contains('?') { '&' } else { '?' };
    let target = format!("{url}{sep}sslmode=require&options=-csearch_path%3D{schema}");
    // A command that writes makes the store (status only reads an existing one).
    let made = pitwall(dir.path())
        .args([
            "token",
            "create",
            "--driver",
            "Tls",
            "--database-url",
            &target,
        ])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let out = pitwall(dir.path())
        .args(["status", "--database-url", &target])
        .output()
        .unwrap();
    psql(&format!("DROP SCHEMA {schema} CASCADE"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stored: 0 sessions"));
}

#[test]
fn watch_once_says_what_it_waits_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = pitwall(dir.path())
        .args(["watch", "--once", "--shm-dir"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let said = wait_for(&lines, "waiting for ACC", Duration::from_secs(10));
    kill(child);
    let said = said.expect("watch --once said nothing while waiting");
    assert!(said.contains("up to 30 s"), "{said}");

    let out = pitwall(dir.path())
        .args(["watch", "--once", "--timeout", "1", "--shm-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("gave up after 1 s") && err.contains("start the game"),
        "{err}"
    );
}

/// A database of this test's own on the PostgreSQL server of `PITWALL_TEST_POSTGRES_URL`,
/// dropped at the end (also when the test fails).
struct ScratchDatabase {
    admin: String,
    name: String,
}

impl ScratchDatabase {
    fn create(admin: &str) -> ScratchDatabase {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("pitwall_readonly_{}_{nanos}", std::process::id());
        run_sql(admin, &format!("CREATE DATABASE {name}"));
        ScratchDatabase {
            admin: admin.to_owned(),
            name,
        }
    }

    /// The URL of the database: the admin URL with its database replaced.
    fn url(&self) -> String {
        let (server, _) = self.admin.split_once('?').unwrap_or((&self.admin, ""));
        let (server, _) = server.rsplit_once('/').unwrap();
        format!("{server}/{}", self.name)
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        run_sql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Runs one statement; returns the first column of the first row, if any, as a count.
fn run_sql(url: &str, sql: &str) -> i64 {
    use sqlx::{Connection as _, Row as _};
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            rows.first().map_or(0, |row| row.get::<i64, _>(0))
        })
}

#[test]
#[ignore = pitwall_test_support::needs_postgres!()]
fn read_only_commands_never_create_a_postgres_store() {
    let admin = pitwall_test_support::postgres_url();
    let dir = tempfile::tempdir().unwrap();
    let db = ScratchDatabase::create(&admin);
    for args in [&["status"][..], &["export", "--format", "csv"][..]] {
        let out = pitwall(dir.path())
            .args(args)
            .args(["--database-url", &db.url()])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}: {err}");
        assert!(
            err.contains("no database at") && err.contains("run `pitwall run` first"),
            "{args:?}: {err}"
        );
    }
    let tables = run_sql(
        &db.url(),
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    );
    assert_eq!(
        tables, 0,
        "a read-only command made tables in an empty database"
    );
}
