//! What an upload must satisfy beyond its JSON shape, so that nothing a lap table or a
//! record could show is absurd: times within an hour, a zero time only for a partial lap,
//! no more sectors than the session has, known sectors that add up to the lap time, and
//! names of sane length. The first problem found is reported, naming the lap.

use pitwall_core::model::Lap;
use pitwall_store::SessionWithLaps;

use super::error::ApiError;

/// The longest lap time accepted: an hour.
pub(crate) const MAX_LAP_MS: u32 = 3_600_000;
/// The most sectors a track may have (as the lap detector allows).
pub(crate) const MAX_SECTORS: u8 = 8;
/// The longest track, car or driver name.
const MAX_NAME: usize = 200;
/// How far the sum of all-known sectors may be from the lap time (rounding).
const SECTOR_SUM_TOLERANCE_MS: u32 = 1;

/// Checks an upload.
pub(crate) fn upload(s: &SessionWithLaps) -> Result<(), ApiError> {
    let info = &s.info;
    for (what, name) in [
        ("track", &info.track),
        ("car", &info.car),
        ("driver", &info.driver),
    ] {
        if name.trim().is_empty() || name.len() > MAX_NAME {
            return Err(ApiError::invalid_data(format!(
                "session {what} must be 1 to {MAX_NAME} bytes long"
            )));
        }
    }
    if info.sector_count > MAX_SECTORS {
        return Err(ApiError::invalid_data(format!(
            "session sector_count {} is over {MAX_SECTORS}",
            info.sector_count
        )));
    }
    if s.ended_at_ms.is_some_and(|end| end < info.started_at_ms) {
        return Err(ApiError::invalid_data(
            "ended_at_ms is before the session's started_at_ms",
        ));
    }
    let sector_count = usize::from(info.sector_count.max(1));
    for lap in &s.laps {
        self::lap(lap, sector_count)
            .map_err(|problem| ApiError::invalid_data(format!("lap {}: {problem}", lap.number)))?;
    }
    Ok(())
}

/// Checks one lap of a session with `sector_count` sectors.
fn lap(lap: &Lap, sector_count: usize) -> Result<(), String> {
    if lap.number == 0 {
        return Err("lap numbers start at 1".into());
    }
    if lap.time_ms == 0 && !lap.partial {
        return Err("a time of 0 is only possible for a partial lap".into());
    }
    if lap.time_ms > MAX_LAP_MS {
        return Err(format!("lap time {} ms is over an hour", lap.time_ms));
    }
    if lap.sectors.len() > sector_count {
        return Err(format!(
            "{} sectors, but the session has {sector_count}",
            lap.sectors.len()
        ));
    }
    if lap
        .invalid_sector
        .is_some_and(|s| usize::from(s) >= sector_count)
    {
        return Err(format!(
            "invalid_sector is 0-based and must be below {sector_count}"
        ));
    }
    if lap.completed_at_ms < lap.started_at_ms {
        return Err("completed_at_ms is before started_at_ms".into());
    }
    let known: Vec<u32> = lap
        .sectors
        .iter()
        .flatten()
        .copied()
        .filter(|&t| t > 0)
        .collect();
    let sum: u64 = known.iter().map(|&t| u64::from(t)).sum();
    let time = u64::from(lap.time_ms);
    let tolerance = u64::from(SECTOR_SUM_TOLERANCE_MS);
    let all_known = lap.sectors.len() == sector_count && known.len() == sector_count;
    if lap.time_ms > 0 && all_known && sum.abs_diff(time) > tolerance {
        return Err(format!(
            "its sectors add up to {sum} ms but the lap time is {time} ms"
        ));
    }
    if lap.time_ms > 0 && sum > time + tolerance {
        return Err(format!(
            "its known sectors add up to {sum} ms, more than the lap time of {time} ms"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pitwall_core::model::{LapId, SessionId};

    fn lap_of(time_ms: u32, sectors: Vec<Option<u32>>) -> Lap {
        Lap {
            id: LapId(1),
            session: SessionId(1),
            number: 1,
            time_ms,
            sectors,
            valid: true,
            invalid_sector: None,
            out_lap: false,
            in_lap: false,
            partial: false,
            started_at_ms: 1_000,
            completed_at_ms: 1_000 + u64::from(time_ms),
        }
    }

    #[test]
    fn sectors_must_add_up_when_all_are_known() {
        assert!(lap(&lap_of(90_000, vec![Some(30_000); 3]), 3).is_ok());
        assert!(
            lap(&lap_of(90_001, vec![Some(30_000); 3]), 3).is_ok(),
            "1 ms rounding"
        );
        let err = lap(&lap_of(90_002, vec![Some(30_000); 3]), 3).unwrap_err();
        assert!(err.contains("add up to 90000 ms"), "{err}");
        assert!(lap(&lap_of(90_000, vec![None, Some(30_000), Some(30_000)]), 3).is_ok());
        assert!(lap(&lap_of(50_000, vec![None, Some(30_000), Some(30_000)]), 3).is_err());
        assert!(lap(&lap_of(90_000, vec![Some(30_000); 4]), 3).is_err());
    }

    #[test]
    fn times_must_be_plausible() {
        assert!(lap(&lap_of(0, vec![]), 3).is_err());
        let mut partial = lap_of(0, vec![]);
        partial.partial = true;
        assert!(lap(&partial, 3).is_ok());
        assert!(lap(&lap_of(MAX_LAP_MS + 1, vec![]), 3).is_err());
        assert!(lap(&lap_of(MAX_LAP_MS, vec![]), 3).is_ok());
    }
}
