//! The document of pitwall's JSON export (format `pitwall-export`, version 1): the format and
//! its version at file level, around sessions in the wire shape every way in and out shares,
//! [`FullSessionJson`] (`pitwall_live::wire`: lossless, strict). Here only the step between
//! that shape and the store's [`SessionWithLaps`].

use pitwall_live::FullSessionJson;
use serde::{Deserialize, Serialize};

use super::error::ExportError;
use crate::types::SessionWithLaps;

/// The value of the document's `format` field.
pub const FORMAT: &str = "pitwall-export";

/// The version of the format this pitwall writes and reads.
pub const VERSION: u32 = 1;

/// A whole export document. Exports are written piece by piece (see
/// [`JsonWriter`](super::JsonWriter)) in exactly this shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// When the export was written (ms since 1970, UTC).
    pub exported_at_ms: u64,
    /// The sessions, each with its laps.
    pub sessions: Vec<FullSessionJson>,
}

impl From<&SessionWithLaps> for FullSessionJson {
    fn from(s: &SessionWithLaps) -> Self {
        FullSessionJson::of(&s.info, s.ended_at_ms, &s.laps)
    }
}

impl TryFrom<FullSessionJson> for SessionWithLaps {
    type Error = ExportError;

    fn try_from(json: FullSessionJson) -> Result<Self, ExportError> {
        let (info, ended_at_ms, laps) = json.into_parts()?;
        Ok(SessionWithLaps {
            info,
            ended_at_ms,
            laps,
        })
    }
}
