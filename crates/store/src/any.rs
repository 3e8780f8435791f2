//! Choosing the backend at run time: [`open`] reads the target's scheme, and [`AnyStore`]
//! forwards each call to the backend it holds (a `match`, no boxing: static dispatch).

use std::path::{Path, PathBuf};

use pitwall_core::model::{Checkpoint, Conditions, Lap, SessionId, SessionInfo};
use pitwall_core::stats::PbStep;

#[cfg(feature = "postgres")]
use crate::backend::postgres::PgStore;
#[cfg(feature = "sqlite")]
use crate::backend::sqlite::SqliteStore;
use crate::error::{Result, StoreError};
use crate::types::{
    ImportOutcome, LapFilter, OutboxStatus, PendingUpload, RecordLap, SectorBests, SessionWithLaps,
    StoredLap, TrackCar, Upload, UploadFailure,
};
use crate::{Checkpoints, Outbox, Reads, SessionWrites, Store, Tokens};

/// A store of either backend.
#[derive(Clone, Debug)]
pub enum AnyStore {
    /// A SQLite file.
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    #[cfg(feature = "postgres")]
    Postgres(PgStore),
}

/// What a store target names, once its scheme is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A `postgres://` or `postgresql://` URL, as given.
    Postgres(String),
    /// A SQLite file: from `sqlite://PATH`, `sqlite:PATH` or a bare path.
    Sqlite(PathBuf),
}

/// Reads a target's scheme: `postgres://…` and `postgresql://…` name PostgreSQL;
/// `sqlite://PATH`, `sqlite:PATH` and a path name a SQLite file. Anything else — another
/// scheme (`mysql://`, a typo such as `postgress://`) or words that are no path of a
/// database file — is refused rather than becoming a SQLite file named after it. A bare
/// path counts as one when it is absolute, starts with `.`, holds a separator, or ends in
/// `.db`, `.sqlite`, `.sqlite3` or `.db3`.
pub fn parse_target(target: &str) -> Result<Target> {
    if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        return Ok(Target::Postgres(target.to_owned()));
    }
    let unknown = || StoreError::UnknownScheme {
        target: redact_url(target),
    };
    if let Some(path) = target
        .strip_prefix("sqlite://")
        .or_else(|| target.strip_prefix("sqlite:"))
    {
        if path.is_empty() {
            return Err(unknown());
        }
        return Ok(Target::Sqlite(PathBuf::from(path)));
    }
    if has_scheme(target) {
        return Err(unknown());
    }
    let path = Path::new(target);
    let file_like = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["db", "sqlite", "sqlite3", "db3"].contains(&e.to_ascii_lowercase().as_str())
    });
    let path_like = path.is_absolute()
        || target.starts_with('.')
        || target.contains('/')
        || target.contains(std::path::MAIN_SEPARATOR);
    if target.trim().is_empty() || !(file_like || path_like) {
        return Err(unknown());
    }
    Ok(Target::Sqlite(path.to_path_buf()))
}

/// Whether `target` starts with a URL scheme (`word:`), two characters at least so that a
/// Windows drive (`C:\laps.db`) stays a path.
fn has_scheme(target: &str) -> bool {
    let Some((scheme, _)) = target.split_once(':') else {
        return false;
    };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Opens a store (see [`parse_target`] for what `target` may be): connects to PostgreSQL,
/// or opens the SQLite file, creating it (but never its directory) if needed. A target of a
/// backend this build left out is [`StoreError::BackendDisabled`].
pub async fn open(target: &str) -> Result<AnyStore> {
    match parse_target(target)? {
        #[cfg(feature = "postgres")]
        Target::Postgres(url) => Ok(AnyStore::Postgres(PgStore::connect(&url).await?)),
        #[cfg(feature = "sqlite")]
        Target::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                && !dir.is_dir()
            {
                return Err(StoreError::NoParentDir {
                    dir: dir.to_path_buf(),
                    path,
                });
            }
            Ok(AnyStore::Sqlite(SqliteStore::open(&path).await?))
        }
        #[allow(unreachable_patterns, reason = "reached when a backend is left out")]
        disabled => Err(disabled.disabled()),
    }
}

/// Opens a store that must already exist, for commands that only read (`status`,
/// `export`…): a SQLite file that is not there is [`StoreError::NoDatabase`], never created.
/// A target of a backend this build left out is [`StoreError::BackendDisabled`].
pub async fn open_existing(target: &str) -> Result<AnyStore> {
    match parse_target(target)? {
        #[cfg(feature = "postgres")]
        Target::Postgres(url) => Ok(AnyStore::Postgres(PgStore::connect_existing(&url).await?)),
        #[cfg(feature = "sqlite")]
        Target::Sqlite(path) => open_existing_sqlite(&path).await.map(AnyStore::Sqlite),
        #[allow(unreachable_patterns, reason = "reached when a backend is left out")]
        disabled => Err(disabled.disabled()),
    }
}

/// Opens the SQLite file at `path` if it exists, else [`StoreError::NoDatabase`].
#[cfg(feature = "sqlite")]
pub async fn open_existing_sqlite(path: &Path) -> Result<SqliteStore> {
    if !path.is_file() {
        return Err(StoreError::NoDatabase {
            location: path.display().to_string(),
        });
    }
    SqliteStore::open(path).await
}

