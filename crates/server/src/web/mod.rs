//! The server-rendered web dashboard: HTML pages built with `maud` (which escapes every
//! value from data), charts as server-side SVG, and a little script of our own for local
//! times and live timing. Everything is in the binary and works offline.
//!
//! # Pages
//! - `/` ([`sessions`]): the sessions, newest first.
//! - `/sessions/{id}` ([`session`]): one session's lap table and chart.
//! - `/bests` ([`bests`]): personal bests per track, car and driver.
//! - `/live` ([`live`]): live timing over `/api/live`.
//! - `/assets/{name}` ([`assets`]): stylesheet, scripts, icon, names.
//!
//! The rest: [`layout`] (the page shell), [`laprows`] (the rows of a lap table, from `pitwall_core::stats::lap_table`),
//! [`chart`] (SVG charts), [`cells`] (table pieces), [`dates`], [`error`].

mod assets;
mod bests;
mod cells;
mod chart;
mod dates;
mod error;
mod laprows;
mod layout;
mod live;
mod session;
mod sessions;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

/// The dashboard's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(sessions::page_handler))
        .route("/sessions/{id}", get(session::page_handler))
        .route("/bests", get(bests::page_handler))
        .route("/live", get(live::page_handler))
        .route("/live/board", get(live::board_handler))
        .route("/assets/{name}", get(assets::serve))
}
