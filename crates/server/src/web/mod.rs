//! The server-rendered web dashboard.

use axum::Router;

use crate::app::AppState;

/// The dashboard's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
