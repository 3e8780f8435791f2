//! `pitwall serve`: the dashboard, the JSON API and live timing from one process, over the
//! local SQLite store or a PostgreSQL URL, collecting laps from the game's pages on this
//! machine too unless told not to (`pitwall_tracker::run`, over the same store and hub).
//! Stops gracefully on Ctrl-C or SIGTERM: requests in flight finish, live streams end, the
//! collector stores what it still holds.

use anyhow::Context as _;
use pitwall_live::LiveHub;
use pitwall_server::AppState;
use pitwall_store::Store as _;
use pitwall_tracker::{TrackerError, TrackerOptions};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{block_on, settings, store::open_store};
use crate::cli::ServeArgs;

pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    let settings = settings::resolve(args)?;
    block_on(serve(settings))
}

async fn serve(settings: settings::Settings) -> anyhow::Result<()> {
    let store = open_store(&settings.store).await?;
    let listen = settings.server.listen;
    let listener = TcpListener::bind(listen).await.with_context(|| {
        format!("cannot listen on {listen} (is another server there? see --listen)")
    })?;
    let address = listener
        .local_addr()
        .context("cannot read the bound address")?;
    let live = LiveHub::new();
    let config = settings.server.clone();
    let state = AppState::new(store.clone(), live.clone(), settings.server);
    let stop = state.shutdown.clone();
    tokio::spawn(stop_on_signal(stop.clone()));

    let tracker = settings.collect.then(|| {
        let source = super::tracker_source(&settings.shm);
        tracing::info!("collecting laps from {}", source.describe());
        let options = TrackerOptions::new(source, store.clone(), live);
        tokio::spawn(pitwall_tracker::run(options, stop.clone()))
    });

    tracing::info!("pitwall serving on http://{address} (dashboard and API)");
    let served = pitwall_server::serve_with(
        listener,
        pitwall_server::router(state),
        &config,
        stop.clone(),
    )
    .await;
    stop.cancel();
    if let Some(tracker) = tracker {
        match tracker.await {
            Ok(Ok(())) => {}
            Ok(Err(TrackerError::Collector(e))) | Err(e) => {
                tracing::error!("the collector failed: {e}");
            }
        }
    }
    store.close().await;
    served.context("the server failed")?;
    tracing::info!("pitwall stopped");
    Ok(())
}

/// Cancels `stop` on Ctrl-C or SIGTERM. On Unix both handlers are installed before this
/// returns (not when the task first runs), so a signal that comes right after the
/// "serving on" line is a clean stop too.
#[cfg_attr(
    not(unix),
    allow(
        clippy::manual_async_fn,
        reason = "the Unix handlers are installed before the future is returned"
    )
)]
fn stop_on_signal(stop: CancellationToken) -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        )
    };
    async move {
        #[cfg(unix)]
        let stopped = async {
            match signals {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!("cannot wait for Ctrl-C or SIGTERM: {e}");
                    std::future::pending::<()>().await;
                }
            }
        };
        #[cfg(not(unix))]
        let stopped = async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::error!("cannot wait for Ctrl-C: {e}");
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            () = stopped => {}
            () = stop.cancelled() => return,
        }
        tracing::info!("stopping: finishing requests in flight");
        stop.cancel();
    }
}
