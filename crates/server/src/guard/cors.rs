//! CORS: which other sites' pages may call the API from a browser. Only the configured
//! origins (or every origin for `*`), with GET, POST and OPTIONS and the headers Origin,
//! Content-Type and Authorization, as the original tracker allowed. Without origins no CORS
//! headers are sent and browsers keep to same-origin calls (the dashboard).

use std::time::Duration;

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, ORIGIN, RETRY_AFTER};
use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::request_id;

/// The CORS layer for `origins` (exact origins such as `https://laps.example`, or `*`).
/// Origins that cannot be a header value were refused by
/// [`ServerConfig::check`](crate::ServerConfig::check) and are skipped here.
pub(crate) fn layer(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([ORIGIN, CONTENT_TYPE, AUTHORIZATION])
        .expose_headers([RETRY_AFTER, HeaderName::from_static(request_id::HEADER)])
        .max_age(Duration::from_secs(600))
}
