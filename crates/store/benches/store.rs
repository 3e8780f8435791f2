//! Store benchmark: loads 100,000 laps with 3 sectors in 5,000 sessions, then measures the
//! recent-sessions query, single-lap inserts (per durability setting), the other queries, and
//! the database size per lap. SQLite always; PostgreSQL too when `PITWALL_TEST_POSTGRES_URL`
//! is set (in a schema of its own, dropped afterwards).
//!
//! Run with `cargo bench -p pitwall-store --bench store`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use pitwall_core::model::SessionId;
use pitwall_store::{
    Durability, LapFilter, PgOptions, PgStore, SqliteOptions, SqliteStore, Store, Upload,
};

#[path = "common/data.rs"]
mod data;

use data::{LAPS_PER_SESSION, Rng, SESSIONS, session};

/// Median and 95th percentile of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    (at(0.5), at(0.95))
}

async fn time<F: Future>(runs: usize, mut f: impl FnMut(usize) -> F) -> (Duration, Duration) {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i).await;
        samples.push(t.elapsed());
    }
    percentiles(samples)
}

fn report(what: &str, (p50, p95): (Duration, Duration)) {
    println!(
        "  {what:<44} p50 {:>9.3} ms   p95 {:>9.3} ms",
        ms(p50),
        ms(p95)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Loads the data set; returns the time after the last session.
async fn load(store: &impl Store) -> u64 {
    let t = Instant::now();
    let start = data::fill(store).await;
    println!(
        "  loaded {} laps in {SESSIONS} sessions in {:.1} s",
        SESSIONS * u64::from(LAPS_PER_SESSION),
        t.elapsed().as_secs_f64()
    );
    start
}

/// Every measurement except size, on a loaded store.
async fn queries(store: &impl Store) {
    report(
        "recent_sessions(20) with laps and sectors",
        time(300, |_| async {
            assert_eq!(store.recent_sessions(20, 0).await.unwrap().len(), 20);
        })
        .await,
    );
    report(
        "recent_sessions(20, offset 2000)",
        time(100, |_| async {
            store.recent_sessions(20, 2000).await.unwrap();
        })
        .await,
    );
    let ids: Vec<SessionId> = store
        .recent_sessions(300, 1000)
        .await
        .unwrap()
        .iter()
        .map(|s| s.info.id)
        .collect();
    report(
        "session(id)",
        time(300, |i| {
            let id = ids[i];
            async move { assert!(store.session(id).await.unwrap().is_some()) }
        })
        .await,
    );
    let filter = LapFilter {
        track: Some("spa".into()),
        car: Some("bmw_m4_gt3".into()),
        valid: Some(true),
        limit: Some(100),
        ..Default::default()
    };
    report(
        "laps(track, car, valid, limit 100)",
        time(50, |_| async {
            store.laps(&filter).await.unwrap();
        })
        .await,
    );
    report(
        "personal_bests(driver)",
        time(20, |_| async {
            store.personal_bests(Some("Ann Racer")).await.unwrap();
        })
        .await,
    );
    report(
        "leaderboard(track, car, 10)",
        time(20, |_| async {
            store.leaderboard("spa", "bmw_m4_gt3", 10).await.unwrap();
        })
        .await,
    );
    report(
        "best_sectors(track, car, driver)",
        time(20, |_| async {
            store
                .best_sectors("spa", "bmw_m4_gt3", Some("Ann Racer"))
                .await
                .unwrap();
        })
        .await,
    );
    report(
        "pb_progression(track, car, driver)",
        time(20, |_| async {
            store
                .pb_progression("spa", "bmw_m4_gt3", "Ann Racer")
                .await
                .unwrap();
        })
        .await,
    );
    report(
        "tracks_and_cars(all)",
        time(10, |_| async {
            store.tracks_and_cars(None).await.unwrap();
        })
        .await,
    );
}

/// Single-lap inserts (each its own durable transaction) into a new session.
async fn inserts(store: &impl Store, label: &str, start: u64, seed: u64) {
    let mut rng = Rng(seed);
    let s = session(&mut rng, start, 500);
    store.upsert_session(&s.info, Upload::Skip).await.unwrap();
    report(
        &format!("upsert_lap, 3 sectors ({label})"),
        time(500, |i| {
            let lap = &s.laps[i];
            async move { assert!(store.upsert_lap(lap, Upload::Skip).await.unwrap()) }
        })
        .await,
    );
    report(
        &format!("upsert_lap again, a duplicate ({label})"),
        time(200, |i| {
            let lap = &s.laps[i];
            async move { assert!(!store.upsert_lap(lap, Upload::Skip).await.unwrap()) }
        })
        .await,
    );
}

async fn sqlite() {
    println!("SQLite");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let end = load(&store).await;
    store.close().await;
    let size = checkpointed_size(&path).await;
    let laps = SESSIONS * u64::from(LAPS_PER_SESSION);
    println!(
        "  size {:.1} MB, {:.0} bytes per lap",
        size as f64 / 1e6,
        size as f64 / laps as f64
    );
    let store = SqliteStore::open(&path).await.unwrap();
    queries(&store).await;
    inserts(&store, "synchronous=FULL", end, 1).await;
    store.close().await;
    let normal = SqliteOptions {
        durability: Durability::Normal,
        ..Default::default()
    };
    let store = SqliteStore::open_with(&path, &normal).await.unwrap();
    inserts(&store, "synchronous=NORMAL", end + 100_000_000, 2).await;
    store.close().await;
}

/// The database file's size once the WAL is folded into it.
async fn checkpointed_size(path: &std::path::Path) -> u64 {
    use sqlx::Connection as _;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    std::fs::metadata(path).unwrap().len()
}

async fn postgres(url: &str) {
    use sqlx::Connection as _;
    println!("PostgreSQL");
    let schema = format!("pitwall_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let options = PgOptions {
        schema: Some(schema.clone()),
        ..Default::default()
    };
    let store = PgStore::connect_with(url, &options).await.unwrap();
    let end = load(&store).await;
    // What autovacuum would do after a bulk load: plans need statistics.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ANALYZE {schema}.sessions, {schema}.laps, {schema}.sectors, {schema}.drivers"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    let size: i64 = sqlx::query_scalar(
        "SELECT SUM(pg_total_relation_size(c.oid))::BIGINT FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
    )
    .bind(&schema)
    .fetch_one(&mut admin)
    .await
    .unwrap();
    let laps = SESSIONS * u64::from(LAPS_PER_SESSION);
    println!(
        "  size {:.1} MB, {:.0} bytes per lap",
        size as f64 / 1e6,
        size as f64 / laps as f64
    );
    queries(&store).await;
    inserts(&store, "commit", end, 3).await;
    store.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut admin)
        .await
        .unwrap();
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        sqlite().await;
        match std::env::var("PITWALL_TEST_POSTGRES_URL") {
            Ok(url) => postgres(&url).await,
            Err(_) => println!("PostgreSQL skipped: PITWALL_TEST_POSTGRES_URL unset"),
        }
    });
}
