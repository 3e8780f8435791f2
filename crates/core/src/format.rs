//! Times and laps as racers write them, shared by every front end (CLI lines, log lines, the
//! dashboard, the terminal UI): lap times `m:ss.mmm`, sector times `s.mmm`, deltas `+0.123`.

use crate::model::Lap;

/// m:ss.mmm, or `-` for no time.
pub fn lap_time(ms: Option<u32>) -> String {
    match ms {
        Some(ms) => format!("{}:{:02}.{:03}", ms / 60_000, ms / 1000 % 60, ms % 1000),
        None => "-".to_owned(),
    }
}

/// s.mmm for sector times (m:ss.mmm from a minute on), or `-`.
pub fn sector_time(ms: Option<u32>) -> String {
    match ms {
        Some(ms) if ms >= 60_000 => lap_time(Some(ms)),
        Some(ms) => format!("{}.{:03}", ms / 1000, ms % 1000),
        None => "-".to_owned(),
    }
}

/// A signed delta in seconds with ms: `+0.123`, `-1.050`, or `-` for none.
pub fn delta(ms: Option<i64>) -> String {
    match ms {
        Some(ms) => {
            let sign = if ms < 0 { '-' } else { '+' };
            let abs = ms.unsigned_abs();
            format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
        }
        None => "-".to_owned(),
    }
}

/// The tags of a lap: `INVALID (S2)`, `OUT`, `IN`.
pub fn lap_tags(lap: &Lap) -> Vec<String> {
    let mut tags = Vec::new();
    if !lap.valid {
        tags.push(match lap.invalid_sector {
            Some(k) => format!("INVALID (S{})", u32::from(k) + 1),
            None => "INVALID".to_owned(),
        });
    }
    if lap.out_lap {
        tags.push("OUT".to_owned());
    }
    if lap.in_lap {
        tags.push("IN".to_owned());
    }
    tags
}

/// One line for a completed lap: `lap 3: 1:47.345  S1 35.001  S2 …  INVALID (S2) OUT`.
pub fn lap_line(lap: &Lap) -> String {
    let sectors: Vec<String> = lap
        .sectors
        .iter()
        .enumerate()
        .map(|(i, s)| format!("S{} {}", i + 1, sector_time(*s)))
        .collect();
    let tags = lap_tags(lap);
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!("  {}", tags.join(" "))
    };
    format!(
        "lap {}: {}  {}{tags}",
        lap.number,
        lap_time(Some(lap.time_ms)),
        sectors.join("  ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LapId, SessionId};

    #[test]
    fn times_format_as_racers_write_them() {
        assert_eq!(lap_time(Some(107_345)), "1:47.345");
        assert_eq!(lap_time(Some(59_001)), "0:59.001");
        assert_eq!(lap_time(None), "-");
        assert_eq!(sector_time(Some(35_001)), "35.001");
        assert_eq!(sector_time(Some(61_000)), "1:01.000");
        assert_eq!(delta(Some(-1_050)), "-1.050");
        assert_eq!(delta(Some(123)), "+0.123");
        assert_eq!(delta(Some(0)), "+0.000");
    }

    #[test]
    fn lap_line_has_time_sectors_and_tags() {
        let lap = Lap {
            id: LapId(1),
            session: SessionId(2),
            number: 3,
            time_ms: 107_345,
            sectors: vec![Some(35_001), None, Some(40_000)],
            valid: false,
            invalid_sector: Some(1),
            out_lap: true,
            in_lap: false,
            partial: false,
            started_at_ms: 0,
            completed_at_ms: 107_345,
            car: Default::default(),
            driver: String::new(),
        };
        assert_eq!(
            lap_line(&lap),
            "lap 3: 1:47.345  S1 35.001  S2 -  S3 40.000  INVALID (S2) OUT"
        );
    }
}
