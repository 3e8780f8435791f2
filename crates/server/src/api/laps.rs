//! `GET /api/v1/laps`: laps across sessions, newest first, filtered by track, car, session
//! type, driver, validity and completion time, a page at a time.

use axum::Json;
use axum::extract::State;
use pitwall_store::export::{parse_from, parse_session_type, parse_to};
use pitwall_store::{LapFilter, MAX_PAGE, Reads as _};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::extract::ApiQuery;
use crate::app::AppState;
use crate::json::LapRowJson;

/// Laps per page by default.
const DEFAULT_LIMIT: u32 = 100;

/// The filters, as query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    track: Option<String>,
    car: Option<String>,
    /// ACC label in any case (`race`, `HOTLAP`) or ACC's number.
    session_type: Option<String>,
    driver: Option<String>,
    valid: Option<bool>,
    /// Completed at or after: a date (`2024-05-31`, UTC) or ms since 1970.
    from: Option<String>,
    /// Completed before: a date (that whole day included) or ms since 1970.
    to: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

/// A page of laps.
#[derive(Debug, Serialize)]
pub(crate) struct LapsPage {
    laps: Vec<LapRowJson>,
    limit: u32,
    offset: u32,
}

/// `GET /api/v1/laps`.
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Json<LapsPage>, ApiError> {
    let bad = |e: pitwall_store::ExportError| ApiError::bad_request(e.to_string());
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_PAGE);
    let offset = p.offset.unwrap_or(0);
    let filter = LapFilter {
        track: p.track,
        car: p.car,
        session_type: p
            .session_type
            .as_deref()
            .map(parse_session_type)
            .transpose()
            .map_err(bad)?,
        driver: p.driver,
        valid: p.valid,
        from_ms: p.from.as_deref().map(parse_from).transpose().map_err(bad)?,
        to_ms: p.to.as_deref().map(parse_to).transpose().map_err(bad)?,
        limit: Some(limit),
        offset,
    };
    let laps = state.store.laps(&filter).await?;
    Ok(Json(LapsPage {
        laps: laps.iter().map(LapRowJson::of).collect(),
        limit,
        offset,
    }))
}
