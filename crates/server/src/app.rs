//! The application: its configuration, the state shared by every handler, the router of
//! every route (behind the protections of the `guard` module), and serving with graceful
//! shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::routing::get;
use pitwall_live::LiveHub;
use pitwall_store::AnyStore;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::api::cache::BodyCache;
use crate::guard::connections::Limits;
use crate::guard::proxy::TrustProxy;

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
    /// Which `X-Forwarded-For` entries to believe: none, those added by this many proxies,
    /// or by these proxies (see [`TrustProxy`]).
    pub trust_proxy: TrustProxy,
    /// The largest request body accepted (larger: 413).
    pub body_limit_bytes: usize,
    /// How long (ms) a serialized `GET /api/sessions` answer may be reused when this
    /// process has stored nothing since; it is dropped at once by any write through this
    /// server (ingest, the collector), so this bounds how late writes by *other* processes
    /// sharing the database show. 0: never reuse.
    pub sessions_cache_ms: u64,
    /// Connections open at once; past it a new connection replaces the one idle the
    /// longest. Lowered at start to fit the process's descriptor limit.
    pub max_connections: usize,
    /// Time a client has to send a whole request head (from its first byte, or from the
    /// connection's start for its first request); then the connection is closed.
    pub header_timeout: Duration,
    /// Time a keep-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// How often an idle `GET /api/live` stream sends a keep-alive comment (so proxies and
    /// browsers keep it open, and a gone client is noticed).
    pub live_keepalive: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            private_reads: false,
            cors_origins: Vec::new(),
            rate_limit_per_minute: 100,
            trust_proxy: TrustProxy::Off,
            body_limit_bytes: 1 << 20,
            sessions_cache_ms: 1_000,
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            live_keepalive: Duration::from_secs(15),
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
    /// No connection could ever be served.
    #[error("--max-connections must be at least 1")]
    NoConnections,
    /// A timeout or interval of zero.
    #[error("{0} must be above 0 (it is in seconds)")]
    ZeroDuration(&'static str),
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
        if self.max_connections == 0 {
            return Err(ConfigError::NoConnections);
        }
        for (name, value) in [
            ("--header-timeout", self.header_timeout),
            ("--idle-timeout", self.idle_timeout),
            ("--live-keepalive", self.live_keepalive),
        ] {
            if value.is_zero() {
                return Err(ConfigError::ZeroDuration(name));
            }
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
/// protections of the `guard` module.
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
    crate::sse::response(
        &state.live,
        state.shutdown.clone(),
        state.config.live_keepalive,
    )
}

/// Serves `router` on `listener` with the default connection limits; see [`serve_with`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    cancel: CancellationToken,
) -> std::io::Result<()> {
    serve_with(listener, router, &ServerConfig::default(), cancel).await
}

/// Serves `router` on `listener` within `config`'s connection limits (cap, header and idle
/// timeouts) until `cancel` fires, then lets requests in flight finish (live streams end
/// when `cancel` is the state's shutdown token). Clients' addresses are passed to the
/// handlers (for rate limits).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    config: &ServerConfig,
    cancel: CancellationToken,
) -> std::io::Result<()> {
    let max = crate::guard::accept::fit_descriptors(config.max_connections);
    if max < config.max_connections {
        tracing::info!(
            "serving at most {max} connections at once (the descriptor limit leaves no \
             room for --max-connections {}; raise it with ulimit -n or LimitNOFILE=)",
            config.max_connections
        );
    }
    let limits = Limits {
        max,
        header_timeout: config.header_timeout,
        idle_timeout: config.idle_timeout,
    };
    crate::guard::accept::serve(listener, router, limits, cancel).await
}
