//! Personal bests: for each track and car (and driver, when the store has several), the best
//! counting lap, the theoretical best from the best sectors, and when the best was set.

use pitwall_core::format;
use pitwall_core::stats::TimingColour;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, HighlightSpacing, Paragraph, Row, Table};

use super::common;
use crate::app::{App, HistoryState};
use crate::{dates, names};

/// Draws the personal bests in `area`.
pub(crate) fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = app.theme;
    let [title, list, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let bests = &app.history.bests;
    let text = if area.width >= 60 {
        format!(
            "Personal bests · {} · per track and car · times UTC",
            bests.len()
        )
    } else {
        format!("Personal bests · {}", bests.len())
    };
    super::heading(theme, text, title, frame);
    let note = match &app.history_state {
        HistoryState::Loaded if bests.is_empty() => Some(Line::styled(
            "No personal bests yet: a valid flying lap sets the first.",
            theme.dim(),
        )),
        HistoryState::Loaded => None,
        _ => super::history_note(app, ""),
    };
    if let Some(note) = note {
        frame.render_widget(Paragraph::new(note), list);
        return;
    }
    let width = list.width.saturating_sub(1);
    let drivers = {
        let first = bests.first().map(|b| &b.record.driver);
        bests.iter().any(|b| Some(&b.record.driver) != first)
    };
    let wide = width >= 70;
    let driver_column = drivers && width >= 90;
    let rows = bests.iter().map(|b| {
        let mut cells = vec![
            Cell::from(names::track(&b.record.track)),
            Cell::from(names::car(&b.record.car)),
        ];
        if driver_column {
            cells.push(Cell::from(b.record.driver.clone()));
        }
        cells.push(Cell::from(common::lap_time(
            theme,
            TimingColour::PersonalBest,
            Some(b.record.time_ms),
        )));
        if wide {
            cells.push(Cell::from(
                Line::from(format::lap_time(b.theoretical_ms)).right_aligned(),
            ));
            cells.push(Cell::from(dates::minute(b.record.completed_at_ms)));
        }
        Row::new(cells)
    });
    let mut header = vec!["Track", "Car"];
    let tracks = bests.iter().map(|b| names::track(&b.record.track));
    let mut widths = vec![common::name_column(tracks, true), Constraint::Fill(1)];
    if driver_column {
        header.push("Driver");
        widths.push(Constraint::Fill(2));
    }
    header.push("       PB");
    widths.push(Constraint::Length(common::LAP_TIME));
    if wide {
        header.extend([" Theoretical", "Set"]);
        widths.extend([Constraint::Length(12), Constraint::Length(16)]);
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = super::table_state(&app.nav.bests);
    frame.render_stateful_widget(table, list, &mut state);
    app.nav.bests.set_offset(state.offset());
    let hint = if wide {
        "Theoretical: the sum of your best sectors over every counting lap."
    } else {
        "Enter: the lap"
    };
    frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim())), foot);
}
