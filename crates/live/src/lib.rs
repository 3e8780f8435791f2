//! Pitwall's live protocol and its wire shapes, shared by everything that sends or reads
//! them: the collector publishes [`LiveEvent`]s, the server streams them (`GET /api/live`)
//! and answers its JSON API with the same sessions and laps, the TUI follows the feed with the
//! same [`LiveState::apply`] the server uses, and export files, uploads and ingest carry the
//! same laps. Free of I/O; the hub (`hub` feature) only adds `tokio`'s channels.
//!
//! # Layout
//! - [`event`]: [`LiveEvent`], what happens live, and the words of its `reason` fields.
//! - [`state`]: [`LiveState`] and its reducer, [`LiveState::apply`].
//! - [`reference`](mod@reference): [`Reference`], the driver's records a live lap is compared with.
//! - [`wire`]: the JSON of laps ([`LapJson`], one shape everywhere) and sessions
//!   ([`SessionJson`] for the API and the feed, [`FullSessionJson`] for export files, uploads
//!   and ingest), with every conversion from and to the core model.
//! - `hub` (feature `hub`): `LiveHub`, the current state and a broadcast of every event.
//!
//! ```
//! use pitwall_live::{LiveEvent, LiveState};
//!
//! let mut state = LiveState::default();
//! let event: LiveEvent =
//!     serde_json::from_str(r#"{"type":"status","connected":true,"message":"reading ACC"}"#)?;
//! state.apply(&event);
//! assert!(state.connected);
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod event;
#[cfg(feature = "hub")]
pub mod hub;
pub mod reference;
pub mod state;
pub mod wire;

pub use event::LiveEvent;
#[cfg(feature = "hub")]
pub use hub::LiveHub;
pub use reference::Reference;
pub use state::{LAST_LAPS, LiveState, RunningLap};
pub use wire::{ConditionsJson, FullSessionJson, LapJson, SessionJson, WireError};
