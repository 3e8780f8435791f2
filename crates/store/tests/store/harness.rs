//! Fresh stores for each test: a SQLite file in a temporary directory (removed on drop), or
//! a PostgreSQL schema of its own (dropped by `cleanup`, or on drop if a test panicked).

use pitwall_store::{PgOptions, PgStore, SqliteStore, Store as _};

/// A SQLite store and the directory that holds it.
pub(crate) struct SqliteHarness {
    pub(crate) store: SqliteStore,
    pub(crate) _dir: tempfile::TempDir,
}

/// A fresh SQLite store.
pub(crate) async fn sqlite() -> SqliteHarness {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("pitwall.db"))
        .await
        .unwrap();
    SqliteHarness { store, _dir: dir }
}

/// A PostgreSQL store in a schema of its own, dropped afterwards.
pub(crate) struct PgHarness {
    pub(crate) store: PgStore,
    pub(crate) url: String,
    pub(crate) schema: String,
    dropped: bool,
}

/// A unique schema name: process id, a counter and the time, so parallel tests and runs
/// never collide.
pub(crate) fn schema_name() -> String {
    pitwall_test_support::unique_name("pitwall_test")
}

/// Runs one statement on its own connection.
pub(crate) use pitwall_test_support::pg::execute;

/// A fresh PostgreSQL store on the server of `PITWALL_TEST_POSTGRES_URL` (panics, saying
/// what to set, when it is unset).
pub(crate) async fn postgres() -> PgHarness {
    let url = pitwall_test_support::postgres_url();
    let schema = schema_name();
    execute(&url, &format!("CREATE SCHEMA {schema}")).await;
    match PgStore::connect_with(&url, &pg_options(&schema)).await {
        Ok(store) => PgHarness {
            store,
            url,
            schema,
            dropped: false,
        },
        Err(e) => {
            execute(&url, &format!("DROP SCHEMA {schema} CASCADE")).await;
            panic!("cannot open the PostgreSQL store: {e}");
        }
    }
}

/// Options that put a store in `schema`.
pub(crate) fn pg_options(schema: &str) -> PgOptions {
    PgOptions {
        schema: Some(schema.to_string()),
        max_connections: 4,
        ..PgOptions::default()
    }
}

impl PgHarness {
    /// Closes the store and drops its schema.
    pub(crate) async fn cleanup(mut self) {
        self.store.close().await;
        execute(&self.url, &format!("DROP SCHEMA {} CASCADE", self.schema)).await;
        self.dropped = true;
    }
}

impl Drop for PgHarness {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // A test failed before cleanup: drop the schema from a runtime of its own, since
        // this runs inside the test's runtime.
        if !pitwall_test_support::pg::drop_schema_blocking(&self.url, &self.schema) {
            eprintln!("could not drop schema {}", self.schema);
        }
    }
}
