//! [`FullSessionJson`]: a session with every field the store keeps, and its laps, as export
//! files, uploads and ingest carry it. Lossless: JSON → core → JSON gives the same text (ids
//! as 16 hexadecimal digits, enums as ACC's numbers, the session type with its label too,
//! temperatures as the `f32`s they are). Reading is strict: unknown fields are refused, and
//! a lap must name the session it is listed under.

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{Conditions, Lap, SessionId, SessionInfo};
use serde::{Deserialize, Serialize};

use super::{LapJson, WireError, parse_id};

/// A session with its laps: every field of the core [`SessionInfo`], its end and its laps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullSessionJson {
    /// The session id: 16 hexadecimal digits.
    pub id: String,
    /// Kunos track id.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// ACC's session type number (`-1` for UNKNOWN; numbers ACC does not list are kept).
    pub session_type: i32,
    /// The readable name of `session_type` (`RACE`, `UNKNOWN(9)`); must match it.
    pub session_type_label: String,
    /// The driver.
    pub driver: String,
    /// Sectors per lap.
    pub sector_count: u8,
    /// `sessionIndex` within the weekend.
    pub session_index: i32,
    /// When the session started (ms).
    pub started_at_ms: u64,
    /// When it ended (ms), or `null`.
    pub ended_at_ms: Option<u64>,
    /// `smVersion` of the pages.
    pub sm_version: String,
    /// `acVersion` of the pages.
    pub ac_version: String,
    /// Online session.
    pub online: bool,
    /// The tracker joined the session late.
    pub joined_late: bool,
    /// Weather and track at the start, or `null` when unknown.
    pub conditions: Option<ConditionsJson>,
    /// Its completed laps, in the store's order.
    pub laps: Vec<LapJson>,
}

/// Weather and track conditions.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionsJson {
    /// Air temperature, °C.
    pub air_temp_c: f32,
    /// Track surface temperature, °C.
    pub road_temp_c: f32,
    /// ACC's track grip number (`trackGripStatus`).
    pub grip: i32,
    /// ACC's rain intensity number (`rainIntensity`).
    pub rain: i32,
}

impl FullSessionJson {
    /// The JSON of a session that ended at `ended_at_ms` (or runs still) with `laps`.
    pub fn of(info: &SessionInfo, ended_at_ms: Option<u64>, laps: &[Lap]) -> Self {
        FullSessionJson {
            id: info.id.to_string(),
            track: info.track.clone(),
            car: info.car.clone(),
            session_type: i32::from(info.session_type),
            session_type_label: info.session_type.label().into_owned(),
            driver: info.driver.clone(),
            sector_count: info.sector_count,
            session_index: info.session_index,
            started_at_ms: info.started_at_ms,
            ended_at_ms,
            sm_version: info.sm_version.clone(),
            ac_version: info.ac_version.clone(),
            online: info.online,
            joined_late: info.joined_late,
            conditions: info.conditions.map(ConditionsJson::from),
            laps: laps.iter().map(|l| LapJson::in_session(l, info)).collect(),
        }
    }

    /// The session, its end and its laps, checked: ids of 16 hexadecimal digits, a label that
    /// matches the session type's number, every lap naming this session.
    pub fn into_parts(self) -> Result<(SessionInfo, Option<u64>, Vec<Lap>), WireError> {
        let id = SessionId(parse_id("session", &self.id)?);
        let session_type = SessionType::from(self.session_type);
        let expected = session_type.label();
        if self.session_type_label != expected {
            return Err(WireError::SessionTypeMismatch {
                session: id,
                number: self.session_type,
                expected: expected.into_owned(),
                found: self.session_type_label,
            });
        }
        let laps = self.laps;
        let info = SessionInfo {
            id,
            track: self.track,
            car: self.car,
            session_type,
            driver: self.driver,
            sector_count: self.sector_count,
            session_index: self.session_index,
            started_at_ms: self.started_at_ms,
            sm_version: self.sm_version,
            ac_version: self.ac_version,
            online: self.online,
            joined_late: self.joined_late,
            conditions: self.conditions.map(Conditions::from),
        };
        let laps = laps
            .into_iter()
            .map(|lap| {
                let lap = lap.into_session_lap(&info)?;
                if lap.session != id {
                    return Err(WireError::LapInWrongSession {
                        lap: lap.id,
                        number: lap.number,
                        lap_session: lap.session,
                        session: id,
                    });
                }
                Ok(lap)
            })
            .collect::<Result<_, _>>()?;
        Ok((info, self.ended_at_ms, laps))
    }
}

impl From<Conditions> for ConditionsJson {
    fn from(c: Conditions) -> Self {
        ConditionsJson {
            air_temp_c: c.air_temp_c,
            road_temp_c: c.road_temp_c,
            grip: i32::from(c.grip),
            rain: i32::from(c.rain),
        }
    }
}

impl From<ConditionsJson> for Conditions {
    fn from(c: ConditionsJson) -> Self {
        Conditions {
            air_temp_c: c.air_temp_c,
            road_temp_c: c.road_temp_c,
            grip: GripStatus::from(c.grip),
            rain: RainIntensity::from(c.rain),
        }
    }
}
