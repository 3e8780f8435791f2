//! Export and import: pitwall's own JSON format (lossless, for backups and moving between
//! stores) and CSV (one row per lap, for spreadsheets; export only). See the "Export and
//! import" section of `docs/storage.md`.
//!
//! Exports stream: sessions are read from the store a page at a time
//! ([`Reads::sessions_after`]) and written as they come, so memory stays flat however large
//! the database (CSV also keeps, per driver, track and car exported, the valid laps its
//! personal bests are judged against: at most [`crate::prior::PRIOR_LAPS_CAP`] each). Imports go session by session through [`SessionWrites::import_session`], so they
//! are idempotent: importing the same file twice stores nothing the second time. What is
//! imported passes [`pitwall_core::validate`], as everything stored does, and a JSON key
//! given twice is refused.
//!
//! # Layout
//! - `document`: the JSON document around the sessions (format, version), and the step
//!   between its sessions ([`pitwall_live::FullSessionJson`]) and [`SessionWithLaps`].
//! - `json`, `csv`: the writers, and the strict JSON reader.
//! - `filter`: which sessions an export takes, and parsing of filter values.
//! - `error`: [`ExportError`].

mod csv;
mod document;
mod error;
mod filter;
mod json;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::Write;

use pitwall_core::model::Lap;

pub use self::csv::{CSV_COLUMNS, CsvWriter};
pub use document::{ExportDocument, FORMAT, VERSION};
pub use error::ExportError;
pub use filter::{SessionFilter, parse_from, parse_session_type, parse_to};
pub use json::{JsonWriter, ParsedExport, parse_json};

use crate::types::SessionWithLaps;
use crate::{Reads, SessionWrites};

/// Sessions read from the store per query while exporting.
pub const EXPORT_PAGE: u32 = 200;

/// The export formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// Pitwall's JSON export: every field, importable.
    #[default]
    Json,
    /// One row per lap, for spreadsheets.
    Csv,
}

impl ExportFormat {
    /// How many times an export in this format reads the store's sessions: CSV reads them
    /// twice (first to size its sector columns). Progress counts up to this many times the
    /// number of sessions.
    pub fn passes(self) -> u64 {
        match self {
            ExportFormat::Json => 1,
            ExportFormat::Csv => 2,
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, ExportError> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(ExportFormat::Json),
            "csv" => Ok(ExportFormat::Csv),
            _ => Err(ExportError::UnknownFormat(s.to_owned())),
        }
    }
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Sessions exported (those the filter took).
    pub sessions: u64,
    /// Their laps.
    pub laps: u64,
}

impl std::fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (sessions, laps) = (count(self.sessions, "session"), count(self.laps, "lap"));
        write!(f, "exported {sessions}, {laps}")
    }
}

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Sessions in the input.
    pub sessions: u64,
    /// Laps in the input.
    pub laps: u64,
    /// Sessions that were not stored before.
    pub sessions_new: u64,
    /// Laps that were not stored before.
    pub laps_new: u64,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {}, {} new; {}, {} already stored",
            count(self.sessions_new, "session"),
            count(self.laps_new, "lap"),
            count(self.sessions - self.sessions_new, "session"),
            count(self.laps - self.laps_new, "lap"),
        )
    }
}

/// `1 lap`, `2 laps`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// How many sessions the store holds, to size a progress bar (an export reads each once
/// per pass, whatever its filter).
pub async fn count_sessions<S: Reads>(store: &S) -> Result<u64, ExportError> {
    let combos = store.tracks_and_cars(None).await?;
    Ok(combos.iter().map(|c| c.sessions).sum())
}

/// Exports the sessions `filter` takes to `out` in `format`. `progress` is told how many
/// sessions have been read so far (over all passes, see [`ExportFormat::passes`]).
/// `exported_at_ms` is the time written in a JSON export's header.
pub async fn export<S: Reads, W: Write>(
    store: &S,
    format: ExportFormat,
    filter: &SessionFilter,
    out: W,
    exported_at_ms: u64,
    progress: impl FnMut(u64),
) -> Result<ExportSummary, ExportError> {
    match format {
        ExportFormat::Json => export_json(store, filter, out, exported_at_ms, progress).await,
        ExportFormat::Csv => export_csv(store, filter, out, progress).await,
    }
}

