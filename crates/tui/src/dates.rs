//! Dates for the history screens, in UTC so that every screen (and every snapshot test)
//! shows the same text wherever it runs: `2026-05-03 14:02`. The dates are
//! [`pitwall_core::dates`]'s, as on every screen.

use pitwall_core::dates::Utc;

/// `YYYY-MM-DD HH:MM` of a time in ms since the Unix epoch, UTC.
pub(crate) fn minute(ms: u64) -> String {
    Utc::of(ms).minute()
}

/// `MM-DD HH:MM`, for narrow screens.
pub(crate) fn short(ms: u64) -> String {
    let t = Utc::of(ms);
    format!("{} {}", t.month_day(), t.clock())
}

/// `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn second(ms: u64) -> String {
    Utc::of(ms).second()
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
