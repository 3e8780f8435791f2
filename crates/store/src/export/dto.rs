//! The serde shapes of pitwall's JSON export (format `pitwall-export`, version 1) and their
//! conversions to and from the domain model. Every field of a session and of its laps is
//! kept, so JSON → import → export is lossless: ids as 16 hexadecimal digits (as they
//! print), enums as ACC's numbers (the session type with a readable label too), temperatures
//! as the `f32`s they are. Reading is strict: unknown fields are rejected, and a lap must
//! name the session it is listed under.

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{Conditions, Lap, LapId, SessionId, SessionInfo};
use serde::{Deserialize, Serialize};

use super::error::ExportError;
use crate::types::SessionWithLaps;

/// The value of the document's `format` field.
pub const FORMAT: &str = "pitwall-export";

/// The version of the format this pitwall writes and reads.
pub const VERSION: u32 = 1;

/// A whole export document. Exports are written piece by piece (see
/// [`JsonWriter`](super::JsonWriter)) in exactly this shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// When the export was written (ms since 1970, UTC).
    pub exported_at_ms: u64,
    /// The sessions, each with its laps.
    pub sessions: Vec<SessionDto>,
}

/// A session with its laps, as exported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDto {
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
    pub conditions: Option<ConditionsDto>,
    /// Its completed laps, in the store's order.
    pub laps: Vec<LapDto>,
}

/// Weather and track conditions, as exported.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionsDto {
    /// Air temperature, °C.
    pub air_temp_c: f32,
    /// Track surface temperature, °C.
    pub road_temp_c: f32,
    /// ACC's track grip number (`trackGripStatus`).
    pub grip: i32,
    /// ACC's rain intensity number (`rainIntensity`).
    pub rain: i32,
}

/// A completed lap, as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LapDto {
    /// The lap id: 16 hexadecimal digits.
    pub id: String,
    /// Its session's id: the session it is listed under.
    pub session_id: String,
    /// 1-based lap number.
    pub number: u32,
    /// Lap time (ms).
    pub time_ms: u32,
    /// Each sector's own time (ms), `null` where unknown.
    pub sectors: Vec<Option<u32>>,
    /// Not invalidated during the lap.
    pub valid: bool,
    /// The 0-based sector in which it was invalidated, or `null`.
    pub invalid_sector: Option<u8>,
    /// Started in the pit lane.
    pub out_lap: bool,
    /// Ended in the pit lane.
    pub in_lap: bool,
    /// Already running when the tracker first saw it.
    pub partial: bool,
    /// When it started (ms).
    pub started_at_ms: u64,
    /// When it was completed (ms).
    pub completed_at_ms: u64,
}

/// An id as exported: 16 lowercase hexadecimal digits, as ids print.
fn id_text(id: u64) -> String {
    format!("{id:016x}")
}

/// An exported id: exactly 16 hexadecimal digits (either case).
fn parse_id(what: &'static str, text: &str) -> Result<u64, ExportError> {
    let bad = || ExportError::BadId {
        what,
        value: text.to_owned(),
    };
    if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    u64::from_str_radix(text, 16).map_err(|_| bad())
}

impl From<&SessionWithLaps> for SessionDto {
    fn from(s: &SessionWithLaps) -> Self {
        let info = &s.info;
        SessionDto {
            id: id_text(info.id.0),
            track: info.track.clone(),
            car: info.car.clone(),
            session_type: i32::from(info.session_type),
            session_type_label: info.session_type.label().into_owned(),
            driver: info.driver.clone(),
            sector_count: info.sector_count,
            session_index: info.session_index,
            started_at_ms: info.started_at_ms,
            ended_at_ms: s.ended_at_ms,
            sm_version: info.sm_version.clone(),
            ac_version: info.ac_version.clone(),
            online: info.online,
            joined_late: info.joined_late,
            conditions: info.conditions.map(ConditionsDto::from),
            laps: s.laps.iter().map(LapDto::from).collect(),
        }
    }
}

impl TryFrom<SessionDto> for SessionWithLaps {
    type Error = ExportError;

    fn try_from(dto: SessionDto) -> Result<Self, ExportError> {
        let id = SessionId(parse_id("session", &dto.id)?);
        let session_type = SessionType::from(dto.session_type);
        let expected = session_type.label();
        if dto.session_type_label != expected {
            return Err(ExportError::SessionTypeMismatch {
                session: id,
                number: dto.session_type,
                expected: expected.into_owned(),
                found: dto.session_type_label,
            });
        }
        let laps = dto
            .laps
            .into_iter()
            .map(|lap| {
                let lap = Lap::try_from(lap)?;
                if lap.session != id {
                    return Err(ExportError::LapInWrongSession {
                        lap: lap.id,
                        number: lap.number,
                        lap_session: lap.session,
                        session: id,
                    });
                }
                Ok(lap)
            })
            .collect::<Result<_, _>>()?;
        Ok(SessionWithLaps {
            info: SessionInfo {
                id,
                track: dto.track,
                car: dto.car,
                session_type,
                driver: dto.driver,
                sector_count: dto.sector_count,
                session_index: dto.session_index,
                started_at_ms: dto.started_at_ms,
                sm_version: dto.sm_version,
                ac_version: dto.ac_version,
                online: dto.online,
                joined_late: dto.joined_late,
                conditions: dto.conditions.map(Conditions::from),
            },
            ended_at_ms: dto.ended_at_ms,
            laps,
        })
    }
}

impl From<Conditions> for ConditionsDto {
    fn from(c: Conditions) -> Self {
        ConditionsDto {
            air_temp_c: c.air_temp_c,
            road_temp_c: c.road_temp_c,
            grip: i32::from(c.grip),
            rain: i32::from(c.rain),
        }
    }
}

impl From<ConditionsDto> for Conditions {
    fn from(c: ConditionsDto) -> Self {
        Conditions {
            air_temp_c: c.air_temp_c,
            road_temp_c: c.road_temp_c,
            grip: GripStatus::from(c.grip),
            rain: RainIntensity::from(c.rain),
        }
    }
}

impl From<&Lap> for LapDto {
    fn from(lap: &Lap) -> Self {
        LapDto {
            id: id_text(lap.id.0),
            session_id: id_text(lap.session.0),
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

impl TryFrom<LapDto> for Lap {
    type Error = ExportError;

    fn try_from(dto: LapDto) -> Result<Self, ExportError> {
        Ok(Lap {
            id: LapId(parse_id("lap", &dto.id)?),
            session: SessionId(parse_id("session", &dto.session_id)?),
            number: dto.number,
            time_ms: dto.time_ms,
            sectors: dto.sectors,
            valid: dto.valid,
            invalid_sector: dto.invalid_sector,
            out_lap: dto.out_lap,
            in_lap: dto.in_lap,
            partial: dto.partial,
            started_at_ms: dto.started_at_ms,
            completed_at_ms: dto.completed_at_ms,
        })
    }
}
