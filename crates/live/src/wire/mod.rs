//! The JSON of sessions and laps: what the live feed, pitwall's own API (`/api/v1/…`), export
//! files, uploads and ingest carry, and every conversion between it and the core model
//! ([`pitwall_core::model`]). Ids are 16 hexadecimal digits (as they print), times integer
//! milliseconds.
//!
//! - [`LapJson`]: a completed lap, one shape everywhere. Reading is strict (an unknown field
//!   is refused), as import and ingest require.
//! - [`SessionJson`]: a session as the API and the live feed send it: ACC's session type as
//!   its label, the track, car and session type with readable names.
//! - [`FullSessionJson`]: a session with every field the store keeps and its laps, as export
//!   files, uploads and ingest carry it: the session type as ACC's number and its label, no
//!   readable names, strict. It cannot be [`SessionJson`]: the two `session_type` fields
//!   differ in type (a label there, a number here) and both are part of published formats.
//!
//! (`GET /api/sessions` keeps the original tracker's own shape instead: see the server's
//! `api::compat`. An export file's format and version are the document's, around these
//! sessions: see `pitwall_store::export`.)

mod full;
mod lap;
mod session;

use pitwall_core::model::{LapId, SessionId};

pub use full::{ConditionsJson, FullSessionJson};
pub use lap::LapJson;
pub use session::SessionJson;

/// What a wire shape can fail to convert to the core model with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
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
}

/// An id from the feed where ids only tell things apart (a live screen's laps): its value,
/// or 0 when it is not hexadecimal.
pub fn lenient_id(text: &str) -> u64 {
    u64::from_str_radix(text, 16).unwrap_or(0)
}

/// An id as the wire has it: exactly 16 hexadecimal digits (either case). `what` names whose
/// id it is in the error (`session`, `lap`).
pub fn parse_id(what: &'static str, text: &str) -> Result<u64, WireError> {
    let bad = || WireError::BadId {
        what,
        value: text.to_owned(),
    };
    if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    u64::from_str_radix(text, 16).map_err(|_| bad())
}