impl Target {
    /// The error for a target whose backend this build left out.
    #[cfg_attr(
        all(feature = "sqlite", feature = "postgres"),
        allow(dead_code, reason = "used when a backend is left out")
    )]
    fn disabled(&self) -> StoreError {
        let (backend, hint) = match self {
            Target::Postgres(_) => (
                "postgres",
                "rebuild with pitwall-store's feature `postgres` (on by default)",
            ),
            Target::Sqlite(_) => (
                "sqlite",
                "rebuild with pitwall-store's feature `sqlite` (on by default)",
            ),
        };
        StoreError::BackendDisabled { backend, hint }
    }
}

/// A URL with its password replaced by `***`, fit for messages and logs.
pub fn redact_url(url: &str) -> String {
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

impl AnyStore {
    /// Where the data is, for messages: the SQLite file, or the PostgreSQL server and
    /// database without credentials.
    pub fn location(&self) -> String {
        match self {
            #[cfg(feature = "sqlite")]
            AnyStore::Sqlite(s) => s.path().display().to_string(),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.location().to_owned(),
        }
    }
}

/// Calls the same method on whichever backend `self` holds.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            #[cfg(feature = "sqlite")]
            AnyStore::Sqlite($s) => $call,
            #[cfg(feature = "postgres")]
            AnyStore::Postgres($s) => $call,
        }
    };
}

impl SessionWrites for AnyStore {
    async fn upsert_session(&self, info: &SessionInfo, upload: Upload) -> Result<bool> {
        each!(self, s => s.upsert_session(info, upload).await)
    }
    async fn end_session(&self, id: SessionId, at_ms: u64, upload: Upload) -> Result<bool> {
        each!(self, s => s.end_session(id, at_ms, upload).await)
    }
    async fn set_conditions(&self, id: SessionId, conditions: &Conditions) -> Result<bool> {
        each!(self, s => s.set_conditions(id, conditions).await)
    }
    async fn upsert_lap(&self, lap: &Lap, upload: Upload) -> Result<bool> {
        each!(self, s => s.upsert_lap(lap, upload).await)
    }
    async fn import_session(&self, session: &SessionWithLaps) -> Result<ImportOutcome> {
        each!(self, s => s.import_session(session).await)
    }
    async fn reopen_session(&self, id: SessionId, upload: Upload) -> Result<bool> {
        each!(self, s => s.reopen_session(id, upload).await)
    }
}

impl Reads for AnyStore {
    async fn recent_sessions(&self, limit: u32, offset: u32) -> Result<Vec<SessionWithLaps>> {
        each!(self, s => s.recent_sessions(limit, offset).await)
    }
    async fn session(&self, id: SessionId) -> Result<Option<SessionWithLaps>> {
        each!(self, s => s.session(id).await)
    }
    async fn sessions_after(
        &self,
        after: Option<SessionId>,
        limit: u32,
    ) -> Result<Vec<SessionWithLaps>> {
        each!(self, s => s.sessions_after(after, limit).await)
    }
    async fn laps(&self, filter: &LapFilter) -> Result<Vec<StoredLap>> {
        each!(self, s => s.laps(filter).await)
    }
    async fn personal_bests(&self, driver: Option<&str>) -> Result<Vec<RecordLap>> {
        each!(self, s => s.personal_bests(driver).await)
    }
    async fn best_sectors(
        &self,
        track: &str,
        car: &str,
        driver: Option<&str>,
    ) -> Result<SectorBests> {
        each!(self, s => s.best_sectors(track, car, driver).await)
    }
    async fn pb_progression(&self, track: &str, car: &str, driver: &str) -> Result<Vec<PbStep>> {
        each!(self, s => s.pb_progression(track, car, driver).await)
    }
    async fn tracks_and_cars(&self, driver: Option<&str>) -> Result<Vec<TrackCar>> {
        each!(self, s => s.tracks_and_cars(driver).await)
    }
    async fn leaderboard(&self, track: &str, car: &str, limit: u32) -> Result<Vec<RecordLap>> {
        each!(self, s => s.leaderboard(track, car, limit).await)
    }
    fn changes(&self) -> u64 {
        each!(self, s => s.changes())
    }
}

impl Tokens for AnyStore {
    async fn create_token(&self, driver: &str, hash: &[u8], at_ms: u64) -> Result<()> {
        each!(self, s => s.create_token(driver, hash, at_ms).await)
    }
    async fn driver_for_token(&self, hash: &[u8]) -> Result<Option<String>> {
        each!(self, s => s.driver_for_token(hash).await)
    }
    async fn revoke_token(&self, hash: &[u8], at_ms: u64) -> Result<bool> {
        each!(self, s => s.revoke_token(hash, at_ms).await)
    }
}

