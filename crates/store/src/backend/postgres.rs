//! The PostgreSQL backend (feature `postgres`), for a server shared by many drivers. Plain
//! SQL only, so it also runs on Postgres-wire distributed engines. Chosen by a
//! `postgres://` URL.

use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgSslMode};

use crate::error::{Result, StoreError};

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
        Self::open(url, options, false).await
    }

    /// Connects to a store pitwall has already made: a database (or schema) without
    /// pitwall's tables is [`StoreError::NoDatabase`] and is left as it was, so a command
    /// that only reads never creates a store.
    pub async fn connect_existing(url: &str) -> Result<Self> {
        Self::open(url, &PgOptions::default(), true).await
    }

    async fn open(url: &str, options: &PgOptions, must_exist: bool) -> Result<Self> {
        let mut connect: PgConnectOptions = url.parse()?;
        // As libpq: `require` with a root certificate given verifies the chain (`verify-ca`).
        if matches!(connect.get_ssl_mode(), PgSslMode::Require) && names_root_cert(url) {
            connect = connect.ssl_mode(PgSslMode::VerifyCa);
        }
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
        // as itself at once, not as a pool timeout after `acquire_timeout`. It also settles
        // `prefer` and `allow` (which libpq decides by trying) for the pool's connections.
        let (mut probe, connect) = first_connection(connect, &location).await?;
        if must_exist {
            let tables: i64 = sqlx::query_scalar(MIGRATIONS_TABLE)
                .fetch_one(&mut probe)
                .await?;
            if tables == 0 {
                sqlx::Connection::close(probe).await?;
                return Err(StoreError::NoDatabase { location });
            }
        }
        sqlx::Connection::close(probe).await?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .after_release(crate::backend::reusable)
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

/// Whether a root certificate is named, in the URL (`sslrootcert=`) or by `PGSSLROOTCERT`.
fn names_root_cert(url: &str) -> bool {
    let in_url = url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|pair| {
            matches!(
                pair.split('=').next(),
                Some("sslrootcert" | "ssl-root-cert" | "ssl-ca")
            )
        })
    });
    in_url || std::env::var_os("PGSSLROOTCERT").is_some_and(|v| !v.is_empty())
}

/// Connects once as libpq does for the `sslmode` in force, returning the connection and the
/// options that made it (the pool's, from then on): `prefer` tries TLS and, when the
/// handshake fails, plain text; `allow` tries plain text and, when the server refuses a
/// connection without encryption, TLS. Other modes connect as they say.
async fn first_connection(
    connect: PgConnectOptions,
    location: &str,
) -> Result<(PgConnection, PgConnectOptions)> {
    let mode = connect.get_ssl_mode();
    let (first, fallback) = match mode {
        PgSslMode::Prefer => (connect.clone(), PgSslMode::Disable),
        // sqlx itself treats `allow` as `disable`: the fallback to TLS is ours.
        PgSslMode::Allow => (
            connect.clone().ssl_mode(PgSslMode::Disable),
            PgSslMode::Require,
        ),
        _ => {
            let connection = ConnectOptions::connect(&connect)
                .await
                .map_err(|e| tls_error(e, location, mode))?;
            return Ok((connection, connect));
        }
    };
    let e = match ConnectOptions::connect(&first).await {
        Ok(connection) => return Ok((connection, first)),
        Err(e) => e,
    };
    let retry = match mode {
        PgSslMode::Prefer => is_tls_failure(&e),
        _ => refused_without_tls(&e),
    };
    if !retry {
        return Err(tls_error(e, location, mode));
    }
    let second = connect.ssl_mode(fallback);
    let connection = ConnectOptions::connect(&second)
        .await
        .map_err(|e| tls_error(e, location, mode))?;
    if matches!(fallback, PgSslMode::Disable) {
        tracing::warn!(
            "the TLS handshake with {location} failed ({e}); as sslmode=prefer allows, \
             connected without TLS (use sslmode=require to insist on it)"
        );
    }
    Ok((connection, second))
}

/// Whether connecting failed in the TLS handshake (not before it, not after it).
fn is_tls_failure(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Tls(_)) || rustls_error(e).is_some()
}

/// Whether the server refused the connection because it was not encrypted: an
/// authorisation error (class 28, e.g. a `hostssl`-only `pg_hba.conf`).
fn refused_without_tls(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| code.starts_with("28"))
}

/// The rustls error inside a sqlx error, when the handshake failed on a certificate (sqlx
/// reports those as I/O errors).
fn rustls_error(e: &sqlx::Error) -> Option<&rustls::Error> {
    match e {
        sqlx::Error::Io(io) => io.get_ref()?.downcast_ref::<rustls::Error>(),
        _ => None,
    }
}

/// A TLS failure as [`StoreError::Tls`], saying what to do for the `sslmode` in force; any
/// other error as itself.
fn tls_error(e: sqlx::Error, location: &str, mode: PgSslMode) -> StoreError {
    if !is_tls_failure(&e) {
        return e.into();
    }
    let rustls = rustls_error(&e);
    let wrong_name = matches!(
        rustls,
        Some(rustls::Error::InvalidCertificate(
            rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. }
        ))
    );
    let no_tls = e.to_string().contains("does not support TLS");
    let (sslmode, hint) = match mode {
        PgSslMode::Disable => ("disable", "TLS is off; remove sslmode=disable to use it"),
        PgSslMode::Allow => ("allow", "use sslmode=require to insist on TLS"),
        PgSslMode::Prefer => (
            "prefer",
            "the server offered TLS but the handshake failed; use sslmode=disable to connect \
             in plain text, or fix the server's TLS setup",
        ),
        PgSslMode::Require => (
            "require",
            "the server must have `ssl = on`; use sslmode=prefer or disable for one without TLS",
        ),
        PgSslMode::VerifyCa => (
            "verify-ca",
            "the server's certificate is not signed by a trusted CA: give the CA's certificate \
             with sslrootcert=FILE in the URL (or use sslmode=require to encrypt without \
             verifying)",
        ),
        PgSslMode::VerifyFull if wrong_name => (
            "verify-full",
            "the server's certificate does not name the host in the URL: connect by a host \
             name the certificate lists (sslrootcert= stays as it is), or use sslmode=verify-ca \
             to check the CA only",
        ),
        PgSslMode::VerifyFull => (
            "verify-full",
            "the server's certificate is not signed by a trusted CA: give the CA's certificate \
             with sslrootcert=FILE in the URL (or use sslmode=require to encrypt without \
             verifying)",
        ),
    };
    let hint = if no_tls {
        "the server offers no TLS: turn `ssl = on` on it, or use sslmode=prefer (or disable) \
         to connect in plain text"
    } else {
        hint
    };
    StoreError::Tls {
        location: location.to_owned(),
        sslmode,
        hint,
        source: e,
    }
}

store_impl!(PgStore, sqlx::Postgres);
