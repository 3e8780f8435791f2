//! One lap: its time and tags, deltas to the personal best and to the session best, then each
//! sector with its colour and its deltas to the session's and the all-time best sector, and
//! when it started and ended.

use pitwall_core::format;
use pitwall_core::stats::{self, TimingColour};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::common::{self, flow, labelled};
use super::laps::session_lines;
use crate::app::App;
use crate::dates;

/// Draws the selected lap in `area`.
pub(crate) fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = app.theme;
    let session = app.history.sessions.get(app.nav.sessions.selected());
    let Some((session, lap_index)) = session.map(|s| (s, app.nav.laps.selected())) else {
        frame.render_widget(Paragraph::new("No session selected."), area);
        return;
    };
    let Some(lap) = session.laps.get(lap_index) else {
        frame.render_widget(Paragraph::new("No lap selected."), area);
        return;
    };
    let width = area.width;
    let sectors = usize::from(session.info.sector_count);
    let table = stats::lap_table(&session.laps, sectors, &app.history.prior(&session.info));
    let row = table.rows.get(lap_index);
    let class = row.map(|r| &r.colours);
    let session_sectors = table.best_sectors.times();

    let mut head = vec![Line::from(vec![
        Span::styled(format!("Lap {}", lap.number), theme.strong()),
        Span::styled(format!(" of {}", session.laps.len()), theme.dim()),
    ])];
    head.extend(session_lines(theme, session, width));
    head.push(Line::raw(""));
    let mut time = vec![
        Span::styled("Time ", theme.dim()),
        common::lap_time(
            theme,
            class.map_or(TimingColour::Normal, |c| c.time),
            Some(lap.time_ms),
        ),
    ];
    let marks = common::marks(theme, row.map_or(&[][..], |r| &r.marks));
    if !marks.is_empty() {
        time.push(Span::raw("  "));
        time.extend(marks);
    }
    head.push(Line::from(time));
    let to_best = row.and_then(|r| r.delta.to_reference_ms);
    let to_previous = row.and_then(|r| r.delta.to_previous_ms);
    // An invalid lap (or sector) gains nothing, faster or not: its deltas are not coloured.
    let delta_style = |ms: Option<i64>, valid: bool| {
        if valid { theme.delta(ms) } else { theme.dim() }
    };
    head.extend(flow(
        vec![
            labelled(
                theme,
                "Δ session best",
                Span::styled(format::delta(to_best), delta_style(to_best, lap.valid)),
            ),
            labelled(
                theme,
                "Δ previous",
                Span::styled(
                    format::delta(to_previous),
                    delta_style(to_previous, lap.valid),
                ),
            ),
        ],
        width,
    ));

    let wide = width >= 50;
    let right = |text: &'static str| Cell::from(Line::from(text).right_aligned());
    let mut header = vec![Cell::from("Sector"), right("Time"), right("Δ session")];
    let mut widths = vec![
        Constraint::Length(6),
        Constraint::Length(common::SECTOR_TIME),
        Constraint::Length(9),
    ];
    if wide {
        header.push(right("Δ all-time"));
        widths.push(Constraint::Length(10));
    }
    let rows = lap.sectors.iter().enumerate().map(|(i, time)| {
        let class = class
            .and_then(|c| c.sectors.get(i).copied())
            .unwrap_or(TimingColour::Normal);
        let session_delta = common::minus(*time, session_sectors.get(i).copied().flatten());
        let all_time_delta = common::minus(*time, table.pb_sectors.get(i).copied().flatten());
        let valid = class != TimingColour::Invalid;
        let delta = |ms: Option<i64>| {
            let mut span = common::delta(theme, ms);
            span.style = delta_style(ms, valid);
            Cell::from(Line::from(span).right_aligned())
        };
        let mut cells = vec![
            Cell::from(format!("S{}", i + 1)),
            Cell::from(common::sector_time(theme, class, *time)),
            delta(session_delta),
        ];
        if wide {
            cells.push(delta(all_time_delta));
        }
        Row::new(cells)
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .column_spacing(1);

    let mut foot = vec![Line::raw("")];
    foot.push(Line::styled(
        format!("Started   {} UTC", dates::second(lap.started_at_ms)),
        theme.dim(),
    ));
    foot.push(Line::styled(
        format!("Completed {} UTC", dates::second(lap.completed_at_ms)),
        theme.dim(),
    ));
    if lap.partial {
        foot.push(Line::styled(
            "Joined mid-lap: the first sectors may be unknown.",
            theme.dim(),
        ));
    }
    foot.extend(flow(common::legend(theme, width), width));

    let [head_area, table_area, foot_area] = Layout::vertical([
        Constraint::Length(head.len() as u16),
        Constraint::Length(lap.sectors.len() as u16 + 1),
        Constraint::Length(foot.len() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head), head_area);
    frame.render_widget(table, table_area);
    frame.render_widget(Paragraph::new(foot), foot_area);
}
