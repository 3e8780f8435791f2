//! Live timing end to end, in one process: the simulator writes ACC pages, pitwall's collector
//! reads them and serves `/api/live` on a real socket, and the TUI's feed follows it. The
//! screen must show each completed lap's time; the feed must say when nothing is running and
//! connect once something is; the loop must redraw at most every 50 ms however fast events
//! come.

use crate::common;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use pitwall_acc::source::{FileSource, LiveOptions};
use pitwall_live::{LiveEvent, LiveHub};
use pitwall_server::{AppState, ServerConfig};
use pitwall_sim::sink::FileSink;
use pitwall_sim::{Scenario, SimOptions, Simulator};
use pitwall_store::AnyStore;
use pitwall_tracker::{Collector, CollectorOptions};
use pitwall_tui::App;
use pitwall_tui::feed::{self, FeedMsg};
use pitwall_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

// 40 s in the pits (2 s at 20×): the collector finds the pages before the out-lap starts.
const SCRIPT: &str = "track monza
car ferrari_296_gt3
session practice
driver Test Driver
sectors 3
pitbox 40s
outlap 2:10.000
lap 1:47.345
lap 1:48.500 cut=2
exit
";

/// A pitwall serving `store` and `hub` on `listener` until `cancel`.
fn serve(listener: TcpListener, store: AnyStore, hub: LiveHub, cancel: CancellationToken) {
    let mut state = AppState::new(store, hub, ServerConfig::default());
    state.shutdown = cancel.clone();
    tokio::spawn(pitwall_server::serve(
        listener,
        pitwall_server::router(state),
        cancel,
    ));
}

