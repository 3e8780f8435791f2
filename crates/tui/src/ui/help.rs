//! The help, laid over the screen: every key, what the marks and colours mean, and what
//! counts for bests. Each entry is one line when the width allows, else two.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use pitwall_core::stats::TimingColour;

use crate::theme::{self, Theme};

/// Columns of the key column.
const KEY: usize = 12;

const KEYS: &[(&str, &str)] = &[
    ("tab S-tab", "next / previous screen"),
    ("1 2 3", "live, sessions, bests"),
    ("↑↓ k j", "select; lap to lap"),
    ("pgup pgdn", "ten rows up / down"),
    ("home end", "first / last"),
    ("enter → l", "open"),
    ("esc ← h", "back"),
    ("r", "read the store again"),
    ("?", "help on / off"),
    ("q ctrl-c", "quit"),
];

/// Draws the help over `area`.
pub(crate) fn render(frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let width = 60.min(area.width);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines = Vec::new();
    let mut entry = |key: String, key_style: Style, what: &'static str| {
        let key = Span::styled(format!("{key:>KEY$}  "), key_style);
        if KEY + 2 + what.chars().count() <= inner {
            lines.push(Line::from(vec![key, Span::raw(what)]));
        } else {
            lines.push(Line::from(key));
            lines.push(Line::raw(format!("  {what}")));
        }
    };
    for (key, what) in KEYS {
        entry((*key).to_owned(), theme.strong(), what);
    }
    entry(String::new(), Style::new(), "");
    for (class, what) in [
        (TimingColour::SessionBest, "session best (purple)"),
        (TimingColour::PersonalBest, "personal best (green)"),
        (TimingColour::Invalid, "invalid (red)"),
    ] {
        entry(theme::mark(class).to_string(), theme.timing(class), what);
    }
    entry("OUT IN".to_owned(), theme.strong(), "out-lap, in-lap");
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Bests count valid flying laps only.",
        theme.dim(),
    ));
    lines.push(Line::styled("Dates are UTC.", theme.dim()));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Help · esc closes ")),
        popup,
    );
}
