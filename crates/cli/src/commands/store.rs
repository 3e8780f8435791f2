//! Opening the store from the store flags, with errors that say which flag to check.

use crate::cli::StoreArgs;
use pitwall_store::{AnyStore, DB_FILE_NAME, SqliteStore, StoreError};

/// Opens the store `--database-url` names, else `pitwall.db` in `--data-dir` (or in the
/// user's data directory), creating and migrating it as needed.
pub(crate) async fn open_store(args: &StoreArgs) -> anyhow::Result<AnyStore> {
    if let Some(url) = &args.database_url {
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
        return pitwall_store::open(url)
            .await
            .map_err(|e| explain(e, what, &redact(url), hint));
    }
    let dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => pitwall_store::default_data_dir()?,
    };
    let path = dir.join(DB_FILE_NAME);
    SqliteStore::open(&path)
        .await
        .map(AnyStore::Sqlite)
        .map_err(|e| {
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
        StoreError::NewerSchema { .. } | StoreError::Migrate { .. } => e.into(),
        e => anyhow::anyhow!(
            "{what} at {location}: {:#} — {hint}",
            anyhow::Error::from(e)
        ),
    }
}

/// A URL with its password replaced by `***`, fit for messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact("postgres://me:secret@db.example:5432/laps?sslmode=require"),
            "postgres://me:***@db.example:5432/laps?sslmode=require"
        );
        assert_eq!(
            redact("postgres://me@127.0.0.1/test"),
            "postgres://me@127.0.0.1/test"
        );
        assert_eq!(redact("sqlite:/tmp/p.db"), "sqlite:/tmp/p.db");
    }
}
