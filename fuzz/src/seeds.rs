//! Seed inputs, made by pitwall's own code as the tests make them: a recording of a short
//! simulated session, an export of a few sessions, and a valid upload of each.

use std::time::Duration;

use pitwall_acc::Snapshot;
use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_live::{FullSessionJson, LapJson};
use pitwall_recording::Recorder;
use pitwall_sim::{Scenario, SimOptions, Simulator, sample};
use pitwall_store::SessionWithLaps;
use pitwall_store::export::JsonWriter;
use serde_json::{Value, json};

/// A short simulated session: out of the pits, an out-lap and a flying lap.
const SCRIPT: &str =
    "track zolder\ndriver Tester\npitbox 2s\noutlap 1:00.000\nlap 0:45.000\nexit\n";

/// The simulator's snapshots of `SCRIPT`, one every `every`.
///
/// # Panics
/// When the built-in script does not parse (a bug in the simulator).
pub fn snapshots(every: Duration) -> Vec<Snapshot> {
    #[allow(clippy::expect_used)]
    let scenario: Scenario = SCRIPT.parse().expect("the seed script parses");
    sample(Simulator::new(scenario, SimOptions::default()), every).collect()
}

/// A recording of the simulated session (flushed into several blocks), as bytes.
///
/// # Panics
/// When recording into memory fails (a bug in the recorder).
#[allow(clippy::expect_used)]
pub fn recording() -> Vec<u8> {
    let mut rec = Recorder::new(Vec::new()).expect("a recorder in memory");
    for (i, snap) in snapshots(Duration::from_secs(1)).iter().enumerate() {
        rec.push(snap).expect("recording into memory");
        if i % 30 == 29 {
            rec.flush().expect("flushing into memory");
        }
    }
    rec.finish().expect("finishing in memory")
}

/// 2024-05-31 10:00:00 UTC.
const T0: u64 = 1_717_149_600_000;

fn session(id: u64, driver: &str, session_type: SessionType, started_at_ms: u64) -> SessionInfo {
    SessionInfo {
        id: SessionId(id),
        track: "monza".into(),
        car: "ferrari_296_gt3".into(),
        session_type,
        driver: driver.into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

fn lap(info: &SessionInfo, number: u32, time_ms: u32, at: u64) -> Lap {
    let s1 = time_ms / 3;
    let s2 = time_ms / 3 + 500;
    let completed = info.started_at_ms + at;
    Lap {
        id: LapId((info.id.0 << 8) | u64::from(number)),
        session: info.id,
        number,
        time_ms,
        sectors: vec![Some(s1), Some(s2), Some(time_ms - s1 - s2)],
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: completed - u64::from(time_ms),
        completed_at_ms: completed,
        car: pitwall_core::model::Car::new(0, info.car.clone()),
        driver: info.driver.clone(),
    }
}

/// A few sessions with laps of every kind (out-lap, invalid, a missed split, partial).
pub fn sessions(driver: &str) -> Vec<SessionWithLaps> {
    let a = session(0xa1, driver, SessionType::Practice, T0);
    let mut out = lap(&a, 1, 130_000, 140_000);
    out.out_lap = true;
    let mut cut = lap(&a, 3, 106_000, 360_000);
    cut.valid = false;
    cut.invalid_sector = Some(1);
    let mut missed = lap(&a, 4, 108_100, 470_000);
    missed.sectors[1] = None;
    let laps = vec![out, lap(&a, 2, 107_345, 250_000), cut, missed];
    let a = SessionWithLaps {
        info: a,
        ended_at_ms: Some(T0 + 600_000),
        laps,
    };
    let mut b = session(0xb1, driver, SessionType::Race, T0 + 86_400_000);
    b.joined_late = true;
    let mut partial = lap(&b, 5, 109_000, 60_000);
    partial.partial = true;
    partial.sectors[0] = None;
    let laps = vec![partial, lap(&b, 6, 107_000, 167_000)];
    let b = SessionWithLaps {
        info: b,
        ended_at_ms: None,
        laps,
    };
    let c = SessionWithLaps {
        info: session(0xc1, driver, SessionType::Unknown(42), T0 + 90_000_000),
        ended_at_ms: None,
        laps: Vec::new(),
    };
    vec![a, b, c]
}

/// An export of `sessions`, as `pitwall export` writes it.
///
/// # Panics
/// When writing into memory fails (a bug in the writer).
#[allow(clippy::expect_used)]
pub fn export(sessions: &[SessionWithLaps]) -> Vec<u8> {
    let mut writer = JsonWriter::begin(Vec::new(), T0 + 100_000_000).expect("export into memory");
    for s in sessions {
        writer.session(s).expect("export into memory");
    }
    writer.finish().expect("export into memory")
}

/// The upload of `s`: `{"session": …, "ended_at_ms": …, "laps": […]}`, as the uploader
/// sends it.
pub fn upload(s: &SessionWithLaps) -> Vec<u8> {
    let mut session = serde_json::to_value(FullSessionJson::from(s)).unwrap_or(Value::Null);
    if let Some(fields) = session.as_object_mut() {
        fields.remove("laps");
        fields.remove("ended_at_ms");
    }
    let laps: Vec<Value> = s
        .laps
        .iter()
        .map(|l| serde_json::to_value(LapJson::of(l)).unwrap_or(Value::Null))
        .collect();
    json!({"session": session, "ended_at_ms": s.ended_at_ms, "laps": laps})
        .to_string()
        .into_bytes()
}
