//! `pitwall_tracker::run`, the one shutdown path: it returns when the source ends (stopping
//! the uploader too, without cancelling the caller's token, which the server may share), and
//! when cancelled while the game is not running.

use crate::support;

use std::time::Duration;

use pitwall_acc::{Read, Snapshot, Source, SourceError};
use pitwall_live::{LiveEvent, LiveHub};
use pitwall_tracker::{TrackerOptions, UploadOptions};
use support::sqlite;
use tokio_util::sync::CancellationToken;

/// A source that ends at once.
struct Ended;

impl Source for Ended {
    fn read(&mut self, _: &mut Snapshot) -> Result<Read, SourceError> {
        Ok(Read::End)
    }

    fn describe(&self) -> String {
        "nothing".into()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tracker_returns_when_its_source_ends_and_stops_the_uploader() {
    let dir = tempfile::tempdir().unwrap();
    let hub = LiveHub::new();
    let (_, mut feed) = hub.subscribe();
    let options = TrackerOptions {
        // Nothing listens there: the uploader would retry forever if it were not stopped.
        upload: Some(UploadOptions {
            url: "http://127.0.0.1:9".into(),
            token: "pw_test".into(),
            max_delay: Duration::from_secs(60),
        }),
        ..TrackerOptions::new(
            Box::new(Ended),
            sqlite(&dir, "db.sqlite").await,
            hub.clone(),
        )
    };
    let cancel = CancellationToken::new();
    let run = pitwall_tracker::run(options, cancel.clone());
    tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("the tracker returns when its source ends")
        .unwrap();
    assert!(!cancel.is_cancelled(), "the caller's token is the caller's");
    let mut said = Vec::new();
    while let Ok(event) = feed.try_recv() {
        if let LiveEvent::Status { connected, message } = &*event {
            said.push((*connected, message.clone()));
        }
    }
    assert_eq!(said, vec![(false, "the source ended".to_owned())]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_tracker_stops_while_waiting_for_the_game() {
    let dir = tempfile::tempdir().unwrap();
    let pages = tempfile::tempdir().unwrap();
    let hub = LiveHub::new();
    let source = pitwall_tracker::source::files(pages.path());
    let options = TrackerOptions::new(source, sqlite(&dir, "db.sqlite").await, hub.clone());
    let cancel = CancellationToken::new();
    let run = tokio::spawn(pitwall_tracker::run(options, cancel.clone()));
    // The empty directory has no pages: the hub hears that the tracker waits for the game.
    for _ in 0..100 {
        if !hub.state().message.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let state = hub.state();
    assert!(
        !state.connected && !state.message.is_empty(),
        "{}",
        state.message
    );
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("the tracker stops once cancelled")
        .unwrap()
        .unwrap();
}
