//! The JSON shapes of pitwall's own API (`/api/v1/…`) around its sessions and laps: lists,
//! details, lap searches, records and statistics. Sessions and laps themselves are the wire
//! shapes every way in and out shares ([`SessionJson`], [`LapJson`] of `pitwall_live::wire`).
//! Ids are 16 hex digits (as the CLI prints them), times integer milliseconds, enums ACC's
//! labels; tracks, cars and session types also come with their readable names
//! (`pitwall_core::names`). (`GET /api/sessions` keeps the original tracker's own shape
//! instead: see `api::compat`.)

use pitwall_core::names;
use pitwall_core::stats::{BestSector, PbStep};
use pitwall_live::{LapJson, SessionJson};
use pitwall_store::{RecordLap, SectorBests, SessionWithLaps, StoredLap, TrackCar};
use serde::{Deserialize, Serialize};

/// A session in a list: the session, how many laps it has and its best.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionSummaryJson {
    /// The session.
    #[serde(flatten)]
    pub session: SessionJson,
    /// Completed laps stored.
    pub lap_count: usize,
    /// The best counting lap's time (valid, not an out- or in-lap), if any.
    pub best_lap_ms: Option<u32>,
}

impl SessionSummaryJson {
    /// The summary of a stored session.
    pub fn of(s: &SessionWithLaps) -> Self {
        SessionSummaryJson {
            session: SessionJson::of(&s.info, s.ended_at_ms),
            lap_count: s.laps.len(),
            best_lap_ms: pitwall_core::stats::session_best(&s.laps).map(|l| l.time_ms),
        }
    }
}

/// One session with every lap and its statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionDetailJson {
    /// The session.
    pub session: SessionJson,
    /// Its laps in lap order, each with its sectors.
    pub laps: Vec<LapJson>,
    /// The best counting lap's id, if any lap counts.
    pub best_lap_id: Option<String>,
    /// Best time of each sector among the session's counting laps (`null` where none).
    pub best_sectors_ms: Vec<Option<u32>>,
    /// The sum of those, when every sector has one.
    pub theoretical_best_ms: Option<u32>,
}

impl SessionDetailJson {
    /// The detail of a stored session.
    pub fn of(s: &SessionWithLaps) -> Self {
        let mut bests = pitwall_core::stats::BestSectors::new(usize::from(s.info.sector_count));
        for lap in &s.laps {
            bests.add(lap);
        }
        SessionDetailJson {
            session: SessionJson::of(&s.info, s.ended_at_ms),
            laps: s.laps.iter().map(LapJson::of).collect(),
            best_lap_id: pitwall_core::stats::session_best(&s.laps).map(|l| l.id.to_string()),
            best_sectors_ms: bests.times(),
            theoretical_best_ms: bests.theoretical_best_ms(),
        }
    }
}

/// A lap with what identifies its session (lap searches).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LapRowJson {
    /// The lap.
    #[serde(flatten)]
    pub lap: LapJson,
    /// Kunos track id.
    pub track: String,
    /// The track's name.
    pub track_name: String,
    /// Kunos car model id.
    pub car: String,
    /// The car's name.
    pub car_name: String,
    /// ACC session type label.
    pub session_type: String,
    /// Who drove it: the lap's driver (the flattened lap leaves its own `driver` out, so the
    /// key is there once).
    pub driver: String,
}

impl LapRowJson {
    /// The JSON of a lap found by a search.
    pub fn of(row: &StoredLap) -> Self {
        LapRowJson {
            lap: LapJson {
                driver: None,
                ..LapJson::of(&row.lap)
            },
            track: row.track.clone(),
            track_name: names::track_name(&row.track).into_owned(),
            car: row.car.clone(),
            car_name: names::car_name(&row.car).into_owned(),
            session_type: row.session_type.label().into_owned(),
            driver: row.lap.driver.clone(),
        }
    }
}

