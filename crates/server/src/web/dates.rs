//! Dates for the dashboard: times in ms since the Unix epoch written into `<time>` elements
//! that `app.js` rewrites in the reader's own time zone. The dates themselves are
//! [`pitwall_core::dates`]'s, as on every screen.

use maud::{Markup, html};
pub(crate) use pitwall_core::dates::Utc;

/// `2024-05-01 14:03 UTC`.
pub(crate) fn minutes(ms: u64) -> String {
    format!("{} UTC", Utc::of(ms).minute())
}

/// A `<time>` element showing date and minutes, localised by `app.js`.
pub(crate) fn time_tag(ms: u64) -> Markup {
    html! { time datetime=(Utc::of(ms).iso()) { (minutes(ms)) } }
}
