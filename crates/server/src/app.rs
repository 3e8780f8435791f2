//! The application: its configuration, the state shared by every handler, the router of
//! every route (behind the protections of [`crate::guard`]), and serving with graceful
//! shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::routing::get;
use pitwall_store::AnyStore;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::api::cache::BodyCache;
use crate::live::LiveHub;

/// How the server behaves; see each field. `pitwall serve` fills it from flags, `PITWALL_*`
/// variables and a config file; see `docs/server.md`.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Where to listen (port 0: any free port).
    pub listen: SocketAddr,
    /// Reads (every GET but `/api/openapi.json`) need a valid token too, not only ingest.
    pub private_reads: bool,
    /// Origins whose pages may call the API from a browser (`https://laps.example`), or
    /// `*` for any. Empty: same-origin only (no CORS headers).
    pub cors_origins: Vec<String>,
    /// Requests a minute per client address; 0 turns rate limiting off.
    pub rate_limit_per_minute: u32,
    /// Take the client address from the first `X-Forwarded-For` entry (only behind a
    /// reverse proxy that sets it; otherwise clients could pick their own address).
    pub trust_proxy: bool,
    /// The largest request body accepted (larger: 413).
    pub body_limit_bytes: usize,
    /// How long (ms) a serialized `GET /api/sessions` answer may be reused when this
    /// process has stored nothing since; it is dropped at once by any write through this
    /// server (ingest, the collector), so this bounds how late writes by *other* processes
    /// sharing the database show. 0: never reuse.
    pub sessions_cache_ms: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            private_reads: false,
            cors_origins: Vec::new(),
            rate_limit_per_minute: 100,
            trust_proxy: false,
            body_limit_bytes: 1 << 20,
            sessions_cache_ms: 1_000,
        }
    }
}

/// A configuration value the server cannot use.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A CORS origin is not of the form `scheme://host[:port]`.
    #[error(
        "CORS origin {0:?} is not an origin; write it as scheme://host[:port] \
         (e.g. https://laps.example), or * for any"
    )]
    BadOrigin(String),
    /// The body limit is too small for any upload.
    #[error("the body limit must be at least 1024 bytes")]
    BodyLimitTooSmall,
}

impl ServerConfig {
    /// Refuses values the server cannot use, saying which.
    pub fn check(&self) -> Result<(), ConfigError> {
        for origin in &self.cors_origins {
            let well_formed = origin == "*"
                || (origin.split_once("://").is_some_and(|(scheme, host)| {
                    !scheme.is_empty() && !host.is_empty() && !host.contains('/')
                }) && HeaderValue::from_str(origin).is_ok());
            if !well_formed {
                return Err(ConfigError::BadOrigin(origin.clone()));
            }
        }
        if self.body_limit_bytes < 1024 {
            return Err(ConfigError::BodyLimitTooSmall);
        }
        Ok(())
    }
}

/// What every handler can reach; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The store.
    pub store: AnyStore,
    /// The live hub.
    pub live: LiveHub,
    /// The configuration.
    pub config: Arc<ServerConfig>,
    /// Cancelled when the server is to stop: long-lived responses (`GET /api/live`) end
    /// then, so a graceful shutdown does not wait for them forever.
    pub shutdown: CancellationToken,
    /// Serialized answers of `GET /api/sessions`, valid until the store's next write.
    pub(crate) sessions_cache: Arc<BodyCache>,
}

impl AppState {
    /// The state of a server over `store` and `live`.
    pub fn new(store: AnyStore, live: LiveHub, config: ServerConfig) -> Self {
        AppState {
            sessions_cache: Arc::new(BodyCache::new(config.sessions_cache_ms)),
            store,
            live,
            config: Arc::new(config),
            shutdown: CancellationToken::new(),
        }
    }
}

/// Every route: the API under `/api`, the dashboard at the root, all behind the
/// protections of [`crate::guard`].
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/api/live", get(live))
        .merge(crate::api::routes())
        .merge(crate::web::routes())
        .fallback(crate::api::not_found)
        .with_state(state.clone());
    crate::guard::wrap(routes, &state)
}

async fn live(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    crate::live::sse::response(&state.live, state.shutdown.clone())
}

/// Serves `router` on `listener` until `cancel` fires, then lets requests in flight finish.
/// Clients' addresses are passed to the handlers (for rate limits).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    cancel: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move { cancel.cancelled().await })
    .await
}