impl Outbox for AnyStore {
    async fn pending_uploads(&self, limit: u32) -> Result<Vec<PendingUpload>> {
        each!(self, s => s.pending_uploads(limit).await)
    }
    async fn finish_uploads(&self, items: &[PendingUpload], acknowledged: bool) -> Result<()> {
        each!(self, s => s.finish_uploads(items, acknowledged).await)
    }
    async fn fail_uploads(&self, items: &[PendingUpload], reason: &str, at_ms: u64) -> Result<()> {
        each!(self, s => s.fail_uploads(items, reason, at_ms).await)
    }
    async fn upload_failures(&self, limit: u32) -> Result<Vec<UploadFailure>> {
        each!(self, s => s.upload_failures(limit).await)
    }
    async fn outbox_status(&self) -> Result<OutboxStatus> {
        each!(self, s => s.outbox_status().await)
    }
}

impl Checkpoints for AnyStore {
    async fn save_checkpoint(&self, checkpoint: &Checkpoint) -> Result<()> {
        each!(self, s => s.save_checkpoint(checkpoint).await)
    }
    async fn drop_checkpoint(&self, session: SessionId) -> Result<()> {
        each!(self, s => s.drop_checkpoint(session).await)
    }
    async fn last_checkpoint(&self) -> Result<Option<Checkpoint>> {
        each!(self, s => s.last_checkpoint().await)
    }
}

impl Store for AnyStore {
    async fn close(&self) {
        each!(self, s => s.close().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_sqlite_and_paths_are_accepted() {
        let pg = "postgres://me@db/laps";
        assert_eq!(parse_target(pg).unwrap(), Target::Postgres(pg.into()));
        let pg = "postgresql://me@db/laps";
        assert_eq!(parse_target(pg).unwrap(), Target::Postgres(pg.into()));
        for (target, path) in [
            ("sqlite:/tmp/p.db", "/tmp/p.db"),
            ("sqlite:///tmp/p.db", "/tmp/p.db"),
            ("sqlite:laps", "laps"),
            ("/srv/laps/pitwall.db", "/srv/laps/pitwall.db"),
            ("./laps", "./laps"),
            ("data/laps", "data/laps"),
            ("pitwall.db", "pitwall.db"),
            ("laps.SQLite3", "laps.SQLite3"),
        ] {
            assert_eq!(
                parse_target(target).unwrap(),
                Target::Sqlite(PathBuf::from(path)),
                "{target}"
            );
        }
    }

    #[test]
    fn unknown_schemes_and_non_paths_are_refused_with_what_is_accepted() {
        for target in [
            "mysql://me@db/laps",
            "postgress://me@db/laps",
            "postgres:/me@db/laps",
            "not a url",
            "laps",
            "",
            "sqlite:",
            "https://laps.example.org",
        ] {
            let err = parse_target(target).unwrap_err();
            let text = err.to_string();
            assert!(
                matches!(err, StoreError::UnknownScheme { .. }),
                "{target}: {text}"
            );
            assert!(
                text.contains("postgres://") && text.contains("sqlite:") && text.contains("path"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_refused_url_does_not_show_its_password() {
        let text = parse_target("mysql://me:hunter2@db/laps")
            .unwrap_err()
            .to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("mysql://me:***@db/laps"), "{text}");
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://me:secret@db.example:5432/laps?sslmode=require"),
            "postgres://me:***@db.example:5432/laps?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://me@127.0.0.1/test"),
            "postgres://me@127.0.0.1/test"
        );
        assert_eq!(redact_url("sqlite:/tmp/p.db"), "sqlite:/tmp/p.db");
    }

    #[test]
    fn a_disabled_backend_is_named_with_how_to_build_it_in() {
        let err = Target::Postgres("postgres://me@db/laps".into()).disabled();
        assert!(
            matches!(
                err,
                StoreError::BackendDisabled {
                    backend: "postgres",
                    ..
                }
            ),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains("feature `postgres`"), "{text}");
        let err = Target::Sqlite(PathBuf::from("laps.db")).disabled();
        assert!(
            matches!(
                err,
                StoreError::BackendDisabled {
                    backend: "sqlite",
                    ..
                }
            ),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains("feature `sqlite`"), "{text}");
    }

    /// Run with `--no-default-features --features sqlite`.
    #[cfg(not(feature = "postgres"))]
    #[tokio::test]
    async fn a_postgres_url_without_the_postgres_feature_is_refused() {
        for opened in [
            open("postgres://me@127.0.0.1/laps").await,
            open_existing("postgresql://me:secret@127.0.0.1/laps").await,
        ] {
            let err = opened.unwrap_err();
            assert!(
                matches!(
                    err,
                    StoreError::BackendDisabled {
                        backend: "postgres",
                        ..
                    }
                ),
                "{err}"
            );
        }
    }

    /// Run with `--no-default-features --features postgres`.
    #[cfg(not(feature = "sqlite"))]
    #[tokio::test]
    async fn a_sqlite_path_without_the_sqlite_feature_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("laps.db");
        let target = path.display().to_string();
        for opened in [open(&target).await, open_existing(&target).await] {
            let err = opened.unwrap_err();
            assert!(
                matches!(
                    err,
                    StoreError::BackendDisabled {
                        backend: "sqlite",
                        ..
                    }
                ),
                "{err}"
            );
        }
        assert!(!path.exists(), "nothing is created");
    }
}
