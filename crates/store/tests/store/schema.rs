//! Schema versions: a database written by a newer pitwall is refused with a clear error and
//! left as it was; reopening an up-to-date database applies nothing and keeps the data.

use pitwall_store::{
    PgStore, Reads as _, SessionWrites as _, SqliteStore, Store as _, StoreError, Upload,
};

use crate::fixtures::session;
use crate::harness;

const FUTURE: i64 = 99_990_101_000_000;

fn assert_newer(err: StoreError) {
    match &err {
        StoreError::NewerSchema { found, known, .. } => {
            assert_eq!(*found, FUTURE);
            assert!(*known < FUTURE);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("newer pitwall") && message.contains("update pitwall"),
        "{message}"
    );
}

#[tokio::test]
async fn sqlite_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pitwall.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store
        .upsert_session(&session(1, "monza", "x", "Ann", 0), Upload::Skip)
        .await
        .unwrap();
    store.close().await;

    // Reopening an up-to-date database keeps its data.
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(store.recent_sessions(5, 0).await.unwrap().len(), 1);
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ({FUTURE}, 'future', TRUE, X'00', 0)"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    store.close().await;

    let err = SqliteStore::open(&path).await.unwrap_err();
    assert!(err.to_string().contains(&path.display().to_string()));
    assert_newer(err);
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn postgres_newer_schema_is_refused() {
    let h = harness::postgres().await;
    h.store
        .upsert_session(&session(1, "monza", "x", "Ann", 0), Upload::Skip)
        .await
        .unwrap();
    let again = PgStore::connect_with(&h.url, &harness::pg_options(&h.schema))
        .await
        .unwrap();
    assert_eq!(again.recent_sessions(5, 0).await.unwrap().len(), 1);
    again.close().await;
    harness::execute(
        &h.url,
        &format!(
            "INSERT INTO {}._sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES ({FUTURE}, 'future', TRUE, '\\x00'::bytea, 0)",
            h.schema
        ),
    )
    .await;
    let err = PgStore::connect_with(&h.url, &harness::pg_options(&h.schema))
        .await
        .unwrap_err();
    assert_newer(err);
    h.cleanup().await;
}

use sqlx::Connection as _;

/// Migration 0005 on a database from before it: every stored lap becomes its session's car
/// (index 0, the session's model) and driver, and reads back so.
#[tokio::test]
async fn sqlite_laps_from_before_car_identity_become_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pitwall.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let info = session(7, "monza", "ferrari_296_gt3", "Ann", 0);
    store.upsert_session(&info, Upload::Skip).await.unwrap();
    store.close().await;
    // Back to the schema before 0005, with a lap stored then.
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    for sql in [
        "ALTER TABLE laps DROP COLUMN car_index",
        "ALTER TABLE laps DROP COLUMN car_model",
        "ALTER TABLE laps DROP COLUMN race_number",
        "ALTER TABLE laps DROP COLUMN driver_name",
        "DELETE FROM _sqlx_migrations WHERE version = 5",
        "INSERT INTO laps (session_id, number, id, time_ms, valid, invalid_sector, out_lap, \
         in_lap, partial, started_at_ms, completed_at_ms) \
         VALUES (7, 1, 70, 100000, TRUE, NULL, FALSE, FALSE, FALSE, 1000, 101000)",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();

    let store = SqliteStore::open(&path).await.unwrap();
    let laps = store
        .laps(&pitwall_store::LapFilter::default())
        .await
        .unwrap();
    assert_eq!(laps.len(), 1);
    let lap = &laps[0].lap;
    assert_eq!(lap.car, pitwall_core::model::Car::new(0, "ferrari_296_gt3"));
    assert_eq!(lap.driver, "Ann");
    store.close().await;
}

/// [`sqlite_laps_from_before_car_identity_become_their_sessions`] on PostgreSQL.
#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn postgres_laps_from_before_car_identity_become_their_sessions() {
    let h = harness::postgres().await;
    let info = session(7, "monza", "ferrari_296_gt3", "Ann", 0);
    h.store.upsert_session(&info, Upload::Skip).await.unwrap();
    let s = &h.schema;
    for sql in [
        format!(
            "ALTER TABLE {s}.laps DROP COLUMN car_index, DROP COLUMN car_model, \
             DROP COLUMN race_number, DROP COLUMN driver_name"
        ),
        format!("DELETE FROM {s}._sqlx_migrations WHERE version = 5"),
        format!(
            "INSERT INTO {s}.laps (session_id, number, id, time_ms, valid, invalid_sector, \
             out_lap, in_lap, partial, started_at_ms, completed_at_ms) \
             VALUES (7, 1, 70, 100000, TRUE, NULL, FALSE, FALSE, FALSE, 1000, 101000)"
        ),
    ] {
        harness::execute(&h.url, &sql).await;
    }
    let again = PgStore::connect_with(&h.url, &harness::pg_options(&h.schema))
        .await
        .unwrap();
    let laps = again
        .laps(&pitwall_store::LapFilter::default())
        .await
        .unwrap();
    assert_eq!(laps.len(), 1);
    assert_eq!(
        laps[0].lap.car,
        pitwall_core::model::Car::new(0, "ferrari_296_gt3")
    );
    assert_eq!(laps[0].lap.driver, "Ann");
    again.close().await;
    h.cleanup().await;
}
