//! End-to-end: `pitwall export` and `pitwall import` as a user runs them, on stores in
//! temporary data directories (and in a PostgreSQL schema of its own, ignored by default and
//! needing `PITWALL_TEST_POSTGRES_URL`): JSON round trips byte for byte, importing twice adds
//! nothing, CSV has a row per lap, filters take whole sessions.

use assert_cmd::cargo::CommandCargoExt;
use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{Conditions, Lap, LapId, SessionId, SessionInfo};
use pitwall_store::{SessionWrites as _, SqliteStore, Store as _, Upload};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn pitwall() -> Command {
    let mut cmd = Command::cargo_bin("pitwall").unwrap();
    cmd.env_remove("PITWALL_DATA_DIR")
        .env_remove("PITWALL_DATABASE_URL")
        .env("PITWALL_LOG", "warn");
    cmd
}

/// Runs pitwall with `args`, expecting success.
fn run(args: &[&str], store: &[&str]) -> Output {
    let out = pitwall().args(args).args(store).output().unwrap();
    assert!(
        out.status.success(),
        "pitwall {args:?} {store:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A session with `laps` laps, as the tracker stores them.
fn session(id: u64, track: &str, start: u64, laps: u32) -> (SessionInfo, Vec<Lap>) {
    let info = SessionInfo {
        id: SessionId(id),
        track: track.into(),
        car: "ferrari_296_gt3".into(),
        session_type: if laps == 0 {
            SessionType::Unknown(11)
        } else {
            SessionType::Practice
        },
        driver: "Cli Driver".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms: start,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: false,
        joined_late: id.is_multiple_of(2),
        conditions: (!id.is_multiple_of(3)).then_some(Conditions {
            air_temp_c: 19.7,
            road_temp_c: 26.300_001 + id as f32 / 7.0,
            grip: GripStatus::Fast,
            rain: RainIntensity::from(2),
        }),
    };
    let laps = (1..=laps)
        .map(|n| Lap {
            id: LapId(id.wrapping_mul(31).wrapping_add(u64::from(n))),
            session: SessionId(id),
            number: n,
            time_ms: 107_000 + n * 123,
            sectors: match n {
                1 => vec![None, Some(38_000), Some(40_000)],
                2 => vec![],
                _ => vec![Some(35_000), Some(37_000 + n), None],
            },
            valid: n != 3,
            invalid_sector: (n == 3).then_some(2),
            out_lap: n == 1,
            in_lap: false,
            partial: false,
            started_at_ms: start + u64::from(n) * 108_000,
            completed_at_ms: start + u64::from(n + 1) * 108_000,
            car: pitwall_core::model::Car::new(0, info.car.clone()),
            driver: info.driver.clone(),
        })
        .collect();
    (info, laps)
}

const DAY_MS: u64 = 86_400_000;
/// 2024-05-31 00:00 UTC.
const MAY_31: u64 = 1_717_113_600_000;

/// Fills a store in `dir` the way the tracker does: 5 sessions, 12 laps (3 on spa).
fn fill(dir: &Path) -> u32 {
    let sessions = [
        session(0xfedc_ba98_7654_3210, "monza", MAY_31 + 3_600_000, 4),
        session(7, "monza", MAY_31 - DAY_MS, 3),
        session(9, "spa", MAY_31 + 7_200_000, 3),
        session(12, "monza", MAY_31 + DAY_MS, 0),
        session(0x8000_0000_0000_0000, "zandvoort", MAY_31 + 2 * DAY_MS, 2),
    ];
    runtime().block_on(async {
        let store = SqliteStore::open(dir.join("pitwall.db")).await.unwrap();
        let mut laps = 0;
        for (info, session_laps) in &sessions {
            assert!(store.upsert_session(info, Upload::Skip).await.unwrap());
            for lap in session_laps {
                assert!(store.upsert_lap(lap, Upload::Skip).await.unwrap());
                laps += 1;
            }
            if info.id.0 != 12 {
                store
                    .end_session(info.id, info.started_at_ms + 3_600_000, Upload::Skip)
                    .await
                    .unwrap();
            }
        }
        store.close().await;
        laps
    })
}

/// An export with its `exported_at_ms` value blanked.
fn masked(json: &[u8]) -> String {
    let text = String::from_utf8(json.to_vec()).unwrap();
    let start = text.find("\"exported_at_ms\":").unwrap() + "\"exported_at_ms\":".len();
    let end = start + text[start..].find(',').unwrap();
    format!("{}N{}", &text[..start], &text[end..])
}

fn dir_args(dir: &Path) -> Vec<&str> {
    vec!["--data-dir", dir.to_str().unwrap()]
}

#[test]
fn json_round_trips_and_imports_are_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let laps = fill(&a);
    assert_eq!(laps, 12);

    let first = run(&["export", "--format", "json"], &dir_args(&a));
    assert_eq!(stderr(&first), "exported 5 sessions, 12 laps");
    let file = tmp.path().join("export.json");
    std::fs::write(&file, &first.stdout).unwrap();

    let import = run(&["import", file.to_str().unwrap()], &dir_args(&b));
    assert_eq!(
        stderr(&import),
        "imported 5 sessions, 12 laps new; 0 sessions, 0 laps already stored"
    );
    let second = run(&["export"], &dir_args(&b));
    assert_eq!(masked(&second.stdout), masked(&first.stdout));

    let again = run(&["import", file.to_str().unwrap()], &dir_args(&b));
    assert_eq!(
        stderr(&again),
        "imported 0 sessions, 0 laps new; 5 sessions, 12 laps already stored"
    );
    // From stdin, and into the first store: nothing new either.
    let mut child = pitwall()
        .args(["import", "-"])
        .args(dir_args(&a))
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &first.stdout).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(stderr(&piped).starts_with("imported 0 sessions, 0 laps new"));

    // --out writes the same document to a file.
    let out = tmp.path().join("out.json");
    let to_file = run(&["export", "--out", out.to_str().unwrap()], &dir_args(&b));
    assert!(
        stderr(&to_file).ends_with("out.json"),
        "{}",
        stderr(&to_file)
    );
    assert_eq!(masked(&std::fs::read(&out).unwrap()), masked(&first.stdout));
}

