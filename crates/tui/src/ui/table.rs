//! The lap table shared by live timing and a session's laps: lap number, time, each sector,
//! delta to the personal best, tags. Sector columns are dropped when the width cannot hold
//! them (the lap screen still shows every sector).

use pitwall_core::model::Lap;
use pitwall_core::stats::LapColours;
use ratatui::layout::Constraint;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::common::{self, DELTA, LAP_TIME, SECTOR_TIME};
use crate::theme::Theme;

/// Columns of the lap number.
const NUMBER: u16 = 4;
/// The tags column at its narrowest (`INVALID OUT`).
const TAGS: u16 = 11;

/// Whether `width` columns hold `sectors` sector columns besides the rest.
pub(crate) fn shows_sectors(width: u16, sectors: usize) -> bool {
    let fixed = NUMBER + LAP_TIME + DELTA + TAGS + 4;
    let per_sector = SECTOR_TIME + 1;
    usize::from(width) >= usize::from(fixed) + sectors * usize::from(per_sector)
}

/// A table of `laps` (in the order to show), each with its colours, the delta to `pb_ms`.
pub(crate) fn lap_table(
    theme: Theme,
    laps: &[(&Lap, &LapColours)],
    pb_ms: Option<u32>,
    sectors: usize,
    width: u16,
) -> Table<'static> {
    let with_sectors = shows_sectors(width, sectors);
    let shown = if with_sectors { sectors } else { 0 };
    let mut widths = vec![Constraint::Length(NUMBER), Constraint::Length(LAP_TIME)];
    widths.extend((0..shown).map(|_| Constraint::Length(SECTOR_TIME)));
    widths.push(Constraint::Length(DELTA));
    widths.push(Constraint::Min(TAGS));

    let mut header = vec![
        Cell::from(Line::from("Lap").right_aligned()),
        Cell::from(Line::from("Time").right_aligned()),
    ];
    header
        .extend((0..shown).map(|i| Cell::from(Line::from(format!("S{}", i + 1)).right_aligned())));
    header.push(Cell::from(Line::from("Δ PB").right_aligned()));
    header.push(Cell::from(""));

    let rows = laps.iter().map(|(lap, colours)| {
        let mut cells = vec![
            Cell::from(Line::from(lap.number.to_string()).right_aligned()),
            Cell::from(common::lap_time(theme, colours.time, Some(lap.time_ms))),
        ];
        cells.extend((0..shown).map(|i| {
            let class = colours
                .sectors
                .get(i)
                .copied()
                .unwrap_or(pitwall_core::stats::TimingColour::Normal);
            let time = lap.sectors.get(i).copied().flatten();
            Cell::from(common::sector_time(theme, class, time))
        }));
        let mut delta = common::delta(theme, common::minus(Some(lap.time_ms), pb_ms));
        if !lap.valid {
            // Faster than the PB or not, an invalid lap gains nothing.
            delta.style = theme.dim();
        }
        cells.push(Cell::from(delta));
        cells.push(Cell::from(Line::from(common::tags(theme, lap))));
        Row::new(cells)
    });
    Table::new(rows, widths)
        .header(Row::new(header).style(theme.dim()))
        .column_spacing(1)
}
