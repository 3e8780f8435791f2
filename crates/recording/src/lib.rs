//! Recordings: pitwall's own compact, versioned, compressed capture of the raw ACC pages.
//!
//! A recording keeps every page change with its timestamp, byte for byte, so a session can
//! be replayed through the tracker exactly as it was driven. The format (specified in
//! `docs/recording-format.md`) is a header followed by blocks of about one second each.
//! A block is one zstd frame holding the frames' time stamps, which pages changed, and the
//! changed pages coded as per-column residuals against the previous pages of the same kind,
//! split into byte planes (see `columns`). Each block carries CRC-32s of its header and its
//! contents, so damage is caught before a wrong page comes out and is reported with the
//! block's byte offset.
//!
//! - [`Recorder`] writes ([`create`] opens a file for it),
//! - [`RecordingReader`] iterates over the snapshots ([`open`] opens a file for it),
//! - [`Replay`] is a [`Source`](pitwall_acc::Source) that plays a recording back at a chosen
//!   [`Pace`]; its damage reaches the caller as [`SourceError::Other`](pitwall_acc::SourceError)
//!   holding a [`RecordingError`],
//! - [`read_acctest`] imports RaceIQ's ACCTEST captures, so captures users already have can be
//!   replayed too.
//!
//! # Example
//! ```
//! use pitwall_recording::{Recorder, RecordingReader};
//! use pitwall_acc::Snapshot;
//! use std::time::Duration;
//!
//! let mut recorder = Recorder::new(Vec::new())?;
//! let mut snap = Snapshot::default();
//! for step in 0..100 {
//!     snap.at = Duration::from_micros(2_500 * step);
//!     snap.physics.packet_id.set(step as i32);
//!     recorder.push(&snap)?;
//! }
//! let bytes = recorder.finish()?;
//!
//! let frames: Vec<Snapshot> = RecordingReader::new(&bytes[..])?.collect::<Result<_, _>>()?;
//! assert_eq!(frames.len(), 100);
//! assert_eq!(frames[99], snap);
//! # Ok::<(), pitwall_recording::RecordingError>(())
//! ```

mod acctest;
mod codec;
mod columns;
mod error;
mod format;
mod reader;
mod replay;
mod writer;

pub use acctest::{ACCTEST_INTERVAL, AcctestSample, read_acctest};
pub use error::{Damage, RecordingError};
pub use format::{FORMAT_VERSION, MAGIC, RecordingInfo};
pub use reader::RecordingReader;
pub use replay::{Pace, Replay};
pub use writer::{Recorder, RecorderOptions, RecorderStats};

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::Path;

/// Creates (or truncates) the file at `path` and starts a recording in it.
pub fn create(path: &Path) -> Result<Recorder<BufWriter<File>>, RecordingError> {
    let file = File::create(path).map_err(|source| RecordingError::Create {
        path: path.to_owned(),
        source,
    })?;
    Recorder::new(BufWriter::new(file))
}

/// Opens the recording at `path` and checks its header.
pub fn open(path: &Path) -> Result<RecordingReader<BufReader<File>>, RecordingError> {
    let file = File::open(path).map_err(|source| RecordingError::Open {
        path: path.to_owned(),
        source,
    })?;
    RecordingReader::new(BufReader::new(file))
}
