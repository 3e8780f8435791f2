//! The lap table shared by live timing and a session's laps: lap number, time, each sector,
//! the deltas to the session best and to the previous counting lap, marks; every value from
//! [`pitwall_core::stats::lap_table`]'s rows, as the web pages show them. Sector columns are
//! dropped when the width cannot hold them (the lap screen still shows every sector).

use pitwall_core::stats::{Row as LapRow, TimingColour};
use ratatui::layout::Constraint;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::common::{self, DELTA, LAP_TIME, SECTOR_TIME};
use crate::theme::Theme;

/// Columns of the lap number.
const NUMBER: u16 = 4;
/// The marks column at its narrowest (`INVALID OUT`).
const MARKS: u16 = 11;

/// Whether `width` columns hold the delta to the previous lap besides the number, the time,
/// the delta to the session best and the marks (narrow screens show only the latter).
fn shows_previous(width: u16) -> bool {
    width >= NUMBER + LAP_TIME + 2 * DELTA + MARKS + 4
}

/// Whether `width` columns hold `sectors` sector columns besides the rest.
pub(crate) fn shows_sectors(width: u16, sectors: usize) -> bool {
    let fixed = NUMBER + LAP_TIME + 2 * DELTA + MARKS + 5;
    let per_sector = SECTOR_TIME + 1;
    usize::from(width) >= usize::from(fixed) + sectors * usize::from(per_sector)
}

/// A table of `rows` (in the order to show).
pub(crate) fn lap_table(
    theme: Theme,
    rows: &[&LapRow<'_>],
    sectors: usize,
    width: u16,
) -> Table<'static> {
    let with_sectors = shows_sectors(width, sectors);
    let shown = if with_sectors { sectors } else { 0 };
    let mut widths = vec![Constraint::Length(NUMBER), Constraint::Length(LAP_TIME)];
    widths.extend((0..shown).map(|_| Constraint::Length(SECTOR_TIME)));
    let previous = shows_previous(width);
    widths.push(Constraint::Length(DELTA));
    if previous {
        widths.push(Constraint::Length(DELTA));
    }
    widths.push(Constraint::Min(MARKS));

    let mut header = vec![
        Cell::from(Line::from("Lap").right_aligned()),
        Cell::from(Line::from("Time").right_aligned()),
    ];
    header
        .extend((0..shown).map(|i| Cell::from(Line::from(format!("S{}", i + 1)).right_aligned())));
    header.push(Cell::from(Line::from("Δ best").right_aligned()));
    if previous {
        header.push(Cell::from(Line::from("Δ prev").right_aligned()));
    }
    header.push(Cell::from(""));

    let rows = rows.iter().map(|row| {
        let lap = row.lap;
        let mut cells = vec![
            Cell::from(Line::from(lap.number.to_string()).right_aligned()),
            Cell::from(common::lap_time(theme, row.colours.time, Some(lap.time_ms))),
        ];
        cells.extend((0..shown).map(|i| {
            let class = row
                .colours
                .sectors
                .get(i)
                .copied()
                .unwrap_or(TimingColour::Normal);
            let time = lap.sectors.get(i).copied().flatten();
            Cell::from(common::sector_time(theme, class, time))
        }));
        let deltas = [row.delta.to_reference_ms, row.delta.to_previous_ms];
        for ms in deltas.into_iter().take(if previous { 2 } else { 1 }) {
            let mut delta = common::delta(theme, ms);
            if !lap.valid {
                // Faster or not, an invalid lap gains nothing.
                delta.style = theme.dim();
            }
            cells.push(Cell::from(delta));
        }
        cells.push(Cell::from(Line::from(common::marks(theme, &row.marks))));
        Row::new(cells)
    });
    Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .column_spacing(1)
}
