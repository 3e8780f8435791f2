//! The live feed's JSON laps as the core model's laps, so the statistics and colours of
//! [`pitwall_core::stats`] apply to live laps exactly as to stored ones.

use pitwall_core::model::{Lap, LapId, SessionId};
use pitwall_live::LapJson;

/// A lap from the feed as a core lap (an id that is not hex becomes 0: ids only tell laps
/// apart here).
pub(crate) fn lap(json: &LapJson) -> Lap {
    let (id, session) = (LapId(hex(&json.id)), SessionId(hex(&json.session_id)));
    json.clone().into_lap(id, session)
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
