//! Dates for the dashboard: times in ms since the Unix epoch as UTC calendar dates, written
//! into `<time>` elements that `app.js` rewrites in the reader's own time zone.

use maud::{Markup, html};

/// A UTC calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Utc {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
}

impl Utc {
    /// The UTC date and time `ms` after the epoch.
    pub(crate) fn of(ms: u64) -> Self {
        let secs = ms / 1000;
        let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
        let of_day = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        // Each of these is below 86 400.
        let part = |v: u64| u32::try_from(v).unwrap_or(0);
        Utc {
            year,
            month,
            day,
            hour: part(of_day / 3600),
            minute: part(of_day / 60 % 60),
            second: part(of_day % 60),
        }
    }

    /// `2024-05-01T14:03:05Z`, for `datetime` attributes.
    pub(crate) fn iso(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            self.hour,
            self.minute,
            self.second
        )
    }

    /// `2024-05-01`.
    pub(crate) fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2024-05-01 14:03 UTC`.
    pub(crate) fn minutes(&self) -> String {
        format!("{} {:02}:{:02} UTC", self.date(), self.hour, self.minute)
    }

    /// `14:03`.
    pub(crate) fn clock(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

/// A `<time>` element showing date and minutes, localised by `app.js`.
pub(crate) fn time_tag(ms: u64) -> Markup {
    let t = Utc::of(ms);
    html! { time datetime=(t.iso()) { (t.minutes()) } }
}

/// The proleptic Gregorian date of a day count since 1970-01-01: shift to eras of 400 years
/// starting on 1 March, so the leap day is the last day of a year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let small = |v: i64| u32::try_from(v).unwrap_or(0);
    (year, small(month), small(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_leap_days_and_centuries() {
        assert_eq!(Utc::of(0).iso(), "1970-01-01T00:00:00Z");
        // 2024-02-29 12:34:56 UTC
        assert_eq!(Utc::of(1_709_210_096_000).iso(), "2024-02-29T12:34:56Z");
        // 2000-03-01 00:00:00 UTC
        assert_eq!(Utc::of(951_868_800_000).date(), "2000-03-01");
        // 2100-02-28 23:59:59 UTC, and a second later
        assert_eq!(Utc::of(4_107_542_399_000).iso(), "2100-02-28T23:59:59Z");
        assert_eq!(Utc::of(4_107_542_400_000).date(), "2100-03-01");
        assert_eq!(Utc::of(1_714_572_185_000).minutes(), "2024-05-01 14:03 UTC");
    }
}
