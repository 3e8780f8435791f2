//! The sessions screen: stored sessions, newest first, with track, car, type, laps and the
//! session's best lap (marked `▲` when it is the driver's personal best there).

use pitwall_core::stats::{self, TimingColour};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, HighlightSpacing, Paragraph, Row, Table};

use super::common;
use crate::app::App;
use crate::{dates, names};

/// Draws the sessions screen in `area`.
pub(crate) fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = app.theme;
    let [title, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let count = app.history.sessions.len();
    let text = if area.width >= 60 {
        format!("Sessions · {count} · newest first · times UTC")
    } else {
        format!("Sessions · {count} · UTC")
    };
    super::heading(theme, text, title, frame);
    let empty = "No sessions stored yet: drive with `pitwall run` running.";
    if let Some(note) = super::history_note(app, empty) {
        frame.render_widget(Paragraph::new(note), list);
        return;
    }
    let width = list.width.saturating_sub(1);
    let columns = Columns::for_width(width);
    let rows = app.history.sessions.iter().map(|s| {
        let info = &s.info;
        let reference = app.history.reference(info);
        let best = stats::session_best(&s.laps).map(|l| l.time_ms);
        let class = if best.is_some() && best == reference.pb_ms {
            TimingColour::PersonalBest
        } else {
            TimingColour::Normal
        };
        let date = if columns.long_date {
            dates::minute(info.started_at_ms)
        } else {
            dates::short(info.started_at_ms)
        };
        let mut cells = vec![Cell::from(date), Cell::from(names::track(&info.track))];
        if columns.car {
            cells.push(Cell::from(names::car(&info.car)));
        }
        if columns.kind {
            cells.push(Cell::from(names::session_type(info.session_type)));
        }
        if columns.laps {
            cells.push(Cell::from(
                Line::from(s.laps.len().to_string()).right_aligned(),
            ));
        }
        cells.push(Cell::from(common::lap_time(theme, class, best)));
        Row::new(cells)
    });
    let mut header = vec!["Date", "Track"];
    let tracks = app
        .history
        .sessions
        .iter()
        .map(|s| names::track(&s.info.track));
    let mut widths = vec![
        Constraint::Length(if columns.long_date { 16 } else { 11 }),
        common::name_column(tracks, columns.car),
    ];
    if columns.car {
        header.push("Car");
        widths.push(Constraint::Fill(3));
    }
    if columns.kind {
        header.push("Type");
        widths.push(Constraint::Length(10));
    }
    if columns.laps {
        header.push("Laps");
        widths.push(Constraint::Length(4));
    }
    header.push("     Best");
    widths.push(Constraint::Length(common::LAP_TIME));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .highlight_symbol("▶")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = super::table_state(&app.nav.sessions);
    frame.render_stateful_widget(table, list, &mut state);
    app.nav.sessions.set_offset(state.offset());
}

/// Which columns fit.
struct Columns {
    long_date: bool,
    car: bool,
    kind: bool,
    laps: bool,
}

impl Columns {
    fn for_width(width: u16) -> Self {
        Columns {
            long_date: width >= 90,
            car: width >= 60,
            kind: width >= 90,
            laps: width >= 60,
        }
    }
}
