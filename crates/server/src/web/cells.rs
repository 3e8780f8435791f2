//! Small pieces shared by the dashboard's tables: timing-colour classes, lap marks, deltas,
//! and car and track names as readable text.

use maud::{Markup, html};
use pitwall_core::format;
use pitwall_core::names;
use pitwall_core::stats::{Mark, TimingColour};

/// The CSS class of a timing colour: purple `c-sb`, green `c-pb`, red `c-inv`, or none.
pub(crate) fn colour_class(colour: TimingColour) -> &'static str {
    match colour {
        TimingColour::SessionBest => "c-sb",
        TimingColour::PersonalBest => "c-pb",
        TimingColour::Invalid => "c-inv",
        TimingColour::Normal => "",
    }
}

/// What a timing colour means, for tooltips: colour is never the only signal.
pub(crate) fn colour_title(colour: TimingColour) -> Option<&'static str> {
    match colour {
        TimingColour::SessionBest => Some("Session best"),
        TimingColour::PersonalBest => Some("Personal best"),
        TimingColour::Invalid => Some("Invalid"),
        TimingColour::Normal => None,
    }
}

/// A signed delta, green when gaining and red when losing.
pub(crate) fn delta(ms: Option<i64>) -> Markup {
    let class = match ms {
        Some(d) if d < 0 => "d gain",
        Some(d) if d > 0 => "d loss",
        _ => "d",
    };
    html! { span class=(class) { (format::delta(ms)) } }
}

/// A lap's marks (`INVALID (S2)`, `OUT`, `IN`, `PARTIAL`, `PB`), each a tag whose class is
/// its kind and whose title says what it means.
pub(crate) fn marks(marks: &[Mark]) -> Markup {
    html! {
        @for (i, mark) in marks.iter().enumerate() {
            @if i > 0 { " " }
            span class=(format!("tag {}", mark_class(*mark))) title=(mark.meaning()) { (mark.label()) }
        }
    }
}

/// The CSS class of a mark.
fn mark_class(mark: Mark) -> &'static str {
    match mark {
        Mark::Invalid { .. } => "inv",
        Mark::Out => "out",
        Mark::In => "in",
        Mark::Partial => "partial",
        Mark::PersonalBest => "pb",
    }
}

/// A car's readable name with its class.
pub(crate) fn car(id: &str) -> Markup {
    html! {
        (names::car_name(id))
        @if let Some(class) = names::car_class(id) {
            " " span.class { (class) }
        }
    }
}

/// A track's readable name.
pub(crate) fn track(id: &str) -> String {
    names::track_name(id).into_owned()
}