async fn next(rx: &mut mpsc::Receiver<FeedMsg>) -> FeedMsg {
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("a feed message within 20 s")
        .expect("the feed is running")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screen_shows_laps_as_a_running_pitwall_completes_them() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let store = pitwall_store::open(dir.path().join("db.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let hub = LiveHub::new();
    let cancel = CancellationToken::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    serve(listener, store.clone(), hub.clone(), cancel.clone());
    let source = FileSource::new(&pages, LiveOptions::default());
    tokio::spawn(
        Collector::new(store.clone(), hub, CollectorOptions::default())
            .run(Box::new(source), cancel.clone()),
    );
    let (tx, mut rx) = mpsc::channel(256);
    let follower = tokio::spawn(feed::follow(feed::feed_url(&url).unwrap(), tx));
    assert_eq!(next(&mut rx).await, FeedMsg::Connected);
    let first = next(&mut rx).await;
    assert!(
        matches!(&first, FeedMsg::Event(e) if matches!(**e, LiveEvent::Snapshot { .. })),
        "a snapshot first: {first:?}"
    );

    let mut sink = FileSink::create(&pages).unwrap();
    let simulator = tokio::task::spawn_blocking(move || {
        let mut sim = Simulator::new(Scenario::parse(SCRIPT).unwrap(), SimOptions::default());
        pitwall_sim::run(&mut sim, &mut sink, 20.0, &AtomicBool::new(false)).unwrap();
    });

    let mut app = App::new(Theme::no_colour(), &url);
    app.on_feed(FeedMsg::Connected);
    let mut ticks = 0;
    let mut completed = Vec::new();
    while completed.len() < 3 {
        let msg = next(&mut rx).await;
        if let FeedMsg::Event(event) = &msg {
            match &**event {
                LiveEvent::Tick { .. } => ticks += 1,
                LiveEvent::LapCompleted { lap, .. } => completed.push(lap.time_ms),
                _ => {}
            }
        }
        app.on_feed(msg);
        if completed.len() == 2 && ticks > 0 {
            let text = common::screen(&app, 100, 30);
            assert!(text.contains("1:47.345"), "{text}");
        }
    }
    assert_eq!(completed, [130_000, 107_345, 108_500]);
    assert!(ticks > 10, "the lap timer runs live ({ticks} ticks)");
    let text = common::screen(&app, 100, 30);
    assert!(
        text.contains("Monza · Ferrari 296 GT3 · Practice"),
        "{text}"
    );
    assert!(
        text.contains("✗1:48.500"),
        "the invalid lap is marked: {text}"
    );
    assert!(text.contains("OUT"), "{text}");
    simulator.await.unwrap();
    follower.abort();
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_says_nothing_runs_then_connects_when_pitwall_starts() {
    let dir = tempfile::tempdir().unwrap();
    // A free port: bound, then let go.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{addr}");
    let (tx, mut rx) = mpsc::channel(256);
    let follower = tokio::spawn(feed::follow(feed::feed_url(&url).unwrap(), tx));
    let mut app = App::new(Theme::no_colour(), &url);
    let msg = next(&mut rx).await;
    assert!(
        matches!(&msg, FeedMsg::Down { reason, .. } if reason == "nothing answers"),
        "{msg:?}"
    );
    app.on_feed(msg);
    let text = common::screen(&app, 100, 12);
    assert!(
        text.contains(&format!("no pitwall run at {url}: start `pitwall run`")),
        "{text}"
    );

    let store = pitwall_store::open(dir.path().join("db.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let hub = LiveHub::new();
    hub.publish(LiveEvent::Status {
        connected: false,
        message: "waiting for ACC".into(),
    });
    let cancel = CancellationToken::new();
    serve(
        TcpListener::bind(addr).await.unwrap(),
        store,
        hub,
        cancel.clone(),
    );
    let started = Instant::now();
    loop {
        let msg = next(&mut rx).await;
        let connected = msg == FeedMsg::Connected;
        app.on_feed(msg);
        if connected {
            break;
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "backoff stays under 5 s"
    );
    app.on_feed(next(&mut rx).await);
    let text = common::screen(&app, 100, 12);
    assert!(text.contains("○ waiting for ACC"), "{text}");
    follower.abort();
    cancel.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redraws_come_at_most_every_50_ms_however_fast_events_come() {
    let dir = tempfile::tempdir().unwrap();
    let store = pitwall_store::open(dir.path().join("db.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let mut app = App::new(Theme::colour(), "http://127.0.0.1:1");
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let (key_tx, key_rx) = mpsc::unbounded_channel();
    let keys = tokio_stream_of(key_rx);
    let (tx, rx) = mpsc::channel(16);
    let events = common::live_events();
    let sender = tokio::spawn(async move {
        for event in events {
            tx.send(FeedMsg::Event(Box::new(event))).await.unwrap();
        }
        // A lap timer ticking every millisecond for a second: far more than 20 a second.
        for i in 0..1000 {
            let tick = LiveEvent::Tick {
                lap_id: "00000000000001f9".into(),
                current_ms: 52_345 + i,
                sector: 1,
                valid: true,
                at_ms: 0,
            };
            tx.send(FeedMsg::Event(Box::new(tick))).await.unwrap();
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        key_tx
            .send(Ok(Event::Key(KeyEvent::new(
                KeyCode::Char('q'),
                KeyModifiers::NONE,
            ))))
            .unwrap();
    });
    let started = Instant::now();
    let stats = pitwall_tui::drive(&mut terminal, keys, rx, store, &mut app)
        .await
        .unwrap();
    let elapsed = started.elapsed();
    sender.await.unwrap();
    let most = elapsed.as_millis() as u64 / 50 + 2;
    assert!(
        stats.draws <= most && stats.draws >= 5,
        "{} draws in {elapsed:?} (at most {most})",
        stats.draws
    );
    assert!(
        stats.loads >= 2,
        "completed laps make the history be read again"
    );
    let state = &app.live.state;
    assert_eq!(state.lap.as_ref().map(|l| l.current_ms), Some(52_345 + 999));
}

/// A stream of the messages sent on `rx`.
fn tokio_stream_of<T: Send + 'static>(
    mut rx: mpsc::UnboundedReceiver<T>,
) -> impl futures::Stream<Item = T> + Unpin {
    Box::pin(futures::stream::poll_fn(move |cx| rx.poll_recv(cx)))
}
