//! `GET /live`: live timing. The page is rendered from the hub's current state (so it reads
//! right before any script runs); `live.js` then subscribes to `/api/live` with an
//! `EventSource` and applies each event as it arrives: the running lap time (interpolated
//! between `tick` events), live sectors, the delta to the personal best and the last laps.
//! Element ids here are what `live.js` updates.

use axum::extract::State;
use maud::{Markup, html};
use pitwall_core::format::{delta, lap_time, sector_time};
use pitwall_core::names;
use pitwall_live::{LapJson, LiveState};

use super::assets;
use super::layout::{Nav, page_with};
use crate::app::AppState;

/// `GET /live`.
pub(crate) async fn page_handler(State(state): State<AppState>) -> Markup {
    let live = state.live.state();
    page_with("Live", Nav::Live, render(&live), &["live.js"])
}

fn render(s: &LiveState) -> Markup {
    let sector_count = s
        .session
        .as_ref()
        .map_or(3, |x| usize::from(x.sector_count.max(1)));
    let lap = s.lap.as_ref();
    let reference = s.reference.as_ref();
    let pb = reference.and_then(|r| r.pb_ms);
    html! {
        section #live data-names=(assets::url("names.json")) {
            p #status class=(if s.connected { "status on" } else { "status off" }) {
                (if s.message.is_empty() { "Waiting for the collector…" } else { &s.message })
            }
            @match &s.session {
                Some(session) => {
                    h1 #session-title {
                        (names::track_name(&session.track)) " · " (names::car_name(&session.car))
                    }
                    p #session-meta.meta {
                        (session_type(&session.session_type)) " · " (session.driver)
                    }
                }
                None => {
                    h1 #session-title { "No session yet" }
                    p #session-meta.meta { "Start driving: the session appears here." }
                }
            }
            div.clock {
                div.lapno { span.label { "Lap" } span #lap-number { (lap.map_or("-".to_owned(), |l| l.number.to_string())) } }
                div #running.running.c-inv[lap.is_some_and(|l| !l.valid)] {
                    (lap.map_or("-:--.---".to_owned(), |l| lap_time(Some(l.current_ms))))
                }
                div.deltabox {
                    span.label { "Δ PB" }
                    span #delta.d { (delta(lap.and_then(|l| l.delta_ms))) }
                }
            }
            ol #sectors.sectors {
                @for i in 0..sector_count {
                    @let time = lap.and_then(|l| l.sectors.get(i).copied().flatten());
                    li class=[lap.filter(|l| usize::from(l.sector) == i).map(|_| "current")] {
                        span.label { "S" (i + 1) }
                        span.t { (sector_time(time)) }
                    }
                }
            }
            dl.cards {
                div { dt { "Personal best" } dd #pb.c-pb { (lap_time(pb)) } }
                div { dt { "Theoretical best" } dd #theo { (lap_time(reference.and_then(|r| r.theoretical_best_ms))) } }
                div { dt { "Session best" } dd #sb.c-sb { (lap_time(s.session_best_ms)) } }
            }
            h2 { "Last laps" }
            div.scroll {
                table #last-laps.laps {
                    thead { tr #last-head {
                        th.num { "Lap" }
                        @for i in 0..sector_count { th.num { "S" (i + 1) } }
                        th.num { "Time" } th.num { "Δ PB" } th { "" }
                    } }
                    tbody #last-body {
                        @for l in &s.last_laps { (last_lap(l, sector_count, s.session_best_ms, pb)) }
                    }
                }
            }
            p.note { "Laps: purple is the session best, green a personal best, red invalid. Sectors: purple is your best ever, green faster than your personal best lap's, yellow slower. Δ PB is the lap time so far minus the personal best lap's at the same sector line." }
        }
    }
}

fn last_lap(
    l: &LapJson,
    sector_count: usize,
    session_best: Option<u32>,
    pb: Option<u32>,
) -> Markup {
    let counts = l.valid && !l.out_lap && !l.in_lap && l.time_ms > 0;
    let class = if !l.valid {
        "num lt c-inv"
    } else if counts && session_best.is_some_and(|b| l.time_ms <= b) {
        "num lt c-sb"
    } else if counts && pb.is_some_and(|b| l.time_ms <= b) {
        "num lt c-pb"
    } else {
        "num lt"
    };
    let to_pb = pb
        .filter(|_| l.time_ms > 0)
        .map(|p| i64::from(l.time_ms) - i64::from(p));
    html! {
        tr class=[(!l.valid).then_some("inv")] data-lap=(l.id) {
            td.num { (l.number) }
            @for i in 0..sector_count {
                td.num { (sector_time(l.sectors.get(i).copied().flatten())) }
            }
            td class=(class) { (lap_time(Some(l.time_ms))) }
            td.num { (delta(to_pb)) }
            td.tags {
                @if !l.valid { span.tag.inv { "INVALID" } }
                @if l.out_lap { span.tag.out { "OUT" } }
                @if l.in_lap { span class="tag in" { "IN" } }
            }
        }
    }
}

/// A session type label (`PRACTICE`) in words.
fn session_type(label: &str) -> String {
    pitwall_acc::enums::SessionType::ALL
        .iter()
        .find(|t| t.label() == label)
        .map_or_else(
            || label.to_owned(),
            |&t| names::session_type_name(t).into_owned(),
        )
}
