//! The CSV export: one row per lap, with its session's context, for spreadsheets. Export
//! only (it leaves out what a spreadsheet does not need, such as the session's versions and
//! conditions; the JSON export keeps everything).
//!
//! Sector columns `s1_ms` … `sN_ms` go up to the most sectors of any exported lap or session,
//! so the width must be known before the header is written: [`CsvWriter::new`] takes it.
//! Unknown values are blank cells.
//!
//! What the screens show of each lap comes from the same function as on the screens
//! ([`pitwall_core::stats::lap_table`], against the driver's earlier laps as
//! [`crate::prior`] reads them): whether the lap counts, whether it was a personal best when
//! driven, its time's colour, its deltas and its marks.

use std::io::Write;

use pitwall_core::format::lap_time;
use pitwall_core::stats::{Prior, TimingColour, lap_table};

use super::error::ExportError;
use crate::types::SessionWithLaps;

/// The columns before the sector columns.
pub const CSV_COLUMNS: &[&str] = &[
    "session_id",
    "track",
    "car",
    "session_type",
    "driver",
    "session_started_at_ms",
    "lap_id",
    "number",
    "time_ms",
    "lap_time",
    "valid",
    "invalid_sector",
    "out_lap",
    "in_lap",
    "partial",
    "started_at_ms",
    "completed_at_ms",
    "counts",
    "personal_best",
    "time_colour",
    "delta_best_ms",
    "delta_prev_ms",
    "marks",
];

/// Writes laps as CSV rows.
pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
    sector_columns: usize,
    row: Vec<String>,
}

impl<W: Write> std::fmt::Debug for CsvWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvWriter")
            .field("sector_columns", &self.sector_columns)
            .finish_non_exhaustive()
    }
}

/// An optional value as a cell: blank when `None`.
fn cell<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl<W: Write> CsvWriter<W> {
    /// Writes the header with `sector_columns` sector columns.
    pub fn new(out: W, sector_columns: usize) -> Result<Self, ExportError> {
        let mut out = csv::Writer::from_writer(out);
        let sectors = (1..=sector_columns).map(|i| format!("s{i}_ms"));
        let header: Vec<String> = CSV_COLUMNS
            .iter()
            .map(|c| (*c).to_owned())
            .chain(sectors)
            .collect();
        out.write_record(&header).map_err(ExportError::Csv)?;
        Ok(CsvWriter {
            out,
            sector_columns,
            row: Vec::with_capacity(header.len()),
        })
    }

    /// Writes a row for each lap of a session (none for a session without laps), coloured
    /// and marked against `prior`, the driver's references from before it.
    pub fn session(&mut self, session: &SessionWithLaps, prior: &Prior) -> Result<(), ExportError> {
        let info = &session.info;
        let table = lap_table(&session.laps, usize::from(info.sector_count), prior);
        for row in &table.rows {
            let lap = row.lap;
            self.row.clear();
            self.row.extend([
                info.id.to_string(),
                info.track.clone(),
                info.car.clone(),
                info.session_type.label().into_owned(),
                info.driver.clone(),
                info.started_at_ms.to_string(),
                lap.id.to_string(),
                lap.number.to_string(),
                lap.time_ms.to_string(),
                lap_time(Some(lap.time_ms)),
                lap.valid.to_string(),
                cell(lap.invalid_sector),
                lap.out_lap.to_string(),
                lap.in_lap.to_string(),
                lap.partial.to_string(),
                lap.started_at_ms.to_string(),
                lap.completed_at_ms.to_string(),
                lap.counts().to_string(),
                row.personal_best.to_string(),
                colour_name(row.colours.time).to_owned(),
                cell(row.delta.to_reference_ms),
                cell(row.delta.to_previous_ms),
                row.marks
                    .iter()
                    .map(|m| m.label())
                    .collect::<Vec<_>>()
                    .join(" "),
            ]);
            let sectors = lap.sectors.iter().copied().chain(std::iter::repeat(None));
            self.row.extend(sectors.take(self.sector_columns).map(cell));
            self.out.write_record(&self.row).map_err(ExportError::Csv)?;
        }
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> Result<W, ExportError> {
        self.out
            .into_inner()
            .map_err(|e| ExportError::Write(e.into_error()))
    }
}

/// A timing colour in a cell: `session_best`, `personal_best`, `invalid` or `normal`.
fn colour_name(colour: TimingColour) -> &'static str {
    match colour {
        TimingColour::SessionBest => "session_best",
        TimingColour::PersonalBest => "personal_best",
        TimingColour::Invalid => "invalid",
        TimingColour::Normal => "normal",
    }
}

/// How many sector columns a session needs: its sector count, or more if a lap has more.
pub(super) fn sector_width(session: &SessionWithLaps) -> usize {
    let laps = session.laps.iter().map(|l| l.sectors.len());
    laps.fold(usize::from(session.info.sector_count), usize::max)
}
