//! The live screen: the feed's status, the running lap (time, sector, delta to the personal
//! best, its sectors so far) and the last lap in a panel, the session's laps newest first,
//! and the references (personal best, session best, theoretical bests).

use pitwall_core::format;
use pitwall_core::model::Lap;
use pitwall_core::stats::{LapTable, Row, TimingColour};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::common::{self, flow, labelled};
use super::table;
use crate::app::{App, FeedStatus};
use crate::names;
use crate::theme::Theme;

/// Draws the live screen in `area`.
pub(crate) fn render(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let laps = app.live.state.core_laps();
    let live = Timing::of(app, &laps);
    let theme = app.theme;
    let width = area.width;
    let status = flow(status_items(app), width);
    let panel = panel_lines(app, &live, width.saturating_sub(2));
    let mut summary = flow(summary_items(app, &live), width);
    summary.extend(flow(common::legend(theme, width), width));
    let [status_area, panel_area, table_area, summary_area] = Layout::vertical([
        Constraint::Length(status.len() as u16),
        Constraint::Length(panel.len() as u16 + 2),
        Constraint::Min(2),
        Constraint::Length(summary.len() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(status), status_area);
    let title = match &app.live.state.session {
        Some(s) => format!(
            " {} · {} · {} ",
            names::track(&s.track),
            names::car(&s.car),
            names::session_label(&s.session_type)
        ),
        None => " Live timing ".to_owned(),
    };
    frame.render_widget(
        Paragraph::new(panel).block(Block::bordered().title(title).title_style(theme.strong())),
        panel_area,
    );
    let rows: Vec<&Row<'_>> = live.table.rows.iter().rev().collect();
    let sectors = live.table.sector_count;
    if rows.is_empty() {
        let text = if app.live.state.session.is_some() {
            "No laps in this session yet."
        } else {
            "No session yet."
        };
        let text = Line::styled(text, theme.dim());
        frame.render_widget(Paragraph::new(text), table_area);
    } else {
        let table = table::lap_table(theme, &rows, sectors, width);
        frame.render_widget(table, table_area);
    }
    frame.render_widget(Paragraph::new(summary), summary_area);
}

/// The live session's lap table and the running lap's colours, from the live state by the
/// same functions as every other screen ([`LiveState::table`](pitwall_live::LiveState::table)).
struct Timing<'a> {
    table: LapTable<'a>,
    /// The running lap's sector colours.
    running: Vec<TimingColour>,
}

impl<'a> Timing<'a> {
    fn of(app: &App, laps: &'a [Lap]) -> Timing<'a> {
        let state = &app.live.state;
        let table = state.table(laps);
        let running = match &state.lap {
            Some(lap) => {
                table.running_colours(&lap.sectors, lap.valid, lap.invalid_sector, lap.out_lap)
            }
            None => Vec::new(),
        };
        Timing { table, running }
    }
}

/// The feed's and the game's status.
fn status_items(app: &App) -> Vec<Vec<Span<'static>>> {
    let theme = app.theme;
    let url = &app.live.url;
    let state = &app.live.state;
    let item = |text: String, style| vec![Span::styled(text, style)];
    match &app.live.status {
        FeedStatus::Connecting => vec![item(format!("connecting to {url} …"), theme.dim())],
        FeedStatus::Down { reason, retry_in } => {
            let next = format!("(next try in {} s)", retry_in.as_secs().max(1));
            let text = if reason == "nothing answers" {
                format!("✗ no pitwall run at {url}: start `pitwall run`")
            } else {
                format!("✗ no live timing from {url}: {reason}")
            };
            vec![item(text, theme.warning()), item(next, theme.dim())]
        }
        FeedStatus::Up if state.connected => {
            let mut items = vec![item(format!("● LIVE from {url}"), theme.ok())];
            if !state.message.is_empty() {
                items.push(item(state.message.clone(), theme.dim()));
            }
            items
        }
        FeedStatus::Up => {
            let message = if state.message.is_empty() {
                "waiting for ACC".to_owned()
            } else {
                state.message.clone()
            };
            vec![item(format!("○ {message}"), theme.warning())]
        }
    }
}

/// The running lap and the last lap.
fn panel_lines(app: &App, live: &Timing, width: u16) -> Vec<Line<'static>> {
    let theme = app.theme;
    let state = &app.live.state;
    let wide = width >= 64;
    let sector_count = state
        .session
        .as_ref()
        .map_or(3, |s| usize::from(s.sector_count));
    let mut lines = Vec::new();
    match &state.lap {
        Some(lap) => {
            let mut head = vec![
                Span::styled(format!("Lap {}", lap.number), theme.strong()),
                Span::raw("  "),
                Span::styled(format::lap_time(Some(lap.current_ms)), theme.strong()),
                Span::styled(
                    format!("  S{}/{sector_count}", usize::from(lap.sector) + 1),
                    theme.dim(),
                ),
            ];
            if lap.out_lap {
                head.push(Span::raw("  "));
                head.push(Span::styled("OUT", theme.out_tag()));
            }
            if !lap.valid {
                head.push(Span::raw("  "));
                head.push(Span::styled(
                    "✗ INVALID",
                    theme.timing(TimingColour::Invalid),
                ));
            }
            let delta = lap_delta(app, lap.delta_ms, lap.sectors.len());
            if wide {
                head.push(Span::raw("  "));
                head.extend(delta);
                lines.push(Line::from(head));
            } else {
                lines.push(Line::from(head));
                lines.push(Line::from(delta));
            }
            let cells = (0..sector_count).map(|i| running_sector(app, live, i, lap.sector));
            lines.push(sector_line(theme, wide.then_some("Now  "), cells));
        }
        None => {
            let text = if state.connected {
                "Lap —  waiting for the next lap to start"
            } else {
                "Lap —  no lap running"
            };
            lines.push(Line::styled(text, theme.dim()));
            lines.push(Line::raw(""));
        }
    }
    if let Some(row) = live.table.rows.last() {
        let (last, colours) = (row.lap, &row.colours);
        let mut head = vec![
            Span::styled(
                if wide {
                    "Last".to_owned()
                } else {
                    format!("Last lap {}", last.number)
                },
                theme.dim(),
            ),
            Span::raw(" "),
            common::lap_time(theme, colours.time, Some(last.time_ms)),
        ];
        let tags = common::marks(theme, &row.marks);
        let cells = (0..sector_count).map(|i| {
            let class = colours
                .sectors
                .get(i)
                .copied()
                .unwrap_or(TimingColour::Normal);
            (
                i,
                common::sector_time(theme, class, last.sectors.get(i).copied().flatten()),
            )
        });
        if wide {
            head.push(Span::raw(" "));
            head.extend(sector_spans(theme, cells));
            if !tags.is_empty() {
                head.push(Span::raw("  "));
                head.extend(tags);
            }
            lines.push(Line::from(head));
        } else {
            if !tags.is_empty() {
                head.push(Span::raw(" "));
                head.extend(tags);
            }
            lines.push(Line::from(head));
            lines.push(sector_line(theme, None, cells));
        }
    }
    lines
}

