//! The uploader removes laps from its outbox only on the server's word that it stored them:
//! a 2xx that is not ingest's outcome for all the laps sent (a proxy's or another site's
//! page at the configured address, an answer cut short) keeps them queued, and the next
//! round sends them again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_server::upload::UploadError;
use pitwall_server::{UploadOptions, Uploader};
use pitwall_store::{Outbox as _, SessionWrites as _, Upload};
use serde_json::Value;
use tokio::sync::Notify;

fn info() -> SessionInfo {
    SessionInfo {
        id: SessionId(88),
        track: "spa".into(),
        car: "bmw_m4_gt3".into(),
        session_type: SessionType::Practice,
        driver: "Ann".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms: 1_000,
        sm_version: "1.9".into(),
        ac_version: "1.10".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

fn lap(n: u32) -> Lap {
    Lap {
        id: LapId(2000 + u64::from(n)),
        session: SessionId(88),
        number: n,
        time_ms: 138_000 + n,
        sectors: vec![Some(40_000), Some(50_000), Some(48_000 + n)],
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: u64::from(n) * 200_000,
        completed_at_ms: u64::from(n) * 200_000 + 138_000,
    }
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
