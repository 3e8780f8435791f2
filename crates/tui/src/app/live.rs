//! The live side of the app: the state kept from the feed (the protocol's [`LiveState`],
//! moved on by each event exactly as the server's hub moves its copy), the feed's connection, and
//! where the running lap was invalidated (which the state does not keep per sector).

use std::time::Duration;

use pitwall_core::model::SessionId;
use pitwall_live::{LiveEvent, LiveState};

use crate::feed::FeedMsg;

/// The feed's connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedStatus {
    /// First attempt under way.
    Connecting,
    /// Connected to a `pitwall run`.
    Up,
    /// Not connected; the next attempt is in `retry_in`.
    Down {
        /// Why, in words.
        reason: String,
        /// When the next attempt is made.
        retry_in: Duration,
    },
}

/// Live timing as the screen needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    /// The pitwall followed (`http://HOST:PORT`).
    pub url: String,
    /// The connection.
    pub status: FeedStatus,
    /// The state, as the server has it.
    pub state: LiveState,
}

/// What an event means for the rest of the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// The store has something new (a session, a lap, an end): read the history again.
    pub stored: bool,
}

impl Live {
    /// Nothing known yet about the pitwall at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Live {
            url: url.into(),
            status: FeedStatus::Connecting,
            state: LiveState::default(),
        }
    }

    /// Moves on by one message of the feed.
    pub fn apply(&mut self, msg: FeedMsg) -> Applied {
        match msg {
            FeedMsg::Connected => {
                self.status = FeedStatus::Up;
                Applied::default()
            }
            FeedMsg::Down { reason, retry_in } => {
                self.status = FeedStatus::Down { reason, retry_in };
                // Without the server nothing is live: the last laps stay, the running lap
                // and the game's status go.
                self.state.connected = false;
                self.state.lap = None;
                Applied::default()
            }
            FeedMsg::Event(event) => self.event(&event),
        }
    }

    fn event(&mut self, event: &LiveEvent) -> Applied {
        self.status = FeedStatus::Up;
        self.state.apply(event);
        Applied {
            stored: matches!(
                event,
                LiveEvent::Snapshot { .. }
                    | LiveEvent::SessionStarted { .. }
                    | LiveEvent::SessionEnded { .. }
                    | LiveEvent::LapCompleted { .. }
            ),
        }
    }

    /// The id of the live session.
    pub fn session_id(&self) -> Option<SessionId> {
        self.state.session_id()
    }
}
