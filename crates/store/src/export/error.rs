//! What exporting or importing can fail with, each message saying what to do.

use pitwall_core::model::SessionId;

use crate::error::StoreError;

/// Everything an export, an import or the parsing of an export filter can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading from or writing to the store failed.
    #[error("the store failed")]
    Store(#[from] StoreError),
    /// Writing the export failed (disk full, closed pipe, …).
    #[error("could not write the export")]
    Write(#[source] std::io::Error),
    /// Writing a CSV record failed.
    #[error("could not write the CSV export")]
    Csv(#[source] csv::Error),
    /// The input is not JSON of the export's shape: the source names the line and column
    /// (an unknown field, a missing one, a value of the wrong type or range).
    #[error("the file is not a valid pitwall export")]
    Parse(#[source] serde_json::Error),
    /// The input is not a pitwall export (another file, or other JSON).
    #[error(
        "not a pitwall export ({found}); expected a JSON object with \"format\": \"{expected}\""
    )]
    NotAnExport {
        /// What was found instead (`"format" is "x"`, `it is not a JSON object`).
        found: String,
        /// The format pitwall writes.
        expected: &'static str,
    },
    /// The export was written by a pitwall with a format version this one cannot read.
    #[error(
        "this export is version {found}, but this pitwall reads version {supported} only; \
         import it with the pitwall that wrote it, or update pitwall"
    )]
    UnsupportedVersion {
        /// The version found (`missing` when absent).
        found: String,
        /// The version this pitwall reads and writes.
        supported: u32,
    },
    /// A session or lap of the file is not what the wire shape allows (an id that is not 16
    /// hexadecimal digits, a session type label that does not match its number, a lap
    /// listed under another session).
    #[error(transparent)]
    Wire(#[from] pitwall_live::WireError),
    /// A session or lap of the file fails pitwall's validation rules (see
    /// [`pitwall_core::validate`]); nothing was imported.
    #[error(
        "session {session} cannot be imported: {problem}; correct it in the file or remove the \
         session, then import again (nothing was imported)"
    )]
    Invalid {
        /// The session.
        session: SessionId,
        /// What is wrong.
        problem: pitwall_core::validate::Invalid,
    },
    /// An export filter's session type is not one of ACC's.
    #[error(
        "unknown session type {0:?}; use one of practice, qualify, race, hotlap, timeattack, \
         drift, drag, hotstint, hotstintsuperpole, unknown, or ACC's number"
    )]
    UnknownSessionType(String),
    /// An export filter's time is neither a date nor milliseconds.
    #[error("{0:?} is not a date (YYYY-MM-DD, UTC) or a time in ms since 1970")]
    BadTime(String),
    /// An export format name is not known.
    #[error("unknown export format {0:?}; use json or csv")]
    UnknownFormat(String),
}
