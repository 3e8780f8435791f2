//! A server over a fresh store for each test: a SQLite file in a temporary directory, or a
//! PostgreSQL schema of its own on the server of `PITWALL_TEST_POSTGRES_URL` (dropped on
//! drop).
//! Requests go through the whole router (protections included) with `oneshot`.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use pitwall_live::LiveHub;
use pitwall_server::{AppState, ServerConfig};
use pitwall_store::{AnyStore, PgOptions, PgStore, SqliteStore, Tokens as _};
use serde_json::Value;
use tower::ServiceExt as _;

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A router over a fresh store.
pub(crate) struct TestApp {
    pub(crate) router: Router,
    pub(crate) store: AnyStore,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

/// An answer: status, headers, body.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code of a JSON error body.
    pub(crate) fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.json()))
            .to_owned()
    }

    /// A header's value as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

impl TestApp {
    /// A server with `config` over a fresh store of `backend` (for PostgreSQL, panics saying
    /// what to set when `PITWALL_TEST_POSTGRES_URL` is unset).
    pub(crate) async fn new(backend: Backend, config: ServerConfig) -> TestApp {
        let (store, dir, pg) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let store = SqliteStore::open(dir.path().join("pitwall.db"))
                    .await
                    .unwrap();
                (AnyStore::Sqlite(store), Some(dir), None)
            }
            Backend::Postgres => {
                let url = pitwall_test_support::postgres_url();
                let schema = schema_name();
                execute(&url, &format!("CREATE SCHEMA {schema}")).await;
                let options = PgOptions {
                    schema: Some(schema.clone()),
                    max_connections: 4,
                    ..PgOptions::default()
                };
                let store = PgStore::connect_with(&url, &options).await.unwrap();
                (AnyStore::Postgres(store), None, Some((url, schema)))
            }
        };
        let state = AppState::new(store.clone(), LiveHub::new(), config);
        TestApp {
            router: pitwall_server::router(state),
            store,
            _dir: dir,
            pg,
        }
    }

    /// A server with the default configuration but no rate limit.
    pub(crate) async fn unlimited(backend: Backend) -> TestApp {
        Self::new(backend, unlimited()).await
    }

    /// Sends `request` from 127.0.0.1.
    pub(crate) async fn send(&self, request: Request<Body>) -> Answer {
        self.send_from(request, "127.0.0.1:40000".parse().unwrap())
            .await
    }

    /// Sends `request` from `peer`.
    pub(crate) async fn send_from(&self, mut request: Request<Body>, peer: SocketAddr) -> Answer {
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        Answer {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// `GET uri`.
    pub(crate) async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// `GET uri`, expecting 200 and JSON.
    pub(crate) async fn get_json(&self, uri: &str) -> Value {
        let answer = self.get(uri).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "GET {uri}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        answer.json()
    }

    /// `POST /api/ingest` with `body` and `token` (if any).
    pub(crate) async fn ingest(&self, token: Option<&str>, body: impl Into<Body>) -> Answer {
        let mut request = Request::post("/api/ingest").header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        self.send(request.body(body.into()).unwrap()).await
    }

    /// A new token of `driver`.
    pub(crate) async fn token(&self, driver: &str) -> String {
        let token = pitwall_server::token::generate().unwrap();
        self.store
            .create_token(driver, &pitwall_server::token::hash(&token), 1)
            .await
            .unwrap();
        token
    }
}

/// The default configuration without a rate limit.
pub(crate) fn unlimited() -> ServerConfig {
    ServerConfig {
        rate_limit_per_minute: 0,
        ..ServerConfig::default()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some((url, schema)) = self.pg.take() else {
            return;
        };
        // Runs inside the test's runtime: drop the schema from a runtime of its own.
        if !pitwall_test_support::pg::drop_schema_blocking(&url, &schema) {
            eprintln!("could not drop a test schema");
        }
    }
}

use pitwall_test_support::pg::execute;

/// A unique schema name.
fn schema_name() -> String {
    pitwall_test_support::unique_name("pitwall_api_test")
}

/// Runs each named case (an `async fn(Backend)`) on SQLite and on PostgreSQL (ignored unless
/// run with `--include-ignored`).
macro_rules! on_both {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    crate::$module::$case(crate::harness::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = pitwall_test_support::needs_postgres!()]
                async fn $case() {
                    crate::$module::$case(crate::harness::Backend::Postgres).await;
                }
            )*
        }
    };
}
pub(crate) use on_both;
