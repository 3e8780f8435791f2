//! Strings no text column can hold (a NUL byte) in any query parameter or path segment of
//! every read endpoint: a 400 with the usual JSON error on every backend, and no ERROR line
//! in the log. The endpoints and their parameters are taken from `/api/openapi.json`, so a
//! new endpoint is covered as soon as it is described.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use pitwall_store::Reads as _;
use serde_json::Value;

use crate::fixtures;
use crate::harness::{Backend, TestApp};

/// A valid value for each parameter an endpoint requires.
fn example(name: &str) -> &'static str {
    match name {
        "id" => "00000000000000a1",
        "track" => "monza",
        "car" => "ferrari_296_gt3",
        "driver" => "Ann",
        other => panic!("no example for the required parameter {other}"),
    }
}

/// The log lines written while the guard lives, on this thread.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let log = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || log.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// A parameter: its name, where it goes (`path`, `query`), whether it is required.
type Param = (String, String, bool);

/// Every GET endpoint's path and parameters from the spec.
fn read_endpoints(spec: &Value) -> Vec<(String, Vec<Param>)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        // The live feed streams; the spec itself reads no parameter.
        if path.ends_with("/live") || path.ends_with("/openapi.json") {
            continue;
        }
        let params = get["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["in"].as_str().unwrap().to_owned(),
                    p["required"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        out.push((path.clone(), params));
    }
    out
}

/// The URI of `path` with its required parameters filled in and `poisoned` set to `value`.
fn uri(path: &str, params: &[Param], poisoned: &str, value: &str) -> String {
    let mut uri = path.to_owned();
    let mut query = Vec::new();
    for (name, place, required) in params {
        let v = if name == poisoned {
            value
        } else if *required {
            example(name)
        } else {
            continue;
        };
        if place == "path" {
            uri = uri.replace(&format!("{{{name}}}"), v);
        } else {
            query.push(format!("{name}={v}"));
        }
    }
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    uri
}

pub(crate) async fn nul_bytes_in_any_read_parameter_are_refused(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    fixtures::seed(&app.store).await;
    let spec = app.get_json("/api/openapi.json").await;
    let endpoints = read_endpoints(&spec);
    assert!(endpoints.len() >= 9, "the spec lists the read endpoints");

    let log = Log::default();
    let _guard = log.capture();
    let mut tried = 0;
    let mut failures = Vec::new();
    for (path, params) in &endpoints {
        let mut uris: Vec<String> = Vec::new();
        for (name, _, _) in params {
            for value in ["%00", "mon%00za", "%00%00%00", "00000000000000%00"] {
                uris.push(uri(path, params, name, value));
            }
        }
        // A NUL in a parameter's name, too.
        let plain = uri(path, params, "", "");
        let sep = if plain.contains('?') { '&' } else { '?' };
        uris.push(format!("{plain}{sep}dri%00ver=Ann"));
        for uri in uris {
            let answer = app.get(&uri).await;
            tried += 1;
            let code = serde_json::from_slice::<Value>(&answer.body)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
            if answer.status != StatusCode::BAD_REQUEST || code.as_deref() != Some("bad_request") {
                failures.push(format!("{uri}: {} {code:?}", answer.status));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} requests not refused with 400 bad_request:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(tried > 40, "{tried} requests");
    let text = log.text();
    assert!(
        !text.contains("ERROR"),
        "no ERROR line for a client's mistake:\n{text}"
    );
    // The same values without the NUL still answer.
    assert_eq!(
        app.get("/api/v1/laps?track=monza").await.status,
        StatusCode::OK
    );
}

/// Found by the ingest fuzz target (`fuzz/tests/ingest.rs`) on PostgreSQL: a NUL in an
/// uploaded string failed the insert (500 and an ERROR line); SQLite stored it.
pub(crate) async fn nul_bytes_in_an_upload_are_refused(backend: Backend) {
    let app = TestApp::unlimited(backend).await;
    let token = app.token("Ann").await;
    let log = Log::default();
    let _guard = log.capture();
    for field in ["track", "car", "sm_version", "ac_version"] {
        let mut body = fixtures::upload(&fixtures::sessions()[0]);
        body["session"][field] = Value::String("mon\0za".into());
        let answer = app.ingest(Some(&token), body.to_string()).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{field}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert_eq!(answer.error_code(), "invalid_data", "{field}");
    }
    assert!(app.store.recent_sessions(10, 0).await.unwrap().is_empty());
    let text = log.text();
    assert!(!text.contains("ERROR"), "no ERROR line:\n{text}");
}
