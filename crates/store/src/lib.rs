//! Pitwall's storage: one async [`Store`] trait in domain terms, and two backends, SQLite
//! (the default: a file in the user's data directory, nothing to set up) and PostgreSQL (a
//! server shared by many drivers). [`open`] picks the backend from a URL or path; each backend
//! applies its migrations when opened and refuses a database written by a newer pitwall.
//!
//! Writes are idempotent upserts keyed by the detector's ids, so the same lap sent twice is
//! stored once, and a write is durable when it returns. See `docs/storage.md` for the schema,
//! the durability choice and the measured numbers.
//!
//! ```no_run
//! # async fn demo() -> pitwall_store::Result<()> {
//! use pitwall_store::Store;
//! let store = pitwall_store::open("/tmp/pitwall-demo.db").await?;
//! for session in store.recent_sessions(20, 0).await? {
//!     println!("{} @ {}: {} laps", session.info.car, session.info.track, session.laps.len());
//! }
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - [`Store`]: the trait; [`AnyStore`] and [`open`]: run-time choice, static dispatch.
//! - [`SqliteStore`], [`PgStore`]: the backends (`sqlite`, `postgres`).
//! - `sql`, `rows`, `packed`: SQL text shared by both backends, and decoding of its rows
//!   and of the packed laps of the recent-sessions query.
//! - `writes`, `reads`, `outbox`, `resume`, `backend`: the operations (the upload outbox's,
//!   sessions' checkpoints and upload failures too), written once, expanded per backend.
//! - [`StoreError`]: what can go wrong.
//! - [`prior`]: the references a session's lap table is coloured against (the driver's
//!   earlier laps on its track and car), for every screen.
//! - [`export`]: pitwall's JSON export (lossless, importable) and CSV, streamed from any
//!   store; [`ExportError`].

#[macro_use]
mod backend;
#[macro_use]
mod writes;
#[macro_use]
mod reads;
#[macro_use]
mod outbox;
#[macro_use]
mod resume;

mod any;
mod error;
pub mod export;
mod packed;
mod postgres;
pub mod prior;
mod rows;
mod sql;
mod sqlite;
mod store;
mod types;

pub use any::{
    AnyStore, Target, open, open_existing, open_existing_sqlite, parse_target, redact_url,
};
pub use error::{Result, StoreError};
pub use export::ExportError;
pub use postgres::{PgOptions, PgStore};
pub use resume::UploadFailure;
pub use sqlite::{DB_FILE_NAME, Durability, SqliteOptions, SqliteStore, default_data_dir};
pub use store::Store;
pub use types::{
    ImportOutcome, LapFilter, OutboxStatus, PendingUpload, RecordLap, SectorBests, SessionWithLaps,
    StoredLap, TrackCar,
};

/// The most sessions or laps one call returns; larger limits are reduced to it.
pub const MAX_PAGE: u32 = 1000;
