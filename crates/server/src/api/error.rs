//! API errors: one type, [`ApiError`], sent as
//! `{"error": {"code": "...", "message": "...", "request_id": "..."}}` with its status.
//! Messages about the request (a bad parameter, a field the body lacks) say what to fix;
//! failures inside the server are logged with their cause and the request id, and the
//! client gets a generic message and the id only.

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::guard::request_id;

/// An error answer of the API.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after_s: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after_s: None,
        }
    }

    /// 400: a query or path parameter is malformed.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 400: the body is not JSON of the expected shape (syntax, type, unknown field).
    pub(crate) fn invalid_json(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// 400: the body is well formed but its data cannot be right.
    pub(crate) fn invalid_data(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_data", message)
    }

    /// 401: no valid token.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: the token may not do this.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404: nothing there.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 409: the write touches what another session or driver owns (a lap number or id).
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 413: the body is larger than the configured limit.
    pub(crate) fn payload_too_large(limit_bytes: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than {limit_bytes} bytes; send fewer laps at once"),
        )
    }

    /// 415: the body is not declared as JSON.
    pub(crate) fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        )
    }

    /// 429: too many requests from this client; retry after `seconds`.
    pub(crate) fn rate_limited(seconds: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many requests from this address; retry in {seconds} s"),
        );
        e.retry_after_s = Some(seconds);
        e
    }

    /// 500: something failed inside the server. The cause is logged here with the request
    /// id; the client only learns that it failed.
    pub(crate) fn internal(cause: &(dyn std::error::Error + 'static)) -> Self {
        let chain = chain(cause);
        tracing::error!(
            request_id = request_id::current().unwrap_or_default(),
            "request failed: {chain}"
        );
        Self::internal_generic()
    }

    /// 500 without a cause to log (already logged by the caller).
    pub(crate) fn internal_generic() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to handle this request; it is logged under the request id",
        )
    }

    /// The generic error of a status produced outside the handlers (an unknown method,
    /// a panic): used to give every API error the same JSON shape.
    pub(crate) fn of_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::not_found("no such endpoint; see /api/openapi.json"),
            StatusCode::METHOD_NOT_ALLOWED => Self::new(
                status,
                "method_not_allowed",
                "this endpoint does not take this method; see /api/openapi.json",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                Self::new(status, "payload_too_large", "the request body is too large")
            }
            s if s.is_server_error() => Self::internal_generic(),
            s => Self::new(
                s,
                "bad_request",
                s.canonical_reason().unwrap_or("bad request"),
            ),
        }
    }
}

/// An error and its sources, `outer: inner: innermost`.
fn chain(cause: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = cause.to_string();
    let mut source = cause.source();
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    chain
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Detail {
                code: self.code,
                message: &self.message,
                request_id: request_id::current(),
            },
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(seconds) = self.retry_after_s {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<pitwall_store::StoreError> for ApiError {
    /// A database that is only unavailable for a moment (a full disk, a lost connection, a
    /// statement timeout) answers 503 with `Retry-After`: nothing of the request was kept,
    /// and the client should send it again. A write refused for ownership is a 409 conflict;
    /// anything else is a 500.
    fn from(e: pitwall_store::StoreError) -> Self {
        if e.is_conflict() {
            return ApiError::conflict(e.to_string());
        }
        if !e.is_unavailable() {
            return ApiError::internal(&e);
        }
        tracing::warn!(
            request_id = request_id::current().unwrap_or_default(),
            "request failed, storage unavailable: {}",
            chain(&e)
        );
        let mut error = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the server's database cannot take this request right now and kept nothing of \
             it; retry it in a few seconds",
        );
        error.retry_after_s = Some(1);
        error
    }
}
