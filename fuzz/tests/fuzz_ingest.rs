//! Fuzz target: ingest JSON. Mutated uploads (bytes, and JSON nodes replaced by values at
//! type bounds, NUL and long strings, members dropped, repeated or written twice) are posted
//! with a valid token to `POST /api/ingest` through the whole router, over SQLite and
//! PostgreSQL (ignored by default; needs `PITWALL_TEST_POSTGRES_URL`): every answer is a 200 or a 4xx with the API's
//! JSON error, never a server error or a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use http_body_util::BodyExt as _;
use pitwall_fuzz::{Fuzzer, json, seeds};
use pitwall_live::LiveHub;
use pitwall_server::{AppState, ServerConfig};
use pitwall_store::{AnyStore, PgOptions, PgStore, SqliteStore, Tokens as _};
use tower::ServiceExt as _;

pitwall_fuzz::limit_memory!();

const DRIVER: &str = "Ann";

/// Posts `body`; the status and the body.
async fn post(router: &Router, token: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    let mut request = Request::post("/api/ingest")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, body.to_vec())
}

/// Fuzzes ingest over `store`.
fn fuzz_over(name: &'static str, store: AnyStore, rt: &tokio::runtime::Runtime) {
    let token = pitwall_server::token::generate().unwrap();
    rt.block_on(store.create_token(DRIVER, &pitwall_server::token::hash(&token), 1))
        .unwrap();
    let config = ServerConfig {
        rate_limit_per_minute: 0,
        ..ServerConfig::default()
    };
    let router = pitwall_server::router(AppState::new(store, LiveHub::new(), config));
    let seeds: Vec<Vec<u8>> = seeds::sessions(DRIVER).iter().map(seeds::upload).collect();
    let check = |input: &[u8]| -> Result<bool, String> {
        let (status, body) = rt.block_on(post(&router, &token, input.to_vec()));
        let text = || String::from_utf8_lossy(&body).into_owned();
        match status {
            200 => Ok(true),
            400..=499 => {
                let v: serde_json::Value = serde_json::from_slice(&body)
                    .map_err(|_| format!("{status} without a JSON body: {}", text()))?;
                if v["error"]["code"].is_string() && v["error"]["message"].is_string() {
                    Ok(false)
                } else {
                    Err(format!(
                        "{status} without the API's error shape: {}",
                        text()
                    ))
                }
            }
            _ => Err(format!("answered {status}: {}", text())),
        }
    };
    assert_eq!(check(&seeds[0]), Ok(true), "the seed upload is accepted");
    let summary = Fuzzer::new(name).max_len(256 << 10).run(
        &seeds,
        |rng, data| !rng.one_in(4) && json::mutate(rng, data),
        check,
    );
    assert!(summary.valid > 0);
}

#[test]
fn fuzz_ingest_sqlite() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // In memory where there is a tmpfs: a write's fsync would make each input slow.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let store = rt
        .block_on(SqliteStore::open(dir.path().join("pitwall.db")))
        .unwrap();
    fuzz_over("ingest_sqlite", AnyStore::Sqlite(store), &rt);
}

/// A schema of its own, dropped afterwards (also when the run fails).
struct Schema {
    url: String,
    name: String,
}

use pitwall_test_support::pg::execute;

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = pitwall_test_support::pg::drop_schema_blocking(&self.url, &self.name);
    }
}

#[test]
#[ignore = pitwall_test_support::needs_postgres!()]
fn fuzz_ingest_postgres() {
    let url = pitwall_test_support::postgres_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let schema = Schema {
        url: url.clone(),
        name: format!("pitwall_fuzz_ingest_{}", std::process::id()),
    };
    rt.block_on(execute(&url, &format!("CREATE SCHEMA {}", schema.name)));
    let options = PgOptions {
        schema: Some(schema.name.clone()),
        max_connections: 2,
        ..PgOptions::default()
    };
    let store = rt.block_on(PgStore::connect_with(&url, &options)).unwrap();
    fuzz_over("ingest_postgres", AnyStore::Postgres(store), &rt);
}
