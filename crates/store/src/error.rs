//! The store's error type: what went wrong, with the cause kept as its source, and whether
//! the database was only unavailable for a moment ([`StoreError::is_unavailable`]).

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
    /// A database URL names a scheme pitwall does not know (a typo, or another database).
    #[error(
        "{target:?} is not a database pitwall can use: give a postgres://… or postgresql://… \
         URL, a sqlite:PATH URL, or the path of a SQLite file"
    )]
    UnknownScheme {
        /// What was given (without its password).
        target: String,
    },
    /// A SQLite file was named in a directory that does not exist (pitwall creates the
    /// file, never the directories of a path it was given).
    #[error(
        "cannot create the database {path}: the directory {dir} does not exist; create it or fix the path"
    )]
    NoParentDir {
        /// The database file.
        path: PathBuf,
        /// Its missing directory.
        dir: PathBuf,
    },
    /// A command that only reads found no database (a mistyped path, or nothing tracked yet).
    #[error(
        "no database at {location}: run `pitwall run` first or check --data-dir / --database-url"
    )]
    NoDatabase {
        /// Where it was looked for.
        location: String,
    },
    /// The TLS handshake with a PostgreSQL server failed or the server offers no TLS while
    /// the URL's `sslmode` demands it.
    #[error("no TLS connection to {location} (sslmode={sslmode}): {hint}")]
    Tls {
        /// The server, without credentials.
        location: String,
        /// The `sslmode` in force.
        sslmode: &'static str,
        /// What to do about it.
        hint: &'static str,
        /// Why.
        #[source]
        source: sqlx::Error,
    },
    /// The target names a backend this build of pitwall left out (a cargo feature that was
    /// off).
    #[error("{backend} support is not built in; {hint}")]
    BackendDisabled {
        /// The backend the target needs, as its cargo feature is named.
        backend: &'static str,
        /// What to do about it.
        hint: &'static str,
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
    /// The database refused or failed an operation; nothing of a failed write was kept.
    /// When [`StoreError::is_unavailable`], retry it in a moment.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether the database could not do the operation *now* but may well do it in a moment:
    /// a full disk, an I/O error, a lock held too long, a statement timeout, a connection that
    /// was lost or could not be had. Nothing of a failed write was kept; retrying it is safe
    /// (writes are idempotent) and is what the caller should do. Other errors (a missing
    /// session, a malformed row, a newer schema) will fail the same way again.
    pub fn is_unavailable(&self) -> bool {
        use sqlx::migrate::MigrateError;
        match self {
            StoreError::Database(error)
            | StoreError::Migrate {
                source: MigrateError::Execute(error) | MigrateError::ExecuteMigration(error, _),
                ..
            } => unavailable(error),
            _ => false,
        }
    }

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

/// Whether a sqlx error is the database being unavailable; see
/// [`StoreError::is_unavailable`].
fn unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            #[cfg(feature = "sqlite")]
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                return sqlite_unavailable(&code);
            }
            postgres_unavailable(&code)
        }
        _ => false,
    }
}

/// SQLite result codes (extended codes carry the primary one in their low byte) of a
/// database that could not write or read just now: BUSY, LOCKED, NOMEM, READONLY (a file
/// system remounted read-only), IOERR, CANTOPEN, FULL, PROTOCOL.
#[cfg(feature = "sqlite")]
fn sqlite_unavailable(code: &str) -> bool {
    let Ok(code) = code.parse::<i32>() else {
        return false;
    };
    matches!(code & 0xff, 5 | 6 | 7 | 8 | 10 | 13 | 14 | 15)
}

/// PostgreSQL SQLSTATEs of a server that could not do it just now: connection exceptions
/// (08), serialization failures and deadlocks (40001, 40P01), lock timeouts (55P03),
/// insufficient resources such as a full disk (53), operator intervention (57: a statement
/// timeout, a terminated backend, a server shutting down) and system errors (58).
fn postgres_unavailable(code: &str) -> bool {
    matches!(code, "40001" | "40P01" | "55P03")
        || ["08", "53", "57", "58"].iter().any(|c| code.starts_with(c))
}

/// Shorthand for results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
