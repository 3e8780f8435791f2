//! The PostgreSQL backend, for a server shared by many drivers. Plain SQL only, so it also
//! runs on Postgres-wire distributed engines. Chosen by a `postgres://` URL.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::error::Result;

/// The migrations of the PostgreSQL schema, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Counts the migrations table in the current schema.
const MIGRATIONS_TABLE: &str = "SELECT COUNT(*) FROM information_schema.tables \
    WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'";

/// How to connect to a PostgreSQL store.
#[derive(Clone, Debug)]
pub struct PgOptions {
    /// Schema to use (it must exist) instead of the user's default search path.
    pub schema: Option<String>,
    /// Connections in the pool.
    pub max_connections: u32,
    /// How long to keep trying to get a connection (the server may be starting).
    pub acquire_timeout: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            schema: None,
            max_connections: 8,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// A store in a PostgreSQL database.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
    location: String,
    changes: crate::backend::Changes,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host/db`) with default options.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, &PgOptions::default()).await
    }

    /// Connects, refuses a database a newer pitwall wrote, and applies pending migrations.
    pub async fn connect_with(url: &str, options: &PgOptions) -> Result<Self> {
        let mut connect: PgConnectOptions = url.parse()?;
        if let Some(schema) = &options.schema {
            connect = connect.options([("search_path", schema.as_str())]);
        }
        let location = format!(
            "postgres://{}@{}:{}/{}",
            connect.get_username(),
            connect.get_host(),
            connect.get_port(),
            connect.get_database().unwrap_or_default()
        );
        // One direct connection first: a refused connection or a bad password is reported
        // as itself at once, not as a pool timeout after `acquire_timeout`.
        let probe = sqlx::ConnectOptions::connect(&connect).await?;
        sqlx::Connection::close(probe).await?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await?;
        migrate!(&pool, MIGRATOR, MIGRATIONS_TABLE, location).await?;
        Ok(PgStore {
            pool,
            location,
            changes: crate::backend::Changes::default(),
        })
    }

    /// Appends a lap's packed record (`$2`) to its session's (`$1`); the row lock makes
    /// concurrent appends to one session queue up rather than lose one.
    const APPEND_PACKED_LAP: &str =
        "UPDATE sessions SET laps_packed = laps_packed || $2 WHERE id = $1";

    /// Locks a session's row (`$1`) for the transaction, so that checking which lap numbers
    /// and ids it holds and adding one cannot interleave with another writer's.
    const LOCK_SESSION: &str = "SELECT id FROM sessions WHERE id = $1 FOR UPDATE";

    /// Where the database is, without credentials.
    pub fn location(&self) -> &str {
        &self.location
    }
}

store_impl!(PgStore, sqlx::Postgres);
