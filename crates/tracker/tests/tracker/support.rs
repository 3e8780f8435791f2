//! Test support for the uploader's tests: a practice session of Ann's and its laps, made
//! from the few values each test chooses, and a SQLite store in a temporary directory.

#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_store::AnyStore;

/// Ann's practice session `id` at `track` in `car`, three sectors, started at `started_at_ms`.
pub fn session(id: SessionId, track: &str, car: &str, started_at_ms: u64) -> SessionInfo {
    SessionInfo {
        id,
        track: track.into(),
        car: car.into(),
        session_type: SessionType::Practice,
        driver: "Ann".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms,
        sm_version: "1.9".into(),
        ac_version: "1.10".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

/// A valid flying lap `number` of `session` with these sectors (its time is their sum),
/// driven from `started_at_ms` to `completed_at_ms`.
pub fn lap(
    session: SessionId,
    id: u64,
    number: u32,
    sectors: [u32; 3],
    started_at_ms: u64,
    completed_at_ms: u64,
) -> Lap {
    Lap {
        id: LapId(id),
        session,
        number,
        time_ms: sectors.iter().sum(),
        sectors: sectors.iter().map(|&s| Some(s)).collect(),
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms,
        completed_at_ms,
        car: Default::default(),
        driver: String::new(),
    }
}

/// A SQLite store in the file `name` of `dir`.
pub async fn sqlite(dir: &tempfile::TempDir, name: &str) -> AnyStore {
    pitwall_store::open(dir.path().join(name).to_str().unwrap())
        .await
        .unwrap()
}
