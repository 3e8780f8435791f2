//! Pitwall's JSON export, written as a stream and read strictly.
//!
//! [`JsonWriter`] writes the header, then one session per line as it is given, then the
//! closing brackets: the output is an [`ExportDocument`] however many sessions there are,
//! and memory does not grow with them. [`parse_json`] checks `format` and `version` first
//! (so a newer export is refused as such, not as a list of unknown fields), then reads the
//! whole document strictly and converts every session before anything is stored.

use std::io::Write;

use pitwall_live::FullSessionJson;
use serde::Deserialize;

use super::document::{ExportDocument, FORMAT, VERSION};
use super::error::ExportError;
use crate::types::SessionWithLaps;

/// Writes an export document piece by piece.
#[derive(Debug)]
pub struct JsonWriter<W: Write> {
    out: W,
    sessions: u64,
}

impl<W: Write> JsonWriter<W> {
    /// Writes the header (format, version, `exported_at_ms`) and opens the session list.
    pub fn begin(mut out: W, exported_at_ms: u64) -> Result<Self, ExportError> {
        write!(
            out,
            "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\
             \"exported_at_ms\":{exported_at_ms},\"sessions\":["
        )
        .map_err(ExportError::Write)?;
        Ok(JsonWriter { out, sessions: 0 })
    }

    /// Writes one session with its laps, on a line of its own.
    pub fn session(&mut self, session: &SessionWithLaps) -> Result<(), ExportError> {
        let separator: &[u8] = if self.sessions == 0 { b"\n" } else { b",\n" };
        self.out.write_all(separator).map_err(ExportError::Write)?;
        serde_json::to_writer(&mut self.out, &FullSessionJson::from(session)).map_err(|e| {
            // Serialising these types only fails when writing fails.
            ExportError::Write(std::io::Error::other(e))
        })?;
        self.sessions += 1;
        Ok(())
    }

    /// Closes the document, flushes, and returns the writer.
    pub fn finish(mut self) -> Result<W, ExportError> {
        let close: &[u8] = if self.sessions == 0 {
            b"]}\n"
        } else {
            b"\n]}\n"
        };
        self.out.write_all(close).map_err(ExportError::Write)?;
        self.out.flush().map_err(ExportError::Write)?;
        Ok(self.out)
    }
}

/// An export read back: its time and its sessions, converted and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedExport {
    /// When it was written (ms since 1970).
    pub exported_at_ms: u64,
    /// Its sessions, in the order of the file.
    pub sessions: Vec<SessionWithLaps>,
}

/// Just enough of a document to tell what it claims to be; everything else is skipped.
#[derive(Deserialize)]
struct Probe {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// Reads an export document strictly: a foreign format, another version, an unknown or
/// missing field, a key given twice, a malformed id, or a lap listed under another session
/// is an error, and then nothing is returned.
pub fn parse_json(bytes: &[u8]) -> Result<ParsedExport, ExportError> {
    // serde also reads structs from arrays: make sure this is an object first.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ExportError::NotAnExport {
            found: "it is not a JSON object".to_owned(),
            expected: FORMAT,
        });
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(ExportError::Parse)?;
    let shown = |v: &Option<serde_json::Value>| match v {
        Some(v) => v.to_string(),
        None => "missing".to_owned(),
    };
    if probe.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(ExportError::NotAnExport {
            found: format!("\"format\" is {}", shown(&probe.format)),
            expected: FORMAT,
        });
    }
    if probe.version.as_ref().and_then(|v| v.as_u64()) != Some(u64::from(VERSION)) {
        return Err(ExportError::UnsupportedVersion {
            found: shown(&probe.version),
            supported: VERSION,
        });
    }
    let doc: ExportDocument = serde_json::from_slice(bytes).map_err(ExportError::Parse)?;
    // serde keeps the last of keys given twice (in `conditions`, say): refuse them.
    serde_json::from_slice::<pitwall_core::validate::UniqueKeys>(bytes)
        .map_err(ExportError::Parse)?;
    let sessions = doc
        .sessions
        .into_iter()
        .map(SessionWithLaps::try_from)
        .collect::<Result<_, _>>()?;
    Ok(ParsedExport {
        exported_at_ms: doc.exported_at_ms,
        sessions,
    })
}
