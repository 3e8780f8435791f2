//! Pitwall's tracker: the game's pages in, stored laps, live events and uploads out. Every
//! command that tracks (`run`, `demo`, `serve` when it collects, the service) goes through
//! [`run`]; `watch` reads with the same source and loop ([`source`], [`poll`]). It serves
//! nothing: `pitwall-server` serves the same store and [`pitwall_live::LiveHub`].
//!
//! # Layout
//! - [`source`]: the platform's live source and the one poll interval ([`source::POLL`]).
//! - [`poll`]: one step of the reading loop: read, decode, detect, and what to say and how
//!   long to pause.
//! - [`collector`]: a reading thread running the lap detector, and the async side storing
//!   sessions and laps as they complete and publishing live events.
//! - [`upload`]: sends the store's upload outbox to a hosted server.
//! - [`tee`]: `--record`, a source that also records what it reads.
//! - [`timing`]: [`TimingSource`], sources that give timing events (laps of any car)
//!   instead of pages, and [`Input`], what the tracker reads: either kind.
//! - `run`: [`run`] and its [`TrackerOptions`]: the collector and the uploader, one
//!   shutdown path.

pub mod collector;
pub mod poll;
pub mod source;
pub mod tee;
pub mod timing;
pub mod upload;

mod run;

pub use collector::{Collector, CollectorOptions};
pub use run::{TrackerError, TrackerOptions, run};
pub use tee::{TeeError, record_if};
pub use timing::{Input, Timing, TimingSource};
pub use upload::{UploadError, UploadOptions, Uploader};
