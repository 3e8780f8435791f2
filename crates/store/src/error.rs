//! The store's error type: what went wrong, with the cause kept as its source.

use std::path::PathBuf;

use pitwall_core::model::{LapId, SessionId};

/// Everything a store operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database was written by a newer pitwall: its schema has migrations this binary
    /// does not know. Nothing was changed.
    #[error(
        "the database at {location} was written by a newer pitwall (schema {found} > {known}); update pitwall"
    )]
    NewerSchema {
        /// Where the database is (a path, or a URL without its password).
        location: String,
        /// The highest migration applied to the database.
        found: i64,
        /// The highest migration this binary knows.
        known: i64,
    },
    /// Applying the migrations failed (for example, a released migration was edited).
    #[error("could not bring the database at {location} up to date")]
    Migrate {
        /// Where the database is.
        location: String,
        /// Why.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// The data directory or the database file could not be created.
    #[error("could not create {path}")]
    Create {
        /// The directory or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// No data directory could be found for this user; pass one explicitly.
    #[error("no data directory found for this user; pass --data-dir")]
    NoDataDir,
    /// A lap refers to a session that was never stored: store the session first.
    #[error("lap {lap} belongs to session {session}, which is not stored; store the session first")]
    UnknownSession {
        /// The lap.
        lap: LapId,
        /// Its session.
        session: SessionId,
    },
    /// An imported session carries a lap of another session.
    #[error(
        "lap {lap} belongs to session {lap_session}, not to session {session} it was imported with"
    )]
    LapOfAnotherSession {
        /// The lap.
        lap: LapId,
        /// The session the lap names.
        lap_session: SessionId,
        /// The session being imported.
        session: SessionId,
    },
    /// A session id is already stored as another driver's: a write never changes whose a
    /// session is.
    #[error(
        "session {session} is already stored as another driver's; a session is written only by \
         its own driver"
    )]
    SessionOfAnotherDriver {
        /// The session.
        session: SessionId,
    },
    /// A lap id is already stored for another session or another lap number.
    #[error(
        "lap id {lap} is already stored as lap {stored_number} of session {stored_session}; it \
         cannot also be lap {number} of session {session}"
    )]
    LapIdTaken {
        /// The lap id.
        lap: LapId,
        /// The session the write names.
        session: SessionId,
        /// The lap number the write names.
        number: u32,
        /// The session that holds the id.
        stored_session: SessionId,
        /// The lap number stored under the id.
        stored_number: u32,
    },
    /// A session already holds another lap with this number: a lap number is stored once
    /// per session.
    #[error(
        "session {session} already has a lap {number} (lap id {stored_lap}); lap id {lap} \
         cannot be lap {number} too"
    )]
    LapNumberTaken {
        /// The session.
        session: SessionId,
        /// The lap number.
        number: u32,
        /// The lap id the write names.
        lap: LapId,
        /// The lap stored under that number.
        stored_lap: LapId,
    },
    /// A value read back does not fit the domain type (a corrupt or foreign database).
    #[error("column {column} holds {value}, which is out of range")]
    OutOfRange {
        /// The column.
        column: &'static str,
        /// The value found.
        value: i64,
    },
    /// Packed text read back is not in the expected form (a corrupt or foreign database).
    #[error("the database returned a malformed {what}")]
    Malformed {
        /// What was being read.
        what: &'static str,
    },
    /// The database refused or failed an operation.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// The write was refused because what it touches belongs to another session or driver
    /// (see [`StoreError::SessionOfAnotherDriver`], [`StoreError::LapIdTaken`],
    /// [`StoreError::LapNumberTaken`]): trying again changes nothing.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            StoreError::SessionOfAnotherDriver { .. }
                | StoreError::LapIdTaken { .. }
                | StoreError::LapNumberTaken { .. }
        )
    }
}

/// Shorthand for results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
