//! Protection around every route: request ids, security headers, CORS, one JSON error
//! shape, per-client rate limits, private reads, body limits and panics turned into 500s.
//! [`wrap`] installs them; layers that are switched off are not installed at all. Below the
//! routes, [`accept`] and [`connections`] protect the connections themselves (a cap,
//! header and idle timeouts, shedding), and [`proxy`] says who the client is behind
//! reverse proxies.
//!
//! Order, outermost first: request id → security headers → CORS (answers preflights) →
//! JSON errors → rate limit → private reads → body limit → panic catcher → routes.

pub(crate) mod accept;
pub(crate) mod auth;
pub(crate) mod connections;
pub(crate) mod cors;
pub(crate) mod errors;
pub(crate) mod headers;
pub(crate) mod proxy;
pub(crate) mod rate;
pub(crate) mod request_id;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;

use crate::api::error::ApiError;
use crate::app::AppState;

/// `routes` with every protection `state.config` asks for.
pub(crate) fn wrap(routes: Router, state: &AppState) -> Router {
    let config = &state.config;
    let mut router = routes
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!(
                request_id = request_id::current().unwrap_or_default(),
                "a handler panicked"
            );
            ApiError::internal_generic().into_response()
        }))
        .layer(DefaultBodyLimit::max(config.body_limit_bytes));
    if config.private_reads {
        router = router.layer(from_fn_with_state(state.clone(), auth::private_reads));
    }
    if config.rate_limit_per_minute > 0 {
        let limiter = rate::Limiter::new(
            config.rate_limit_per_minute,
            config.trust_proxy.clone(),
            rate::DEFAULT_CAPACITY,
        );
        router = router.layer(from_fn_with_state(Arc::new(limiter), rate::limit));
    }
    router = router.layer(from_fn(errors::json_errors));
    if !config.cors_origins.is_empty() {
        router = router.layer(cors::layer(&config.cors_origins));
    }
    router
        .layer(from_fn(headers::security))
        .layer(from_fn(request_id::assign))
}
