//! The uploader against a stand-in ingest server: nothing listening at first, then a server
//! that fails once with 503 and then accepts. Every queued lap arrives, the outbox empties,
//! and no lap is acknowledged twice; laps queued later are sent as soon as they are queued.

use crate::support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use pitwall_core::model::{Lap, SessionId, SessionInfo};
use pitwall_store::{AnyStore, Outbox as _, SessionWrites as _, Upload};
use pitwall_tracker::upload::UploadError;
use pitwall_tracker::{UploadOptions, Uploader};
use serde_json::Value;
use support::session;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

#[derive(Default)]
struct Ingest {
    calls: usize,
    /// Lap id → how many accepted requests carried it.
    accepted: HashMap<String, usize>,
}

fn info() -> SessionInfo {
    session(SessionId(77), "monza", "ferrari_296_gt3", 1_000)
}

fn lap(n: u32) -> Lap {
    let started = u64::from(n) * 200_000;
    let sectors = [30_000, 35_000, 35_000 + n];
    support::lap(
        SessionId(77),
        1000 + u64::from(n),
        n,
        sectors,
        started,
        started + 100_000,
    )
}

async fn serve(listener: tokio::net::TcpListener, state: Arc<Mutex<Ingest>>) {
    let app = Router::new().route(
        "/api/ingest",
        post(move |headers: HeaderMap, body: axum::Json<Value>| {
            let state = state.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
                if auth != Some("Bearer secret") {
                    return (StatusCode::UNAUTHORIZED, axum::Json(Value::Null));
                }
                let mut s = state.lock().unwrap();
                s.calls += 1;
                if s.calls == 1 {
                    return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(Value::Null));
                }
                assert_eq!(body["session"]["track"], "monza");
                assert!(body["session"].get("laps").is_none());
                let laps = body["laps"].as_array().unwrap();
                for lap in laps {
                    let id = lap["id"].as_str().unwrap().to_owned();
                    *s.accepted.entry(id).or_default() += 1;
                }
                // What ingest answers once the upload is committed.
                let outcome = serde_json::json!({
                    "session_id": body["session"]["id"], "session_new": false,
                    "laps_received": laps.len(), "laps_new": laps.len()
                });
                (StatusCode::OK, axum::Json(outcome))
            }
        }),
    );
    axum::serve(listener, app).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_laps_arrive_once_after_outages() {
    let dir = tempfile::tempdir().unwrap();
    let store = pitwall_store::open(dir.path().join("db.sqlite").to_str().unwrap())
        .await
        .unwrap();
    store
        .upsert_session(&info(), Upload::Queue { at_ms: 1_000 })
        .await
        .unwrap();
    for n in 1..=3 {
        store
            .upsert_lap(&lap(n), Upload::Queue { at_ms: 5_000 })
            .await
            .unwrap();
    }
    // Nothing listens on the port yet.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let options = |token: &str| UploadOptions {
        url: format!("http://127.0.0.1:{port}/"),
        token: token.into(),
        max_delay: Duration::from_millis(200),
    };
    let wake = Arc::new(Notify::new());
    let down = Uploader::new(store.clone(), options("secret"), wake.clone());
    assert!(matches!(
        down.drain().await,
        Err(UploadError::Unavailable { .. })
    ));
    assert_eq!(store.outbox_status().await.unwrap().pending, 4);

    let state = Arc::new(Mutex::new(Ingest::default()));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::spawn(serve(listener, state.clone()));

    // A wrong token is refused and keeps everything queued.
    let refused = Uploader::new(store.clone(), options("wrong"), wake.clone());
    assert!(matches!(
        refused.drain().await,
        Err(UploadError::Refused { status: 401, .. })
    ));
    assert_eq!(store.outbox_status().await.unwrap().pending, 4);

    let cancel = CancellationToken::new();
    let running = tokio::spawn(
        Uploader::new(store.clone(), options("secret"), wake.clone()).run(cancel.clone()),
    );
    wait_for_empty_outbox(&store).await;
    // Queued later: sent when woken, not at the next retry.
    for n in 4..=5 {
        store
            .upsert_lap(&lap(n), Upload::Queue { at_ms: 6_000 })
            .await
            .unwrap();
    }
    wake.notify_one();
    wait_for_empty_outbox(&store).await;
    cancel.cancel();
    running.await.unwrap();

    let s = state.lock().unwrap();
    assert_eq!(s.accepted.len(), 5, "every lap arrived: {:?}", s.accepted);
    assert!(s.accepted.values().all(|&n| n == 1), "{:?}", s.accepted);
    assert!(s.calls >= 3, "the 503 was retried");
}

async fn wait_for_empty_outbox(store: &AnyStore) {
    for _ in 0..100 {
        if store.outbox_status().await.unwrap().pending == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the outbox did not empty");
}
