//! The seam for sources of timing rather than pages: a test timing source gives two cars
//! (two drivers, two car models, interleaved laps, one invalid) to `pitwall_tracker::run`,
//! and each lap reaches the store, the JSON API and the live feed with its car and driver.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::sqlite;
use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Car, EndReason, Event, Lap, LapId, SessionId, SessionInfo};
use pitwall_live::{LiveEvent, LiveHub};
use pitwall_server::{AppState, ServerConfig};
use pitwall_store::Reads as _;
use pitwall_tracker::{Timing, TimingSource, TrackerOptions};
use tokio_util::sync::CancellationToken;

/// Gives its events in one read, then ends.
struct Feed(Option<Vec<Event>>);

impl TimingSource for Feed {
    fn describe(&self) -> String {
        "a test feed".into()
    }

    fn read(&mut self) -> Result<Timing, Box<dyn std::error::Error + Send + Sync>> {
        Ok(self.0.take().map_or(Timing::End, Timing::Events))
    }
}

fn now_ms() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    u64::try_from(since.as_millis()).unwrap()
}

fn info(started_at_ms: u64) -> SessionInfo {
    SessionInfo {
        id: SessionId(0x5e55_1011),
        track: "monza".into(),
        car: "ferrari_296_gt3".into(),
        session_type: SessionType::Race,
        driver: "Ana Silva".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms,
        sm_version: "1.9".into(),
        ac_version: "1.10".into(),
        online: true,
        joined_late: false,
        conditions: None,
    }
}

fn lap(session: &SessionInfo, car: &Car, driver: &str, number: u32, valid: bool) -> Lap {
    let started_at_ms = session.started_at_ms + u64::from(number) * 100_000 + u64::from(car.index);
    Lap {
        id: LapId::of_car(session.id, car.index, number),
        session: session.id,
        number,
        time_ms: 100_000 + car.index as u32,
        sectors: vec![Some(33_000), Some(34_000), Some(33_000 + car.index as u32)],
        valid,
        invalid_sector: (!valid).then_some(1),
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms,
        completed_at_ms: started_at_ms + 100_000 + u64::from(car.index),
        car: car.clone(),
        driver: driver.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_cars_reach_the_store_the_api_and_the_live_feed_with_their_car_and_driver() {
    let session = info(now_ms() - 3_600_000);
    let ana = Car {
        index: 0,
        model: "ferrari_296_gt3".into(),
        race_number: Some(7),
    };
    let bo = Car {
        index: 1003,
        model: "bmw_m4_gt3".into(),
        race_number: Some(31),
    };
    let laps = vec![
        lap(&session, &ana, "Ana Silva", 1, true),
        lap(&session, &bo, "Bo Berg", 1, true),
        lap(&session, &ana, "Ana Silva", 2, false),
        lap(&session, &bo, "Bo Berg", 2, true),
    ];
    let mut events = vec![Event::SessionStarted(session.clone())];
    events.extend(laps.iter().cloned().map(Event::LapCompleted));
    events.push(Event::SessionEnded {
        id: session.id,
        at_ms: session.started_at_ms + 500_000,
        reason: EndReason::Left,
    });

    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir, "db.sqlite").await;
    let hub = LiveHub::new();
    let (_, mut feed) = hub.subscribe();
    let options = TrackerOptions::timing(Box::new(Feed(Some(events))), store.clone(), hub.clone());
    tokio::time::timeout(
        Duration::from_secs(20),
        pitwall_tracker::run(options, CancellationToken::new()),
    )
    .await
    .expect("the tracker returns when the feed ends")
    .unwrap();

    // The store: every lap with its car and driver, the invalid one too.
    let stored = store.session(session.id).await.unwrap().unwrap();
    assert_eq!(stored.laps.len(), 4);
    for want in &laps {
        let got = stored.laps.iter().find(|l| l.id == want.id).unwrap();
        assert_eq!(got, want);
    }
    let filtered = store
        .laps(&pitwall_store::LapFilter::default())
        .await
        .unwrap();
    assert_eq!(filtered.len(), 4);
    for row in &filtered {
        let want = laps.iter().find(|l| l.id == row.lap.id).unwrap();
        assert_eq!((&row.lap.car, &row.lap.driver), (&want.car, &want.driver));
    }

    // The JSON API over the same store.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(store.clone(), LiveHub::new(), ServerConfig::default());
    let stop = state.shutdown.clone();
    let server = tokio::spawn(pitwall_server::serve(
        listener,
        pitwall_server::router(state),
        stop.clone(),
    ));
    let body: serde_json::Value = reqwest::get(format!("{url}/api/v1/sessions/{}", session.id))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_laps = body["laps"].as_array().expect("the session's laps");
    assert_eq!(api_laps.len(), 4);
    for want in &laps {
        let got = api_laps
            .iter()
            .find(|l| l["id"] == want.id.to_string())
            .unwrap();
        assert_eq!(got["car_index"], want.car.index);
        assert_eq!(got["car_model"], want.car.model.as_str());
        assert_eq!(got["race_number"], want.car.race_number.unwrap());
        assert_eq!(got["driver"], want.driver.as_str());
        assert_eq!(got["valid"], want.valid);
    }
    stop.cancel();
    server.await.unwrap().unwrap();

    // The live feed: each completed lap's event, and the state's laps of the session.
    let mut live = Vec::new();
    while let Ok(event) = feed.try_recv() {
        if let LiveEvent::LapCompleted { lap, .. } = &*event {
            live.push(lap.clone());
        }
    }
    assert_eq!(live.len(), 4);
    let state = hub.state();
    for (i, want) in laps.iter().enumerate() {
        assert_eq!(live[i].id, want.id.to_string(), "in the feed's order");
        assert_eq!(live[i].car_index, Some(want.car.index));
        assert_eq!(live[i].car_model.as_deref(), Some(want.car.model.as_str()));
        assert_eq!(live[i].race_number, want.car.race_number);
        assert_eq!(live[i].driver.as_deref(), Some(want.driver.as_str()));
        let held = state.laps.iter().find(|l| l.id == live[i].id).unwrap();
        assert_eq!(held, &live[i]);
    }
}
