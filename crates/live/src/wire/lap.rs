//! [`LapJson`]: a completed lap on every wire.

use pitwall_core::model::{Car, Lap, LapId, SessionId, SessionInfo};
use serde::{Deserialize, Serialize};

use super::{WireError, parse_id};

/// A completed lap, as the live feed, the API, export files, uploads and ingest carry it:
/// every field of the core [`Lap`].
///
/// The lap's car and driver (`car_index`, `car_model`, `race_number`, `driver`) are always
/// written by [`LapJson::of`]; export files ([`LapJson::in_session`]) leave out those equal
/// to what an absent field means, so files from before car identity (format version 1) read
/// and write back byte for byte: an absent `car_index` is 0, an absent `car_model` or
/// `driver` the session's, an absent `race_number` none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LapJson {
    /// Lap id: 16 hexadecimal digits.
    pub id: String,
    /// Its session's id: 16 hexadecimal digits.
    pub session_id: String,
    /// 1-based lap number.
    pub number: u32,
    /// Lap time, ms.
    pub time_ms: u32,
    /// Each sector's own time, ms (`null` where unknown).
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
    /// Start, ms since the epoch.
    pub started_at_ms: u64,
    /// Completion, ms since the epoch.
    pub completed_at_ms: u64,
    /// The car's index in the game (absent: 0, the player's car of an older file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub car_index: Option<u16>,
    /// The car's Kunos model id (absent: the session's car).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub car_model: Option<String>,
    /// The race number on the car, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub race_number: Option<i32>,
    /// Who drove the lap (absent: the session's driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
}

impl LapJson {
    /// The lap counts (valid, flying, timed): [`pitwall_core::model::lap_counts`].
    pub fn counts(&self) -> bool {
        pitwall_core::model::lap_counts(self.valid, self.out_lap, self.in_lap, self.time_ms)
    }

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
            car_index: Some(lap.car.index),
            car_model: Some(lap.car.model.clone()),
            race_number: lap.car.race_number,
            driver: Some(lap.driver.clone()),
        }
    }

    /// The JSON of a lap of the session `info` as export files write it: without the
    /// identity fields whose absence means the same (index 0, the session's car and driver).
    pub fn in_session(lap: &Lap, info: &SessionInfo) -> Self {
        let mut json = LapJson::of(lap);
        json.car_index = json.car_index.filter(|&i| i != 0);
        json.car_model = json.car_model.filter(|m| *m != info.car);
        json.driver = json.driver.filter(|d| *d != info.driver);
        json
    }

    /// The core lap of the session `info`, its ids checked, absent identity fields read as
    /// [`LapJson::in_session`] leaves them out.
    pub fn into_session_lap(mut self, info: &SessionInfo) -> Result<Lap, WireError> {
        self.car_model.get_or_insert_with(|| info.car.clone());
        self.driver.get_or_insert_with(|| info.driver.clone());
        Lap::try_from(self)
    }

    /// The core lap under the given ids, for a reader that takes the ids its own way (the
    /// TUI only tells laps apart by them); [`Lap::try_from`] checks the lap's own.
    pub fn into_lap(self, id: LapId, session: SessionId) -> Lap {
        Lap {
            id,
            session,
            number: self.number,
            time_ms: self.time_ms,
            sectors: self.sectors,
            valid: self.valid,
            invalid_sector: self.invalid_sector,
            out_lap: self.out_lap,
            in_lap: self.in_lap,
            partial: self.partial,
            started_at_ms: self.started_at_ms,
            completed_at_ms: self.completed_at_ms,
            car: Car {
                index: self.car_index.unwrap_or(0),
                model: self.car_model.unwrap_or_default(),
                race_number: self.race_number,
            },
            driver: self.driver.unwrap_or_default(),
        }
    }
}

impl TryFrom<LapJson> for Lap {
    type Error = WireError;

    /// The core lap, its ids checked (16 hexadecimal digits each).
    fn try_from(json: LapJson) -> Result<Self, WireError> {
        let id = LapId(parse_id("lap", &json.id)?);
        let session = SessionId(parse_id("session", &json.session_id)?);
        Ok(json.into_lap(id, session))
    }
}
