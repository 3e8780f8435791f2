//! Extractors whose rejections are [`ApiError`]s, so a malformed query string or path gives
//! the API's JSON error (code `bad_request`) saying what is wrong.
//!
//! Both refuse text that no store can hold before anything is parsed: a NUL byte (`%00`)
//! anywhere in the query string (names or values) or in the path, whichever the endpoint
//! reads. PostgreSQL's `text`
//! cannot store one, so letting it through made a query fail inside the server (a 500 and an
//! ERROR line) where SQLite merely found nothing; refused here, every read endpoint answers
//! 400 on every backend. (Invalid UTF-8 cannot get through: the query is decoded lossily and
//! the path is refused by axum.)

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
        check_text(parts)?;
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
        check_text(parts)?;
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| ApiPath(t))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// Refuses a request whose path or query holds a NUL byte: both extractors check both, so
/// an endpoint refuses one whichever it reads.
fn check_text(parts: &Parts) -> Result<(), ApiError> {
    check_path(parts.uri.path())?;
    check_query(parts.uri.query().unwrap_or(""))
}

/// Refuses a query string whose decoded names or values hold a NUL byte.
fn check_query(query: &str) -> Result<(), ApiError> {
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name.contains('\0') || value.contains('\0') {
            let name = name.replace('\0', "%00");
            return Err(ApiError::bad_request(format!(
                "query parameter `{name}` holds a NUL byte (%00), which no text can hold; \
                 remove it"
            )));
        }
    }
    Ok(())
}

/// Refuses a path whose decoded segments hold a NUL byte.
fn check_path(path: &str) -> Result<(), ApiError> {
    if percent_encoding::percent_decode_str(path).any(|b| b == 0) {
        return Err(ApiError::bad_request(
            "the path holds a NUL byte (%00), which no id or name can hold; remove it",
        ));
    }
    Ok(())
}

/// A session id from its 16 hexadecimal digits.
pub(crate) fn session_id(text: &str) -> Result<pitwall_core::model::SessionId, ApiError> {
    if text.len() == 16
        && text.bytes().all(|b| b.is_ascii_hexdigit())
        && let Ok(id) = u64::from_str_radix(text, 16)
    {
        return Ok(pitwall_core::model::SessionId(id));
    }
    Err(ApiError::bad_request(format!(
        "{text:?} is not a session id (16 hexadecimal digits, as /api/v1/sessions lists them)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_anywhere_in_the_query_is_refused() {
        for bad in [
            "track=%00",
            "a=1&track=mon%00za",
            "dri%00ver=x",
            "%00",
            "x=+%00+",
        ] {
            assert!(check_query(bad).is_err(), "{bad}");
        }
        for good in ["", "track=monza", "track=%30", "a=%2500", "x=00", "&&=&"] {
            assert!(check_query(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn nul_in_the_path_is_refused() {
        assert!(check_path("/api/v1/sessions/%00").is_err());
        assert!(check_path("/api/v1/sessions/00000000000000a1").is_ok());
        assert!(check_path("/api/v1/sessions/%2500").is_ok());
    }
}
