//! `GET /`: the sessions, newest first, a page at a time: when, where, in what, which
//! session type, who, how many laps and the best counting lap.

use axum::extract::{Query, State};
use maud::{Markup, html};
use pitwall_core::format::lap_time;
use pitwall_core::names;
use pitwall_core::stats::session_best;
use pitwall_store::{Reads as _, SessionWithLaps};
use serde::Deserialize;

use super::cells;
use super::dates::time_tag;
use super::error::WebError;
use super::layout::{Nav, page};
use crate::app::AppState;

/// Sessions per page.
pub(crate) const PER_PAGE: u32 = 50;

/// The query: which page (0 = newest).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    page: u32,
}

/// `GET /`.
pub(crate) async fn page_handler(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Markup, WebError> {
    let offset = query.page.saturating_mul(PER_PAGE);
    // One more than shown, to know whether there is an older page.
    let mut sessions = state.store.recent_sessions(PER_PAGE + 1, offset).await?;
    let more = sessions.len() > PER_PAGE as usize;
    sessions.truncate(PER_PAGE as usize);
    Ok(page(
        "Sessions",
        Nav::Sessions,
        render(&sessions, query.page, more),
    ))
}

fn render(sessions: &[SessionWithLaps], page_no: u32, more: bool) -> Markup {
    html! {
        h1 { "Sessions" }
        @if sessions.is_empty() {
            p.empty {
                @if page_no == 0 {
                    "No sessions yet. Start " code { "pitwall run" } " and drive: sessions appear here as they start."
                } @else {
                    "No older sessions."
                }
            }
        } @else {
            div.scroll {
                table.sessions {
                    thead { tr {
                        th { "Date" } th { "Track" } th { "Car" } th { "Session" } th { "Driver" }
                        th.num { "Laps" } th.num { "Best" }
                    } }
                    tbody {
                        @for s in sessions { (row(s)) }
                    }
                }
            }
        }
        nav.pager {
            @if page_no > 0 {
                a href=(format!("/?page={}", page_no - 1)) { "← Newer" }
            }
            @if more {
                a href=(format!("/?page={}", page_no + 1)) { "Older →" }
            }
        }
    }
}

fn row(s: &SessionWithLaps) -> Markup {
    let info = &s.info;
    let href = format!("/sessions/{}", info.id);
    let valid = s.laps.iter().filter(|l| l.valid).count();
    let best = session_best(&s.laps);
    html! {
        tr {
            td.date { a href=(href) { (time_tag(info.started_at_ms)) } }
            td { a href=(href) { (cells::track(&info.track)) } }
            td { (cells::car(&info.car)) }
            td { (names::session_type_name(info.session_type)) }
            td { (info.driver) }
            td.num title=(format!("{valid} valid")) { (s.laps.len()) }
            td.num.lt { (lap_time(best.map(|l| l.time_ms))) }
        }
    }
}
