//! `GET /api/sessions` in the original tracker's exact shape, so its static web page works
//! against pitwall unchanged (see `docs/server.md`, "Compatibility"). Field by field:
//!
//! - `id`: the start time in UTC as `20060102T150405Z`, as the original made its ids (its
//!   pages may link by it). Pitwall's own endpoints use the 16-hex-digit ids instead.
//! - `startTime`: Unix time in seconds. `sessionType`: `ACC_` and ACC's label
//!   (`ACC_UNKNOWN` for values ACC does not list).
//! - `lapsCompleted`: the highest lap number stored (the game's completed-lap count).
//! - `bestLap`: the 1-based position in `laps` of the best counting lap (valid, not an out-
//!   or in-lap, timed), which is its lap number whenever no earlier lap is missing; the
//!   original page highlights row `index + 1 == bestLap`. `0` when no lap counts (no row is
//!   highlighted; the original said `1` before any lap was done).
//! - `isActive`: the session has not ended.
//! - laps: `lapDelta` is this lap's time minus the previous listed lap's, `0` for the first
//!   (the page shows `-` there); `isActive` is always false (only completed laps are
//!   stored). Sectors: `sectorTime` is the sector's own time; an unknown time is `0` when a
//!   later sector is known (so columns stay in place), and unknown sectors at the end are
//!   left out, which the page shows as `-`, as it did for the original's missing sectors.
//! - `total`: sessions in this answer; `cached`: always false (answers are rebuilt after
//!   every write, so they are never stale as the original's 5-minute cache was).
//!
//! `limit` (default 20, at most [`MAX_LIMIT`]) and `offset` (at most [`MAX_OFFSET`]) page
//! through the sessions, newest first; larger values are reduced to the bound.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use pitwall_acc::enums::SessionType;
use pitwall_store::{SessionWithLaps, Store};
use serde::{Deserialize, Serialize};

use super::cache::Lookup;
use super::error::ApiError;
use super::extract::ApiQuery;
use crate::app::AppState;

/// Sessions per answer by default, as the original.
pub(crate) const DEFAULT_LIMIT: u32 = 20;
/// The most sessions one answer holds.
pub(crate) const MAX_LIMIT: u32 = 100;
/// The furthest one can page.
pub(crate) const MAX_OFFSET: u32 = 100_000;

/// The query parameters.
#[derive(Debug, Deserialize)]
pub(crate) struct Params {
    limit: Option<u32>,
    offset: Option<u32>,
}

