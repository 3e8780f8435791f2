//! `POST /api/ingest`: a remote collector uploads a session and its laps. The body is
//! `{"session": {...}, "ended_at_ms": null | ms, "laps": [...]}` where `session` holds every
//! field of a session and each lap every field of a lap, exactly as in pitwall's JSON export
//! (the wire shapes `pitwall_live::FullSessionJson` and `LapJson`: ids as 16 hex digits, the
//! session type as ACC's number and its label, conditions or `null`). Unknown fields are
//! refused.
//!
//! Idempotent: the same upload again stores nothing new, and a collector may re-send the
//! whole session as it grows (with `ended_at_ms: null` after an end, it re-opens the session:
//! its tracker carried it on after a restart). The answer says how many laps were new, and the id the session
//! is stored under: the server derives the stored ids from the token's driver (see
//! [`validate`](super::validate)), so no driver can take another's ids. The token's driver
//! must be the session's driver (403). The upload must satisfy
//! [`pitwall_core::validate`] and have no key twice in any object (400); a lap number the
//! session already holds under another lap is a conflict (409).
//!
//! A 200 means the whole upload is committed: the answer is only built once the store's
//! transaction has returned. A store that cannot write just now (a full disk, a lost
//! database connection) answers 503 with `Retry-After`, keeping nothing, and the uploader
//! keeps the laps in its outbox and sends them again.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use pitwall_live::{FullSessionJson, LapJson};
use pitwall_store::{Reads as _, SessionWithLaps, SessionWrites as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::ApiError;
use super::validate;
use crate::app::AppState;
use crate::guard::auth;

/// The body, before the session is put together.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Upload {
    session: Map<String, Value>,
    #[serde(default)]
    ended_at_ms: Option<u64>,
    #[serde(default)]
    laps: Vec<LapJson>,
}

/// What an upload changed.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// The session's id.
    pub(crate) session_id: String,
    /// The session was not stored before.
    pub(crate) session_new: bool,
    /// Laps in the upload.
    pub(crate) laps_received: usize,
    /// Laps that were not stored before.
    pub(crate) laps_new: u32,
}

/// `POST /api/ingest`. The token is checked before the body is read.
pub(crate) async fn ingest(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Outcome>, ApiError> {
    let (parts, body) = request.into_parts();
    let driver = auth::driver(&state.store, &parts.headers).await?;
    if !is_json(&parts.headers) {
        return Err(ApiError::unsupported_media_type());
    }
    let bytes = read_body(body, state.config.body_limit_bytes).await?;
    let session = parse(&bytes)?;
    validate::unique_keys(&bytes)?;
    validate::upload(&session, now_ms())?;
    if session.info.driver != driver {
        return Err(ApiError::forbidden(format!(
            "this token uploads {driver:?}'s sessions; this session is {:?}'s",
            session.info.driver
        )));
    }
    let session = validate::owned(&state.store, session, &driver).await?;
    let stored = state.store.session(session.info.id).await?;
    if let Some(stored) = &stored
        && stored.info.driver != driver
    {
        return Err(ApiError::forbidden(format!(
            "this token uploads {driver:?}'s sessions; session {} is stored as {:?}'s",
            session.info.id, stored.info.driver
        )));
    }
    // Committed when this returns Ok; an error (503 when the store is only unavailable)
    // acknowledges nothing.
    let outcome = state.store.import_session(&session).await?;
    // No end for a session stored as ended: its tracker carried it on after a restart.
    if session.ended_at_ms.is_none() && stored.is_some_and(|s| s.ended_at_ms.is_some()) {
        state
            .store
            .reopen_session(session.info.id, pitwall_store::Upload::Skip)
            .await?;
    }
    tracing::info!(
        driver,
        session = %session.info.id,
        laps_new = outcome.laps_new,
        "ingested"
    );
    Ok(Json(Outcome {
        session_id: session.info.id.to_string(),
        session_new: outcome.session_new,
        laps_received: session.laps.len(),
        laps_new: outcome.laps_new,
    }))
}

/// The server's clock (ms since 1970).
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Whether the body is declared as JSON.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// The body, refused with 413 past `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        if too_large {
            ApiError::payload_too_large(limit)
        } else {
            ApiError::bad_request("the request body could not be read")
        }
    })
}

/// The upload as a session with its laps: the JSON's shape, then the export's conversions
/// (ids, the session type's label, each lap naming this session).
fn parse(bytes: &[u8]) -> Result<SessionWithLaps, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let upload: Upload = serde_path_to_error::deserialize(&mut reader)
        .map_err(|e| ApiError::invalid_json(describe(&e)))?;
    reader
        .end()
        .map_err(|e| ApiError::invalid_json(e.to_string()))?;
    let mut fields = upload.session;
    for key in ["laps", "ended_at_ms"] {
        if fields.contains_key(key) {
            return Err(ApiError::invalid_json(format!(
                "session: unknown field `{key}`; `{key}` goes beside `session`, not inside it"
            )));
        }
    }
    fields.insert("laps".into(), Value::Array(Vec::new()));
    fields.insert("ended_at_ms".into(), Value::Null);
    let mut json: FullSessionJson = serde_path_to_error::deserialize(Value::Object(fields))
        .map_err(|e| ApiError::invalid_json(format!("session.{}", describe(&e))))?;
    json.ended_at_ms = upload.ended_at_ms;
    json.laps = upload.laps;
    SessionWithLaps::try_from(json).map_err(|e| ApiError::invalid_data(e.to_string()))
}

/// A JSON error with where it happened: `laps[1].time_ms: invalid value: …`.
fn describe(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    if path == "." {
        e.inner().to_string()
    } else {
        format!("{path}: {}", e.inner())
    }
}
