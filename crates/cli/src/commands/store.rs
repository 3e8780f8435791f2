//! Opening the store from the store flags, with errors that say which flag to check.
//! Commands that track or write (`run`, `serve`, `import`…) create the store; commands that
//! only read (`status`, `export`, `tui`…) open one that exists or say there is none.

use crate::cli::StoreArgs;
use pitwall_store::{AnyStore, DB_FILE_NAME, SqliteStore, StoreError, redact_url};

/// Whether a command may create the store it opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Open {
    /// Create it (and the default or given data directory) if needed.
    Create,
    /// It must exist: a mistyped --data-dir is an error, not a new empty database.
    Existing,
}

/// Opens the store `--database-url` names, else `pitwall.db` in `--data-dir` (or in the
/// user's data directory), creating and migrating it as needed.
pub(crate) async fn open_store(args: &StoreArgs) -> anyhow::Result<AnyStore> {
    open_store_as(args, Open::Create).await
}

/// Opens the store for a command that only reads: never creates one.
pub(crate) async fn open_existing_store(args: &StoreArgs) -> anyhow::Result<AnyStore> {
    open_store_as(args, Open::Existing).await
}

async fn open_store_as(args: &StoreArgs, mode: Open) -> anyhow::Result<AnyStore> {
    if let Some(url) = args.database_url()? {
        let url = url.expose();
        let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        let (what, hint) = if postgres {
            (
                "cannot connect to the database",
                "is the server running? check --database-url / PITWALL_DATABASE_URL",
            )
        } else {
            (
                "cannot open the database",
                "check --database-url / PITWALL_DATABASE_URL",
            )
        };
        let opened = match mode {
            Open::Create => pitwall_store::open(url).await,
            Open::Existing => pitwall_store::open_existing(url).await,
        };
        return opened.map_err(|e| explain(e, what, &redact_url(url), hint));
    }
    let dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => pitwall_store::default_data_dir()?,
    };
    let path = dir.join(DB_FILE_NAME);
    let opened = match mode {
        Open::Create => SqliteStore::open(&path).await,
        Open::Existing => pitwall_store::open_existing_sqlite(&path).await,
    };
    opened.map(AnyStore::Sqlite).map_err(|e| {
        let hint = "check --data-dir / PITWALL_DATA_DIR";
        explain(
            e,
            "cannot open the database",
            &path.display().to_string(),
            hint,
        )
    })
}

/// The error, with where and what to check, unless its own message already says what to do.
fn explain(e: StoreError, what: &str, location: &str, hint: &str) -> anyhow::Error {
    match e {
        StoreError::NewerSchema { .. }
        | StoreError::Migrate { .. }
        | StoreError::UnknownScheme { .. }
        | StoreError::NoParentDir { .. }
        | StoreError::NoDatabase { .. }
        | StoreError::Tls { .. } => e.into(),
        e => anyhow::anyhow!(
            "{what} at {location}: {} — {hint}",
            crate::report::chain(&anyhow::Error::from(e))
        ),
    }
}
