//! One error shape for the whole API: error responses under `/api/` that did not come from
//! a handler (an unknown method, a panic caught below) get the JSON body of
//! [`ApiError`], keeping their status and headers (`Allow`, `Retry-After`).

use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::error::ApiError;

/// Rewrites non-JSON error responses of API paths.
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let json = ApiError::of_status(status).into_response();
    let (json_parts, body) = json.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    for (name, value) in &json_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}
