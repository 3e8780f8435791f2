//! [`SessionJson`]: a session as pitwall's own API and the live feed send it.

use pitwall_core::model::SessionInfo;
use pitwall_core::names;
use serde::{Deserialize, Serialize};

/// A session as the API and the live feed send it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionJson {
    /// Session id (hex).
    pub id: String,
    /// Kunos track id.
    pub track: String,
    /// The track's name (`Monza`; a prettified id for tracks pitwall does not know).
    pub track_name: String,
    /// Kunos car model id.
    pub car: String,
    /// The car's name (`Ferrari 296 GT3`; a prettified id for unknown cars).
    pub car_name: String,
    /// ACC session type label (`PRACTICE`, `QUALIFY`, `RACE`, …).
    pub session_type: String,
    /// The session type in words (`Practice`, `Qualifying`, …).
    pub session_type_name: String,
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
            track_name: names::track_name(&info.track).into_owned(),
            car: info.car.clone(),
            car_name: names::car_name(&info.car).into_owned(),
            session_type: info.session_type.label().into_owned(),
            session_type_name: names::session_type_name(info.session_type).into_owned(),
            driver: info.driver.clone(),
            sector_count: info.sector_count,
            started_at_ms: info.started_at_ms,
            ended_at_ms,
            online: info.online,
        }
    }
}
