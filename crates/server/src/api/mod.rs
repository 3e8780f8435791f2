//! The JSON API under `/api` (besides `/api/live`, in [`crate::live::sse`]).

use axum::Router;

use crate::app::AppState;

/// The API's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
