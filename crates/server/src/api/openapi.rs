//! `GET /api/openapi.json`: the OpenAPI 3.1 description of every route, kept beside the
//! code in `openapi.json` and served as it is. A test checks that it parses and that every
//! path it lists answers.

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

/// The description.
pub(crate) const SPEC: &str = include_str!("openapi.json");

/// `GET /api/openapi.json`.
pub(crate) async fn spec() -> Response {
    let mut response = SPEC.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
