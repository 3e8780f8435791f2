//! Pitwall's terminal UI (`pitwall tui`): live timing from a running `pitwall run`, followed
//! over its `/api/live` feed, and the history in the local store: sessions, their laps, each
//! lap, and personal bests per track and car.
//!
//! Times are coloured as on the web dashboard (purple session best, green personal best, red
//! invalid) and marked as well (`◆`, `▲`, `✗`), so that they read without colour; `NO_COLOR`
//! turns colour off. The screen is redrawn when something changes, at most 20 times a second.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let store = pitwall_store::open("/tmp/pitwall.db").await?;
//! let options = pitwall_tui::Options {
//!     live_url: "http://127.0.0.1:8080".into(),
//!     theme: pitwall_tui::theme::Theme::from_env(),
//! };
//! pitwall_tui::run(store, options).await?;
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - [`app`]: the state on screen and how keys, feed messages and store readings change it
//!   ([`app::nav`]: screens, selections, keys).
//! - [`ui`]: drawing each screen from the app.
//! - [`feed`] and [`sse`]: following the live feed (reconnecting with backoff) and reading
//!   Server-Sent Events.
//! - [`history`]: reading sessions and personal bests from the store.
//! - [`theme`], [`names`]: colours, marks and `NO_COLOR`; readable track and car names.
//! - [`run()`], [`drive`]: the terminal and the event loop.

pub mod app;
pub mod feed;
pub mod history;
pub mod names;
pub mod sse;
pub mod theme;
pub mod ui;

mod dates;
mod error;
mod http;
mod run;

pub use app::App;
pub use error::TuiError;
pub use run::{LoopStats, MIN_FRAME, Options, drive, run};
