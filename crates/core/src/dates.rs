//! Dates and times of day for every front end: a time in ms since the Unix epoch as a UTC
//! calendar date and back, through the `time` crate (no calendar arithmetic of our own).
//! The web pages, the original tracker's API, the TUI and the export filters all write and
//! read dates here, so they agree to the second.
//!
//! Times beyond what a calendar can hold (after the year 9999) are clamped to its last
//! second: stored times are bounded far below that by [`crate::validate`].

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// A UTC calendar date and time of day, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utc(PrimitiveDateTime);

/// The last second a calendar date here can hold (9999-12-31 23:59:59 UTC).
const LAST: PrimitiveDateTime = PrimitiveDateTime::new(
    match Date::from_calendar_date(9999, Month::December, 31) {
        Ok(date) => date,
        Err(_) => Date::MAX,
    },
    match Time::from_hms(23, 59, 59) {
        Ok(time) => time,
        Err(_) => Time::MIDNIGHT,
    },
);

impl Utc {
    /// The UTC date and time `ms` after the epoch (fractions of a second dropped).
    pub fn of(ms: u64) -> Self {
        let at = i64::try_from(ms / 1000)
            .ok()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .map_or(LAST, |t| PrimitiveDateTime::new(t.date(), t.time()));
        Utc(at.min(LAST))
    }

    /// `2024-05-01T14:03:05Z` (RFC 3339, for `datetime` attributes and logs).
    pub fn iso(&self) -> String {
        format!("{}T{}Z", self.date(), self.clock_seconds())
    }

    /// `2024-05-01`.
    pub fn date(&self) -> String {
        let d = self.0.date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// `05-01`: month and day, for narrow screens.
    pub fn month_day(&self) -> String {
        let d = self.0.date();
        format!("{:02}-{:02}", u8::from(d.month()), d.day())
    }

    /// `14:03`.
    pub fn clock(&self) -> String {
        format!("{:02}:{:02}", self.0.hour(), self.0.minute())
    }

    /// `14:03:05`.
    pub fn clock_seconds(&self) -> String {
        format!("{}:{:02}", self.clock(), self.0.second())
    }

    /// `2024-05-01 14:03`.
    pub fn minute(&self) -> String {
        format!("{} {}", self.date(), self.clock())
    }

    /// `2024-05-01 14:03:05`.
    pub fn second(&self) -> String {
        format!("{} {}", self.date(), self.clock_seconds())
    }

    /// `20240501T140305Z`: ISO 8601's basic format, as the original tracker's session ids.
    pub fn basic(&self) -> String {
        let (d, t) = (self.0.date(), self.0.time());
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            d.year(),
            u8::from(d.month()),
            d.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

/// Midnight UTC at the start of a calendar date written `YYYY-MM-DD`, in ms since the epoch;
/// `None` for text of another shape, a date that does not exist, or one before 1970.
pub fn midnight_ms(text: &str) -> Option<u64> {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    let seconds = date.midnight().assume_utc().unix_timestamp();
    u64::try_from(seconds).ok()?.checked_mul(1000)
}

/// The midnight UTC after the one at `midnight_ms` (the exclusive end of that day).
pub fn next_midnight_ms(midnight_ms: u64) -> u64 {
    midnight_ms.saturating_add(86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_leap_days_and_centuries() {
        assert_eq!(Utc::of(0).iso(), "1970-01-01T00:00:00Z");
        assert_eq!(Utc::of(1_709_210_096_000).iso(), "2024-02-29T12:34:56Z");
        assert_eq!(Utc::of(951_868_800_000).date(), "2000-03-01");
        assert_eq!(Utc::of(4_107_542_399_000).iso(), "2100-02-28T23:59:59Z");
        assert_eq!(Utc::of(4_107_542_400_000).date(), "2100-03-01");
        assert_eq!(Utc::of(1_714_572_185_000).minute(), "2024-05-01 14:03");
        assert_eq!(Utc::of(1_714_572_185_999).second(), "2024-05-01 14:03:05");
        assert_eq!(Utc::of(1_714_572_185_000).month_day(), "05-01");
    }

    #[test]
    fn the_original_trackers_stamps() {
        assert_eq!(Utc::of(0).basic(), "19700101T000000Z");
        assert_eq!(Utc::of(1_136_214_245_999).basic(), "20060102T150405Z");
        assert_eq!(Utc::of(951_782_400_000).basic(), "20000229T000000Z");
        assert_eq!(Utc::of(13_569_465_600_000).basic(), "24000101T000000Z");
    }

    #[test]
    fn times_past_the_calendar_are_clamped() {
        assert_eq!(Utc::of(u64::MAX).iso(), "9999-12-31T23:59:59Z");
        assert_eq!(Utc::of(253_402_300_800_000).iso(), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn dates_read_back_as_their_midnight() {
        assert_eq!(midnight_ms("1970-01-01"), Some(0));
        assert_eq!(midnight_ms("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(
            midnight_ms("2024-02-29").map(next_midnight_ms),
            midnight_ms("2024-03-01")
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "1969-12-31",
            "2024-01-01-01",
            "+024-01-01",
            "",
        ] {
            assert_eq!(midnight_ms(bad), None, "{bad}");
        }
    }
}
