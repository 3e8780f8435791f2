//! [`Replay`]: a recording played back as a [`Source`], at recorded pace or faster.
//!
//! Pacing never blocks: the replay anchors the first frame to the wall clock, answers
//! `Unchanged` while the next frame is not yet due and tells the caller how long to wait
//! through [`Source::poll_interval`]. A caller that falls behind gets the late frames back to
//! back, so the replay does not drift.

use super::error::RecordingError;
use super::format::RecordingInfo;
use super::reader::RecordingReader;
use pitwall_acc::snapshot::Snapshot;
use pitwall_acc::source::{Read, Source, SourceError};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::time::{Duration, Instant};

/// The longest [`Replay::poll_interval`] asks a caller to sleep, so a replay stays
/// responsive to its caller even across long pauses in a recording.
const MAX_WAIT: Duration = Duration::from_millis(50);

/// How fast a [`Replay`] hands out frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pace {
    /// At the pace they were recorded.
    RealTime,
    /// As fast as the caller reads.
    Fast,
    /// At this multiple of the recorded pace (2.0 is twice as fast); must be positive.
    /// Infinity means [`Pace::Fast`].
    Speed(f64),
}

impl Pace {
    /// The factor to divide recorded time by, or `None` for as fast as possible.
    fn factor(self) -> Result<Option<f64>, RecordingError> {
        match self {
            Pace::RealTime => Ok(Some(1.0)),
            Pace::Fast => Ok(None),
            Pace::Speed(s) if s == f64::INFINITY => Ok(None),
            Pace::Speed(s) if s.is_finite() && s > 0.0 => Ok(Some(s)),
            Pace::Speed(s) => Err(RecordingError::InvalidSpeed(s)),
        }
    }
}

/// A recording replayed as a [`Source`]: `Fresh` once per recorded frame, then `End`.
///
/// Damage in the file comes back once, as `Err(SourceError::Other(..))` holding the
/// [`RecordingError`], after every intact frame; reads after it return `End`.
pub struct Replay {
    reader: RecordingReader<Box<dyn std::io::Read + Send>>,
    speed: Option<f64>,
    describe: String,
    /// The next frame, read but not yet due.
    pending: Option<Snapshot>,
    /// Wall-clock instant of the first frame, and that frame's recorded time.
    anchor: Option<(Instant, Duration)>,
    /// When `pending` is due.
    due: Option<Instant>,
    ended: bool,
}

impl Replay {
    /// Opens the recording at `path` for replay at `pace`.
    pub fn open(path: &Path, pace: Pace) -> Result<Self, RecordingError> {
        let file = File::open(path).map_err(|source| RecordingError::Open {
            path: path.to_owned(),
            source,
        })?;
        let mut replay = Self::from_reader(BufReader::new(file), pace)?;
        replay.describe = format!("recording {}", path.display());
        Ok(replay)
    }

    /// Replays a recording read from any byte stream (a file, a buffer in memory).
    pub fn from_reader(
        reader: impl std::io::Read + Send + 'static,
        pace: Pace,
    ) -> Result<Self, RecordingError> {
        let speed = pace.factor()?;
        let boxed: Box<dyn std::io::Read + Send> = Box::new(reader);
        Ok(Self {
            reader: RecordingReader::new(boxed)?,
            speed,
            describe: "recording (stream)".to_owned(),
            pending: None,
            anchor: None,
            due: None,
            ended: false,
        })
    }

    /// What the recording's header says.
    pub fn info(&self) -> &RecordingInfo {
        self.reader.info()
    }

    /// When the frame recorded at `at` is due, anchoring the clock on the first frame.
    fn due_at(&mut self, at: Duration, speed: f64, now: Instant) -> Instant {
        let (start, base) = *self.anchor.get_or_insert((now, at));
        let recorded = at.saturating_sub(base).as_secs_f64() / speed;
        // `as` saturates (and maps NaN to 0): never panics on odd values.
        start + Duration::from_micros((recorded * 1e6) as u64)
    }
}

impl Source for Replay {
    fn read(&mut self, out: &mut Snapshot) -> Result<Read, SourceError> {
        if self.ended {
            return Ok(Read::End);
        }
        let snap = match self.pending.take() {
            Some(snap) => snap,
            None => match self.reader.next() {
                Some(Ok(snap)) => snap,
                Some(Err(e)) => {
                    self.ended = true;
                    return Err(e.into());
                }
                None => {
                    self.ended = true;
                    return Ok(Read::End);
                }
            },
        };
        if let Some(speed) = self.speed {
            let now = Instant::now();
            let due = self.due_at(snap.at, speed, now);
            if now < due {
                self.pending = Some(snap);
                self.due = Some(due);
                return Ok(Read::Unchanged);
            }
        }
        self.due = None;
        *out = snap;
        Ok(Read::Fresh)
    }

    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn poll_interval(&self) -> Duration {
        match self.due {
            Some(due) => due.saturating_duration_since(Instant::now()).min(MAX_WAIT),
            None => Duration::ZERO,
        }
    }
}

/// A recording's failure as a source's: [`SourceError::Other`], from which callers can
/// `downcast_ref::<RecordingError>()`.
impl From<RecordingError> for SourceError {
    fn from(e: RecordingError) -> Self {
        SourceError::Other(Box::new(e))
    }
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay")
            .field("describe", &self.describe)
            .field("speed", &self.speed)
            .field("reader", &self.reader)
            .finish_non_exhaustive()
    }
}
