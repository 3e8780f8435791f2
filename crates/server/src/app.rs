//! The application: state shared by every handler, the router, and serving with graceful
//! shutdown.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use pitwall_store::AnyStore;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::live::LiveHub;

/// How the server behaves; see each field.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Where to listen.
    pub listen: SocketAddr,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
        }
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
    pub config: std::sync::Arc<ServerConfig>,
    /// Fires when the server shuts down: long-lived responses (the live feed) end then.
    pub shutdown: CancellationToken,
}

/// Every route: the API under `/api`, the dashboard at the root.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/live", get(live))
        .merge(crate::api::routes())
        .merge(crate::web::routes())
        .with_state(state)
}

async fn live(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    crate::live::sse::response(&state.live, state.shutdown.clone())
}

/// Serves `router` on `listener` until `cancel` fires, then lets requests in flight finish.
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
