//! The SQLite file itself: created on first open with its directory, owner-only, in WAL mode,
//! chosen by `open` from a path or a `sqlite:` URL, and durable across reopening.

use pitwall_store::{AnyStore, Reads as _, SessionWrites as _, SqliteStore, Store as _, Upload};

use crate::fixtures::{lap, session};

#[tokio::test]
async fn file_is_created_private_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("new").join("data");
    let store = SqliteStore::open_in_dir(Some(&data_dir)).await.unwrap();
    let path = data_dir.join(pitwall_store::DB_FILE_NAME);
    assert_eq!(store.path(), path);
    let info = session(1, "monza", "x", "Ann", 0);
    store.upsert_session(&info, Upload::Skip).await.unwrap();
    store
        .upsert_lap(&lap(&info, 2, 1, 1_000, 2_000), Upload::Skip)
        .await
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&data_dir), 0o700);
        let wal = data_dir.join("pitwall.db-wal");
        assert!(
            wal.exists(),
            "WAL mode keeps a -wal file beside the database"
        );
        assert_eq!(mode(&wal), 0o600);
    }
    store.close().await;
}

#[tokio::test]
async fn open_picks_sqlite_for_paths_and_urls_and_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let path = path.to_str().unwrap();
    let info = session(9, "spa", "x", "Bo", 0);
    for target in [
        path.to_string(),
        format!("sqlite://{path}"),
        format!("sqlite:{path}"),
    ] {
        let store = pitwall_store::open(&target).await.unwrap();
        assert!(matches!(store, AnyStore::Sqlite(_)));
        store.upsert_session(&info, Upload::Skip).await.unwrap();
        store
            .upsert_lap(&lap(&info, 3, 1, 1_000, 2_000), Upload::Skip)
            .await
            .unwrap();
        store.close().await;
    }
    let store = pitwall_store::open(path).await.unwrap();
    let sessions = store.recent_sessions(10, 0).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].laps.len(), 1);
}

#[tokio::test]
async fn an_unreachable_postgres_url_is_an_error() {
    let options = pitwall_store::PgOptions {
        acquire_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let err = pitwall_store::PgStore::connect_with("postgres://nobody@127.0.0.1:1/none", &options)
        .await
        .unwrap_err();
    assert!(
        matches!(err, pitwall_store::StoreError::Database(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn open_creates_no_directory_and_open_existing_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nonexistent").join("dir");
    let target = format!("sqlite:{}", missing.join("x.db").display());
    let err = pitwall_store::open(&target).await.unwrap_err();
    assert!(
        matches!(err, pitwall_store::StoreError::NoParentDir { .. }),
        "{err:?}"
    );
    assert!(!dir.path().join("nonexistent").exists());

    let path = dir.path().join("none.db");
    let err = pitwall_store::open_existing(path.to_str().unwrap())
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("no database at"), "{err}");
    assert!(!path.exists());

    for target in ["mysql://me@db/laps", "postgress://me@db/laps", "not a url"] {
        let err = pitwall_store::open(target).await.unwrap_err();
        assert!(
            matches!(err, pitwall_store::StoreError::UnknownScheme { .. }),
            "{target}: {err:?}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
