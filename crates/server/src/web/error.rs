//! What a dashboard page answers when it cannot show what was asked: a page in the
//! dashboard's own look with the right status. Store failures are logged in full; the page
//! only says that the database could not be read.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use pitwall_store::StoreError;

use super::layout::{Nav, page};

/// Why a page could not be shown.
#[derive(Debug)]
pub(crate) enum WebError {
    /// Nothing there: the message says what was looked for.
    NotFound(&'static str),
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::Store(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            WebError::NotFound(what) => (StatusCode::NOT_FOUND, "Not found", *what),
            WebError::Store(e) => {
                tracing::error!(error = %e, "dashboard: store read failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Database error",
                    "The database could not be read; the server log has the details.",
                )
            }
        };
        let body = html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "Back to the sessions" } }
        };
        (status, page(title, Nav::None, body)).into_response()
    }
}