/// A record lap: a personal best or a leaderboard entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordJson {
    /// 1-based place in the list it is part of.
    pub rank: usize,
    /// Kunos track id.
    pub track: String,
    /// The track's name.
    pub track_name: String,
    /// Kunos car model id.
    pub car: String,
    /// The car's name.
    pub car_name: String,
    /// Who drove it.
    pub driver: String,
    /// The lap time.
    pub time_ms: u32,
    /// The lap's id.
    pub lap_id: String,
    /// Its session's id.
    pub session_id: String,
    /// When it was completed (ms since the epoch).
    pub completed_at_ms: u64,
}

impl RecordJson {
    /// The JSON of a record at 1-based `rank`.
    pub fn of(rank: usize, r: &RecordLap) -> Self {
        RecordJson {
            rank,
            track: r.track.clone(),
            track_name: names::track_name(&r.track).into_owned(),
            car: r.car.clone(),
            car_name: names::car_name(&r.car).into_owned(),
            driver: r.driver.clone(),
            time_ms: r.time_ms,
            lap_id: r.lap.to_string(),
            session_id: r.session.to_string(),
            completed_at_ms: r.completed_at_ms,
        }
    }
}

/// The best time of one sector and the lap that set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestSectorJson {
    /// The sector's own time.
    pub time_ms: u32,
    /// The lap's id.
    pub lap_id: String,
    /// That lap's number in its session.
    pub lap_number: u32,
    /// When that lap was completed (ms since the epoch).
    pub completed_at_ms: u64,
}

/// Best sectors and the theoretical best on a track and car.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorBestsJson {
    /// Kunos track id.
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// Whose laps (`null`: everyone's).
    pub driver: Option<String>,
    /// One entry per sector, `null` while no counting lap has a time for it.
    pub sectors: Vec<Option<BestSectorJson>>,
    /// The sum of the best sectors, when every sector has one.
    pub theoretical_best_ms: Option<u32>,
}

impl SectorBestsJson {
    /// The JSON of the store's answer.
    pub fn of(track: &str, car: &str, driver: Option<&str>, bests: &SectorBests) -> Self {
        let sector = |b: &BestSector| BestSectorJson {
            time_ms: b.time_ms,
            lap_id: b.lap.to_string(),
            lap_number: b.lap_number,
            completed_at_ms: b.completed_at_ms,
        };
        SectorBestsJson {
            track: track.to_owned(),
            car: car.to_owned(),
            driver: driver.map(str::to_owned),
            sectors: bests
                .sectors
                .iter()
                .map(|s| s.as_ref().map(sector))
                .collect(),
            theoretical_best_ms: bests.theoretical_best_ms,
        }
    }
}

/// One improvement of a personal best.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PbStepJson {
    /// When the improving lap was completed (ms since the epoch).
    pub completed_at_ms: u64,
    /// The new personal best.
    pub time_ms: u32,
    /// The lap that set it.
    pub lap_id: String,
    /// By how much it beat the previous best (`null` for the first).
    pub gain_ms: Option<u32>,
}

impl PbStepJson {
    /// The JSON of a step.
    pub fn of(step: &PbStep) -> Self {
        PbStepJson {
            completed_at_ms: step.completed_at_ms,
            time_ms: step.time_ms,
            lap_id: step.lap.to_string(),
            gain_ms: step.gain_ms,
        }
    }
}

/// A track and car that has been driven.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackCarJson {
    /// Kunos track id.
    pub track: String,
    /// The track's name.
    pub track_name: String,
    /// Kunos car model id.
    pub car: String,
    /// The car's name.
    pub car_name: String,
    /// Sessions on it.
    pub sessions: u64,
    /// Completed laps (all, counting or not).
    pub laps: u64,
    /// When the last lap was completed (ms since the epoch), if any.
    pub last_lap_at_ms: Option<u64>,
}

impl TrackCarJson {
    /// The JSON of a track and car.
    pub fn of(t: &TrackCar) -> Self {
        TrackCarJson {
            track: t.track.clone(),
            track_name: names::track_name(&t.track).into_owned(),
            car: t.car.clone(),
            car_name: names::car_name(&t.car).into_owned(),
            sessions: t.sessions,
            laps: t.laps,
            last_lap_at_ms: t.last_lap_at_ms,
        }
    }
}
