//! Scenario tests: the simulator drives scripted sessions with ACC's quirks; the detector
//! must report exactly the laps the script drove, to the millisecond.

use crate::common;

use common::*;
use std::time::Duration;

/// "Out-lap from the pits, three laps (the second cut in sector 2), a restart, one lap, exit."
const EXAMPLE: &str = include_str!("../../../../scenarios/example.txt");

#[test]
fn example_session_at_60_hz() {
    let events = events(EXAMPLE, Duration::from_micros(16_667), 1);
    let laps = laps(&events);
    let times: Vec<u32> = laps.iter().map(|l| l.time_ms).collect();
    assert_eq!(
        times,
        [125_000, 107_345, 106_901, 107_002, 108_000],
        "{events:#?}"
    );
    let truth = truth(EXAMPLE, 1);
    for (lap, t) in laps.iter().zip(&truth) {
        assert_eq!(lap.number, t.number);
        assert_eq!(lap.valid, t.valid, "lap {}", lap.number);
        assert_eq!(lap.out_lap, t.out_lap, "lap {}", lap.number);
        assert_eq!(lap.in_lap, t.in_lap, "lap {}", lap.number);
        let sectors: Vec<u32> = lap
            .sectors
            .iter()
            .map(|s| s.expect("sector known at 60 Hz"))
            .collect();
        assert_eq!(sectors, t.sectors_ms, "lap {}", lap.number);
    }
}

/// Compares the detector's laps with the truth: same laps, same times to the ms; sectors
/// equal to the truth or unknown, never wrong; validity and out/in flags equal when `exact`.
fn assert_matches_truth(script: &str, interval: Duration, seed: u64, exact: bool) {
    let events = events(script, interval, seed);
    let laps = laps(&events);
    let truth = truth(script, seed);
    let got: Vec<(u32, u32)> = laps.iter().map(|l| (l.number, l.time_ms)).collect();
    let want: Vec<(u32, u32)> = truth.iter().map(|t| (t.number, t.time_ms)).collect();
    assert_eq!(got, want, "laps at {interval:?}");
    for (lap, t) in laps.iter().zip(&truth) {
        for (k, (s, ts)) in lap.sectors.iter().zip(&t.sectors_ms).enumerate() {
            if let Some(s) = s {
                assert_eq!(s, ts, "lap {} sector {k} at {interval:?}", lap.number);
            }
        }
        if exact {
            assert_eq!(
                lap.valid, t.valid,
                "lap {} validity at {interval:?}",
                lap.number
            );
            assert_eq!(
                (lap.out_lap, lap.in_lap),
                (t.out_lap, t.in_lap),
                "lap {} flags",
                lap.number
            );
            assert!(
                lap.sectors.iter().all(Option::is_some),
                "lap {} sectors at {interval:?}",
                lap.number
            );
        }
    }
    // Ids are unique.
    let mut ids: Vec<_> = laps.iter().map(|l| l.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), laps.len());
}

/// Every example script of `scenarios/`, sampled every `interval`.
fn example_scripts_at(hz: u64, exact: bool) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let script = std::fs::read_to_string(&path).unwrap();
        eprintln!("{} at {hz} Hz", path.display());
        assert_matches_truth(&script, Duration::from_micros(1_000_000 / hz), 3, exact);
        count += 1;
    }
    assert!(count >= 4);
}

#[test]
fn example_scripts_at_400_hz() {
    example_scripts_at(400, true);
}

#[test]
fn example_scripts_at_60_hz() {
    example_scripts_at(60, true);
}

#[test]
fn example_scripts_at_10_hz() {
    example_scripts_at(10, false);
}

#[test]
fn example_scripts_at_1_hz() {
    example_scripts_at(1, false);
}
