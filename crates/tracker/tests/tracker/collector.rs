//! The collector end to end: the simulator writes ACC pages to files, the collector reads
//! them live, stores every lap and publishes live events. Stored laps must equal the
//! simulator's truth; the live feed must flag personal and session bests.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use pitwall_acc::source::{FileSource, LiveOptions};
use pitwall_live::{LiveEvent, LiveHub};
use pitwall_sim::sink::FileSink;
use pitwall_sim::{Scenario, SimOptions, Simulator};
use pitwall_store::Reads as _;
use pitwall_tracker::{Collector, CollectorOptions};
use tokio_util::sync::CancellationToken;

const SCRIPT: &str = "track monza
car ferrari_296_gt3
session practice
driver Test Driver
sectors 3
pitbox 2s
outlap 2:10.000
lap 1:47.345
lap 1:48.500 cut=2
lap 1:47.900
exit
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulated_laps_are_stored_once_and_published_live() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let mut sink = FileSink::create(&pages).unwrap();
    let store = pitwall_store::open(dir.path().join("db.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let hub = LiveHub::new();
    let (_, mut feed) = hub.subscribe();
    let cancel = CancellationToken::new();
    let source = FileSource::new(&pages, LiveOptions::default());
    let collector = tokio::spawn(
        Collector::new(store.clone(), hub.clone(), CollectorOptions::default())
            .run(Box::new(source), cancel.clone()),
    );

    let truth = tokio::task::spawn_blocking(move || {
        let mut sim = Simulator::new(Scenario::parse(SCRIPT).unwrap(), SimOptions::default());
        pitwall_sim::run(&mut sim, &mut sink, 20.0, &AtomicBool::new(false)).unwrap();
        sim.truth().clone()
    })
    .await
    .unwrap();
    let want: Vec<_> = truth.laps().cloned().collect();
    assert_eq!(want.len(), 4);

    // The game "exited": wait for the stored laps, then stop.
    let mut stored = Vec::new();
    for _ in 0..100 {
        stored = store.recent_sessions(5, 0).await.unwrap();
        if stored.first().is_some_and(|s| s.laps.len() == want.len()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cancel.cancel();
    collector.await.unwrap();

    assert_eq!(stored.len(), 1, "one session");
    let session = &stored[0];
    assert_eq!(session.info.track, "monza");
    assert_eq!(session.info.driver, "Test Driver");
    assert!(session.info.conditions.is_some());
    for (got, want) in session.laps.iter().zip(&want) {
        assert_eq!(got.number, want.number);
        assert_eq!(got.time_ms, want.time_ms);
        assert_eq!(got.valid, want.valid);
        for (s, w) in got.sectors.iter().zip(&want.sectors_ms) {
            assert!(s.is_none_or(|s| s == *w), "sector {s:?} vs {w}");
        }
    }
    assert!(session.laps[0].out_lap);

    let mut completed = Vec::new();
    let mut ticks = 0;
    while let Ok(event) = feed.try_recv() {
        match &*event {
            LiveEvent::LapCompleted {
                lap,
                personal_best,
                session_best,
                ..
            } => completed.push((lap.time_ms, *personal_best, *session_best)),
            LiveEvent::Tick { .. } => ticks += 1,
            _ => {}
        }
    }
    assert_eq!(
        completed,
        vec![
            (130_000, false, false), // out-lap: never a best
            (107_345, true, true),
            (108_500, false, false), // invalid
            (107_900, false, false),
        ]
    );
    assert!(ticks > 10, "the lap timer ticks live ({ticks} ticks)");
    let state = hub.state();
    assert_eq!(state.session_best_ms, Some(107_345));
    assert_eq!(state.reference.and_then(|r| r.pb_ms), Some(107_345));
}

/// The detector's own output passes the same validation as every way in: a lap of 10 s
/// (under the 30 s floor of a pace lap) is neither stored nor published, and the laps
/// around it are. Fails before the collector validated: all three laps were stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_implausible_lap_of_the_detector_is_not_stored() {
    const ABSURD: &str = "track monza
car ferrari_296_gt3
session practice
driver Test Driver
sectors 3
pitbox 1s
outlap 0:40.000
lap 0:10.000
lap 0:45.000
exit
";
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let mut sink = FileSink::create(&pages).unwrap();
    let store = pitwall_store::open(dir.path().join("db.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let hub = LiveHub::new();
    let (_, mut feed) = hub.subscribe();
    let cancel = CancellationToken::new();
    let source = FileSource::new(&pages, LiveOptions::default());
    let collector = tokio::spawn(
        Collector::new(store.clone(), hub.clone(), CollectorOptions::default())
            .run(Box::new(source), cancel.clone()),
    );
    let truth = tokio::task::spawn_blocking(move || {
        let mut sim = Simulator::new(Scenario::parse(ABSURD).unwrap(), SimOptions::default());
        pitwall_sim::run(&mut sim, &mut sink, 20.0, &AtomicBool::new(false)).unwrap();
        sim.truth().clone()
    })
    .await
    .unwrap();
    assert_eq!(truth.laps().count(), 3, "the simulator drove three laps");
    let mut numbers = Vec::new();
    for _ in 0..100 {
        let stored = store.recent_sessions(5, 0).await.unwrap();
        numbers = stored
            .first()
            .map(|s| s.laps.iter().map(|l| l.number).collect())
            .unwrap_or_default();
        if numbers.last() == Some(&3) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cancel.cancel();
    collector.await.unwrap();
    assert_eq!(numbers, vec![1, 3], "lap 2 (10 s) is not stored");
    let mut published = Vec::new();
    while let Ok(event) = feed.try_recv() {
        if let LiveEvent::LapCompleted { lap, .. } = &*event {
            published.push(lap.time_ms);
        }
    }
    assert_eq!(published, vec![40_000, 45_000], "nor published");
}
