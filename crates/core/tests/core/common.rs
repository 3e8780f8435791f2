//! Shared test helpers: drive the simulator, sample it like a poller, feed the detector.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use pitwall_core::{Detector, Event, FrameDecoder, Lap};
use pitwall_sim::{Scenario, SimOptions, Simulator, TruthLap, sample};
use std::time::Duration;

/// Every event the detector emits for the scenario sampled every `interval`.
pub(crate) fn events(script: &str, interval: Duration, seed: u64) -> Vec<Event> {
    let scenario = Scenario::parse(script).expect("scenario parses");
    let sim = Simulator::new(
        scenario,
        SimOptions {
            seed,
            ..SimOptions::default()
        },
    );
    run(sample(sim, interval))
}

/// Feeds snapshots to a fresh detector; a final `gone` ends the session as a source would.
pub(crate) fn run(snaps: impl Iterator<Item = pitwall_acc::Snapshot>) -> Vec<Event> {
    let mut decoder = FrameDecoder::default();
    let mut detector = Detector::new();
    let mut out = Vec::new();
    let mut last_at = 0;
    for snap in snaps {
        let at_ms = snap.at.as_millis() as u64;
        let (frame, statics) = decoder.decode(&snap, at_ms);
        if let Some(info) = statics {
            detector.statics(info);
        }
        detector.push(&frame, &mut out);
        last_at = at_ms;
    }
    detector.gone(last_at + 5_000, &mut out);
    out
}

/// The completed laps among `events`.
pub(crate) fn laps(events: &[Event]) -> Vec<Lap> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::LapCompleted(l) => Some(l.clone()),
            _ => None,
        })
        .collect()
}

/// The truth's laps of a scenario.
pub(crate) fn truth(script: &str, seed: u64) -> Vec<TruthLap> {
    let scenario = Scenario::parse(script).expect("scenario parses");
    let mut sim = Simulator::new(
        scenario,
        SimOptions {
            seed,
            ..SimOptions::default()
        },
    );
    while sim.step().is_some() {}
    sim.truth().laps().cloned().collect()
}
