//! Drawing: one function per screen, all from `&App` (drawing changes nothing but the scroll
//! offsets the lists remember). Every screen fits any width from about 30 columns: columns
//! that do not fit are dropped, lines of items flow onto more lines.
//!
//! # Layout
//! The top line holds the tabs and whether live timing is connected, the bottom line the keys
//! of the screen; the screen is between them. `?` lays the help over everything.

mod bests;
mod common;
mod help;
mod lap;
mod laps;
mod live;
mod sessions;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, TableState};

use crate::app::{App, FeedStatus, HistoryState, Tab, View};
use crate::theme::Theme;

/// Draws the whole screen.
pub fn render(frame: &mut Frame<'_>, app: &App) {
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    frame.render_widget(Paragraph::new(tabs(app, top.width)), top);
    match app.nav.view() {
        View::Live => live::render(frame, body, app),
        View::Sessions => sessions::render(frame, body, app),
        View::Laps => laps::render(frame, body, app),
        View::Lap => lap::render(frame, body, app),
        View::Bests => bests::render(frame, body, app),
    }
    frame.render_widget(Paragraph::new(keys(app, bottom.width)), bottom);
    if app.nav.help() {
        help::render(frame, frame.area(), app.theme);
    }
}

/// The tabs, and live timing's state on the right.
fn tabs(app: &App, width: u16) -> Line<'static> {
    let theme = app.theme;
    let mut spans = Vec::new();
    if width >= 50 {
        spans.push(Span::styled(" pitwall ", theme.strong()));
    }
    for (i, tab) in Tab::ALL.into_iter().enumerate() {
        let text = format!(" {} {} ", i + 1, tab.title());
        let style = if tab == app.nav.tab() {
            theme.selected().patch(theme.strong())
        } else {
            theme.dim()
        };
        spans.push(Span::styled(text, style));
    }
    let (text, style) = match (&app.live.status, app.live.state.connected) {
        (FeedStatus::Up, true) => ("● live", theme.ok()),
        (FeedStatus::Up, false) => ("○ no game", theme.warning()),
        (FeedStatus::Connecting, _) => ("… connecting", theme.dim()),
        (FeedStatus::Down { .. }, _) => ("✗ offline", theme.warning()),
    };
    let used: usize = spans.iter().map(Span::width).sum();
    let room = usize::from(width).saturating_sub(used + 1);
    // Too narrow for the words: the symbol alone.
    let text: String = if room >= text.chars().count() {
        text.to_owned()
    } else {
        text.chars().take(1).collect()
    };
    let pad = room.saturating_sub(text.chars().count());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(text, style));
    Line::from(spans)
}

/// The keys of the current screen, as many as fit.
fn keys(app: &App, width: u16) -> Line<'static> {
    let theme = app.theme;
    let mut items: Vec<(&str, &str)> = vec![("?", "help"), ("q", "quit")];
    items.extend_from_slice(match app.nav.view() {
        View::Live => &[("tab", "screens")],
        View::Sessions => &[
            ("↑↓", "select"),
            ("enter", "laps"),
            ("tab", "screens"),
            ("r", "reload"),
        ],
        View::Laps => &[
            ("↑↓", "select"),
            ("enter", "lap"),
            ("esc", "back"),
            ("r", "reload"),
        ],
        View::Lap => &[("↑↓", "previous/next lap"), ("esc", "back")],
        View::Bests => &[("↑↓", "select"), ("enter", "lap"), ("tab", "screens")],
    });
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in items {
        let w = key.chars().count() + what.chars().count() + 3;
        if used + w > usize::from(width) {
            break;
        }
        spans.push(Span::styled(format!(" {key}"), theme.strong()));
        spans.push(Span::styled(format!(" {what} "), theme.dim()));
        used += w;
    }
    Line::from(spans)
}

/// What to show in place of history that is not there (yet): `None` when it is read.
fn history_note(app: &App, empty: &str) -> Option<Line<'static>> {
    let theme = app.theme;
    match &app.history_state {
        HistoryState::Loading => Some(Line::styled("Reading the store…", theme.dim())),
        HistoryState::Failed(e) => Some(Line::styled(
            format!("Cannot read the store: {e}"),
            theme.warning(),
        )),
        HistoryState::Loaded if app.history.sessions.is_empty() => {
            Some(Line::styled(empty.to_owned(), theme.dim()))
        }
        HistoryState::Loaded => None,
    }
}

/// A table state for a list's selection and remembered offset.
fn table_state(list: &crate::app::nav::ListNav) -> TableState {
    TableState::new()
        .with_offset(list.offset())
        .with_selected(Some(list.selected()))
}

/// A one-line heading.
fn heading(theme: Theme, text: String, area: Rect, frame: &mut Frame<'_>) {
    frame.render_widget(Paragraph::new(Line::styled(text, theme.strong())), area);
}
