//! `GET /api/openapi.json` parses, lists every route, and every path it lists answers.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::fixtures;
use crate::harness::{Backend, TestApp};

/// Every route of the API, as `METHOD path`.
const ROUTES: &[&str] = &[
    "GET /api/sessions",
    "GET /api/v1/sessions",
    "GET /api/v1/sessions/{id}",
    "GET /api/v1/laps",
    "GET /api/v1/personal-bests",
    "GET /api/v1/best-sectors",
    "GET /api/v1/pb-progression",
    "GET /api/v1/leaderboard",
    "GET /api/v1/tracks-and-cars",
    "GET /api/live",
    "POST /api/ingest",
    "GET /api/openapi.json",
];

#[tokio::test]
async fn openapi_parses_and_lists_every_route() {
    let app = TestApp::new(Backend::Sqlite, crate::harness::unlimited()).await;
    fixtures::seed(&app.store).await;
    let spec = app.get_json("/api/openapi.json").await;
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let mut listed = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            listed.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let routes: BTreeSet<String> = ROUTES.iter().map(|r| r.to_string()).collect();
    assert_eq!(listed, routes);

    // Every $ref points at a component that exists.
    let text = spec.to_string();
    for piece in text.split("\"$ref\":\"#/components/").skip(1) {
        let target = &piece[..piece.find('"').unwrap()];
        let (kind, name) = target.split_once('/').unwrap();
        assert!(
            !spec["components"][kind][name].is_null(),
            "dangling $ref {target}"
        );
    }

    // Every GET path answers, with its required parameters filled in.
    let example = |name: &str| match name {
        "id" => "00000000000000a1",
        "track" => "monza",
        "car" => "ferrari_296_gt3",
        "driver" => "Ann",
        other => panic!("no example for the required parameter {other}"),
    };
    for route in ROUTES
        .iter()
        .filter(|r| r.starts_with("GET ") && !r.ends_with("/live"))
    {
        let path = &route[4..];
        let mut uri = path.to_owned();
        let mut query = Vec::new();
        let parameters = spec["paths"][path]["get"]["parameters"].as_array();
        for p in parameters.into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            match (p["in"].as_str().unwrap(), p["required"].as_bool()) {
                ("path", _) => uri = uri.replace(&format!("{{{name}}}"), example(name)),
                ("query", Some(true)) => query.push(format!("{name}={}", example(name))),
                _ => {}
            }
        }
        if !query.is_empty() {
            uri = format!("{uri}?{}", query.join("&"));
        }
        let answer = app.get(&uri).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    let ingest = app
        .send(Request::post("/api/ingest").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ingest.status, StatusCode::UNAUTHORIZED);
}
