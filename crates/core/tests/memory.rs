//! Memory is constant in the length of a session: the detector allocates per lap (the
//! events it returns), never per frame. Counted with a global allocator over an hour of
//! driving at 60 Hz (dhat's heap statistics).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pitwall_core::{Detector, Event, FrameDecoder};
use pitwall_sim::{Scenario, SimOptions, Simulator, sample};
use std::time::Duration;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn allocations() -> u64 {
    dhat::HeapStats::get().total_blocks
}

#[test]
fn allocations_grow_with_laps_not_frames() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let sim = Simulator::new(Scenario::endless(9), SimOptions::default());
    let mut decoder = FrameDecoder::default();
    let frames: Vec<_> = sample(sim, Duration::from_micros(16_667))
        .take_while(|s| s.at <= Duration::from_secs(3600))
        .map(|s| decoder.decode(&s, s.at.as_millis() as u64))
        .collect();
    let mut detector = Detector::new();
    let mut out = Vec::with_capacity(100_000);
    let before = allocations();
    for (frame, statics) in &frames {
        if let Some(info) = statics {
            detector.statics(info.clone());
        }
        detector.push(frame, &mut out);
    }
    let allocations = allocations() - before;
    let laps = out
        .iter()
        .filter(|e| matches!(e, Event::LapCompleted(_)))
        .count();
    let static_changes = frames.iter().filter(|(_, s)| s.is_some()).count();
    assert!(laps > 20, "{laps} laps in an hour");
    eprintln!(
        "{} frames, {laps} laps, {allocations} allocations",
        frames.len()
    );
    // A few per lap and per session (the events' strings and sector lists), none per frame.
    assert!(
        allocations <= 8 * (laps + static_changes + 10) as u64,
        "{allocations} allocations for {} frames and {laps} laps",
        frames.len()
    );
}
