//! Extractors whose rejections are [`ApiError`]s, so a malformed query string or path gives
//! the API's JSON error (code `bad_request`) saying what is wrong.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The query string, parsed (unknown parameters are refused where `T` says so).
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(t)| ApiQuery(t))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// Path parameters, parsed.
#[derive(Debug)]
pub(crate) struct ApiPath<T>(pub(crate) T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| ApiPath(t))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// A session id from its 16 hexadecimal digits.
pub(crate) fn session_id(text: &str) -> Result<pitwall_core::model::SessionId, ApiError> {
    if text.len() == 16 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        if let Ok(id) = u64::from_str_radix(text, 16) {
            return Ok(pitwall_core::model::SessionId(id));
        }
    }
    Err(ApiError::bad_request(format!(
        "{text:?} is not a session id (16 hexadecimal digits, as /api/v1/sessions lists them)"
    )))
}
