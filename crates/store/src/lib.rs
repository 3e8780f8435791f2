//! Pitwall's storage: an async store interface in domain terms, in focused parts
//! ([`SessionWrites`], [`Reads`], [`Tokens`], [`Outbox`], [`Checkpoints`]; [`Store`] is all of
//! them), and two backends, SQLite (a file in the user's data directory, nothing to set up)
//! and PostgreSQL (a server shared by many drivers). [`open`] picks the backend from a URL or
//! path; each backend applies its migrations when opened and refuses a database written by a
//! newer pitwall.
//!
//! Writes are idempotent upserts keyed by the detector's ids, so the same lap sent twice is
//! stored once, and a write is durable when it returns. See `docs/storage.md` for the schema,
//! the durability choice and the measured numbers.
//!
//! ```no_run
//! # async fn demo() -> pitwall_store::Result<()> {
//! use pitwall_store::Reads;
//! let store = pitwall_store::open("/tmp/pitwall-demo.db").await?;
//! for session in store.recent_sessions(20, 0).await? {
//!     println!("{} @ {}: {} laps", session.info.car, session.info.track, session.laps.len());
//! }
//! # Ok(()) }
//! ```
//!
//! # Features
//! - `sqlite` (default): the SQLite backend, [`SqliteStore`] (bundled libsqlite3).
//! - `postgres` (default): the PostgreSQL backend, [`PgStore`], with TLS (rustls).
//!
//! At least one is needed. [`open`] given a target of a backend left out of the build fails
//! with [`StoreError::BackendDisabled`].
//!
//! # Layout
//! - `store`: the interface's parts and [`Store`]; [`Upload`], whether a write queues
//!   what it stored for upload.
//! - [`AnyStore`] and [`open`]: run-time choice, static dispatch.
//! - `backend`: [`SqliteStore`] and [`PgStore`] (`backend::sqlite`, `backend::postgres`),
//!   and the operations of each part, written once as macros, expanded per backend.
//! - `sql`, `rows`, `packed`: SQL text shared by both backends, and decoding of its rows
//!   and of the packed laps of the recent-sessions query.
//! - [`StoreError`]: what can go wrong.
//! - [`prior`]: the references a session's lap table is coloured against (the driver's
//!   earlier laps on its track and car), for every screen.
//! - [`export`]: pitwall's JSON export (lossless, importable) and CSV, streamed from any
//!   store; [`ExportError`].

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
compile_error!("pitwall-store needs a backend: enable the feature `sqlite`, `postgres` or both");

mod any;
mod backend;
mod error;
pub mod export;
mod packed;
pub mod prior;
mod rows;
mod sql;
mod store;
mod types;

#[cfg(feature = "sqlite")]
pub use any::open_existing_sqlite;
pub use any::{AnyStore, Target, open, open_existing, parse_target, redact_url};
#[cfg(feature = "postgres")]
pub use backend::postgres::{PgOptions, PgStore};
#[cfg(feature = "sqlite")]
pub use backend::sqlite::{DB_FILE_NAME, Durability, SqliteOptions, SqliteStore, default_data_dir};
pub use error::{Result, StoreError};
pub use export::ExportError;
pub use store::{Checkpoints, Outbox, Reads, SessionWrites, Store, Tokens};
pub use types::{
    ImportOutcome, LapFilter, OutboxStatus, PendingUpload, RecordLap, SectorBests, SessionWithLaps,
    StoredLap, TrackCar, Upload, UploadFailure,
};

/// The most sessions or laps one call returns; larger limits are reduced to it.
pub const MAX_PAGE: u32 = 1000;
