//! `POST /api/ingest`: tokens bound to a driver, idempotent uploads, and strict validation
//! with JSON errors.

use axum::http::StatusCode;
use pitwall_store::{LapFilter, Store};
use serde_json::{Value, json};

use crate::fixtures;
use crate::harness::{Backend, TestApp};

/// Ann's practice (four laps) as an upload.
fn practice() -> Value {
    fixtures::upload(&fixtures::sessions()[0])
}

pub(crate) async fn ingest_needs_a_valid_token(backend: Backend) {
    let Some(app) = TestApp::unlimited(backend).await else {
        return;
    };
    let body = practice().to_string();
    let none = app.ingest(None, body.clone()).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.error_code(), "unauthorized");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));

    let malformed = app.ingest(Some("letmein"), body.clone()).await;
    assert_eq!(malformed.status, StatusCode::UNAUTHORIZED);
    let unknown = pitwall_server::token::generate().unwrap();
    let answer = app.ingest(Some(&unknown), body.clone()).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);

    let token = app.token("Ann").await;
    assert!(
        app.store
            .revoke_token(&pitwall_server::token::hash(&token), 2)
            .await
            .unwrap()
    );
    let revoked = app.ingest(Some(&token), body).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert!(app.store.recent_sessions(10, 0).await.unwrap().is_empty());
}

pub(crate) async fn ingest_refuses_another_drivers_session(backend: Backend) {
    let Some(app) = TestApp::unlimited(backend).await else {
        return;
    };
    let bob = app.token("Bob").await;
    let answer = app.ingest(Some(&bob), practice().to_string()).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_code(), "forbidden");

    // Ann's session is stored; Bob claims its id as his own.
    let ann = app.token("Ann").await;
    assert_eq!(
        app.ingest(Some(&ann), practice().to_string()).await.status,
        StatusCode::OK
    );
    let mut forged = practice();
    forged["session"]["driver"] = json!("Bob");
    forged["laps"] = json!([]);
    let answer = app.ingest(Some(&bob), forged.to_string()).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let stored = app.store.recent_sessions(10, 0).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].info.driver, "Ann");
}

pub(crate) async fn duplicate_upload_is_stored_once(backend: Backend) {
    let Some(app) = TestApp::unlimited(backend).await else {
        return;
    };
    let token = app.token("Ann").await;
    let first = app.ingest(Some(&token), practice().to_string()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json());
    assert_eq!(
        first.json(),
        json!({"session_id": "00000000000000a1", "session_new": true, "laps_received": 4, "laps_new": 4})
    );
    let again = app.ingest(Some(&token), practice().to_string()).await;
    assert_eq!(
        again.json(),
        json!({"session_id": "00000000000000a1", "session_new": false, "laps_received": 4, "laps_new": 0})
    );
    assert_eq!(
        app.store.laps(&LapFilter::default()).await.unwrap().len(),
        4
    );
    let stored = app
        .store
        .session(fixtures::sessions()[0].info.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored,
        fixtures::sessions()[0],
        "stored exactly as uploaded"
    );
}

pub(crate) async fn invalid_uploads_are_refused_with_json_errors(backend: Backend) {
    let Some(app) = TestApp::unlimited(backend).await else {
        return;
    };
    let token = app.token("Ann").await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "negative time",
            with(|u| u["laps"][1]["time_ms"] = json!(-5)),
            "invalid_json",
            "time_ms",
        ),
        (
            "sectors not adding up",
            with(|u| u["laps"][1]["sectors"] = json!([30_000, 30_000, 30_000])),
            "invalid_data",
            "add up to 90000 ms",
        ),
        (
            "more sectors than the session",
            with(|u| u["laps"][1]["sectors"] = json!([1, 2, 3, 4])),
            "invalid_data",
            "4 sectors",
        ),
        (
            "zero time",
            with(|u| u["laps"][1]["time_ms"] = json!(0)),
            "invalid_data",
            "partial",
        ),
        (
            "over an hour",
            with(|u| u["laps"][1]["time_ms"] = json!(3_600_001)),
            "invalid_data",
            "over an hour",
        ),
        (
            "unknown lap field",
            with(|u| u["laps"][0]["fuel"] = json!(12)),
            "invalid_json",
            "unknown field `fuel`",
        ),
        (
            "unknown session field",
            with(|u| u["session"]["weather"] = json!("dry")),
            "invalid_json",
            "unknown field `weather`",
        ),
        (
            "unknown top field",
            with(|u| u["extra"] = json!(1)),
            "invalid_json",
            "unknown field `extra`",
        ),
        (
            "missing session field",
            with(|u| {
                u["session"].as_object_mut().unwrap().remove("car");
            }),
            "invalid_json",
            "missing field `car`",
        ),
        (
            "bad id",
            with(|u| u["session"]["id"] = json!("a1")),
            "invalid_data",
            "16 hexadecimal",
        ),
        (
            "lap of another session",
            with(|u| u["laps"][0]["session_id"] = json!("00000000000000b1")),
            "invalid_data",
            "listed under",
        ),
        (
            "label mismatch",
            with(|u| u["session"]["session_type_label"] = json!("RACE")),
            "invalid_data",
            "PRACTICE",
        ),
        (
            "end before start",
            with(|u| u["ended_at_ms"] = json!(5)),
            "invalid_data",
            "ended_at_ms",
        ),
        (
            "laps inside the session",
            with(|u| u["session"]["laps"] = json!([])),
            "invalid_json",
            "beside",
        ),
    ];
    for (what, body, code, needle) in cases {
        let answer = app.ingest(Some(&token), body.to_string()).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            answer.json()
        );
        assert_eq!(answer.error_code(), code, "{what}");
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(needle), "{what}: {message}");
        assert!(answer.json()["error"]["request_id"].is_string(), "{what}");
    }
    let syntax = app.ingest(Some(&token), "{\"session\": ").await;
    assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
    assert_eq!(syntax.error_code(), "invalid_json");

    let text = app
        .send(
            axum::http::Request::post("/api/ingest")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from(practice().to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        app.store.recent_sessions(10, 0).await.unwrap().is_empty(),
        "nothing stored"
    );
}

pub(crate) async fn oversized_body_is_refused(backend: Backend) {
    let Some(app) = TestApp::unlimited(backend).await else {
        return;
    };
    let token = app.token("Ann").await;
    let mut big = practice();
    big["session"]["ac_version"] = json!("x".repeat(2 << 20));
    let answer = app.ingest(Some(&token), big.to_string()).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_code(), "payload_too_large");
    assert!(app.store.recent_sessions(10, 0).await.unwrap().is_empty());
}

/// Ann's practice upload, changed by `change`.
fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut upload = practice();
    change(&mut upload);
    upload
}
