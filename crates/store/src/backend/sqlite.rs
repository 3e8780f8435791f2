//! The SQLite backend (feature `sqlite`), the usual choice: one file in the user's data
//! directory, created on first open, readable by its owner only, in WAL mode.
//!
//! # Durability
//! [`Durability::Full`] (the default) syncs the WAL at every commit, so a stored lap survives
//! a power loss or an OS crash as well as a crash of pitwall. [`Durability::Normal`] syncs
//! only at checkpoints: a commit survives a crash of the process but the last ones may be
//! lost on power loss. See `docs/storage.md` for the measured cost of each.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::error::{Result, StoreError};

/// The migrations of the SQLite schema, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// Counts the migrations table (to tell a new database from an existing one).
const MIGRATIONS_TABLE: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'";

/// The database file's name inside a data directory.
pub const DB_FILE_NAME: &str = "pitwall.db";

/// How hard SQLite works to keep a committed write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: a returned write survives power loss.
    #[default]
    Full,
    /// `synchronous=NORMAL`: a returned write survives a process crash, not a power loss.
    Normal,
}

/// How to open a SQLite store.
#[derive(Clone, Debug)]
pub struct SqliteOptions {
    /// Sync policy.
    pub durability: Durability,
    /// Connections in the pool (WAL lets readers run beside the one writer).
    pub max_connections: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            durability: Durability::Full,
            max_connections: 4,
        }
    }
}

/// A store in a SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    changes: crate::backend::Changes,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` with default options.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, &SqliteOptions::default()).await
    }

    /// Opens (creating if needed, with its directory) the database file at `path`, refuses it
    /// if a newer pitwall wrote it, and applies pending migrations.
    pub async fn open_with(path: impl AsRef<Path>, options: &SqliteOptions) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        create_private(&path)?;
        let synchronous = match options.durability {
            Durability::Full => sqlx::sqlite::SqliteSynchronous::Full,
            Durability::Normal => sqlx::sqlite::SqliteSynchronous::Normal,
        };
        let connect = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .after_release(crate::backend::reusable)
            .connect_with(connect)
            .await?;
        let location = path.display().to_string();
        migrate!(&pool, MIGRATOR, MIGRATIONS_TABLE, location).await?;
        Ok(SqliteStore {
            pool,
            path,
            changes: crate::backend::Changes::default(),
        })
    }

    /// Opens `pitwall.db` in `dir`, or in the user's data directory when `None`.
    pub async fn open_in_dir(dir: Option<&Path>) -> Result<Self> {
        let dir = match dir {
            Some(dir) => dir.to_path_buf(),
            None => default_data_dir()?,
        };
        Self::open(dir.join(DB_FILE_NAME)).await
    }

    /// Appends a lap's packed record (`$2`) to its session's (`$1`). SQLite's `||` yields
    /// text, so the result is cast back to a blob (the bytes are kept as they are).
    const APPEND_PACKED_LAP: &str = "UPDATE sessions SET laps_packed = \
        CAST(laps_packed || $2 AS BLOB) WHERE id = $1";

    /// Takes the write lock for the transaction while finding the session (`$1`): SQLite has
    /// one writer, so checking which lap numbers and ids it holds and adding one cannot
    /// interleave with another writer's (and a read first would fail to upgrade).
    const LOCK_SESSION: &str = "UPDATE sessions SET sector_count = sector_count WHERE id = $1";

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The user's data directory for pitwall (e.g. `~/.local/share/pitwall` on Linux,
/// `%APPDATA%\pitwall\data` on Windows).
pub fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "pitwall")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(StoreError::NoDataDir)
}

/// Creates the file's directory (owner-only when new) and the file itself, readable and
/// writable by its owner only, unless it exists. SQLite gives the `-wal` and `-shm` files the
/// same permissions as the database.
fn create_private(path: &Path) -> Result<()> {
    let create = |path: &Path, source| StoreError::Create {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| create(dir, e))?;
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    match file.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(create(path, e)),
    }
}

store_impl!(SqliteStore, sqlx::Sqlite);
