//! Dates for the history screens, in UTC so that every screen (and every snapshot test)
//! shows the same text wherever it runs: `2026-05-03 14:02`.

/// `YYYY-MM-DD HH:MM` of a time in ms since the Unix epoch, UTC.
pub(crate) fn minute(ms: u64) -> String {
    let (y, m, d, hh, mm, _) = parts(ms);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
}

/// `MM-DD HH:MM`, for narrow screens.
pub(crate) fn short(ms: u64) -> String {
    let (_, m, d, hh, mm, _) = parts(ms);
    format!("{m:02}-{d:02} {hh:02}:{mm:02}")
}

/// `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn second(ms: u64) -> String {
    let (y, m, d, hh, mm, ss) = parts(ms);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
}

/// Year, month, day, hour, minute, second of `ms` since the epoch (proleptic Gregorian).
fn parts(ms: u64) -> (u64, u64, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil(days);
    (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
}

/// The calendar date `days` after 1970-01-01, counting in 400-year eras of 146,097 days
/// from 0000-03-01 (so that the leap day ends a year).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_ms_read_as_utc_dates() {
        assert_eq!(minute(0), "1970-01-01 00:00");
        // 2024-02-29 23:59:59 UTC, a leap day.
        assert_eq!(second(1_709_251_199_000), "2024-02-29 23:59:59");
        assert_eq!(minute(1_709_251_200_000), "2024-03-01 00:00");
        // 2000-12-31 12:34 UTC.
        assert_eq!(short(978_266_040_000), "12-31 12:34");
    }
}
