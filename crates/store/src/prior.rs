//! The references a session's laps are coloured against ([`pitwall_core::stats::Prior`]):
//! the driver's laps on the session's track and car from before it, read the same way for
//! every screen that shows a lap table (the dashboard's session page, the TUI's history, the
//! CSV export), so they agree on which laps were personal bests when driven.

use pitwall_core::model::{Lap, SessionInfo};
use pitwall_core::stats::Prior;

use crate::{LapFilter, MAX_PAGE, Reads, Result};

/// At most this many earlier laps are read for a session's references (newest first).
pub const PRIOR_LAPS_CAP: u32 = 50 * MAX_PAGE;

/// The valid laps of `info`'s driver on its track and car completed before `before_ms`
/// (every one when `None`), at most [`PRIOR_LAPS_CAP`], newest first: the driver's own (not
/// other cars' laps in the driver's sessions).
pub async fn combo_laps<S: Reads>(
    store: &S,
    info: &SessionInfo,
    before_ms: Option<u64>,
) -> Result<Vec<Lap>> {
    let mut laps = Vec::new();
    let mut offset = 0;
    while offset < PRIOR_LAPS_CAP {
        let filter = LapFilter {
            track: Some(info.track.clone()),
            car: Some(info.car.clone()),
            driver: Some(info.driver.clone()),
            valid: Some(true),
            to_ms: before_ms,
            limit: Some(MAX_PAGE),
            offset,
            ..LapFilter::default()
        };
        let batch = store.laps(&filter).await?;
        let full = batch.len() == MAX_PAGE as usize;
        laps.extend(
            batch
                .into_iter()
                .map(|s| s.lap)
                .filter(|l| l.driver == info.driver && l.car.model == info.car),
        );
        if !full {
            break;
        }
        offset += MAX_PAGE;
    }
    Ok(laps)
}

/// The references of `info`'s laps: the driver's laps on its track and car in other
/// sessions completed before it started.
pub async fn prior<S: Reads>(store: &S, info: &SessionInfo) -> Result<Prior> {
    let laps = combo_laps(store, info, Some(info.started_at_ms)).await?;
    Ok(prior_among(&laps, info))
}

/// [`prior`] from laps already read ([`combo_laps`] of the same driver, track and car, with
/// any cut-off at or after the session's start).
pub fn prior_among(laps: &[Lap], info: &SessionInfo) -> Prior {
    Prior::of(
        laps.iter()
            .filter(|l| l.session != info.id && l.completed_at_ms < info.started_at_ms),
    )
}