/// `Δ PB -0.123 (S1)`: the running lap against the personal best at the last sector line.
fn lap_delta(app: &App, delta_ms: Option<i64>, at_sector: usize) -> Vec<Span<'static>> {
    let theme = app.theme;
    let mut spans = vec![
        Span::styled("Δ PB ", theme.dim()),
        Span::styled(format::delta(delta_ms), theme.delta(delta_ms)),
    ];
    if delta_ms.is_some() && at_sector > 0 {
        spans.push(Span::styled(format!(" (S{at_sector})"), theme.dim()));
    }
    spans
}

/// Sector `i` of the running lap, which is in sector `current`: a completed sector's time
/// (coloured and marked), the running time of the current one after `▸` (`✗` once the lap is
/// invalid), `·` for those to come.
fn running_sector(app: &App, live: &Timing, i: usize, current: u8) -> (usize, Span<'static>) {
    let theme = app.theme;
    let Some(lap) = app.live.state.lap.as_ref() else {
        return (i, Span::raw(""));
    };
    let time = lap.sectors.get(i).copied().flatten();
    let class = live.running.get(i).copied().unwrap_or(TimingColour::Normal);
    let width = usize::from(common::SECTOR_TIME);
    let span = if time.is_some() || i < usize::from(current) {
        common::sector_time(theme, class, time)
    } else if i == usize::from(current) {
        let done: u32 = lap.sectors.iter().take(i).flatten().sum();
        let running = format::sector_time(Some(lap.current_ms.saturating_sub(done)));
        let invalid = !lap.valid && lap.invalid_sector.is_none_or(|s| usize::from(s) <= i);
        let (mark, style) = if invalid {
            ('✗', theme.timing(TimingColour::Invalid))
        } else {
            ('▸', theme.strong())
        };
        Span::styled(format!("{:>width$}", format!("{mark}{running}")), style)
    } else {
        Span::styled(format!("{:>width$}", "·"), theme.dim())
    };
    (i, span)
}

/// `S1 ◆33.123  S2 …` with an optional label in front.
fn sector_line(
    theme: Theme,
    label: Option<&'static str>,
    cells: impl Iterator<Item = (usize, Span<'static>)>,
) -> Line<'static> {
    let mut spans = Vec::new();
    if let Some(label) = label {
        spans.push(Span::styled(label, theme.dim()));
    }
    spans.extend(sector_spans(theme, cells));
    Line::from(spans)
}

fn sector_spans(
    theme: Theme,
    cells: impl Iterator<Item = (usize, Span<'static>)>,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, cell) in cells {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!("S{}", i + 1), theme.dim()));
        spans.push(cell);
    }
    spans
}

/// Personal best, session best and the theoretical bests.
fn summary_items(app: &App, live: &Timing) -> Vec<Vec<Span<'static>>> {
    let theme = app.theme;
    let state = &app.live.state;
    let all_time = state.reference.as_ref().and_then(|r| r.theoretical_best_ms);
    let plain = |ms: Option<u32>| Span::styled(format::lap_time(ms), theme.strong());
    vec![
        labelled(theme, "PB", plain(live.table.pb_ms)),
        labelled(
            theme,
            "Session best",
            plain(live.table.best.map(|l| l.time_ms)),
        ),
        labelled(theme, "Theoretical", plain(all_time)),
        labelled(
            theme,
            "Session theoretical",
            plain(live.table.theoretical_ms),
        ),
    ]
}