#[test]
fn csv_has_a_row_per_lap_and_filters_take_whole_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    fill(tmp.path());
    let store = dir_args(tmp.path());

    let csv = run(&["export", "--format", "csv"], &store);
    let text = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "session_id,track,car,session_type,driver,session_started_at_ms,lap_id,number,\
         time_ms,lap_time,valid,invalid_sector,out_lap,in_lap,partial,started_at_ms,\
         completed_at_ms,counts,personal_best,time_colour,delta_best_ms,delta_prev_ms,marks,\
         s1_ms,s2_ms,s3_ms"
    );
    assert_eq!(lines.len(), 1 + 12);
    assert!(
        text.contains(",spa,ferrari_296_gt3,PRACTICE,Cli Driver,"),
        "{text}"
    );
    assert!(text.contains(",1:47.123,true,,true,false,false,"), "{text}");

    let spa = run(&["export", "--format", "csv", "--track", "spa"], &store);
    assert_eq!(String::from_utf8_lossy(&spa.stdout).lines().count(), 1 + 3);
    assert_eq!(stderr(&spa), "exported 1 session, 3 laps");

    for (filter, sessions) in [
        (vec!["--track", "monza"], 3),
        (vec!["--track", "nurburgring"], 0),
        (vec!["--session-type", "PRACTICE"], 4),
        (vec!["--session-type", "11"], 1),
        (vec!["--from", "2024-05-31", "--to", "2024-05-31"], 2),
        (vec!["--from", "2024-06-01"], 2),
        (vec!["--to", &format!("{MAY_31}")], 1),
        (vec!["--driver", "Someone Else"], 0),
    ] {
        let out = run(&[&["export"], &filter[..]].concat(), &store);
        assert_eq!(session_lines(&out.stdout), sessions, "{filter:?}");
    }
}

/// The sessions in a JSON export: one per line between the header and the closing
/// brackets.
fn session_lines(json: &[u8]) -> usize {
    let text = String::from_utf8_lossy(json);
    text.lines().filter(|l| l.starts_with("{\"id\":")).count()
}

#[test]
fn store_and_import_errors_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let not_a_dir = tmp.path().join("file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let out = pitwall()
        .args(["export"])
        .args(dir_args(&not_a_dir))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    // export only reads: a --data-dir that is a file holds no database.
    assert!(
        err.contains("no database at") && err.contains("check --data-dir"),
        "{err}"
    );

    let out = pitwall()
        .args([
            "export",
            "--database-url",
            "postgres://nobody@127.0.0.1:9/none",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is the server running?"),
        "{}",
        stderr(&out)
    );

    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"format":"pitwall-export","version":1,"exported_at_ms":0,"sessions":[],"extra":1}"#,
    )
    .unwrap();
    let fresh = tmp.path().join("fresh");
    let out = pitwall()
        .args(["import", bad.to_str().unwrap()])
        .args(dir_args(&fresh))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("bad.json") && err.contains("unknown field `extra`"),
        "{err}"
    );
    assert!(
        !fresh.exists(),
        "a refused import must not create the store"
    );

    let out = pitwall()
        .args(["export", "--session-type", "sprint"])
        .args(dir_args(tmp.path()))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown session type"),
        "{}",
        stderr(&out)
    );
}

/// A PostgreSQL schema of its own, dropped when the test ends (also when it fails).
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn create(url: &str) -> Schema {
        let name = format!("pitwall_cli_export_{}", std::process::id());
        let schema = Schema {
            url: url.to_owned(),
            name,
        };
        schema.execute(&format!(
            "DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}",
            schema.name
        ));
        schema
    }

    /// The URL that puts pitwall's tables in this schema.
    fn store_url(&self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-c%20search_path%3D{}", self.url, self.name)
    }

    fn execute(&self, sql: &str) {
        runtime().block_on(async {
            use sqlx::Connection as _;
            let mut conn = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        });
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        self.execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
    }
}

#[test]
#[ignore = pitwall_test_support::needs_postgres!()]
fn json_round_trips_through_postgres() {
    let url = pitwall_test_support::postgres_url();
    let tmp = tempfile::tempdir().unwrap();
    fill(tmp.path());
    let first = run(&["export"], &dir_args(tmp.path()));
    let file = tmp.path().join("export.json");
    std::fs::write(&file, &first.stdout).unwrap();

    let schema = Schema::create(&url);
    let pg_url = schema.store_url();
    let pg = ["--database-url", pg_url.as_str()];
    // --database-url wins over --data-dir.
    let ignored = tmp.path().join("ignored");
    let with_dir = [&pg[..], &dir_args(&ignored)[..]].concat();
    let import = run(&["import", file.to_str().unwrap()], &with_dir);
    assert_eq!(
        stderr(&import),
        "imported 5 sessions, 12 laps new; 0 sessions, 0 laps already stored"
    );
    assert!(!ignored.exists());
    let again = run(&["import", file.to_str().unwrap()], &pg);
    assert!(stderr(&again).starts_with("imported 0 sessions, 0 laps new"));
    let second = run(&["export"], &pg);
    assert_eq!(masked(&second.stdout), masked(&first.stdout));
}
