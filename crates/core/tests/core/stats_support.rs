//! Lap builders shared by the statistics tests (`stats.rs`, `stats_props.rs`).

#![allow(dead_code)]

use pitwall_core::{Lap, LapId, SessionId};

/// A valid flying lap of session 1, completed at `number` minutes, without sector times.
pub(crate) fn lap(number: u32, time_ms: u32) -> Lap {
    let completed_at_ms = u64::from(number) * 60_000 + 10_000_000;
    Lap {
        id: LapId(1000 + u64::from(number)),
        session: SessionId(1),
        number,
        time_ms,
        sectors: Vec::new(),
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: completed_at_ms.saturating_sub(u64::from(time_ms)),
        completed_at_ms,
        car: Default::default(),
        driver: String::new(),
    }
}

/// A valid flying lap whose time is the sum of three known sectors.
pub(crate) fn split(number: u32, sectors: [u32; 3]) -> Lap {
    Lap {
        sectors: sectors.iter().map(|&s| Some(s)).collect(),
        ..lap(number, sectors.iter().sum())
    }
}

/// `lap`, invalidated in `sector`.
pub(crate) fn invalid(lap: Lap, sector: Option<u8>) -> Lap {
    Lap {
        valid: false,
        invalid_sector: sector,
        ..lap
    }
}

/// `lap`, started in the pit lane.
pub(crate) fn out_lap(lap: Lap) -> Lap {
    Lap {
        out_lap: true,
        ..lap
    }
}

/// `lap`, ended in the pit lane.
pub(crate) fn in_lap(lap: Lap) -> Lap {
    Lap {
        in_lap: true,
        ..lap
    }
}

/// `lap` with the given sector times.
pub(crate) fn with_sectors(lap: Lap, sectors: &[Option<u32>]) -> Lap {
    Lap {
        sectors: sectors.to_vec(),
        ..lap
    }
}
