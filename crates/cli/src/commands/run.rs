//! `pitwall run` (the default command): waits for ACC, detects laps live, stores them as they
//! complete and serves the dashboard, the API and the live feed, until Ctrl-C: the tracker
//! (`pitwall-tracker`) and the server (`pitwall-server`) wired together. Game restarts and
//! exits are handled inside the collector: pitwall keeps waiting for the game.

use std::time::Duration;

use anyhow::Context;
use pitwall_acc::Source;
use pitwall_live::LiveHub;
use pitwall_server::{AppState, ServerConfig};
use pitwall_store::{AnyStore, Store as _};
use pitwall_tracker::{TrackerOptions, UploadOptions};

use crate::cli::{RunArgs, UploadArgs};
use crate::stop::Stop;

pub(crate) fn run(args: RunArgs) -> anyhow::Result<()> {
    let stop = Stop::install()?;
    run_until(args, &stop)
}

/// `pitwall run` until `stop` is requested (also what the Windows service hosts).
pub(crate) fn run_until(args: RunArgs, stop: &Stop) -> anyhow::Result<()> {
    // Flags first: a missing token is reported before anything is created.
    let upload = upload_options(&args.upload)?;
    super::block_on(async move {
        let store = super::store::open_store(&args.store).await?;
        let source = pitwall_tracker::record_if(
            super::tracker_source(&args.shm),
            args.record.record.as_deref(),
        )?;
        tracker(store, source, args.listen.listen, upload, stop, &|_| {}).await
    })
}

/// The tracker (`pitwall_tracker::run`) and the server over one store, one live hub and one
/// cancel token, until `stop` (or until the source ends or the server fails). `announce`
/// gets the address actually bound (`--listen` may ask for port 0).
pub(crate) async fn tracker(
    store: AnyStore,
    source: Box<dyn Source>,
    listen: std::net::SocketAddr,
    upload: Option<UploadOptions>,
    stop: &Stop,
    announce: &dyn Fn(std::net::SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {listen}: is another pitwall (or another program) using it? \
             choose another address with --listen or PITWALL_LISTEN"
            )
        })?;
    let bound = listener.local_addr()?;
    tracing::info!("dashboard and live timing at http://{bound}/");
    announce(bound);
    tracing::info!("reading the game's pages from {}", source.describe());
    let hub = LiveHub::new();
    let config = ServerConfig {
        listen: bound,
        // The local tracker's dashboard is its user's own: no limit on loopback.
        rate_limit_per_minute: if bound.ip().is_loopback() {
            0
        } else {
            ServerConfig::default().rate_limit_per_minute
        },
        ..ServerConfig::default()
    };
    let state = AppState::new(store.clone(), hub.clone(), config);
    let cancel = state.shutdown.clone();
    let server = tokio::spawn(pitwall_server::serve(
        listener,
        pitwall_server::router(state),
        cancel.clone(),
    ));
    let options = TrackerOptions {
        upload,
        ..TrackerOptions::new(source, store.clone(), hub)
    };
    let tracked = tokio::spawn(pitwall_tracker::run(options, cancel.clone()));
    while !stop.requested() && !tracked.is_finished() && !server.is_finished() {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    cancel.cancel();
    tracked
        .await
        .context("the tracker stopped unexpectedly")??;
    server
        .await
        .context("the server stopped unexpectedly")?
        .context("the server failed")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The upload settings, when `--upload` is given: its token from --token-file,
/// PITWALL_UPLOAD_TOKEN or --token (one of them is needed).
pub(crate) fn upload_options(args: &UploadArgs) -> anyhow::Result<Option<UploadOptions>> {
    let Some(url) = args.upload.clone() else {
        return Ok(None);
    };
    let Some(token) = args.token()? else {
        anyhow::bail!(
            "--upload needs a token: put it in a file given with --token-file FILE, or in \
             PITWALL_UPLOAD_TOKEN (create one on the server with `pitwall token create --driver NAME`)"
        );
    };
    Ok(Some(UploadOptions {
        url,
        token: token.expose().to_owned(),
        max_delay: Duration::from_secs(60),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn the_token_comes_from_its_file_and_an_upload_without_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "pw_from_file\n").unwrap();
        let args = UploadArgs {
            upload: Some("https://laps.example.org".into()),
            token: None,
            token_file: Some(file),
        };
        let options = upload_options(&args).unwrap().unwrap();
        assert_eq!(options.token, "pw_from_file");
        let args = UploadArgs {
            token: Some(Secret::new("pw_flag")),
            token_file: None,
            ..args
        };
        assert_eq!(upload_options(&args).unwrap().unwrap().token, "pw_flag");
        let args = UploadArgs {
            token: None,
            ..args
        };
        let err = upload_options(&args).unwrap_err().to_string();
        assert!(
            err.contains("--token-file") && err.contains("PITWALL_UPLOAD_TOKEN"),
            "{err}"
        );
    }
}
