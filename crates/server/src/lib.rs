//! Pitwall's server: the JSON API, the web dashboard and live timing over one store, and the
//! collector that turns the game's pages into stored laps and live events.
//!
//! # Layout
//! - [`app`]: the shared state, the router of every route, and serving with graceful
//!   shutdown.
//! - [`collector`]: reads a [`pitwall_acc::Source`], runs the lap detector, stores sessions and
//!   laps as they complete and publishes live events.
//! - [`upload`]: sends the store's upload outbox to a hosted server.
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
pub mod collector;
pub mod json;
pub mod token;
pub mod upload;

mod api;
mod guard;
mod sse;
mod web;

pub use app::{AppState, ConfigError, ServerConfig, router, serve, serve_with};
pub use collector::{Collector, CollectorOptions};
pub use guard::headers::CSP;
pub use guard::proxy::{BadProxy, Network, TrustProxy};
pub use upload::{UploadOptions, Uploader};
