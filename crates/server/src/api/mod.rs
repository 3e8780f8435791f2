//! The JSON API under `/api` (besides `/api/live`, in `crate::sse`):
//!
//! - `GET /api/sessions`: the original tracker's shape ([`compat`]).
//! - `GET /api/v1/…`: pitwall's own reads ([`sessions`], [`laps`], [`records`]).
//! - `POST /api/ingest`: uploads from remote collectors ([`ingest`], [`validate`]).
//! - `GET /api/openapi.json`: the OpenAPI description of all of them ([`openapi`]).
//!
//! Errors are [`error::ApiError`]s: `{"error": {"code", "message", "request_id"}}`.

pub(crate) mod cache;
pub(crate) mod compat;
pub(crate) mod error;
pub(crate) mod extract;
pub(crate) mod ingest;
pub(crate) mod laps;
pub(crate) mod openapi;
pub(crate) mod records;
pub(crate) mod sessions;
pub(crate) mod validate;

use axum::Router;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::app::AppState;
use error::ApiError;

/// The API's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/sessions", get(compat::sessions))
        .route("/api/openapi.json", get(openapi::spec))
        .route("/api/ingest", post(ingest::ingest))
        .route("/api/v1/sessions", get(sessions::list))
        .route("/api/v1/sessions/{id}", get(sessions::one))
        .route("/api/v1/laps", get(laps::list))
        .route("/api/v1/personal-bests", get(records::personal_bests))
        .route("/api/v1/best-sectors", get(records::best_sectors))
        .route("/api/v1/pb-progression", get(records::pb_progression))
        .route("/api/v1/leaderboard", get(records::leaderboard))
        .route("/api/v1/tracks-and-cars", get(records::tracks_and_cars))
}

/// What no route matches: a JSON 404 under `/api/`, a plain one elsewhere.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found("no such endpoint; see /api/openapi.json").into_response()
    } else {
        (axum::http::StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}
