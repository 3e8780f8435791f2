//! What exporting or importing can fail with, each message saying what to do.

use pitwall_core::model::{LapId, SessionId};

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
    /// An id is not written as 16 hexadecimal digits.
    #[error("{what} id {value:?} is not 16 hexadecimal digits")]
    BadId {
        /// Whose id (`session` or `lap`).
        what: &'static str,
        /// The text found.
        value: String,
    },
    /// A session's readable type does not match its ACC number (the file was edited).
    #[error(
        "session {session}: session_type {number} is {expected:?}, but session_type_label says \
         {found:?}; correct one of them"
    )]
    SessionTypeMismatch {
        /// The session.
        session: SessionId,
        /// ACC's number.
        number: i32,
        /// The label of that number.
        expected: String,
        /// The label found.
        found: String,
    },
    /// A lap is listed under a session other than its own.
    #[error(
        "lap {lap} (number {number}) belongs to session {lap_session} but is listed under \
         session {session}; move it to its session"
    )]
    LapInWrongSession {
        /// The lap.
        lap: LapId,
        /// Its number.
        number: u32,
        /// The session the lap names.
        lap_session: SessionId,
        /// The session it is listed under.
        session: SessionId,
    },
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
