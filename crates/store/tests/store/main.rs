//! The store's integration tests, one binary (it needs both features). The storage
//! conformance suite: every case runs against SQLite (a temporary file, always) and against
//! PostgreSQL (ignored unless run with `--include-ignored`; then it needs
//! `PITWALL_TEST_POSTGRES_URL`, each test in its own schema, dropped afterwards).
//! Backend-specific behaviour (files, schema versions) has its own modules; so have export
//! and import on real stores (`export`), real storage faults (`storage_faults`) and TLS to
//! PostgreSQL (`tls`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cases;
mod export;
mod fixtures;
mod harness;
mod outbox;
mod ownership;
mod resume;
mod schema;
mod sqlite_file;
mod stats;
mod storage_faults;
mod tls;

/// One `#[tokio::test]` per case and backend, each with a fresh, empty store.
macro_rules! conformance {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let h = crate::harness::sqlite().await;
                    crate::$module::$case(&h.store).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test]
                #[ignore = pitwall_test_support::needs_postgres!()]
                async fn $case() {
                    let h = crate::harness::postgres().await;
                    crate::$module::$case(&h.store).await;
                    h.cleanup().await;
                }
            )*
        }
    };
}

conformance!(
    cases::lap_round_trips_with_its_sectors,
    cases::laps_of_two_cars_keep_their_car_and_driver,
    cases::writes_are_idempotent,
    cases::changes_count_writes_that_changed_something,
    cases::concurrent_laps_of_one_session,
    cases::conditions_known_late_are_kept,
    outbox::queued_writes_wait_until_acknowledged,
    resume::checkpoints_and_reopening,
    resume::upload_failures_keep_their_reason,
    cases::lap_of_unknown_session_is_refused,
    cases::recent_sessions_newest_first_with_pages,
    cases::laps_filtered,
    cases::export_pages_and_import,
    cases::tokens,
    ownership::session_of_another_driver_is_refused,
    ownership::lap_id_of_another_session_is_refused,
    ownership::lap_number_is_stored_once_per_session,
    stats::bests_follow_the_counting_rules,
    stats::queries_agree_with_core_statistics,
    stats::tracks_and_cars_with_counts,
);
