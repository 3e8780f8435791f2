//! Which sessions an export takes ([`SessionFilter`]; a session is taken whole or not at
//! all), and parsing of the filter values a user types: session types by their ACC label
//! (any case) and times as dates or milliseconds.

use pitwall_acc::enums::SessionType;
use pitwall_core::model::SessionInfo;

use super::error::ExportError;

/// Which sessions to export; every field left `None` matches all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// Kunos track id (exact).
    pub track: Option<String>,
    /// Kunos car model id (exact).
    pub car: Option<String>,
    /// Driver name (exact).
    pub driver: Option<String>,
    /// Session type.
    pub session_type: Option<SessionType>,
    /// Sessions started at or after this time (ms since 1970).
    pub from_ms: Option<u64>,
    /// Sessions started before this time (ms since 1970).
    pub to_ms: Option<u64>,
}

impl SessionFilter {
    /// Whether a session passes every condition set.
    pub fn matches(&self, info: &SessionInfo) -> bool {
        let same = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        same(&self.track, &info.track)
            && same(&self.car, &info.car)
            && same(&self.driver, &info.driver)
            && self.session_type.is_none_or(|t| t == info.session_type)
            && self.from_ms.is_none_or(|from| info.started_at_ms >= from)
            && self.to_ms.is_none_or(|to| info.started_at_ms < to)
    }
}

/// A session type from its ACC label in any case, with `-`, `_` and spaces ignored
/// (`race`, `Hotlap`, `time_attack`), or from ACC's number (`2`, `-1`).
pub fn parse_session_type(text: &str) -> Result<SessionType, ExportError> {
    if let Ok(number) = text.trim().parse::<i32>() {
        return Ok(SessionType::from(number));
    }
    let wanted: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect();
    SessionType::ALL
        .iter()
        .copied()
        .find(|t| t.label().eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| ExportError::UnknownSessionType(text.to_owned()))
}

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;

/// The start of a time range: a date (`2024-05-31`, its midnight UTC) or ms since 1970.
pub fn parse_from(text: &str) -> Result<u64, ExportError> {
    parse_time(text, false)
}

/// The (exclusive) end of a time range: a date (`2024-05-31`, including that whole day,
/// UTC) or ms since 1970.
pub fn parse_to(text: &str) -> Result<u64, ExportError> {
    parse_time(text, true)
}

/// A date or milliseconds; a date is its midnight UTC, or the next midnight for `end`.
fn parse_time(text: &str, end: bool) -> Result<u64, ExportError> {
    let text = text.trim();
    let bad = || ExportError::BadTime(text.to_owned());
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| bad());
    }
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let days = days_since_1970(number(y)?, number(m)?, number(d)?).ok_or_else(bad)?;
    Ok((days + u64::from(end)) * DAY_MS)
}

/// Days from 1970-01-01 to a date of the Gregorian calendar, or `None` for a date that
/// does not exist or is before 1970.
fn days_since_1970(year: u32, month: u32, day: u32) -> Option<u64> {
    let leap = |y: u32| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let month_days = |y: u32, m: u32| -> u64 {
        match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    };
    if year < 1970
        || !(1..=12).contains(&month)
        || day == 0
        || u64::from(day) > month_days(year, month)
    {
        return None;
    }
    let years: u64 = (1970..year).map(|y| if leap(y) { 366 } else { 365 }).sum();
    let months: u64 = (1..month).map(|m| month_days(year, m)).sum();
    Some(years + months + u64::from(day) - 1)
}
