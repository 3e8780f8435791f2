//! Records and statistics per track and car: personal bests, best sectors and the
//! theoretical best, PB progression, the tracks and cars driven, and the leaderboard across
//! drivers. Only counting laps make records (valid, not an out- or in-lap, timed).

use axum::Json;
use axum::extract::State;
use pitwall_store::Reads as _;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::extract::ApiQuery;
use crate::app::AppState;
use crate::json::{PbStepJson, RecordJson, SectorBestsJson, TrackCarJson};

/// Leaderboard places by default, and at most.
const LEADERBOARD_DEFAULT: u32 = 10;
const LEADERBOARD_MAX: u32 = 100;

/// An optional driver.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DriverParam {
    driver: Option<String>,
}

/// A track and car, optionally one driver.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComboParams {
    track: String,
    car: String,
    driver: Option<String>,
}

/// A track, car and driver.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DriverComboParams {
    track: String,
    car: String,
    driver: String,
}

/// A track and car, and how many places.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LeaderboardParams {
    track: String,
    car: String,
    limit: Option<u32>,
}

/// A list of records.
#[derive(Debug, Serialize)]
pub(crate) struct Records {
    records: Vec<RecordJson>,
}

/// PB progression.
#[derive(Debug, Serialize)]
pub(crate) struct Progression {
    track: String,
    car: String,
    driver: String,
    steps: Vec<PbStepJson>,
}

/// Tracks and cars.
#[derive(Debug, Serialize)]
pub(crate) struct TracksAndCars {
    tracks_and_cars: Vec<TrackCarJson>,
}

/// `GET /api/v1/personal-bests`: each driver's (or one driver's) best per track and car,
/// ranked within each track and car.
pub(crate) async fn personal_bests(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DriverParam>,
) -> Result<Json<Records>, ApiError> {
    let bests = state.store.personal_bests(p.driver.as_deref()).await?;
    let mut records = Vec::with_capacity(bests.len());
    let mut rank = 0;
    let mut combo: Option<(&str, &str)> = None;
    for best in &bests {
        let this = (best.track.as_str(), best.car.as_str());
        rank = if combo == Some(this) { rank + 1 } else { 1 };
        combo = Some(this);
        records.push(RecordJson::of(rank, best));
    }
    Ok(Json(Records { records }))
}

/// `GET /api/v1/best-sectors`: best sectors and theoretical best on a track and car.
pub(crate) async fn best_sectors(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ComboParams>,
) -> Result<Json<SectorBestsJson>, ApiError> {
    let driver = p.driver.as_deref();
    let bests = state.store.best_sectors(&p.track, &p.car, driver).await?;
    Ok(Json(SectorBestsJson::of(&p.track, &p.car, driver, &bests)))
}

/// `GET /api/v1/pb-progression`: when a driver's best on a track and car improved.
pub(crate) async fn pb_progression(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DriverComboParams>,
) -> Result<Json<Progression>, ApiError> {
    let steps = state
        .store
        .pb_progression(&p.track, &p.car, &p.driver)
        .await?;
    Ok(Json(Progression {
        steps: steps.iter().map(PbStepJson::of).collect(),
        track: p.track,
        car: p.car,
        driver: p.driver,
    }))
}

/// `GET /api/v1/leaderboard`: each driver's best on a track and car, fastest first.
pub(crate) async fn leaderboard(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LeaderboardParams>,
) -> Result<Json<Records>, ApiError> {
    let limit = p.limit.unwrap_or(LEADERBOARD_DEFAULT).min(LEADERBOARD_MAX);
    let board = state.store.leaderboard(&p.track, &p.car, limit).await?;
    Ok(Json(Records {
        records: board
            .iter()
            .enumerate()
            .map(|(i, r)| RecordJson::of(i + 1, r))
            .collect(),
    }))
}

/// `GET /api/v1/tracks-and-cars`: every track and car driven (by one driver, or anyone).
pub(crate) async fn tracks_and_cars(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DriverParam>,
) -> Result<Json<TracksAndCars>, ApiError> {
    let all = state.store.tracks_and_cars(p.driver.as_deref()).await?;
    Ok(Json(TracksAndCars {
        tracks_and_cars: all.iter().map(TrackCarJson::of).collect(),
    }))
}
