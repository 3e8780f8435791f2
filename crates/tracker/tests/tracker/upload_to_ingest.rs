//! The uploader of `pitwall run --upload` against the real `POST /api/ingest` of another
//! pitwall: every queued session and lap arrives once, with the token's driver, and is
//! visible at once in the receiving server's `/api/sessions`; a token of another driver is
//! refused and nothing is stored.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use pitwall_core::model::{Lap, SessionId, SessionInfo};
use pitwall_live::LiveHub;
use pitwall_server::{AppState, ServerConfig};
use pitwall_store::{
    AnyStore, LapFilter, Outbox as _, Reads as _, SessionWrites as _, Tokens as _, Upload,
};
use pitwall_tracker::upload::UploadError;
use pitwall_tracker::{UploadOptions, Uploader};
use support::{session, sqlite};
use tokio::sync::Notify;

fn info() -> SessionInfo {
    session(
        SessionId(0x77),
        "monza",
        "ferrari_296_gt3",
        1_717_149_600_000,
    )
}

fn lap(n: u32) -> Lap {
    let completed = 1_717_149_600_000 + u64::from(n) * 110_000;
    let sectors = [30_000, 35_000, 35_000 + n];
    let started = completed - u64::from(100_000 + n);
    support::lap(
        SessionId(0x77),
        0x7700 + u64::from(n),
        n,
        sectors,
        started,
        completed,
    )
}

/// The id the server stores Ann's session `id` under.
fn as_stored(id: SessionId) -> SessionId {
    id.of_driver("Ann")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_laps_arrive_once_through_the_real_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let local = sqlite(&dir, "local.db").await;
    let hosted = sqlite(&dir, "hosted.db").await;
    let token = pitwall_server::token::generate().unwrap();
    hosted
        .create_token("Ann", &pitwall_server::token::hash(&token), 1)
        .await
        .unwrap();
    let bob = pitwall_server::token::generate().unwrap();
    hosted
        .create_token("Bob", &pitwall_server::token::hash(&bob), 1)
        .await
        .unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(hosted.clone(), LiveHub::new(), ServerConfig::default());
    let stop = state.shutdown.clone();
    let server = tokio::spawn(pitwall_server::serve(
        listener,
        pitwall_server::router(state),
        stop.clone(),
    ));

    local
        .upsert_session(&info(), Upload::Queue { at_ms: 1 })
        .await
        .unwrap();
    for n in 1..=3 {
        local
            .upsert_lap(&lap(n), Upload::Queue { at_ms: 2 })
            .await
            .unwrap();
    }
    let uploader = |token: &str| {
        Uploader::new(
            local.clone(),
            UploadOptions {
                url: url.clone(),
                token: token.to_owned(),
                max_delay: Duration::from_secs(1),
            },
            Arc::new(Notify::new()),
        )
    };

    let refused = uploader(&bob).drain().await.unwrap_err();
    assert!(
        matches!(refused, UploadError::Refused { status: 403, .. }),
        "{refused:?}"
    );
    assert!(hosted.recent_sessions(10, 0).await.unwrap().is_empty());

    uploader(&token).drain().await.unwrap();
    assert_eq!(local.outbox_status().await.unwrap().pending, 0);
    // Stored under the ids the server derives from the token's driver.
    let stored = hosted
        .session(as_stored(SessionId(0x77)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.info,
        SessionInfo {
            id: as_stored(SessionId(0x77)),
            ..info()
        }
    );
    let want: Vec<Lap> = (1..=3)
        .map(|n| Lap {
            id: lap(n).id.of_driver("Ann", SessionId(0x77)),
            session: as_stored(SessionId(0x77)),
            ..lap(n)
        })
        .collect();
    assert_eq!(stored.laps, want);

    // A lap queued later arrives too, and a resend changes nothing.
    local
        .upsert_lap(&lap(4), Upload::Queue { at_ms: 3 })
        .await
        .unwrap();
    uploader(&token).drain().await.unwrap();
    uploader(&token).drain().await.unwrap();
    assert_eq!(hosted.laps(&LapFilter::default()).await.unwrap().len(), 4);

    let sessions: serde_json::Value = reqwest::get(format!("{url}/api/sessions"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sessions["sessions"][0]["laps"].as_array().unwrap().len(), 4);

    stop.cancel();
    server.await.unwrap().unwrap();
}

/// A refusal names both drivers (in the error and kept with the outbox items); an end and a
/// re-opening (a tracker carrying the session on after a restart) reach the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_say_why_and_a_reopened_session_reopens_upstream() {
    let dir = tempfile::tempdir().unwrap();
    let local = sqlite(&dir, "local.db").await;
    let hosted = sqlite(&dir, "hosted.db").await;
    let mut tokens = Vec::new();
    for driver in ["Ann", "Bob"] {
        let token = pitwall_server::token::generate().unwrap();
        let hash = pitwall_server::token::hash(&token);
        hosted.create_token(driver, &hash, 1).await.unwrap();
        tokens.push(token);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(hosted.clone(), LiveHub::new(), ServerConfig::default());
    let stop = state.shutdown.clone();
    let server = tokio::spawn(pitwall_server::serve(
        listener,
        pitwall_server::router(state),
        stop.clone(),
    ));
    let uploader = |token: &str| {
        Uploader::new(
            local.clone(),
            UploadOptions {
                url: url.clone(),
                token: token.to_owned(),
                max_delay: Duration::from_secs(1),
            },
            Arc::new(Notify::new()),
        )
    };
    local
        .upsert_session(&info(), Upload::Queue { at_ms: 1 })
        .await
        .unwrap();
    local
        .upsert_lap(&lap(1), Upload::Queue { at_ms: 2 })
        .await
        .unwrap();

    let refused = uploader(&tokens[1]).drain().await.unwrap_err().to_string();
    assert!(
        refused.contains("403") && refused.contains("\"Bob\"") && refused.contains("\"Ann\""),
        "{refused}"
    );
    let failures = local.upload_failures(10).await.unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(
        (failures[0].session, failures[0].items),
        (SessionId(0x77), 2)
    );
    let why = &failures[0].reason;
    assert!(
        why.contains("403") && why.contains("\"Bob\"") && why.contains("\"Ann\""),
        "{why}"
    );

    uploader(&tokens[0]).drain().await.unwrap();
    assert!(local.upload_failures(10).await.unwrap().is_empty());
    // The server stores the session under the id it derives from the token's driver.
    let ended = |hosted: AnyStore| async move {
        hosted
            .session(SessionId(0x77).of_driver("Ann"))
            .await
            .unwrap()
            .unwrap()
            .ended_at_ms
    };
    assert_eq!(ended(hosted.clone()).await, None);
    let end = info().started_at_ms + 900_000;
    local
        .end_session(SessionId(0x77), end, Upload::Queue { at_ms: end })
        .await
        .unwrap();
    uploader(&tokens[0]).drain().await.unwrap();
    assert_eq!(ended(hosted.clone()).await, Some(end));
    assert!(
        local
            .reopen_session(SessionId(0x77), Upload::Queue { at_ms: end })
            .await
            .unwrap()
    );
    uploader(&tokens[0]).drain().await.unwrap();
    assert_eq!(ended(hosted.clone()).await, None, "re-opened upstream too");

    stop.cancel();
    server.await.unwrap().unwrap();
}
