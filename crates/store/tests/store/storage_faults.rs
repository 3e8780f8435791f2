//! Storage faults, real ones: a SQLite store on a small tmpfs that fills up and frees again
//! while laps are written, and (ignored by default; needs `PITWALL_TEST_POSTGRES_URL`) a
//! PostgreSQL store whose own connections are killed with `pg_terminate_backend` and whose
//! statements hit a statement timeout. In each case a write the store reported as done is in the store after
//! it is reopened, failed writes are reported as errors, and writes succeed again within
//! two seconds of the fault clearing, without reopening the store.
//!
//! The tmpfs needs root; without it the SQLite case prints a note and skips.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_store::{PgOptions, PgStore, SessionWrites as _, SqliteStore, Store, Upload};

use pitwall_test_support::Tmpfs;

/// Fills the file system holding `path` with a file there; returns the file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write as _;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0xA5_u8; 64 * 1024];
    loop {
        match file.write(&block) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    // Whatever is left, byte by byte, so not even a page fits.
    while let Ok(n) = file.write(&block[..1]) {
        if n == 0 {
            break;
        }
    }
    path
}

fn session(id: u64) -> SessionInfo {
    SessionInfo {
        id: SessionId(id),
        track: "monza".into(),
        car: "ferrari_296_gt3".into(),
        session_type: SessionType::Practice,
        driver: "Disk".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms: 1_700_000_000_000,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

fn lap(session: &SessionInfo, number: u32) -> Lap {
    let time_ms = 100_000 + number;
    let completed = session.started_at_ms + u64::from(number) * 200_000;
    Lap {
        id: LapId(session.id.0 * 10_000 + u64::from(number)),
        session: session.id,
        number,
        time_ms,
        sectors: vec![Some(33_000), Some(34_000), Some(time_ms - 67_000)],
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: completed - u64::from(time_ms),
        completed_at_ms: completed,
        car: pitwall_core::model::Car::new(0, session.car.clone()),
        driver: session.driver.clone(),
    }
}

/// What a writer saw: the laps acknowledged, how many writes failed, and when the first
/// write after the fault cleared succeeded.
#[derive(Default)]
struct Seen {
    acknowledged: BTreeSet<u64>,
    failures: u32,
    /// Failures not reported as the store being unavailable (so not answered 503).
    not_unavailable: Vec<String>,
    /// Every failure, with its cause.
    errors: Vec<String>,
    first_success_after_clear: Option<Duration>,
}

/// The fault's state, shared by the writer and the test driving the fault.
#[derive(Default)]
struct Fault {
    /// When the fault cleared, once it has.
    cleared: std::sync::Mutex<Option<Instant>>,
    /// Set when the writer should stop.
    over: AtomicBool,
}

/// Writes the laps of `info` one after another, as the collector does: each lap is retried
/// (every 50 ms) until the store takes it, the next one only then, until `fault.over`.
async fn write_laps<S: Store>(store: &S, info: &SessionInfo, fault: &Fault) -> Seen {
    let mut seen = Seen::default();
    let mut number = 1;
    while !fault.over.load(Ordering::Acquire) {
        let lap = lap(info, number);
        match store
            .upsert_lap(
                &lap,
                Upload::Queue {
                    at_ms: lap.completed_at_ms,
                },
            )
            .await
        {
            Ok(_) => {
                seen.acknowledged.insert(lap.id.0);
                if let Some(at) = *fault.cleared.lock().unwrap()
                    && seen.first_success_after_clear.is_none()
                {
                    seen.first_success_after_clear = Some(at.elapsed());
                }
                number += 1;
            }
            Err(e) => {
                seen.failures += 1;
                seen.errors.push(format!("{e:?}"));
                if !e.is_unavailable() {
                    seen.not_unavailable
                        .push(format!("{e}: {:?}", std::error::Error::source(&e)));
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    seen
}

/// The ids of the laps stored in `info`'s session.
async fn stored<S: Store>(store: &S, info: &SessionInfo) -> BTreeSet<u64> {
    store
        .session(info.id)
        .await
        .unwrap()
        .map(|s| s.laps.iter().map(|l| l.id.0).collect())
        .unwrap_or_default()
}

/// Checks what a faulted run saw against what the reopened store holds.
fn judge(what: &str, seen: &Seen, stored: &BTreeSet<u64>) {
    let lost: Vec<_> = seen.acknowledged.difference(stored).collect();
    println!(
        "{what}: {} laps acknowledged, {} failed writes, {} stored after reopening; \
         first write {:?} after the fault cleared",
        seen.acknowledged.len(),
        seen.failures,
        stored.len(),
        seen.first_success_after_clear
    );
    assert!(
        seen.failures > 0,
        "{what}: no write failed, so the fault never hit"
    );
    assert!(
        seen.not_unavailable.is_empty(),
        "{what}: failures not reported as the store being unavailable: {:?}",
        seen.not_unavailable
    );
    assert!(
        lost.is_empty(),
        "{what}: {} acknowledged laps are not stored: {lost:?}",
        lost.len()
    );
    let after = seen
        .first_success_after_clear
        .unwrap_or_else(|| panic!("{what}: no write succeeded after the fault cleared"));
    assert!(
        after <= Duration::from_secs(2),
        "{what}: the first write after the fault cleared took {after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_on_a_full_disk_acknowledges_only_what_it_stored_and_recovers() {
    let Some(tmpfs) = Tmpfs::mount(8) else {
        return;
    };
    let db = tmpfs.path().join("pitwall.db");
    let store = SqliteStore::open(&db).await.unwrap();
    let info = session(7);
    store
        .upsert_session(&info, Upload::Queue { at_ms: 0 })
        .await
        .unwrap();

    let fault = Fault::default();
    let drive = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let dir = tmpfs.path().to_path_buf();
        let filler = tokio::task::spawn_blocking(move || fill(&dir))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        std::fs::remove_file(&filler).unwrap();
        *fault.cleared.lock().unwrap() = Some(Instant::now());
        tokio::time::sleep(Duration::from_secs(2)).await;
        fault.over.store(true, Ordering::Release);
    };
    let (mut seen, ()) = tokio::join!(write_laps(&store, &info, &fault), drive);
    // A write after the fault does not wait for a lock a failed write left behind.
    let started = Instant::now();
    let extra = lap(&info, 900_000);
    let extra_stored = store.upsert_lap(&extra, Upload::Skip).await;
    let waited = started.elapsed();
    if extra_stored.is_ok() {
        seen.acknowledged.insert(extra.id.0);
    }
    store.close().await;

    let reopened = SqliteStore::open(&db).await.unwrap();
    let kept = stored(&reopened, &info).await;
    reopened.close().await;
    judge("sqlite, full disk", &seen, &kept);
    assert!(
        extra_stored.is_ok() && waited < Duration::from_secs(1),
        "a write after the fault took {waited:?}: {extra_stored:?}"
    );
}

/// A unique `application_name` for one test store's connections, so the test kills only
/// its own backends.
fn app_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "pitwall_fault_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The URL with an application name and a statement timeout for the store's connections.
fn with_params(url: &str, app: &str, timeout_ms: u32) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}application_name={app}&options=-c%20statement_timeout%3D{timeout_ms}")
}

use pitwall_test_support::pg::execute as pg_exec;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn postgres_with_killed_connections_and_timeouts_acknowledges_only_what_it_stored() {
    use sqlx::Connection as _;
    let url = pitwall_test_support::postgres_url();
    let app = app_name();
    let schema = format!(
        "{app}_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    pg_exec(&url, &format!("CREATE SCHEMA {schema}")).await;
    let options = PgOptions {
        schema: Some(schema.clone()),
        max_connections: 4,
        acquire_timeout: Duration::from_secs(2),
    };
    // Migrated without the timeout first: migrating waits on a lock other tests' stores
    // may hold. Opening again only checks, and may still wait on that lock: tried again.
    PgStore::connect_with(&url, &options)
        .await
        .unwrap()
        .close()
        .await;
    let store_url = with_params(&url, &app, 300);
    let mut tries = 0;
    let store = loop {
        match PgStore::connect_with(&store_url, &options).await {
            Ok(store) => break store,
            Err(e) if tries < 20 && e.is_unavailable() => tries += 1,
            Err(e) => panic!("cannot open the store: {e:?}"),
        }
    };
    let info = session(9);
    store
        .upsert_session(&info, Upload::Queue { at_ms: 0 })
        .await
        .unwrap();

    let fault = Fault::default();
    let drive = async {
        let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Killed backends: the store's own connections, again and again for 1.5 s.
        let until = Instant::now() + Duration::from_millis(1_500);
        let mut killed = 0_i64;
        while Instant::now() < until {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE application_name = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&app)
            .fetch_one(&mut admin)
            .await
            .unwrap();
            killed += n;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(killed > 0, "no backend of the store was killed");
        // A statement timeout: the store's writes wait on a lock this test holds, for longer
        // than their 300 ms timeout.
        let mut lock = admin.begin().await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "LOCK TABLE {schema}.laps IN EXCLUSIVE MODE"
        )))
        .execute(&mut *lock)
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        lock.rollback().await.unwrap();
        *fault.cleared.lock().unwrap() = Some(Instant::now());
        tokio::time::sleep(Duration::from_secs(1)).await;
        fault.over.store(true, Ordering::Release);
        admin.close().await.unwrap();
        killed
    };
    let (seen, killed) = tokio::join!(write_laps(&store, &info, &fault), drive);
    println!("{killed} backends killed");
    assert!(
        seen.errors.iter().any(|e| e.contains("57014")),
        "no write hit the statement timeout: {:?}",
        seen.errors
    );
    store.close().await;

    let reopened = PgStore::connect_with(&url, &options).await.unwrap();
    let kept = stored(&reopened, &info).await;
    reopened.close().await;
    pg_exec(&url, &format!("DROP SCHEMA {schema} CASCADE")).await;
    judge(
        "postgres, killed backends and statement timeouts",
        &seen,
        &kept,
    );
}
