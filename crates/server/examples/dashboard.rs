//! Serves the dashboard over a freshly seeded store (the test fixtures: five sessions, hostile
//! strings included) with a made-up lap running on the live page, for looking at the pages
//! while developing.
//!
//! Run with `cargo run -p pitwall-server --example dashboard -- 127.0.0.1:8099`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/server/support.rs"]
mod support;

use std::time::Duration;

use pitwall_acc::enums::SessionType;
use pitwall_live::{LapJson, LiveEvent, LiveHub, Reference, SessionJson};

#[tokio::main]
async fn main() {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8099".into());
    let dir = tempfile::tempdir().unwrap();
    let store = support::seeded_store(dir.path()).await;
    let hub = LiveHub::new();
    tokio::spawn(drive(hub.clone()));
    let listener = tokio::net::TcpListener::bind(&listen).await.unwrap();
    println!("dashboard on http://{listen}/");
    let router = support::app(store, hub);
    pitwall_server::serve(listener, router, tokio_util::sync::CancellationToken::new())
        .await
        .unwrap();
}

/// Laps of about 1:25 at Brands Hatch, one after another, ticking every 100 ms.
async fn drive(hub: LiveHub) {
    let info = support::session(
        support::QUALIFY,
        "brands_hatch",
        "mclaren_720s_gt3_evo",
        "Margot",
        SessionType::Practice,
        support::DAY1,
    );
    hub.publish(LiveEvent::Status {
        connected: true,
        message: "Reading ACC (simulated)".into(),
    });
    hub.publish(LiveEvent::SessionStarted {
        session: SessionJson::of(&info, None),
        reference: Some(Reference {
            pb_ms: Some(84_470),
            pb_sectors: vec![Some(28_000), Some(21_820), Some(34_650)],
            best_sectors: vec![Some(27_950), Some(21_820), Some(34_650)],
            theoretical_best_ms: Some(84_420),
        }),
    });
    for number in 1u32.. {
        let id = format!("{:016x}", 0xabc0 + number);
        let sectors = [
            28_100 + number * 37 % 200,
            21_800 + number * 53 % 150,
            34_700,
        ];
        hub.publish(LiveEvent::LapStarted {
            lap_id: id.clone(),
            number,
            at_ms: 0,
            out_lap: false,
            partial: false,
        });
        let mut t = 0;
        for (k, s) in sectors.iter().enumerate() {
            let end = t + s;
            while t + 100 < end {
                t += 100;
                tokio::time::sleep(Duration::from_millis(100)).await;
                hub.publish(LiveEvent::Tick {
                    lap_id: id.clone(),
                    current_ms: t,
                    sector: u8::try_from(k).unwrap(),
                    valid: true,
                    at_ms: 0,
                });
            }
            t = end;
            if k < 2 {
                hub.publish(LiveEvent::SectorCompleted {
                    lap_id: id.clone(),
                    sector: u8::try_from(k).unwrap(),
                    time_ms: Some(*s),
                    valid: true,
                    at_ms: 0,
                    delta_ms: Some(i64::from(t) - i64::from(if k == 0 { 28_000 } else { 49_820 })),
                });
            }
        }
        let lap = support::laps(&info, &[(sectors, support::FLYING)]);
        let mut json = LapJson::of(&lap[0]);
        json.id = id;
        json.number = number;
        hub.publish(LiveEvent::LapCompleted {
            lap: json,
            personal_best: false,
            session_best: number == 1,
            delta_ms: Some(i64::from(t) - 84_470),
        });
    }
}
