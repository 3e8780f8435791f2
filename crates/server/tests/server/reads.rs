//! Pitwall's own reads (`/api/v1/…`) over the fixtures: what each returns, its filters and
//! its errors.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::fixtures::{self, T0};
use crate::harness::{Backend, TestApp};

async fn seeded(backend: Backend) -> TestApp {
    let app = TestApp::unlimited(backend).await;
    fixtures::seed(&app.store).await;
    app
}

fn field(list: &Value, key: &str) -> Vec<Value> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].clone())
        .collect()
}

pub(crate) async fn sessions_listed_with_counts(backend: Backend) {
    let app = seeded(backend).await;
    let page = app.get_json("/api/v1/sessions?limit=3").await;
    let sessions = &page["sessions"];
    assert_eq!(
        field(sessions, "id"),
        [
            json!("00000000000000d1"),
            json!("00000000000000c1"),
            json!("00000000000000b1")
        ]
    );
    assert_eq!(field(sessions, "lap_count"), [json!(0), json!(2), json!(2)]);
    assert_eq!(
        field(sessions, "best_lap_ms"),
        [Value::Null, json!(107_000), json!(106_900)]
    );
    assert_eq!(sessions[0]["session_type"], "UNKNOWN(42)");
    assert_eq!(sessions[1]["session_type_name"], "Race");
    assert_eq!(sessions[1]["track_name"], "Monza");
    assert_eq!(sessions[1]["car_name"], "Ferrari 296 GT3");
    assert_eq!(sessions[1]["ended_at_ms"], Value::Null);
    assert_eq!(
        (page["limit"].clone(), page["offset"].clone()),
        (json!(3), json!(0))
    );
    let rest = app.get_json("/api/v1/sessions?offset=3").await;
    assert_eq!(field(&rest["sessions"], "id"), [json!("00000000000000a1")]);
    let answer = app.get("/api/v1/sessions?page=2").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "unknown parameter");
}

pub(crate) async fn one_session_with_laps_and_sectors(backend: Backend) {
    let app = seeded(backend).await;
    let detail = app.get_json("/api/v1/sessions/00000000000000a1").await;
    assert_eq!(detail["session"]["driver"], "Ann");
    assert_eq!(detail["session"]["ended_at_ms"], T0 + 600_000);
    let laps = &detail["laps"];
    assert_eq!(
        field(laps, "number"),
        [json!(1), json!(2), json!(3), json!(4)]
    );
    assert_eq!(laps[3]["sectors"], json!([36_033, null, 35_534]));
    assert_eq!(laps[2]["valid"], false);
    assert_eq!(laps[2]["invalid_sector"], 1);
    assert_eq!(laps[0]["out_lap"], true);
    assert_eq!(detail["best_lap_id"], "000000000000a102");
    assert_eq!(detail["best_sectors_ms"], json!([35_781, 36_281, 35_283]));
    assert_eq!(detail["theoretical_best_ms"], 107_345);

    let missing = app.get("/api/v1/sessions/00000000000000ff").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "not_found");
    let bad = app.get("/api/v1/sessions/xyz").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("16 hexadecimal")
    );
}

