//! `GET /live`: live timing. The page is rendered from the hub's current state (so it reads
//! right before any script runs); `live.js` then subscribes to `/api/live` with an
//! `EventSource`, moves the running lap time on between `tick` events, and on each sector or
//! lap fetches `GET /live/board`: the running lap's sectors, the references and the last laps,
//! rendered here from the same state by the same functions as the session page
//! ([`pitwall_core::stats::lap_table`], `laprows`). The page computes no colour, mark or
//! delta of its own. Element ids here are what `live.js` updates.

use axum::extract::State;
use maud::{Markup, html};
use pitwall_core::format::{delta, lap_time, sector_time};
use pitwall_core::names;
use pitwall_core::stats::{LapTable, TimingColour, running_marks};
use pitwall_live::{LAST_LAPS, LiveState};

use super::assets;
use super::cells::{self, colour_class, colour_title};
use super::laprows;
use super::layout::{Nav, page_with};
use crate::app::AppState;

/// How long a completed lap is shown as fresh, ms.
const FRESH_MS: u64 = 3_000;

/// `GET /live`.
pub(crate) async fn page_handler(State(state): State<AppState>) -> Markup {
    let live = state.live.state();
    page_with("Live", Nav::Live, render(&live), &["live.js"])
}

/// `GET /live/board`: the parts of the page that change with each sector and lap.
pub(crate) async fn board_handler(State(state): State<AppState>) -> Markup {
    board(&state.live.state())
}

fn render(s: &LiveState) -> Markup {
    let lap = s.lap.as_ref();
    html! {
        section #live data-names=(assets::url("names.json")) data-board="/live/board" {
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
            (board(s))
            p.note { "Purple is the session best, green a personal best (laps: as fast as your best before them; sectors: your best ever), red invalid, as on the session page. Δ PB is the lap time so far minus the personal best lap's at the same sector line." }
        }
    }
}

/// The running lap's marks and sectors, the references and the last laps, newest first.
fn board(s: &LiveState) -> Markup {
    let laps = s.core_laps();
    let table = s.table(&laps);
    let lap = s.lap.as_ref();
    let marks = lap.map(|l| running_marks(l.valid, l.invalid_sector, l.out_lap));
    let colours =
        lap.map(|l| table.running_colours(&l.sectors, l.valid, l.invalid_sector, l.out_lap));
    // A lap completed in the last few seconds is highlighted as it appears.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let fresh = |completed_at_ms: u64| now_ms.saturating_sub(completed_at_ms) < FRESH_MS;
    html! {
        div #board {
            p #running-marks.tags { @if let Some(marks) = &marks { (cells::marks(marks)) } }
            ol #sectors.sectors {
                @for i in 0..table.sector_count {
                    @let time = lap.and_then(|l| l.sectors.get(i).copied().flatten());
                    @let colour = colours.as_ref().and_then(|c| c.get(i).copied()).filter(|_| time.is_some());
                    @let current = lap.filter(|l| usize::from(l.sector) == i).map(|_| "current");
                    @let class = [current, colour.map(colour_class).filter(|c| !c.is_empty())];
                    li class=[class_list(&class)] title=[colour.and_then(colour_title)] {
                        span.label { "S" (i + 1) }
                        span.t { (sector_time(time)) }
                    }
                }
            }
            (cards(s, &table))
            h2 { "Last laps" }
            div.scroll {
                table #last-laps.laps {
                    thead #last-head { (laprows::head(table.sector_count)) }
                    tbody #last-body {
                        @for r in table.rows.iter().rev().take(LAST_LAPS) {
                            (laprows::row(r, table.sector_count, fresh(r.lap.completed_at_ms)))
                        }
                    }
                }
            }
        }
    }
}

/// Personal best, theoretical best, session best.
fn cards(s: &LiveState, table: &LapTable<'_>) -> Markup {
    let reference = s.reference.as_ref();
    let pb = reference.and_then(|r| r.pb_ms).or(table.pb_ms);
    let session_best = table.best.map(|l| l.time_ms);
    html! {
        dl #cards.cards {
            div { dt { "Personal best" } dd #pb class=(colour_class(TimingColour::PersonalBest)) { (lap_time(pb)) } }
            div { dt { "Theoretical best" } dd #theo { (lap_time(reference.and_then(|r| r.theoretical_best_ms))) } }
            div { dt { "Session best" } dd #sb class=(colour_class(TimingColour::SessionBest)) { (lap_time(session_best)) } }
            div { dt { "Laps" } dd #lap-count { (table.laps()) small { " " (table.counting) " counting" } } }
        }
    }
}

/// Space-separated classes, `None` when there are none.
fn class_list(classes: &[Option<&str>]) -> Option<String> {
    let list: Vec<&str> = classes.iter().flatten().copied().collect();
    (!list.is_empty()).then(|| list.join(" "))
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
