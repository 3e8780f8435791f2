//! `POST /api/ingest`: tokens bound to a driver, idempotent uploads, and strict validation
//! with JSON errors.

use axum::http::StatusCode;
use pitwall_core::model::SessionId;
use pitwall_store::{LapFilter, Reads as _, SessionWithLaps, Tokens as _};
use serde_json::{Value, json};

use crate::fixtures;
use crate::harness::{Backend, TestApp};

/// Ann's practice (four laps) as an upload.
fn practice() -> Value {
    fixtures::upload(&fixtures::sessions()[0])
}

pub(crate) async fn ingest_needs_a_valid_token(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
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
    let app = TestApp::unlimited(backend).await;
    let bob = app.token("Bob").await;
    let answer = app.ingest(Some(&bob), practice().to_string()).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_code(), "forbidden");

    // Ann's session is stored; Bob claims its id as his own: he gets a session of his own,
    // under an id derived from his name, and Ann's is untouched.
    let ann = app.token("Ann").await;
    assert_eq!(
        app.ingest(Some(&ann), practice().to_string()).await.status,
        StatusCode::OK
    );
    let mut forged = practice();
    forged["session"]["driver"] = json!("Bob");
    let answer = app.ingest(Some(&bob), forged.to_string()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json());
    let bobs = SessionId(0xa1).of_driver("Bob");
    assert_eq!(answer.json()["session_id"], bobs.to_string());
    let ann_stored = app
        .store
        .session(SessionId(0xa1).of_driver("Ann"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann_stored, practice_stored(), "Ann's session untouched");
    let bob_stored = app.store.session(bobs).await.unwrap().unwrap();
    assert_eq!(bob_stored.info.driver, "Bob");
}

/// Ann's practice as the server stores it for Ann: under ids derived from her name.
fn practice_stored() -> SessionWithLaps {
    let mut s = fixtures::sessions()[0].clone();
    let sent = s.info.id;
    s.info.id = sent.of_driver("Ann");
    for lap in &mut s.laps {
        lap.session = s.info.id;
        lap.id = lap.id.of_driver("Ann", sent);
    }
    s
}

pub(crate) async fn duplicate_upload_is_stored_once(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    let token = app.token("Ann").await;
    let first = app.ingest(Some(&token), practice().to_string()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json());
    let id = practice_stored().info.id.to_string();
    assert_eq!(
        first.json(),
        json!({"session_id": id, "session_new": true, "laps_received": 4, "laps_new": 4})
    );
    let again = app.ingest(Some(&token), practice().to_string()).await;
    assert_eq!(
        again.json(),
        json!({"session_id": id, "session_new": false, "laps_received": 4, "laps_new": 0})
    );
    assert_eq!(
        app.store.laps(&LapFilter::default()).await.unwrap().len(),
        4
    );
    let stored = app
        .store
        .session(practice_stored().info.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored,
        practice_stored(),
        "stored exactly as uploaded, under the derived ids"
    );
}

pub(crate) async fn invalid_uploads_are_refused_with_json_errors(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
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
    let app = TestApp::unlimited(backend).await;
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

/// The attack of issue 11: Ann uploads, into her own session, laps under the ids Bob's
/// next laps will have (lap ids follow from the session id, which `/api/sessions` lists).
/// Before the fix Bob's upload then answered 200 with `laps_new: 0` and his laps were
/// never stored; now the server derives stored ids from the token's driver, so Ann's
/// upload cannot touch Bob's ids and Bob's laps are all stored.
pub(crate) async fn a_driver_cannot_erase_another_drivers_laps(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    let (ann, bob) = (app.token("Ann").await, app.token("Bob").await);
    let bobs = fixtures::sessions()[1].clone();
    // Ann's practice, cut to as many laps as Bob's, given the ids of Bob's laps.
    let mut forged = practice();
    let laps = forged["laps"].as_array_mut().unwrap();
    laps.truncate(bobs.laps.len());
    for (lap, theirs) in laps.iter_mut().zip(&bobs.laps) {
        lap["id"] = json!(theirs.id.to_string());
    }
    let answer = app.ingest(Some(&ann), forged.to_string()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json());
    assert_eq!(answer.json()["laps_new"], 2);

    let answer = app
        .ingest(Some(&bob), fixtures::upload(&bobs).to_string())
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json());
    assert_eq!(
        answer.json()["laps_new"],
        2,
        "Bob's laps are new: {}",
        answer.json()
    );
    let of_bob = LapFilter {
        driver: Some("Bob".into()),
        ..LapFilter::default()
    };
    let bob_laps = app.store.laps(&of_bob).await.unwrap();
    assert_eq!(bob_laps.len(), 2);

    // Nor can Ann reuse the stored ids the API shows: uploaded as hers, they are derived
    // again, into ids of her own.
    let mut again = practice();
    again["session"]["session_index"] = json!(7);
    again["session"]["id"] = json!(bob_laps[0].lap.session.to_string());
    again["laps"]
        .as_array_mut()
        .unwrap()
        .truncate(bob_laps.len());
    for (lap, theirs) in again["laps"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(&bob_laps)
    {
        lap["id"] = json!(theirs.lap.id.to_string());
        lap["session_id"] = json!(theirs.lap.session.to_string());
    }
    let answer = app.ingest(Some(&ann), again.to_string()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json());
    assert_eq!(
        app.store.laps(&of_bob).await.unwrap(),
        bob_laps,
        "Bob's laps untouched"
    );
}

/// A lap number the session already holds under another lap is a 409 naming the conflict;
/// the same lap again is still a 200 with nothing new.
pub(crate) async fn a_lap_number_taken_is_a_conflict(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    let token = app.token("Ann").await;
    assert_eq!(
        app.ingest(Some(&token), practice().to_string())
            .await
            .status,
        StatusCode::OK
    );
    let mut other = practice();
    other["laps"] = json!([other["laps"][1].clone()]);
    other["laps"][0]["id"] = json!("00000000000000ff");
    let answer = app.ingest(Some(&token), other.to_string()).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.json());
    assert_eq!(answer.error_code(), "conflict");
    let message = answer.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("already has a lap 2"), "{message}");
    assert_eq!(
        app.store.laps(&LapFilter::default()).await.unwrap().len(),
        4,
        "nothing stored"
    );
    let again = app.ingest(Some(&token), practice().to_string()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["laps_new"], 0);
}

