//! `GET /api/sessions` keeps the original tracker's shape, pages within bounds, and shows a
//! new lap on the very next request despite its cache.

use axum::http::StatusCode;
use pitwall_acc::enums::SessionType;
use pitwall_store::{SessionWithLaps, SessionWrites as _, Upload};

use crate::fixtures::{self, T0};
use crate::harness::{Backend, TestApp};

pub(crate) async fn sessions_keep_the_original_shape(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    fixtures::seed(&app.store).await;
    let answer = app.get("/api/sessions").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    insta::assert_json_snapshot!("original_shape", answer.json());
}

pub(crate) async fn limit_and_offset_are_honoured_and_bounded(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    // 120 sessions, one a minute.
    for i in 0..120_u64 {
        let info = fixtures::session(
            1000 + i,
            "Ann",
            "monza",
            SessionType::Practice,
            T0 + i * 60_000,
        );
        let session = SessionWithLaps {
            info,
            ended_at_ms: None,
            laps: vec![],
        };
        app.store.import_session(&session).await.unwrap();
    }
    let ids = |v: serde_json::Value| -> Vec<u64> {
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["startTime"].as_u64().unwrap())
            .collect()
    };
    let start = |i: u64| (T0 + i * 60_000) / 1000;

    let default = app.get_json("/api/sessions").await;
    assert_eq!(default["total"], 20);
    assert_eq!(ids(default)[0], start(119), "newest first");

    let page = app.get_json("/api/sessions?limit=3&offset=2").await;
    assert_eq!(page["total"], 3);
    assert_eq!(ids(page), [start(117), start(116), start(115)]);

    let most = app.get_json("/api/sessions?limit=1000").await;
    assert_eq!(most["total"], 100, "limit is bounded to 100");

    let past = app.get_json("/api/sessions?offset=4000000000").await;
    assert_eq!(past["total"], 0);

    let none = app.get_json("/api/sessions?limit=0").await;
    assert_eq!(none["total"], 0);

    for bad in ["limit=-1", "limit=abc", "offset=1.5", "limit=99999999999"] {
        let answer = app.get(&format!("/api/sessions?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.error_code(), "bad_request", "{bad}");
    }
}

pub(crate) async fn a_new_lap_shows_at_once(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    fixtures::seed(&app.store).await;
    let laps_of_race = |v: &serde_json::Value| v["sessions"][1]["laps"].as_array().unwrap().len();
    let before = app.get_json("/api/sessions").await;
    assert_eq!(
        app.get_json("/api/sessions").await,
        before,
        "answered again"
    );
    assert_eq!(laps_of_race(&before), 2);

    let race = &fixtures::sessions()[2];
    let lap = fixtures::lap(&race.info, 0xc107, 7, 106_500, 275_000);
    assert!(app.store.upsert_lap(&lap, Upload::Skip).await.unwrap());
    let after = app.get_json("/api/sessions").await;
    assert_eq!(
        laps_of_race(&after),
        3,
        "the new lap shows on the next request"
    );
    assert_eq!(after["sessions"][1]["bestLap"], 3);

    // Through ingest too.
    let token = app.token("Ann").await;
    let mut grown = race.clone();
    grown.laps.push(lap);
    grown
        .laps
        .push(fixtures::lap(&race.info, 0xc108, 8, 108_000, 383_000));
    let answer = app
        .ingest(Some(&token), fixtures::upload(&grown).to_string())
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(laps_of_race(&app.get_json("/api/sessions").await), 4);
}
