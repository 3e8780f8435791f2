//! Who is calling: the driver of a bearer token (`Authorization: Bearer pw_…`), looked up by
//! its SHA-256 hash. Ingest needs one; with private reads every read does too.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pitwall_store::Tokens;

use crate::api::error::ApiError;
use crate::app::AppState;
use crate::token;

/// Paths readable without a token even with private reads.
const ALWAYS_PUBLIC: &[&str] = &["/api/openapi.json"];

/// The driver whose token the request carries.
pub(crate) async fn driver(store: &impl Tokens, headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "this needs a token: send Authorization: Bearer <token> (create one with \
             `pitwall token create --driver NAME`)",
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| token::looks_valid(t))
        .ok_or_else(|| ApiError::unauthorized("the Authorization header holds no valid token"))?;
    store
        .driver_for_token(&token::hash(token))
        .await?
        .ok_or_else(|| ApiError::unauthorized("unknown or revoked token"))
}

/// With private reads: refuses reads without a valid token (writes check their own).
pub(crate) async fn private_reads(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    if read
        && !ALWAYS_PUBLIC.contains(&request.uri().path())
        && let Err(e) = driver(&state.store, request.headers()).await
    {
        return e.into_response();
    }
    next.run(request).await
}