/// Each validation rule, through ingest: a 400 saying what is wrong, nothing stored. NUL
/// bytes are refused before the store sees them (PostgreSQL refuses NUL in text with an
/// error of its own, which was a 500).
pub(crate) async fn validation_rules_hold_for_ingest(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    let token = app.token("Ann").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "1 ms lap",
            with(|u| {
                u["laps"][1]["time_ms"] = json!(1);
                u["laps"][1]["sectors"] = json!([null, null, 1]);
            }),
            "too short",
        ),
        (
            "1 ms sector",
            with(|u| u["laps"][1]["sectors"] = json!([null, null, 1])),
            "sector of 1 ms",
        ),
        (
            "session at i64 max",
            with(|u| u["session"]["started_at_ms"] = json!(i64::MAX)),
            "in the future",
        ),
        (
            "session at 2^63 or more",
            with(|u| u["session"]["started_at_ms"] = json!(u64::MAX)),
            "in the future",
        ),
        (
            "lap at 2^63",
            with(|u| u["laps"][0]["completed_at_ms"] = json!(1_u64 << 63)),
            "in the future",
        ),
        (
            "two laps share a number",
            with(|u| u["laps"][1]["number"] = json!(1)),
            "given twice",
        ),
        (
            "long version",
            with(|u| u["session"]["ac_version"] = json!("1".repeat(5_000))),
            "ac_version",
        ),
        (
            "long sm_version",
            with(|u| u["session"]["sm_version"] = json!("1".repeat(33))),
            "sm_version",
        ),
        (
            "long track",
            with(|u| u["session"]["track"] = json!("m".repeat(201))),
            "track",
        ),
        (
            "NUL in track",
            with(|u| u["session"]["track"] = json!("mon\u{0}za")),
            "NUL",
        ),
        (
            "NUL in car",
            with(|u| u["session"]["car"] = json!("\u{0}")),
            "NUL",
        ),
        (
            "NUL in version",
            with(|u| u["session"]["sm_version"] = json!("1.9\u{0}")),
            "NUL",
        ),
    ];
    for (what, body, needle) in cases {
        let answer = app.ingest(Some(&token), body.to_string()).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            answer.json()
        );
        assert_eq!(answer.error_code(), "invalid_data", "{what}");
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(needle), "{what}: {message}");
    }
    // A NUL in the driver's name is refused as data, before the token's driver is compared.
    let mut body = practice();
    body["session"]["driver"] = json!("Ann\u{0}x");
    let answer = app.ingest(Some(&token), body.to_string()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.json());
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("NUL")
    );

    // Duplicate keys at every level: inside the session, inside a lap, at the top.
    let text = practice().to_string();
    let session_dup = text.replacen(r#""track":"monza""#, r#""track":"monza","track":"spa""#, 1);
    let lap_dup = text.replacen(r#""number":1,"#, r#""number":1,"number":1,"#, 1);
    let top_dup = format!(r#"{},"ended_at_ms":null}}"#, &text[..text.len() - 1]);
    for (what, body) in [("session", session_dup), ("lap", lap_dup), ("top", top_dup)] {
        assert_ne!(body, text, "{what}: the duplicate was inserted");
        let answer = app.ingest(Some(&token), body).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            answer.json()
        );
        assert_eq!(answer.error_code(), "invalid_json", "{what}");
        let message = answer.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains("duplicate"), "{what}: {message}");
    }
    assert!(
        app.store.recent_sessions(10, 0).await.unwrap().is_empty(),
        "nothing stored"
    );
}
