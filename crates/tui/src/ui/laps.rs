//! A session's laps: what the session was, every lap with its sectors coloured against the
//! session and the driver's all-time bests, and the session's figures (best, theoretical
//! best, personal best, mean and spread of the counting laps).

use pitwall_core::format;
use pitwall_core::stats;
use pitwall_store::SessionWithLaps;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{HighlightSpacing, Paragraph};

use super::common::{self, flow, labelled};
use super::table;
use crate::app::App;
use crate::theme::Theme;
use crate::{dates, names};

/// Draws the laps of the selected session in `area`.
pub(crate) fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let theme = app.theme;
    let Some(session) = app.history.sessions.get(app.nav.sessions.selected()) else {
        frame.render_widget(Paragraph::new("No session selected."), area);
        return;
    };
    let width = area.width;
    let head = session_lines(theme, session, width);
    let sectors = usize::from(session.info.sector_count);
    let table = stats::lap_table(&session.laps, sectors, &app.history.prior(&session.info));
    let mut foot = flow(figures(theme, &table), width);
    foot.extend(flow(common::legend(theme, width), width));
    let [head_area, list, foot_area] = Layout::vertical([
        Constraint::Length(head.len() as u16),
        Constraint::Min(2),
        Constraint::Length(foot.len() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head), head_area);
    if session.laps.is_empty() {
        let note = Line::styled("No completed laps in this session.", theme.dim());
        frame.render_widget(Paragraph::new(note), list);
    } else {
        let rows: Vec<&stats::Row<'_>> = table.rows.iter().collect();
        let table = table::lap_table(theme, &rows, table.sector_count, width.saturating_sub(1))
            .row_highlight_style(theme.selected())
            .highlight_symbol("▶")
            .highlight_spacing(HighlightSpacing::Always);
        let mut state = super::table_state(&app.nav.laps);
        frame.render_stateful_widget(table, list, &mut state);
        app.nav.laps.set_offset(state.offset());
    }
    frame.render_widget(Paragraph::new(foot), foot_area);
}

/// Track · car · type · driver · start · laps, on as many lines as `width` needs.
pub(super) fn session_lines(
    theme: Theme,
    session: &SessionWithLaps,
    width: u16,
) -> Vec<Line<'static>> {
    let separator = Span::styled(" · ", theme.dim());
    common::flow_with(session_items(theme, session), width, separator)
}

fn session_items(theme: Theme, session: &SessionWithLaps) -> Vec<Vec<Span<'static>>> {
    let info = &session.info;
    let strong = |text: String| vec![Span::styled(text, theme.strong())];
    let dim = |text: String| vec![Span::styled(text, theme.dim())];
    let mut items = vec![
        strong(names::track(&info.track).into_owned()),
        strong(names::car(&info.car).into_owned()),
        strong(names::session_type(info.session_type).into_owned()),
        dim(info.driver.clone()),
        dim(format!("{} UTC", dates::minute(info.started_at_ms))),
        dim(format!(
            "{} laps ({} counting)",
            session.laps.len(),
            session.laps.iter().filter(|l| l.counts()).count()
        )),
    ];
    if info.online {
        items.push(dim("online".to_owned()));
    }
    items
}

/// Best, theoretical best, personal best, mean ± standard deviation of the counting laps.
fn figures(theme: Theme, table: &stats::LapTable<'_>) -> Vec<Vec<Span<'static>>> {
    let plain = |ms: Option<u32>| Span::styled(format::lap_time(ms), theme.strong());
    let mean = table.mean_ms.map(|m| m.round() as u32);
    let spread = table.std_dev_ms.map(|s| s.round() as u32);
    let mut consistency = plain(mean);
    if let Some(sd) = spread {
        consistency.content = format!(
            "{} ± {}",
            consistency.content,
            format::sector_time(Some(sd))
        )
        .into();
    }
    vec![
        labelled(theme, "Best", plain(table.best.map(|l| l.time_ms))),
        labelled(theme, "Theoretical", plain(table.theoretical_ms)),
        labelled(theme, "PB", plain(table.pb_ms)),
        labelled(theme, "Mean", consistency),
    ]
}
