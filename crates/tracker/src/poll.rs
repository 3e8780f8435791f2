//! The one reading loop's step, shared by the collector's reading thread and `pitwall
//! watch`: read the source once; a fresh snapshot is decoded and given to the lap detector;
//! a game that left (stale pages, not running) or a source that ended ends the session in
//! progress; each new kind of wait is flagged once. The caller decides what to do with the
//! detector's events and how long to pause ([`Step::pause`]).

use std::time::Duration;

use pitwall_acc::{Read, Snapshot, Source, SourceError, Waiting};
use pitwall_core::{Checkpoint, Detector, Event, Frame, FrameDecoder, Resume};

/// The shortest pause while the game is not readable.
const WAITING_PAUSE: Duration = Duration::from_millis(50);

/// What one read brought.
#[derive(Debug)]
pub enum Step {
    /// A fresh snapshot, decoded (this frame) and given to the detector.
    Fresh(Frame),
    /// Nothing changed since the last read.
    Unchanged,
    /// The pages cannot be read yet, and why; `new` when this kind of wait starts (say it
    /// once, not on every read).
    Waiting {
        /// Why.
        waiting: Waiting,
        /// The previous read was not this kind of wait.
        new: bool,
    },
    /// The source ended; the session in progress was ended.
    End,
}

impl Step {
    /// How long to wait before the next read: none after a fresh snapshot, the source's
    /// poll interval when nothing changed, at least 50 ms while waiting for the game.
    pub fn pause(&self, source: &dyn Source) -> Option<Duration> {
        match self {
            Step::Fresh(_) | Step::End => None,
            Step::Unchanged => Some(source.poll_interval()),
            Step::Waiting { .. } => Some(source.poll_interval().max(WAITING_PAUSE)),
        }
    }
}

/// A source's reader: the last snapshot, the frame decoder and the lap detector with the
/// events it produced and not yet taken.
#[derive(Debug)]
pub struct Reading {
    snap: Snapshot,
    decoder: FrameDecoder,
    detector: Detector,
    events: Vec<Event>,
    last_waiting: Option<Waiting>,
    base_ms: u64,
}

impl Reading {
    /// A reader whose times are `base_ms` plus the source's relative time (the wall clock
    /// when reading began, for stored laps; 0 for printing).
    pub fn new(base_ms: u64) -> Self {
        Reading {
            snap: Snapshot::default(),
            decoder: FrameDecoder::default(),
            detector: Detector::new(),
            events: Vec::new(),
            last_waiting: None,
            base_ms,
        }
    }

    /// Offers a stored session to the detector to carry on (see [`Detector::resume`]).
    pub fn resume(&mut self, resume: Resume) {
        self.detector.resume(resume);
    }

    /// Reads `source` once.
    pub fn step(&mut self, source: &mut dyn Source) -> Result<Step, SourceError> {
        Ok(match source.read(&mut self.snap)? {
            Read::Fresh => {
                self.last_waiting = None;
                let (frame, statics) = self.decoder.decode(&self.snap, self.ms(self.snap.at));
                if let Some(info) = statics {
                    self.detector.statics(info);
                }
                self.detector.push(&frame, &mut self.events);
                Step::Fresh(frame)
            }
            Read::Unchanged => Step::Unchanged,
            Read::Waiting(waiting) => {
                if matches!(waiting, Waiting::Stale(_) | Waiting::NotRunning { .. }) {
                    self.detector.gone(self.ms(self.snap.at), &mut self.events);
                }
                let new = !self
                    .last_waiting
                    .as_ref()
                    .is_some_and(|l| l.same_kind(&waiting));
                if new {
                    self.last_waiting = Some(waiting.clone());
                }
                Step::Waiting { waiting, new }
            }
            Read::End => {
                self.detector.gone(self.ms(self.snap.at), &mut self.events);
                Step::End
            }
        })
    }

    /// The last snapshot read.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }

    /// The detector's events not yet taken, in order (drain them).
    pub fn events(&mut self) -> &mut Vec<Event> {
        &mut self.events
    }

    /// Takes the detector's events.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Where the session in progress stands, if one is.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        self.detector.checkpoint()
    }

    /// Ends the session in progress at `at_ms` (reading stops).
    pub fn stop(&mut self, at_ms: u64) {
        self.detector.gone(at_ms, &mut self.events);
    }

    /// A time relative to the source's start as the reader's time in ms.
    fn ms(&self, d: Duration) -> u64 {
        self.base_ms
            .saturating_add(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}
