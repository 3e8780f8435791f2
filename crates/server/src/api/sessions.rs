//! Pitwall's own session endpoints: `GET /api/v1/sessions` (newest first, with lap counts
//! and bests) and `GET /api/v1/sessions/{id}` (one session with every lap, its sectors and
//! the session's statistics).

use axum::Json;
use axum::extract::State;
use pitwall_store::{MAX_PAGE, Reads as _};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::extract::{ApiPath, ApiQuery, session_id};
use crate::app::AppState;
use crate::json::{SessionDetailJson, SessionSummaryJson};

/// Sessions per page by default.
const DEFAULT_LIMIT: u32 = 20;

/// Paging parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Page {
    limit: Option<u32>,
    offset: Option<u32>,
}

/// A page of sessions.
#[derive(Debug, Serialize)]
pub(crate) struct SessionsPage {
    sessions: Vec<SessionSummaryJson>,
    limit: u32,
    offset: u32,
}

/// `GET /api/v1/sessions`.
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<SessionsPage>, ApiError> {
    let limit = page.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_PAGE);
    let offset = page.offset.unwrap_or(0);
    let sessions = state.store.recent_sessions(limit, offset).await?;
    Ok(Json(SessionsPage {
        sessions: sessions.iter().map(SessionSummaryJson::of).collect(),
        limit,
        offset,
    }))
}

/// `GET /api/v1/sessions/{id}`.
pub(crate) async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SessionDetailJson>, ApiError> {
    let id = session_id(&id)?;
    match state.store.session(id).await? {
        Some(session) => Ok(Json(SessionDetailJson::of(&session))),
        None => Err(ApiError::not_found(format!("no session {id}"))),
    }
}
