//! `GET /sessions/{id}`: one session: its summary, a lap-time chart, and the lap table with
//! every sector, lap time and delta in timing colours, tags and the theoretical-best row.

use axum::extract::{Path, State};
use maud::{Markup, html};
use pitwall_core::format::{lap_time, sector_time};
use pitwall_core::model::SessionId;
use pitwall_core::names;
use pitwall_store::{Reads as _, SessionWithLaps};

use super::cells::{self, colour_class};
use super::chart::{Chart, Point, RefLine, Series, XAxis};
use super::dates::time_tag;
use super::error::WebError;
use super::laprows;
use super::layout::{Nav, page};
use crate::app::AppState;
use pitwall_core::stats::{LapTable, lap_table};

/// `GET /sessions/{id}`.
pub(crate) async fn page_handler(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    const MISSING: &str = "There is no session with that id.";
    let id = parse_id(&id).ok_or(WebError::NotFound(MISSING))?;
    let session = state
        .store
        .session(id)
        .await?
        .ok_or(WebError::NotFound(MISSING))?;
    let prior = pitwall_store::prior::prior(&state.store, &session.info).await?;
    let table = lap_table(
        &session.laps,
        usize::from(session.info.sector_count),
        &prior,
    );
    let title = format!(
        "{} · {}",
        cells::track(&session.info.track),
        names::car_name(&session.info.car)
    );
    Ok(page(&title, Nav::Sessions, render(&session, &table)))
}

/// A session id from its 16 hex digits (as links and the CLI write it).
fn parse_id(hex: &str) -> Option<SessionId> {
    if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(hex, 16).ok().map(SessionId)
}

fn render(session: &SessionWithLaps, table: &LapTable<'_>) -> Markup {
    let info = &session.info;
    html! {
        h1 { (cells::track(&info.track)) " · " (cells::car(&info.car)) }
        p.meta {
            (names::session_type_name(info.session_type)) " · " (info.driver) " · "
            (time_tag(info.started_at_ms))
            @if info.online { " · online" }
            @if session.ended_at_ms.is_none() { " · " span.tag.liveish { "RUNNING" } }
        }
        (summary(table))
        h2 { "Lap times" }
        (chart(table).render())
        ul.legend {
            li.k-sb { "Session best" } li.k-pb { "Personal best" } li.k-inv { "Invalid" }
            li.k-theo { "Theoretical best" }
        }
        p.note { "Out-laps and in-laps are left out of the chart." }
        h2 { "Laps" }
        @if table.rows.is_empty() {
            p.empty { "No completed laps in this session." }
        } @else {
            (laps_table(table))
        }
    }
}

fn summary(table: &LapTable<'_>) -> Markup {
    html! {
        dl.cards {
            div { dt { "Best lap" } dd.c-sb {
                (lap_time(table.best.map(|l| l.time_ms)))
                @if let Some(best) = table.best { small { " lap " (best.number) } }
            } }
            div { dt { "Theoretical best" } dd { (lap_time(table.theoretical_ms)) } }
            div { dt { "PB before" } dd { (lap_time(table.prior_pb_ms)) } }
            div { dt { "Mean (counting laps)" } dd { (lap_time(round(table.mean_ms))) } }
            div { dt { "Consistency σ" } dd { (spread(table.std_dev_ms)) } }
            div { dt { "Laps" } dd { (table.laps()) small { " " (table.counting) " counting" } } }
        }
    }
}

fn chart(table: &LapTable<'_>) -> Chart {
    let points = table
        .rows
        .iter()
        .filter(|r| r.lap.is_flying() && r.lap.time_ms > 0)
        .map(|r| Point {
            x: f64::from(r.lap.number),
            y_ms: r.lap.time_ms,
            class: match colour_class(r.colours.time) {
                "" => "pt",
                c => c,
            },
            label: format!(
                "Lap {}: {}{}",
                r.lap.number,
                lap_time(Some(r.lap.time_ms)),
                if r.lap.valid { "" } else { " (invalid)" }
            ),
        })
        .collect();
    let mut lines = Vec::new();
    if let Some(t) = table.theoretical_ms {
        lines.push(RefLine {
            y_ms: t,
            label: format!("Theoretical {}", lap_time(Some(t))),
            class: "theo",
        });
    }
    Chart {
        title: "Lap times of the session by lap".into(),
        x_axis: XAxis::Laps,
        series: vec![Series {
            class: "laps",
            step: false,
            points,
        }],
        lines,
    }
}

fn laps_table(table: &LapTable<'_>) -> Markup {
    let sectors = 0..table.sector_count;
    html! {
        div.scroll {
            table.laps {
                thead { (laprows::head(table.sector_count)) }
                tbody {
                    @for r in &table.rows { (laprows::row(r, table.sector_count, false)) }
                }
                tfoot { tr.theo {
                    th.num scope="row" { "Theor." }
                    @for i in sectors {
                        @let best = table.best_sectors.get(i);
                        td.num.c-sb title=(best.map(|b| format!("Lap {}", b.lap_number)).unwrap_or_default()) {
                            (sector_time(best.map(|b| b.time_ms)))
                        }
                    }
                    td.num.lt { (lap_time(table.theoretical_ms)) }
                    td.num {} td.num {}
                    td { span.note { "sum of best sectors" } }
                } }
            }
        }
    }
}

/// A mean in whole ms.
fn round(ms: Option<f64>) -> Option<u32> {
    // Lap-time means are far inside u32.
    ms.filter(|m| m.is_finite() && *m >= 0.0)
        .map(|m| m.round() as u32)
}

/// A spread of lap times: `±0.312 s`.
fn spread(ms: Option<f64>) -> String {
    match round(ms) {
        Some(ms) => format!("±{} s", sector_time(Some(ms))),
        None => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_16_hex_digits_at_most() {
        assert_eq!(parse_id("00000000000000ab"), Some(SessionId(0xab)));
        assert_eq!(parse_id("ab"), Some(SessionId(0xab)));
        assert_eq!(parse_id(""), None);
        assert_eq!(parse_id("00000000000000abc"), None);
        assert_eq!(parse_id("+b"), None);
        assert_eq!(parse_id("<script>"), None);
    }

    #[test]
    fn spreads_read_in_seconds() {
        assert_eq!(spread(Some(312.4)), "±0.312 s");
        assert_eq!(spread(Some(0.0)), "±0.000 s");
        assert_eq!(spread(None), "-");
    }
}
