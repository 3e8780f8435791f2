//! Sources of timing rather than of pages: what the tracker reads from a feed that already
//! says which car completed which lap (ACC's broadcasting feed, a server's results files),
//! beside [`pitwall_acc::Source`] for the game's pages, which the lap detector turns into
//! the same events. [`Input`] is either; [`crate::run`] and the collector take it.

use std::time::Duration;

use pitwall_acc::Source;
use pitwall_core::Event;

/// What a [`TimingSource`] gave on one read.
#[derive(Debug)]
pub enum Timing {
    /// Events, in order, times already in the wall clock (ms since the epoch). Laps carry
    /// their car and driver; lap ids of cars other than the player's come from
    /// [`pitwall_core::LapId::of_car`].
    Events(Vec<Event>),
    /// Nothing new: read again after this long.
    Idle(Duration),
    /// The source has nothing more (a file read to its end, a closed feed).
    End,
}

/// A source of timing events: sessions started and ended, laps of any car completed.
/// Polled on the collector's reading thread, like a [`Source`].
pub trait TimingSource: Send {
    /// Where it reads from, for logs.
    fn describe(&self) -> String;

    /// The next events, or why there are none.
    ///
    /// # Errors
    /// A failed read; the reading thread says so and reads again a second later.
    fn read(&mut self) -> Result<Timing, Box<dyn std::error::Error + Send + Sync>>;

    /// The tracker stops at `at_ms`: the events that end what is in progress (none unless
    /// the source holds a session open).
    fn stop(&mut self, at_ms: u64) -> Vec<Event> {
        let _ = at_ms;
        Vec::new()
    }
}

/// What the tracker reads: the game's pages (through the lap detector) or timing events.
pub enum Input {
    /// Pages: shared memory, a recording, the simulator.
    Pages(Box<dyn Source>),
    /// Timing events, stored and published as they come.
    Timing(Box<dyn TimingSource>),
}

impl Input {
    /// Where it reads from, for logs.
    pub fn describe(&self) -> String {
        match self {
            Input::Pages(source) => source.describe(),
            Input::Timing(source) => source.describe(),
        }
    }
}

impl From<Box<dyn Source>> for Input {
    fn from(source: Box<dyn Source>) -> Self {
        Input::Pages(source)
    }
}

impl From<Box<dyn TimingSource>> for Input {
    fn from(source: Box<dyn TimingSource>) -> Self {
        Input::Timing(source)
    }
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}
