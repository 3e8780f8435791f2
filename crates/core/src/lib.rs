//! Pitwall's domain, free of I/O and clocks: the model (sessions, laps, sectors), the lap
//! detector that turns timestamped frames of ACC's pages into events exactly as the game timed
//! them, and statistics over completed laps.
//!
//! # Layout
//! - [`model`]: ids, session info, laps and the detector's events.
//! - [`frame`]: [`Frame`] and [`StaticInfo`], what the detector needs of the pages.
//! - [`detector`]: the state machine.
//! - [`stats`]: bests, theoretical best, consistency, deltas, PB progression.
//! - [`dates`]: times since the epoch as UTC calendar dates and back (via `time`).
//! - [`format`](mod@format): times and laps as racers write them, for every front end.
//! - [`names`]: readable names of ACC's car and track ids and session types.
//! - [`validate`]: what a session and its laps must satisfy before they are stored.

pub mod dates;
pub mod detector;
pub mod format;
pub mod frame;
pub mod model;
pub mod names;
pub mod stats;
pub mod validate;

pub use detector::{Detector, DetectorConfig, Resume};
pub use frame::{Frame, FrameDecoder, StaticInfo};
pub use model::{
    AbandonReason, Car, Checkpoint, Conditions, EndReason, Event, Lap, LapId, SessionId,
    SessionInfo,
};
