//! The live hub: the collector publishes [`LiveEvent`]s; the hub keeps the current
//! [`LiveState`] (so a client that connects mid-lap sees the running lap at once) and fans
//! every event out to its subscribers (the server's `GET /api/live`).
//!
//! Publishing never blocks: a subscriber that falls more than [`BACKLOG`] events behind
//! skips ahead to a fresh snapshot instead of slowing the collector.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::broadcast;

use crate::{LiveEvent, LiveState};

/// Events a subscriber may fall behind before it is resynchronised.
pub const BACKLOG: usize = 256;

/// Where live events go; cheap to clone.
#[derive(Clone, Debug)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    tx: broadcast::Sender<Arc<LiveEvent>>,
    state: Mutex<LiveState>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    /// A hub with nobody connected and no game yet.
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        LiveHub {
            inner: Arc::new(Inner {
                tx,
                state: Mutex::new(LiveState::default()),
            }),
        }
    }

    /// Applies `event` to the current state and sends it to every subscriber.
    pub fn publish(&self, event: LiveEvent) {
        let mut state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.apply(&event);
        // Sent under the lock, so a subscriber's snapshot and its stream never overlap.
        let _nobody_listening = self.inner.tx.send(Arc::new(event));
    }

    /// The current state and the events after it.
    pub fn subscribe(&self) -> (LiveState, broadcast::Receiver<Arc<LiveEvent>>) {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (state.clone(), self.inner.tx.subscribe())
    }

    /// The current state.
    pub fn state(&self) -> LiveState {
        self.subscribe().0
    }

    /// The id of the lap being driven, if any (without copying the whole state).
    pub fn running_lap_id(&self) -> Option<String> {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.lap.as_ref().map(|l| l.lap_id.clone())
    }

    /// How many clients are subscribed.
    pub fn subscribers(&self) -> usize {
        self.inner.tx.receiver_count()
    }
}
