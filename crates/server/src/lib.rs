//! Pitwall's server, HTTP only: the JSON API, the web dashboard and live timing over one
//! store and one [`pitwall_live::LiveHub`]. What feeds them (the collector turning the game's
//! pages into stored laps and live events, the uploader) is `pitwall-tracker`.
//!
//! # Layout
//! - [`app`]: the shared state, the router of every route, and serving with graceful
//!   shutdown.
//! - [`json`]: the JSON shapes of the API's lists, details, records and statistics, around
//!   the sessions and laps of `pitwall_live::wire`.
//! - `sse`: `GET /api/live`, the live hub's events as Server-Sent Events.
//! - `api`: the JSON API (`/api/sessions` in the original tracker's shape, `/api/v1/…`,
//!   `POST /api/ingest`, `/api/openapi.json`); see `docs/server.md`.
//! - `guard`: protections around every route (tokens, CORS, rate limits, body limits,
//!   security headers, request ids, one JSON error shape) and around the connections
//!   (a cap, header and idle timeouts, shedding idle ones; who the client is behind proxies).
//! - [`token`]: API tokens: generation and hashing.
//! - `web`: the server-rendered dashboard.

pub mod app;
pub mod json;
pub mod token;

mod api;
mod guard;
mod sse;
mod web;

pub use app::{AppState, ConfigError, ServerConfig, router, serve, serve_with};
pub use guard::headers::CSP;
pub use guard::proxy::{BadProxy, Network, TrustProxy};
