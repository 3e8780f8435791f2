//! The live feed's JSON laps as the core model's laps, so the statistics and colours of
//! [`pitwall_core::stats`] apply to live laps exactly as to stored ones.

use pitwall_core::model::{Lap, LapId, SessionId};
use pitwall_server::json::LapJson;

/// A lap from the feed as a core lap (an id that is not hex becomes 0: ids only tell laps
/// apart here).
pub(crate) fn lap(json: &LapJson) -> Lap {
    Lap {
        id: LapId(hex(&json.id)),
        session: SessionId(hex(&json.session_id)),
        number: json.number,
        time_ms: json.time_ms,
        sectors: json.sectors.clone(),
        valid: json.valid,
        invalid_sector: json.invalid_sector,
        out_lap: json.out_lap,
        in_lap: json.in_lap,
        partial: json.partial,
        started_at_ms: json.started_at_ms,
        completed_at_ms: json.completed_at_ms,
    }
}

/// A 16-digit hex id as a number.
pub(crate) fn hex(id: &str) -> u64 {
    u64::from_str_radix(id, 16).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_laps_keep_their_ids_and_times() {
        let core = Lap {
            id: LapId(0xabc),
            session: SessionId(0x123),
            number: 4,
            time_ms: 107_345,
            sectors: vec![Some(35_001), None, Some(37_000)],
            valid: false,
            invalid_sector: Some(1),
            out_lap: false,
            in_lap: true,
            partial: false,
            started_at_ms: 1,
            completed_at_ms: 107_346,
        };
        assert_eq!(lap(&LapJson::of(&core)), core);
        assert_eq!(hex("not hex"), 0);
    }
}
