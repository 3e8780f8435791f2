//! The JSON shapes of sessions and laps that pitwall's own API and live feed send. Ids are
//! 16 hex digits (as the CLI prints them), times integer milliseconds, enums ACC's labels.

use pitwall_core::model::{Lap, SessionInfo};
use serde::{Deserialize, Serialize};

/// A session as the API and the live feed send it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionJson {
    /// Session id (hex).
    pub id: String,
    /// Kunos track id.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// ACC session type label (`PRACTICE`, `QUALIFY`, `RACE`, …).
    pub session_type: String,
    /// Driver name.
    pub driver: String,
    /// Sectors per lap.
    pub sector_count: u8,
    /// When it started (ms since the Unix epoch).
    pub started_at_ms: u64,
    /// When it ended, if it has.
    pub ended_at_ms: Option<u64>,
    /// Online session.
    pub online: bool,
}

impl SessionJson {
    /// The JSON of a session.
    pub fn of(info: &SessionInfo, ended_at_ms: Option<u64>) -> Self {
        SessionJson {
            id: info.id.to_string(),
            track: info.track.clone(),
            car: info.car.clone(),
            session_type: info.session_type.label().into_owned(),
            driver: info.driver.clone(),
            sector_count: info.sector_count,
            started_at_ms: info.started_at_ms,
            ended_at_ms,
            online: info.online,
        }
    }
}

/// A completed lap as the API and the live feed send it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LapJson {
    /// Lap id (hex).
    pub id: String,
    /// Session id (hex).
    pub session_id: String,
    /// 1-based lap number.
    pub number: u32,
    /// Lap time, ms.
    pub time_ms: u32,
    /// Each sector's own time, ms (`null` where unknown).
    pub sectors: Vec<Option<u32>>,
    /// Not invalidated.
    pub valid: bool,
    /// The 0-based sector in which it was invalidated.
    pub invalid_sector: Option<u8>,
    /// Started in the pit lane.
    pub out_lap: bool,
    /// Ended in the pit lane.
    pub in_lap: bool,
    /// Already running when first seen.
    pub partial: bool,
    /// Start, ms since the epoch.
    pub started_at_ms: u64,
    /// Completion, ms since the epoch.
    pub completed_at_ms: u64,
}

impl LapJson {
    /// The JSON of a lap.
    pub fn of(lap: &Lap) -> Self {
        LapJson {
            id: lap.id.to_string(),
            session_id: lap.session.to_string(),
            number: lap.number,
            time_ms: lap.time_ms,
            sectors: lap.sectors.clone(),
            valid: lap.valid,
            invalid_sector: lap.invalid_sector,
            out_lap: lap.out_lap,
            in_lap: lap.in_lap,
            partial: lap.partial,
            started_at_ms: lap.started_at_ms,
            completed_at_ms: lap.completed_at_ms,
        }
    }
}