/// The answer.
#[derive(Debug, Serialize)]
struct Sessions {
    sessions: Vec<Session>,
    total: usize,
    cached: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    id: String,
    start_time: u64,
    session_type: String,
    track: String,
    car_model: String,
    number_of_sectors: u8,
    laps_completed: u32,
    best_lap: usize,
    is_active: bool,
    player: String,
    laps: Vec<Lap>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Lap {
    lap_number: u32,
    lap_time: u32,
    lap_delta: i64,
    is_valid: bool,
    is_active: bool,
    lap_sectors: Vec<Sector>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Sector {
    sector_number: usize,
    sector_time: u32,
    is_active: bool,
}

/// `GET /api/sessions`.
pub(crate) async fn sessions(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let offset = params.offset.unwrap_or(0).min(MAX_OFFSET);
    let key = (limit, offset);
    let cache = &state.sessions_cache;
    if !cache.enabled() {
        return Ok(json(body(&state, limit, offset).await?));
    }
    let _filling = match cache.lookup(key, state.store.changes(), Instant::now()) {
        Lookup::Fresh(body) => return Ok(json(body)),
        Lookup::Old(body) => match cache.filling.try_lock() {
            Ok(filling) => filling,
            // Another request is rebuilding it.
            Err(_) => return Ok(json(body)),
        },
        Lookup::Missing => cache.filling.lock().await,
    };
    // Read the count before the store: a write committing meanwhile makes the entry stale.
    let changes = state.store.changes();
    let started = Instant::now();
    if let Some(hit) = cache.get(key, changes, started) {
        return Ok(json(hit));
    }
    let body = body(&state, limit, offset).await?;
    cache.put(key, changes, started, body.clone());
    Ok(json(body))
}

/// The serialized answer, from the store.
async fn body(state: &AppState, limit: u32, offset: u32) -> Result<Bytes, ApiError> {
    let stored = state.store.recent_sessions(limit, offset).await?;
    let sessions: Vec<Session> = stored.iter().map(session).collect();
    let answer = Sessions {
        total: sessions.len(),
        sessions,
        cached: false,
    };
    serde_json::to_vec(&answer)
        .map(Bytes::from)
        .map_err(|e| ApiError::internal(&e))
}

fn json(body: Bytes) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// One session in the original's shape.
fn session(s: &SessionWithLaps) -> Session {
    let best = pitwall_core::stats::session_best(&s.laps)
        .and_then(|best| s.laps.iter().position(|l| l.id == best.id))
        .map_or(0, |i| i + 1);
    let mut previous: Option<u32> = None;
    let laps = s
        .laps
        .iter()
        .map(|lap| {
            let delta = previous.map_or(0, |p| i64::from(lap.time_ms) - i64::from(p));
            previous = Some(lap.time_ms);
            Lap {
                lap_number: lap.number,
                lap_time: lap.time_ms,
                lap_delta: delta,
                is_valid: lap.valid,
                is_active: false,
                lap_sectors: sectors(&lap.sectors),
            }
        })
        .collect();
    Session {
        id: utc_stamp(s.info.started_at_ms),
        start_time: s.info.started_at_ms / 1000,
        session_type: session_type(s.info.session_type),
        track: s.info.track.clone(),
        car_model: s.info.car.clone(),
        number_of_sectors: s.info.sector_count,
        laps_completed: s.laps.iter().map(|l| l.number).max().unwrap_or(0),
        best_lap: best,
        is_active: s.ended_at_ms.is_none(),
        player: s.info.driver.clone(),
        laps,
    }
}

/// Sectors up to the last known one; unknown ones before it as 0.
fn sectors(times: &[Option<u32>]) -> Vec<Sector> {
    let known = |t: &Option<u32>| t.is_some_and(|t| t > 0);
    let shown = times.iter().rposition(known).map_or(0, |i| i + 1);
    times[..shown]
        .iter()
        .enumerate()
        .map(|(i, t)| Sector {
            sector_number: i + 1,
            sector_time: t.unwrap_or(0),
            is_active: false,
        })
        .collect()
}

/// `ACC_` and the label; ACC_UNKNOWN for values ACC does not list.
fn session_type(t: SessionType) -> String {
    match t {
        SessionType::Unknown(_) => "ACC_UNKNOWN".to_owned(),
        known => format!("ACC_{}", known.label()),
    }
}

/// A time (ms since the epoch) as `YYYYMMDDTHHMMSSZ` in UTC.
pub(crate) fn utc_stamp(ms: u64) -> String {
    let seconds = ms / 1000;
    let (year, month, day) = civil_date(seconds / 86_400);
    let s = seconds % 86_400;
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The Gregorian date `days` after 1970-01-01.
fn civil_date(mut days: u64) -> (u64, u64, u64) {
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let mut year = 1970;
    // Whole 400-year cycles first (146,097 days each), then single years.
    year += 400 * (days / 146_097);
    days %= 146_097;
    loop {
        let length = if leap(year) { 366 } else { 365 };
        if days < length {
            break;
        }
        days -= length;
        year += 1;
    }
    let mut month = 1;
    loop {
        let length = match month {
            2 if leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    (year, month, days + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_utc_start_time() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        // 2006-01-02 15:04:05 UTC, Go's reference time.
        assert_eq!(utc_stamp(1_136_214_245_999), "20060102T150405Z");
        assert_eq!(utc_stamp(951_782_400_000), "20000229T000000Z");
        assert_eq!(utc_stamp(4_102_444_799_000), "20991231T235959Z");
        assert_eq!(utc_stamp(13_569_465_600_000), "24000101T000000Z");
    }

    #[test]
    fn unknown_sectors_keep_columns_and_trailing_ones_are_left_out() {
        let times = |s: Vec<Sector>| s.iter().map(|s| s.sector_time).collect::<Vec<_>>();
        assert_eq!(times(sectors(&[Some(1), Some(2), Some(3)])), [1, 2, 3]);
        assert_eq!(times(sectors(&[None, Some(2), Some(3)])), [0, 2, 3]);
        assert_eq!(times(sectors(&[Some(1), None, None])), [1]);
        assert_eq!(times(sectors(&[None, None, None])), Vec::<u32>::new());
        assert_eq!(sectors(&[None, Some(2)])[1].sector_number, 2);
    }

    #[test]
    fn session_types_carry_the_acc_prefix() {
        assert_eq!(session_type(SessionType::Practice), "ACC_PRACTICE");
        assert_eq!(
            session_type(SessionType::HotStintSuperpole),
            "ACC_HOTSTINTSUPERPOLE"
        );
        assert_eq!(session_type(SessionType::AccUnknown), "ACC_UNKNOWN");
        assert_eq!(session_type(SessionType::Unknown(42)), "ACC_UNKNOWN");
    }
}