pub(crate) async fn laps_filtered(backend: Backend) {
    let app = seeded(backend).await;
    let ids = |v: Value| field(&v["laps"], "id");
    let all = app.get_json("/api/v1/laps").await;
    assert_eq!(all["laps"].as_array().unwrap().len(), 8);
    assert_eq!(all["laps"][0]["id"], "000000000000c106", "newest first");
    assert_eq!(all["laps"][0]["driver"], "Ann");
    assert_eq!(all["laps"][0]["session_type"], "RACE");
    assert_eq!(all["laps"][0]["track"], "monza");

    let bob = app.get_json("/api/v1/laps?driver=Bob").await;
    assert_eq!(
        ids(bob),
        [json!("000000000000b102"), json!("000000000000b101")]
    );
    let invalid = app.get_json("/api/v1/laps?valid=false").await;
    assert_eq!(ids(invalid), [json!("000000000000a103")]);
    let race = app.get_json("/api/v1/laps?session_type=race").await;
    assert_eq!(race["laps"].as_array().unwrap().len(), 2);
    let qualify = app
        .get_json("/api/v1/laps?session_type=1&track=monza&car=ferrari_296_gt3")
        .await;
    assert_eq!(qualify["laps"].as_array().unwrap().len(), 2);
    let spa = app.get_json("/api/v1/laps?track=spa").await;
    assert_eq!(spa["laps"], json!([]));
    // The race is on the next day (2024-06-01, UTC).
    let june = app.get_json("/api/v1/laps?from=2024-06-01").await;
    assert_eq!(june["laps"].as_array().unwrap().len(), 2);
    let may = app.get_json("/api/v1/laps?to=2024-05-31").await;
    assert_eq!(may["laps"].as_array().unwrap().len(), 6);
    let window = format!("/api/v1/laps?from={}&to={}", T0 + 250_000, T0 + 360_001);
    assert_eq!(
        ids(app.get_json(&window).await),
        [json!("000000000000a103"), json!("000000000000a102")]
    );
    let page = app.get_json("/api/v1/laps?limit=2&offset=1").await;
    assert_eq!(
        ids(page),
        [json!("000000000000c105"), json!("000000000000b102")]
    );

    for bad in [
        "session_type=endurance",
        "from=yesterday",
        "valid=maybe",
        "colour=red",
    ] {
        let answer = app.get(&format!("/api/v1/laps?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.error_code(), "bad_request");
    }
}

pub(crate) async fn personal_bests_and_best_sectors(backend: Backend) {
    let app = seeded(backend).await;
    let pbs = app.get_json("/api/v1/personal-bests").await;
    let records = &pbs["records"];
    assert_eq!(field(records, "driver"), [json!("Bob"), json!("Ann")]);
    assert_eq!(field(records, "time_ms"), [json!(106_900), json!(107_000)]);
    assert_eq!(field(records, "rank"), [json!(1), json!(2)]);
    assert_eq!(records[1]["lap_id"], "000000000000c106");
    assert_eq!(records[1]["track_name"], "Monza");
    assert_eq!(records[1]["session_id"], "00000000000000c1");
    let ann = app.get_json("/api/v1/personal-bests?driver=Ann").await;
    assert_eq!(field(&ann["records"], "time_ms"), [json!(107_000)]);
    assert_eq!(ann["records"][0]["rank"], 1);

    let mine = app
        .get_json("/api/v1/best-sectors?track=monza&car=ferrari_296_gt3&driver=Ann")
        .await;
    assert_eq!(mine["driver"], "Ann");
    let times = field(&mine["sectors"], "time_ms");
    assert_eq!(times, [json!(35_666), json!(36_166), json!(35_168)]);
    assert_eq!(mine["theoretical_best_ms"], 107_000);
    assert_eq!(mine["sectors"][0]["lap_id"], "000000000000c106");
    let everyone = app
        .get_json("/api/v1/best-sectors?track=monza&car=ferrari_296_gt3")
        .await;
    assert_eq!(everyone["driver"], Value::Null);
    assert_eq!(everyone["theoretical_best_ms"], 106_900);
    let nothing = app
        .get_json("/api/v1/best-sectors?track=spa&car=ferrari_296_gt3")
        .await;
    assert_eq!(nothing["theoretical_best_ms"], Value::Null);
    let missing = app.get("/api/v1/best-sectors?track=monza").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "car is required");
}

pub(crate) async fn pb_progression_and_leaderboard(backend: Backend) {
    let app = seeded(backend).await;
    let steps = app
        .get_json("/api/v1/pb-progression?track=monza&car=ferrari_296_gt3&driver=Ann")
        .await;
    assert_eq!(steps["driver"], "Ann");
    let steps = &steps["steps"];
    assert_eq!(field(steps, "time_ms"), [json!(107_345), json!(107_000)]);
    assert_eq!(field(steps, "gain_ms"), [Value::Null, json!(345)]);
    assert_eq!(steps[1]["lap_id"], "000000000000c106");
    let no_driver = app
        .get("/api/v1/pb-progression?track=monza&car=ferrari_296_gt3")
        .await;
    assert_eq!(no_driver.status, StatusCode::BAD_REQUEST);

    let board = app
        .get_json("/api/v1/leaderboard?track=monza&car=ferrari_296_gt3")
        .await;
    let records = &board["records"];
    assert_eq!(field(records, "driver"), [json!("Bob"), json!("Ann")]);
    assert_eq!(field(records, "rank"), [json!(1), json!(2)]);
    let top = app
        .get_json("/api/v1/leaderboard?track=monza&car=ferrari_296_gt3&limit=1")
        .await;
    assert_eq!(field(&top["records"], "driver"), [json!("Bob")]);
}

pub(crate) async fn tracks_and_cars_listed(backend: Backend) {
    let app = seeded(backend).await;
    let all = app.get_json("/api/v1/tracks-and-cars").await;
    let list = &all["tracks_and_cars"];
    assert_eq!(field(list, "track"), [json!("monza"), json!("spa")]);
    assert_eq!(field(list, "sessions"), [json!(3), json!(1)]);
    assert_eq!(field(list, "laps"), [json!(8), json!(0)]);
    assert_eq!(list[1]["last_lap_at_ms"], Value::Null);
    let bob = app.get_json("/api/v1/tracks-and-cars?driver=Bob").await;
    assert_eq!(field(&bob["tracks_and_cars"], "laps"), [json!(2), json!(0)]);
}
