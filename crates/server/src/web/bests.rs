//! `GET /bests`: personal bests per track and car, per driver: the PB and when it was set,
//! the theoretical best from the best sectors, consistency over the recent counting laps
//! (mean, standard deviation, average of the last five), and a chart of how the PB improved.

use axum::extract::State;
use maud::{Markup, html};
use pitwall_core::format::{lap_time, sector_time};
use pitwall_core::model::Lap;
use pitwall_core::stats::{PbStep, mean_ms, rolling_average_ms, std_dev_ms};
use pitwall_store::{LapFilter, Reads as _, RecordLap, SectorBests};

use super::cells;
use super::chart::{Chart, Point, RefLine, Series, XAxis};
use super::dates::{self, time_tag};
use super::error::WebError;
use super::layout::{Nav, page};
use crate::app::AppState;

/// Consistency is measured over this many of the driver's most recent valid laps.
const RECENT_LAPS: u32 = 100;
/// The rolling average's window.
const ROLLING: usize = 5;

/// One driver's records on a track and car.
struct Entry {
    record: RecordLap,
    sectors: SectorBests,
    progression: Vec<PbStep>,
    /// Recent valid laps, in completion order.
    recent: Vec<Lap>,
}

/// `GET /bests`.
pub(crate) async fn page_handler(State(state): State<AppState>) -> Result<Markup, WebError> {
    let store = &state.store;
    let mut entries = Vec::new();
    for record in store.personal_bests(None).await? {
        let (track, car, driver) = (&record.track, &record.car, &record.driver);
        let sectors = store.best_sectors(track, car, Some(driver)).await?;
        let progression = store.pb_progression(track, car, driver).await?;
        let filter = LapFilter {
            track: Some(track.clone()),
            car: Some(car.clone()),
            driver: Some(driver.clone()),
            valid: Some(true),
            limit: Some(RECENT_LAPS),
            ..LapFilter::default()
        };
        let mut recent: Vec<Lap> = store
            .laps(&filter)
            .await?
            .into_iter()
            .map(|s| s.lap)
            .collect();
        recent.reverse();
        entries.push(Entry {
            record,
            sectors,
            progression,
            recent,
        });
    }
    Ok(page("Personal bests", Nav::Bests, render(&entries)))
}

fn render(entries: &[Entry]) -> Markup {
    // `personal_bests` is ordered by track and car: group consecutive entries.
    let groups = entries
        .chunk_by(|a, b| (&a.record.track, &a.record.car) == (&b.record.track, &b.record.car));
    html! {
        h1 { "Personal bests" }
        p.note {
            "Only valid flying laps count. Consistency: the last " (RECENT_LAPS)
            " valid laps of each driver, out-laps and in-laps left out."
        }
        @if entries.is_empty() {
            p.empty { "No personal bests yet: drive a valid flying lap." }
        }
        @for group in groups {
            @let first = &group[0].record;
            section.combo {
                h2 { (cells::track(&first.track)) " · " (cells::car(&first.car)) }
                div.scroll {
                    table.bests {
                        thead { tr {
                            th { "Driver" } th.num { "PB" } th { "Set" } th.num { "Theoretical" }
                            th.num { "Mean" } th.num { "σ" } th.num { "Last " (ROLLING) } th.num { "Laps" }
                        } }
                        tbody { @for e in group { (row(e)) } }
                    }
                }
                div.charts { @for e in group { (progression(e)) } }
            }
        }
    }
}

fn row(e: &Entry) -> Markup {
    let r = &e.record;
    let mean = mean_ms(&e.recent);
    let rolling = rolling_average_ms(&e.recent, ROLLING);
    html! {
        tr {
            td { (r.driver) }
            td.num.lt.c-pb { (lap_time(Some(r.time_ms))) }
            td.date { a href=(format!("/sessions/{}", r.session)) { (time_tag(r.completed_at_ms)) } }
            td.num.lt { (lap_time(e.sectors.theoretical_best_ms)) }
            td.num.lt { (lap_time(whole(mean))) }
            td.num { (std_dev_ms(&e.recent).and_then(|s| whole(Some(s))).map_or("-".to_owned(), |s| format!("±{}", sector_time(Some(s))))) }
            td.num.lt { (lap_time(whole(rolling))) }
            td.num { (e.recent.iter().filter(|l| l.counts()).count()) }
        }
    }
}

fn progression(e: &Entry) -> Markup {
    let r = &e.record;
    let points = e
        .progression
        .iter()
        .map(|step| Point {
            // Epoch milliseconds are far inside f64's exact range.
            x: step.completed_at_ms as f64,
            y_ms: step.time_ms,
            class: "c-pb",
            label: format!(
                "{}: {}{}",
                dates::minutes(step.completed_at_ms),
                lap_time(Some(step.time_ms)),
                step.gain_ms
                    .map(|g| format!(" (−{})", sector_time(Some(g))))
                    .unwrap_or_default()
            ),
        })
        .collect();
    let lines = e
        .sectors
        .theoretical_best_ms
        .map(|t| RefLine {
            y_ms: t,
            label: format!("Theoretical {}", lap_time(Some(t))),
            class: "theo",
        })
        .into_iter()
        .collect();
    let chart = Chart {
        title: format!("Personal best progression of {}", r.driver),
        x_axis: XAxis::Dates,
        series: vec![Series {
            class: "pb",
            step: true,
            points,
        }],
        lines,
    };
    html! {
        figure.progression {
            figcaption {
                "PB progression · " (r.driver) " · " (e.progression.len())
                (if e.progression.len() == 1 { " personal best set" } else { " personal bests set" })
            }
            (chart.render())
        }
    }
}

/// Whole milliseconds of a mean or spread.
fn whole(ms: Option<f64>) -> Option<u32> {
    // Lap-time statistics are far inside u32.
    ms.filter(|m| m.is_finite() && *m >= 0.0)
        .map(|m| m.round() as u32)
}
