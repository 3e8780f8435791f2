//! The rows of a lap table, as the session page and the live page both show them: each lap's
//! sectors and time in its timing colours, its deltas to the session best and to the
//! previous counting lap, and its marks, all from [`pitwall_core::stats::lap_table`].

use maud::{Markup, html};
use pitwall_core::format::{lap_time, sector_time};
use pitwall_core::stats::Row;

use super::cells::{self, colour_class, colour_title};

/// The header row: `Lap`, `S1`…, `Time`, `Δ best`, `Δ prev`, marks.
pub(crate) fn head(sector_count: usize) -> Markup {
    html! {
        tr {
            th.num { "Lap" }
            @for i in 0..sector_count { th.num { "S" (i + 1) } }
            th.num { "Time" }
            th.num title="Lap time minus the session best" { "Δ best" }
            th.num title="Lap time minus the previous counting lap's" { "Δ prev" }
            th { "" }
        }
    }
}

/// One lap's row; `fresh` marks a lap that has just completed (the live page highlights it).
pub(crate) fn row(r: &Row<'_>, sector_count: usize, fresh: bool) -> Markup {
    let lap = r.lap;
    let mut class = Vec::new();
    if !lap.valid {
        class.push("inv");
    }
    if !lap.is_flying() {
        class.push("pit");
    }
    if fresh {
        class.push("fresh");
    }
    let time_class = format!("num lt {}", colour_class(r.colours.time));
    html! {
        tr class=[(!class.is_empty()).then(|| class.join(" "))] data-lap=(lap.id) {
            td.num { (lap.number) }
            @for i in 0..sector_count {
                @let colour = r.colours.sectors.get(i).copied();
                @let time = lap.sectors.get(i).copied().flatten();
                td class=(format!("num {}", colour.map_or("", colour_class)).trim_end()) title=[colour.and_then(colour_title)] {
                    (sector_time(time))
                }
            }
            td class=(time_class.trim_end()) title=[colour_title(r.colours.time)] { (lap_time(Some(lap.time_ms))) }
            td.num { (cells::delta(r.delta.to_reference_ms)) }
            td.num { (cells::delta(r.delta.to_previous_ms)) }
            td.tags { (cells::marks(&r.marks)) }
        }
    }
}
