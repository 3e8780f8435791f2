//! Pieces every screen uses: marked and coloured times, deltas, lap marks, the legend, and
//! lines that flow a row of items onto as many lines as the width needs.

use pitwall_core::format;
use pitwall_core::stats::{Mark, TimingColour};
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

use crate::theme::{self, Theme};

/// Columns of a lap time with its mark (`◆1:47.345`).
pub(crate) const LAP_TIME: u16 = 9;
/// Columns of a sector time with its mark (`▲35.001`, up to `✗1:01.000`).
pub(crate) const SECTOR_TIME: u16 = 9;
/// Columns of a delta (`+12.345`).
pub(crate) const DELTA: u16 = 7;

/// A lap time with its mark, right-aligned in [`LAP_TIME`] columns.
pub(crate) fn lap_time(theme: Theme, class: TimingColour, ms: Option<u32>) -> Span<'static> {
    marked(theme, class, &format::lap_time(ms), LAP_TIME)
}

/// A sector time with its mark, right-aligned in [`SECTOR_TIME`] columns.
pub(crate) fn sector_time(theme: Theme, class: TimingColour, ms: Option<u32>) -> Span<'static> {
    marked(theme, class, &format::sector_time(ms), SECTOR_TIME)
}

/// `text` right after the class's mark, right-aligned in `width` columns and styled.
fn marked(theme: Theme, class: TimingColour, text: &str, width: u16) -> Span<'static> {
    let width = usize::from(width);
    let marked = format!("{}{text}", theme::mark(class));
    Span::styled(format!("{marked:>width$}"), theme.timing(class))
}

/// A delta, right-aligned in [`DELTA`] columns: green when gaining, red when losing.
pub(crate) fn delta(theme: Theme, ms: Option<i64>) -> Span<'static> {
    let width = usize::from(DELTA);
    Span::styled(format!("{:>width$}", format::delta(ms)), theme.delta(ms))
}

/// `a - b` in ms, when both are known.
pub(crate) fn minus(a: Option<u32>, b: Option<u32>) -> Option<i64> {
    Some(i64::from(a?) - i64::from(b?))
}

/// A lap's marks (`INVALID (S2)`, `OUT`, `IN`, `PARTIAL`, `PB`: [`pitwall_core::stats::marks`]),
/// each styled for its kind, separated by spaces.
pub(crate) fn marks(theme: Theme, marks: &[Mark]) -> Vec<Span<'static>> {
    let mut spaced = Vec::with_capacity(marks.len() * 2);
    for (i, mark) in marks.iter().enumerate() {
        if i > 0 {
            spaced.push(Span::raw(" "));
        }
        let style = match mark {
            Mark::Invalid { .. } => theme.timing(TimingColour::Invalid),
            Mark::Out => theme.out_tag(),
            Mark::In => theme.in_tag(),
            Mark::Partial => theme.dim(),
            Mark::PersonalBest => theme.timing(TimingColour::PersonalBest),
        };
        spaced.push(Span::styled(mark.label().into_owned(), style));
    }
    spaced
}

/// What the marks mean, as items for [`flow`].
pub(crate) fn legend(theme: Theme, width: u16) -> Vec<Vec<Span<'static>>> {
    let long = width >= 60;
    let item = |class: TimingColour, long_text: &'static str, short_text: &'static str| {
        vec![
            Span::styled(theme::mark(class).to_string(), theme.timing(class)),
            Span::styled(
                format!(" {}", if long { long_text } else { short_text }),
                theme.dim(),
            ),
        ]
    };
    vec![
        item(TimingColour::SessionBest, "session best", "session"),
        item(TimingColour::PersonalBest, "personal best", "PB"),
        item(TimingColour::Invalid, "invalid", "invalid"),
    ]
}

/// The width of a column of names (tracks): as wide as the longest, up to 24 columns, when
/// another column of names follows that takes the rest; else all the rest.
pub(crate) fn name_column<S: AsRef<str>>(
    names: impl Iterator<Item = S>,
    more_follow: bool,
) -> Constraint {
    if !more_follow {
        return Constraint::Fill(1);
    }
    let longest = names.map(|n| n.as_ref().chars().count()).max().unwrap_or(5);
    Constraint::Length(longest.clamp(5, 24) as u16)
}