/// Exports the sessions `filter` takes as a JSON export document.
pub async fn export_json<S: Reads, W: Write>(
    store: &S,
    filter: &SessionFilter,
    out: W,
    exported_at_ms: u64,
    mut progress: impl FnMut(u64),
) -> Result<ExportSummary, ExportError> {
    let mut writer = JsonWriter::begin(out, exported_at_ms)?;
    let mut summary = ExportSummary::default();
    scan(store, filter, 0, &mut progress, async |s| {
        summary.sessions += 1;
        summary.laps += s.laps.len() as u64;
        writer.session(s)
    })
    .await?;
    writer.finish()?;
    Ok(summary)
}

/// Exports the laps of the sessions `filter` takes as CSV: a first pass finds how many
/// sector columns are needed, a second writes the rows.
pub async fn export_csv<S: Reads, W: Write>(
    store: &S,
    filter: &SessionFilter,
    out: W,
    mut progress: impl FnMut(u64),
) -> Result<ExportSummary, ExportError> {
    let mut width = 0;
    let first = scan(store, filter, 0, &mut progress, async |s| {
        width = width.max(csv::sector_width(s));
        Ok(())
    })
    .await?;
    let mut writer = CsvWriter::new(out, width)?;
    let mut summary = ExportSummary::default();
    // Personal bests as the dashboard shows them: against the driver's earlier laps on the
    // track and car, read once per driver, track and car (not once per session).
    let mut combos: HashMap<(String, String, String), Vec<Lap>> = HashMap::new();
    scan(store, filter, first, &mut progress, async |s| {
        summary.sessions += 1;
        summary.laps += s.laps.len() as u64;
        let info = &s.info;
        let key = (info.track.clone(), info.car.clone(), info.driver.clone());
        let laps = match combos.entry(key) {
            Entry::Occupied(laps) => laps.into_mut(),
            Entry::Vacant(slot) => slot.insert(crate::prior::combo_laps(store, info, None).await?),
        };
        writer.session(s, &crate::prior::prior_among(laps, info))
    })
    .await?;
    writer.finish()?;
    Ok(summary)
}

/// Reads every session in id order, a page at a time, and hands those `filter` takes to
/// `each`. Reports the running count of sessions read, starting from `done`; returns it.
async fn scan<S: Reads>(
    store: &S,
    filter: &SessionFilter,
    mut done: u64,
    progress: &mut impl FnMut(u64),
    mut each: impl AsyncFnMut(&SessionWithLaps) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let mut after = None;
    loop {
        let page = store.sessions_after(after, EXPORT_PAGE).await?;
        let Some(last) = page.last() else {
            return Ok(done);
        };
        after = Some(last.info.id);
        for session in page.iter().filter(|s| filter.matches(&s.info)) {
            each(session).await?;
        }
        done += page.len() as u64;
        progress(done);
    }
}

/// Imports sessions one by one with [`SessionWrites::import_session`] (idempotently: what is
/// already stored is left as it is). `progress` is told how many sessions are done.
///
/// Every session is checked against [`pitwall_core::validate`] first, with this machine's
/// clock: if one fails, nothing is imported. A session or lap that conflicts with what is
/// stored (another driver's session id, a lap id or number already taken) stops the
/// import there, with the sessions before it imported.
pub async fn import<S: SessionWrites>(
    store: &S,
    sessions: &[SessionWithLaps],
    mut progress: impl FnMut(u64),
) -> Result<ImportSummary, ExportError> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    for s in sessions {
        pitwall_core::validate::session_with_laps(&s.info, s.ended_at_ms, &s.laps, now_ms)
            .map_err(|problem| ExportError::Invalid {
                session: s.info.id,
                problem,
            })?;
    }
    let mut summary = ImportSummary::default();
    for session in sessions {
        let outcome = store.import_session(session).await?;
        summary.sessions += 1;
        summary.laps += session.laps.len() as u64;
        summary.sessions_new += u64::from(outcome.session_new);
        summary.laps_new += u64::from(outcome.laps_new);
        progress(summary.sessions);
    }
    Ok(summary)
}
