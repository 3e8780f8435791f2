//! Decoding the packed text of [`PACKED_LAPS_HEAD`](crate::sql::PACKED_LAPS_HEAD) and
//! [`PACKED_SECTORS_HEAD`](crate::sql::PACKED_SECTORS_HEAD): laps and sectors aggregated
//! into one value per session (or per query), which the recent-sessions query reads instead
//! of one row per lap and sector.

use std::collections::HashMap;

use pitwall_core::model::{Lap, LapId, SessionId};

use crate::error::{Result, StoreError};
use crate::rows::{from_db, narrow};

/// The next comma-separated field as an integer (`None` when empty).
fn field(fields: &mut std::str::Split<'_, char>, what: &'static str) -> Result<Option<i64>> {
    let text = fields.next().ok_or(StoreError::Malformed { what })?;
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| StoreError::Malformed { what })
}

/// A required field.
fn required(fields: &mut std::str::Split<'_, char>, what: &'static str) -> Result<i64> {
    field(fields, what)?.ok_or(StoreError::Malformed { what })
}

/// The laps of `session` from its packed text, in the order given, without sectors.
pub(crate) fn laps(session: SessionId, text: &str) -> Result<Vec<Lap>> {
    let mut laps = Vec::new();
    for lap in text.split(';').filter(|l| !l.is_empty()) {
        let mut f = lap.split(',');
        let id = LapId(from_db(required(&mut f, "lap id")?));
        let number = narrow("number", required(&mut f, "lap number")?)?;
        let time_ms = narrow("time_ms", required(&mut f, "lap time")?)?;
        let flags = required(&mut f, "lap flags")?;
        let invalid_sector = field(&mut f, "invalid sector")?
            .map(|v| narrow("invalid_sector", v))
            .transpose()?;
        laps.push(Lap {
            id,
            session,
            number,
            time_ms,
            sectors: Vec::new(),
            valid: flags & 1 != 0,
            invalid_sector,
            out_lap: flags & 2 != 0,
            in_lap: flags & 4 != 0,
            partial: flags & 8 != 0,
            started_at_ms: from_db(required(&mut f, "lap start")?),
            completed_at_ms: from_db(required(&mut f, "lap completion")?),
        });
    }
    Ok(laps)
}

/// Sector times per lap id from packed text, each in its slot.
pub(crate) fn sectors(text: &str) -> Result<HashMap<LapId, Vec<Option<u32>>>> {
    let mut out: HashMap<LapId, Vec<Option<u32>>> = HashMap::new();
    for sector in text.split(';').filter(|s| !s.is_empty()) {
        let mut f = sector.split(',');
        let lap = LapId(from_db(required(&mut f, "sector lap")?));
        let idx: usize = narrow("idx", required(&mut f, "sector index")?)?;
        let time = field(&mut f, "sector time")?
            .map(|t| narrow("sectors.time_ms", t))
            .transpose()?;
        let slots = out.entry(lap).or_default();
        if slots.len() <= idx {
            slots.resize(idx + 1, None);
        }
        slots[idx] = time;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn packed_laps_and_sectors_decode() {
        let laps = laps(
            SessionId(9),
            "-1,1,90000,9,,10,90010;5,2,80000,6,2,90010,170010",
        )
        .unwrap();
        assert_eq!(laps.len(), 2);
        assert_eq!(laps[0].id, LapId(u64::MAX));
        assert!(laps[0].valid && laps[0].partial && !laps[0].out_lap);
        assert_eq!(laps[1].invalid_sector, Some(2));
        assert!(!laps[1].valid && laps[1].out_lap && laps[1].in_lap);
        assert_eq!(laps[1].completed_at_ms, 170_010);
        let s = sectors("5,2,300;5,0,;5,1,200").unwrap();
        assert_eq!(s[&LapId(5)], vec![None, Some(200), Some(300)]);
        assert!(matches!(
            super::laps(SessionId(1), "1,2"),
            Err(StoreError::Malformed { .. })
        ));
    }
}