/// A label and its value as one item for [`flow`]: `PB 1:46.900`.
pub(crate) fn labelled(theme: Theme, label: &str, value: Span<'static>) -> Vec<Span<'static>> {
    vec![Span::styled(format!("{label} "), theme.dim()), value]
}

/// Items laid out left to right, two spaces apart, onto as many lines of `width` columns as
/// they need; an item is split only when it is wider than a whole line.
pub(crate) fn flow(items: Vec<Vec<Span<'static>>>, width: u16) -> Vec<Line<'static>> {
    flow_with(items, width, Span::raw("  "))
}

/// [`flow`] with another separator between items on a line.
pub(crate) fn flow_with(
    items: Vec<Vec<Span<'static>>>,
    width: u16,
    separator: Span<'static>,
) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let gap = separator.width();
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for item in items.into_iter().flat_map(|item| split(item, width)) {
        let w: usize = item.iter().map(Span::width).sum();
        if used > 0 && used + gap + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        if used > 0 {
            line.push(separator.clone());
            used += gap;
        }
        line.extend(item);
        used += w;
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

/// An item cut into pieces of at most `width` columns (itself when it fits): at spaces, and
/// inside a word only when the word alone is wider than the line.
fn split(item: Vec<Span<'static>>, width: usize) -> Vec<Vec<Span<'static>>> {
    let total: usize = item.iter().map(Span::width).sum();
    if total <= width || width == 0 {
        return vec![item];
    }
    let mut pieces: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in item {
        for word in span.content.split_inclusive(' ') {
            let w = columns(word.trim_end());
            if used > 0 && used + w > width {
                pieces.push(Vec::new());
                used = 0;
            }
            let mut text = String::new();
            for c in word.chars() {
                let cw = columns(&c.to_string());
                if used + cw > width && c != ' ' {
                    push(&mut pieces, std::mem::take(&mut text), span.style);
                    pieces.push(Vec::new());
                    used = 0;
                }
                text.push(c);
                used += cw;
            }
            push(&mut pieces, text, span.style);
        }
    }
    for piece in &mut pieces {
        if let Some(last) = piece.last_mut() {
            last.content = last.content.trim_end().to_owned().into();
        }
    }
    pieces.retain(|p| p.iter().any(|s| !s.content.is_empty()));
    pieces
}

/// Appends `text` in `style` to the last piece.
fn push(pieces: &mut [Vec<Span<'static>>], text: String, style: ratatui::style::Style) {
    if let Some(piece) = pieces.last_mut().filter(|_| !text.is_empty()) {
        piece.push(Span::styled(text, style));
    }
}

/// The columns `text` takes on a terminal.
fn columns(text: &str) -> usize {
    Span::raw(text).width()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn items_flow_onto_lines_whole_when_they_fit() {
        let items = || {
            ["PB 1:46.900", "Best 1:47.345", "Theoretical 1:46.500"]
                .map(|s| vec![Span::raw(s)])
                .to_vec()
        };
        assert_eq!(
            text(&flow(items(), 80)),
            ["PB 1:46.900  Best 1:47.345  Theoretical 1:46.500"]
        );
        assert_eq!(
            text(&flow(items(), 30)),
            ["PB 1:46.900  Best 1:47.345", "Theoretical 1:46.500"]
        );
        assert_eq!(
            text(&flow(items(), 20)),
            ["PB 1:46.900", "Best 1:47.345", "Theoretical 1:46.500"]
        );
    }

    #[test]
    fn items_wider_than_a_line_are_split() {
        let items = vec![
            vec![Span::raw("status:")],
            vec![Span::raw("reading "), Span::raw("/a/very/long/path")],
        ];
        assert_eq!(
            text(&flow(items, 12)),
            ["status:", "reading", "/a/very/long", "/path"]
        );
        let url = vec![vec![Span::raw(
            "✗ no pitwall run at http://127.0.0.1:8080: start it",
        )]];
        assert_eq!(
            text(&flow(url, 30)),
            ["✗ no pitwall run at", "http://127.0.0.1:8080: start", "it"]
        );
    }

    #[test]
    fn times_are_marked_and_aligned() {
        let t = Theme::no_colour();
        assert_eq!(
            lap_time(t, TimingColour::SessionBest, Some(107_345)).content,
            "◆1:47.345"
        );
        assert_eq!(
            sector_time(t, TimingColour::Normal, Some(35_001)).content,
            "   35.001"
        );
        assert_eq!(
            sector_time(t, TimingColour::Invalid, None).content,
            "       ✗-"
        );
        assert_eq!(delta(t, Some(-120)).content, " -0.120");
        assert_eq!(minus(Some(1), Some(3)), Some(-2));
        assert_eq!(minus(None, Some(3)), None);
    }
}
