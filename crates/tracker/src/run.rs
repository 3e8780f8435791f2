//! The tracker as one task: the collector over a live source and, with `--upload`, the
//! uploader of the store's outbox, until the source ends or the caller cancels. The one
//! shutdown path of `run`, `demo`, `serve` (when it collects) and the Windows service: on
//! cancel the uploader stops, and the collector ends the session in progress and stores what
//! it still holds (into the outbox, for the next start's uploader) before `run` returns.

use std::sync::Arc;

use pitwall_live::LiveHub;
use pitwall_store::AnyStore;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::collector::{Collector, CollectorOptions};
use crate::timing::{Input, TimingSource};
use crate::upload::{UploadOptions, Uploader};
use pitwall_acc::Source;

/// What the tracker reads, where it writes, and how.
pub struct TrackerOptions {
    /// The game's pages (see [`crate::source`]) or any other source of pages, or a source
    /// of timing events ([`crate::TimingSource`]).
    pub source: Input,
    /// Where sessions and laps are stored.
    pub store: AnyStore,
    /// Where live events are published (the server's live feed reads the same hub).
    pub hub: LiveHub,
    /// Upload every stored session and lap to a server.
    pub upload: Option<UploadOptions>,
    /// The running lap timer is published at most this often (ms).
    pub tick_every_ms: u64,
}

impl TrackerOptions {
    /// Reads `source` into `store` and `hub`, without uploading, with the collector's
    /// default tick.
    pub fn new(source: Box<dyn Source>, store: AnyStore, hub: LiveHub) -> Self {
        TrackerOptions::of(Input::Pages(source), store, hub)
    }

    /// Reads the timing source `source` into `store` and `hub`, as [`TrackerOptions::new`].
    pub fn timing(source: Box<dyn TimingSource>, store: AnyStore, hub: LiveHub) -> Self {
        TrackerOptions::of(Input::Timing(source), store, hub)
    }

    /// Reads `source`, of either kind, as [`TrackerOptions::new`].
    pub fn of(source: Input, store: AnyStore, hub: LiveHub) -> Self {
        TrackerOptions {
            source,
            store,
            hub,
            upload: None,
            tick_every_ms: CollectorOptions::default().tick_every_ms,
        }
    }
}

impl std::fmt::Debug for TrackerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrackerOptions")
            .field("source", &self.source.describe())
            .field("store", &self.store)
            .field("upload", &self.upload)
            .field("tick_every_ms", &self.tick_every_ms)
            .finish_non_exhaustive()
    }
}

/// Why the tracker stopped other than by being told to.
#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    /// The collector's task failed (it panicked): what it held may not be stored.
    #[error("the collector stopped unexpectedly")]
    Collector(#[source] tokio::task::JoinError),
}

/// Runs the collector (and the uploader, when `options.upload` is set) until the source
/// ends or `cancel` fires; then ends the session in progress, stores what is pending, stops
/// the uploader and returns. It serves nothing: the caller runs the server over the same
/// hub and store, and cancels both with one token. `cancel` is not cancelled here when the
/// source ends: the caller decides whether the rest stops too.
pub async fn run(options: TrackerOptions, cancel: CancellationToken) -> Result<(), TrackerError> {
    let TrackerOptions {
        source,
        store,
        hub,
        upload,
        tick_every_ms,
    } = options;
    // The uploader stops with `cancel`, or when the collector returned (the source ended).
    let uploading = cancel.child_token();
    let wake = Arc::new(Notify::new());
    let uploader = upload.map(|options| {
        tracing::info!(
            "uploading every lap to {}",
            pitwall_store::redact_url(&options.url)
        );
        let uploader = Uploader::new(store.clone(), options, wake.clone());
        tokio::spawn(uploader.run(uploading.clone()))
    });
    let options = CollectorOptions {
        tick_every_ms,
        upload: uploader.is_some().then_some(wake),
        ..CollectorOptions::default()
    };
    let collected =
        tokio::spawn(Collector::new(store, hub, options).run_input(source, cancel)).await;
    uploading.cancel();
    if let Some(uploader) = uploader
        && let Err(e) = uploader.await
    {
        tracing::error!("the uploader failed: {e}");
    }
    collected.map_err(TrackerError::Collector)
}
