//! The backends and what they share beyond SQL text: SQLite (`sqlite`, feature `sqlite`) and
//! PostgreSQL (`postgres`, feature `postgres`), the macros that expand every part of the
//! store's interface for a backend's concrete sqlx types (`writes`, `reads`, `tokens`,
//! `outbox`, `checkpoints`), the schema-version check run before migrating, the check that
//! keeps a connection a failed transaction left dirty out of the pool, and small helpers the
//! expanded code calls.
//!
//! The code is written once as macros rather than as functions generic over
//! `sqlx::Database`: the generic form needs higher-ranked `Executor` bounds whose futures the
//! compiler cannot prove `Send`, which every caller of an async store needs. Expanded for
//! `Sqlite` and `Postgres`, the same statements compile against concrete types.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use pitwall_core::model::Lap;
use pitwall_core::stats::BestSector;

use crate::error::StoreError;

#[macro_use]
mod writes;
#[macro_use]
mod reads;
#[macro_use]
mod tokens;
#[macro_use]
mod outbox;
#[macro_use]
mod checkpoints;

/// Implements every part of [`Store`](crate::Store) for `$store` (a struct with a
/// `pool: sqlx::Pool<$db>` and a `changes: Changes`).
macro_rules! store_impl {
    ($store:ty, $db:ty) => {
        impl $store {
            write_helpers!($db);
            read_helpers!($db);
            outbox_helpers!($db);
        }

        impl $crate::SessionWrites for $store {
            session_write_methods!($db);
        }

        impl $crate::Reads for $store {
            read_methods!($db);

            fn changes(&self) -> u64 {
                self.changes.get()
            }
        }

        impl $crate::Tokens for $store {
            token_methods!($db);
        }

        impl $crate::Outbox for $store {
            outbox_methods!($db);
        }

        impl $crate::Checkpoints for $store {
            checkpoint_methods!($db);
        }

        impl $crate::Store for $store {
            async fn close(&self) {
                self.pool.close().await;
            }
        }
    };
}

/// Refuses a database whose schema is newer than this binary's, then applies the pending
/// migrations. `exists_sql` counts tables named `_sqlx_migrations` in the current schema.
macro_rules! migrate {
    ($pool:expr, $migrator:expr, $exists_sql:expr, $location:expr) => {
        async {
            let known = $migrator
                .iter()
                .map(|m| m.version)
                .max()
                .unwrap_or_default();
            let tables: i64 = sqlx::query_scalar($exists_sql).fetch_one($pool).await?;
            if tables > 0 {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
                        .fetch_one($pool)
                        .await?;
                if let Some(found) = found.filter(|&v| v > known) {
                    return Err($crate::StoreError::NewerSchema {
                        location: $location.to_string(),
                        found,
                        known,
                    });
                }
            }
            $migrator
                .run($pool)
                .await
                .map_err(|source| $crate::StoreError::Migrate {
                    location: $location.to_string(),
                    source,
                })
        }
    };
}

/// The pool's `after_release` check: whether a connection handed back may serve the next
/// caller. A connection whose transaction did not end cleanly is closed instead (the
/// database rolls back whatever it still held open), and the pool opens a fresh one.
///
/// Why: when SQLite fails a write with `SQLITE_FULL` or `SQLITE_IOERR` it rolls the whole
/// transaction back by itself, so the `ROLLBACK` sqlx sends when the failed transaction is
/// dropped fails ("no transaction is active") and sqlx keeps counting the connection as one
/// transaction deep. Reused, that connection's next `begin` becomes a `SAVEPOINT` and its
/// next failed one a `ROLLBACK TO`, which leaves a real transaction open: every later
/// "commit" on it only releases a savepoint inside that transaction, so writes are reported
/// done that no restart will find, and its write lock makes every other connection fail with
/// "database is locked" until the process exits. Closing such a connection is the only reset
/// sqlx offers that is sure to end the transaction.
pub(crate) fn reusable<C: sqlx::Connection>(
    conn: &mut C,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> std::pin::Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        if !conn.is_in_transaction() {
            return Ok(true);
        }
        // A dropped transaction queues its rollback; a ping runs after it.
        conn.ping().await?;
        Ok(!conn.is_in_transaction())
    })
}

/// Maps a failed lap insert: a missing session is the caller's mistake, said plainly.
pub(crate) fn lap_error(error: sqlx::Error, lap: &Lap) -> StoreError {
    let missing_session = error
        .as_database_error()
        .is_some_and(|e| e.is_foreign_key_violation());
    if missing_session {
        StoreError::UnknownSession {
            lap: lap.id,
            session: lap.session,
        }
    } else {
        StoreError::Database(error)
    }
}

/// The theoretical best: the sum of the best sectors, when every slot has one.
pub(crate) fn sum_sectors(sectors: &[Option<BestSector>]) -> Option<u32> {
    if sectors.is_empty() {
        return None;
    }
    sectors
        .iter()
        .try_fold(0_u32, |sum, s| sum.checked_add(s.as_ref()?.time_ms))
}

/// How many writes a store (and its clones) made that changed something; see
/// [`Reads::changes`](crate::Reads::changes).
#[derive(Clone, Debug, Default)]
pub(crate) struct Changes(Arc<AtomicU64>);

impl Changes {
    /// The count so far.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Counts a committed write when it changed something; passes `changed` through.
    pub(crate) fn count(&self, changed: bool) -> bool {
        if changed {
            self.0.fetch_add(1, Ordering::AcqRel);
        }
        changed
    }
}

// Last: the backends expand the macros above, which are in scope only after their definitions.
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
