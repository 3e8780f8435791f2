//! The recorder tee, `--record FILE` of `pitwall run` and `pitwall demo`: a [`Source`] that hands every read
//! on unchanged and also writes each fresh snapshot into a recording (pitwall's format, see
//! docs/recording-format.md), so a user can attach exactly what the tracker read to a bug
//! report and anyone can replay it with `pitwall replay`.
//!
//! The collector's reading thread owns the source and drops it when it stops (Ctrl-C, the
//! service being stopped, the source ending); dropping finishes the recording (the last
//! block, the end marker, flushed and closed) before the collector reports that it has
//! stopped. While running, what was read is flushed to the file at least once a second. A
//! recording that fails (a full disk) is reported once and abandoned; tracking goes on.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pitwall_acc::{Read, Snapshot, Source, SourceError};
use pitwall_recording::{Recorder, RecordingError};

/// How often what was read reaches the file, at the latest.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// The recording could not be started.
#[derive(Debug, thiserror::Error)]
#[error("--record: cannot start the recording {}", path.display())]
pub struct TeeError {
    /// The recording's file.
    pub path: PathBuf,
    /// Why it could not be created.
    #[source]
    pub source: RecordingError,
}

/// `source`, recording into `path` when one is given.
pub fn record_if(
    source: Box<dyn Source>,
    path: Option<&Path>,
) -> Result<Box<dyn Source>, TeeError> {
    Ok(match path {
        Some(path) => Box::new(RecordingSource::create(source, path)?),
        None => source,
    })
}

/// A source that records what it reads.
pub struct RecordingSource {
    inner: Box<dyn Source>,
    recorder: Option<Recorder<BufWriter<File>>>,
    path: PathBuf,
    last_flush: Instant,
}

impl RecordingSource {
    /// Creates (or truncates) the recording at `path` and records what `inner` reads.
    pub fn create(inner: Box<dyn Source>, path: &Path) -> Result<Self, TeeError> {
        let recorder = pitwall_recording::create(path).map_err(|source| TeeError {
            path: path.to_owned(),
            source,
        })?;
        tracing::info!("recording what is read into {}", path.display());
        Ok(RecordingSource {
            inner,
            recorder: Some(recorder),
            path: path.to_owned(),
            last_flush: Instant::now(),
        })
    }

    /// Gives up on a recording that failed, saying what is in the file.
    fn abandon(&mut self, e: &RecordingError) {
        let frames = self.recorder.take().map_or(0, |r| r.stats().frames);
        tracing::error!(
            "stopped recording into {}: {e}; tracking goes on (the file keeps what was \
             flushed of {frames} snapshots)",
            self.path.display()
        );
    }
}

impl Source for RecordingSource {
    fn read(&mut self, out: &mut Snapshot) -> Result<Read, SourceError> {
        let read = self.inner.read(out)?;
        let Some(recorder) = self.recorder.as_mut() else {
            return Ok(read);
        };
        let mut result = match read {
            Read::Fresh => recorder.push(out),
            _ => Ok(()),
        };
        if result.is_ok() && self.last_flush.elapsed() >= FLUSH_EVERY {
            result = recorder.flush();
            self.last_flush = Instant::now();
        }
        if let Err(e) = result {
            self.abandon(&e);
        }
        Ok(read)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn poll_interval(&self) -> Duration {
        self.inner.poll_interval()
    }
}

impl Drop for RecordingSource {
    fn drop(&mut self) {
        let Some(recorder) = self.recorder.take() else {
            return;
        };
        let stats = recorder.stats();
        match recorder.finish() {
            Ok(_) => tracing::info!(
                "recorded {} snapshots ({} bytes) into {}",
                stats.frames,
                stats.bytes,
                self.path.display()
            ),
            Err(e) => tracing::error!("cannot finish the recording {}: {e}", self.path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pitwall_recording::{Pace, Replay};

    /// Plays `frames` snapshots with rising packet ids, then ends.
    struct Counting {
        left: i32,
    }

    impl Source for Counting {
        fn read(&mut self, out: &mut Snapshot) -> Result<Read, SourceError> {
            if self.left == 0 {
                return Ok(Read::End);
            }
            self.left -= 1;
            out.at += Duration::from_millis(2);
            out.physics.packet_id.set(self.left);
            Ok(Read::Fresh)
        }

        fn describe(&self) -> String {
            "counting".into()
        }
    }

    #[test]
    fn dropping_the_source_finishes_a_recording_of_every_fresh_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tee.pwrec");
        let mut source = record_if(Box::new(Counting { left: 500 }), Some(path.as_path())).unwrap();
        let mut snap = Snapshot::default();
        let mut read = Vec::new();
        while let Read::Fresh = source.read(&mut snap).unwrap() {
            read.push(snap.clone());
        }
        drop(source);

        let mut replay = Replay::open(&path, Pace::Fast).unwrap();
        let mut replayed = Vec::new();
        let mut snap = Snapshot::default();
        loop {
            match replay.read(&mut snap).unwrap() {
                Read::Fresh => replayed.push(snap.physics.packet_id.get()),
                Read::End => break,
                Read::Unchanged | Read::Waiting(_) => {}
            }
        }
        let expected: Vec<i32> = read.iter().map(|s| s.physics.packet_id.get()).collect();
        assert_eq!(replayed, expected);
        // A finished recording ends with its end marker: the reader reports no damage.
        let frames = pitwall_recording::open(&path).unwrap();
        assert_eq!(frames.collect::<Result<Vec<_>, _>>().unwrap().len(), 500);
    }

    #[test]
    fn a_recording_that_cannot_be_created_says_which_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("tee.pwrec");
        let Err(e) = record_if(Box::new(Counting { left: 1 }), Some(path.as_path())) else {
            panic!("a recording in a missing directory was created");
        };
        assert_eq!(
            e.to_string(),
            format!("--record: cannot start the recording {}", path.display())
        );
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn without_a_path_the_source_is_left_alone() {
        let source = record_if(Box::new(Counting { left: 1 }), None).unwrap();
        assert_eq!(source.describe(), "counting");
    }
}
