//! The uploader removes laps from its outbox only on the server's word that it stored them:
//! a 2xx that is not ingest's outcome for all the laps sent (a proxy's or another site's
//! page at the configured address, an answer cut short) keeps them queued, and the next
//! round sends them again.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use pitwall_core::model::{Lap, SessionId, SessionInfo};
use pitwall_store::{Outbox as _, SessionWrites as _, Upload};
use pitwall_tracker::upload::UploadError;
use pitwall_tracker::{UploadOptions, Uploader};
use serde_json::Value;
use support::session;
use tokio::sync::Notify;

fn info() -> SessionInfo {
    session(SessionId(88), "spa", "bmw_m4_gt3", 1_000)
}

fn lap(n: u32) -> Lap {
    let started = u64::from(n) * 200_000;
    let sectors = [40_000, 50_000, 48_000 + n];
    support::lap(
        SessionId(88),
        2000 + u64::from(n),
        n,
        sectors,
        started,
        started + 138_000,
    )
}

/// What the stand-in server answers to each upload, in turn (the last one ever after).
type Answers = Arc<Mutex<Vec<(StatusCode, &'static str, String)>>>;

async fn serve(listener: tokio::net::TcpListener, answers: Answers) {
    let app = Router::new().route(
        "/api/ingest",
        post(move |body: axum::Json<Value>| {
            let answers = answers.clone();
            async move {
                let mut answers = answers.lock().unwrap();
                let (status, kind, text) = if answers.len() > 1 {
                    answers.remove(0)
                } else {
                    answers[0].clone()
                };
                let sent = body["laps"].as_array().map_or(0, Vec::len);
                let text = text.replace("SENT", &sent.to_string());
                (status, [("content-type", kind)], text)
            }
        }),
    );
    axum::serve(listener, app).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_ingest_outcome_for_every_lap_sent_empties_the_outbox() {
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
    let outcome = |received: &str| {
        format!(
            r#"{{"session_id": "0000000000000058", "session_new": true, "laps_received": {received}, "laps_new": 0}}"#
        )
    };
    let answers: Answers = Arc::new(Mutex::new(vec![
        // Another site at the configured address.
        (
            StatusCode::OK,
            "text/html",
            "<html><body>Welcome to nginx!</body></html>".into(),
        ),
        // JSON, but not ingest's outcome.
        (StatusCode::OK, "application/json", "{\"ok\": true}".into()),
        // An outcome for fewer laps than were sent.
        (StatusCode::OK, "application/json", outcome("1")),
        // The real thing.
        (StatusCode::OK, "application/json", outcome("SENT")),
    ]));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(serve(listener, answers.clone()));
    let uploader = Uploader::new(
        store.clone(),
        UploadOptions {
            url: format!("http://127.0.0.1:{port}"),
            token: "secret".into(),
            max_delay: Duration::from_millis(100),
        },
        Arc::new(Notify::new()),
    );
    for round in 0..3 {
        let error = uploader.drain().await.unwrap_err();
        assert!(
            matches!(error, UploadError::Unavailable { .. }),
            "round {round}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains("stay queued"), "round {round}: {message}");
        assert_eq!(
            store.outbox_status().await.unwrap().pending,
            4,
            "round {round}: a 200 that is not an ingest outcome removed laps from the outbox"
        );
    }
    uploader.drain().await.unwrap();
    assert_eq!(store.outbox_status().await.unwrap().pending, 0);
}
