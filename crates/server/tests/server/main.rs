//! The server's integration tests, one binary. The HTTP API end to end through the whole
//! router (protections included): the original tracker's `/api/sessions`, pitwall's own
//! reads, ingest, the protections and the OpenAPI description. Store-backed cases run on
//! SQLite and on PostgreSQL (ignored unless run with `--include-ignored`; then they need
//! `PITWALL_TEST_POSTGRES_URL`). Also the connection limits over real sockets
//! (`connections`) and the dashboard's pages (`web`, over the seeded store of `support`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod compat;
mod connections;
mod fixtures;
mod guard;
mod harness;
mod ingest;
mod nul;
mod openapi;
mod reads;
mod support;
mod web;

harness::on_both!(
    compat::sessions_keep_the_original_shape,
    compat::limit_and_offset_are_honoured_and_bounded,
    compat::a_new_lap_shows_at_once,
    reads::sessions_listed_with_counts,
    reads::one_session_with_laps_and_sectors,
    reads::laps_filtered,
    reads::personal_bests_and_best_sectors,
    reads::pb_progression_and_leaderboard,
    reads::tracks_and_cars_listed,
    ingest::ingest_needs_a_valid_token,
    ingest::ingest_refuses_another_drivers_session,
    ingest::duplicate_upload_is_stored_once,
    ingest::invalid_uploads_are_refused_with_json_errors,
    ingest::oversized_body_is_refused,
    ingest::a_driver_cannot_erase_another_drivers_laps,
    ingest::a_lap_number_taken_is_a_conflict,
    ingest::validation_rules_hold_for_ingest,
    nul::nul_bytes_in_any_read_parameter_are_refused,
    nul::nul_bytes_in_an_upload_are_refused,
);
