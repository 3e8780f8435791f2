//! The live side of the app: the state kept from the feed (the protocol's [`LiveState`],
//! moved on by each event exactly as the server's hub moves its copy), the feed's connection, and
//! where the running lap was invalidated (which the state does not keep per sector).

use std::time::Duration;

use pitwall_core::model::{Lap, LapId, SessionId};
use pitwall_live::{LiveEvent, LiveState};

use crate::convert;
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
    /// The sector of the running lap in which it was invalidated.
    pub invalid_from: Option<u8>,
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
            invalid_from: None,
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
                self.invalid_from = None;
                Applied::default()
            }
            FeedMsg::Event(event) => self.event(&event),
        }
    }

    fn event(&mut self, event: &LiveEvent) -> Applied {
        self.status = FeedStatus::Up;
        match event {
            LiveEvent::Snapshot { state } => {
                self.invalid_from = state.lap.as_ref().filter(|l| !l.valid).map(|_| 0);
            }
            LiveEvent::LapStarted { .. } => self.invalid_from = None,
            LiveEvent::Tick {
                lap_id,
                sector,
                valid: false,
                ..
            }
            | LiveEvent::SectorCompleted {
                lap_id,
                sector,
                valid: false,
                ..
            } if self.is_running(lap_id) && self.invalid_from.is_none() => {
                self.invalid_from = Some(*sector);
            }
            _ => {}
        }
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

    fn is_running(&self, lap_id: &str) -> bool {
        self.state.lap.as_ref().is_some_and(|l| l.lap_id == lap_id)
    }

    /// The id of the live session.
    pub fn session_id(&self) -> Option<SessionId> {
        let session = self.state.session.as_ref()?;
        Some(SessionId(convert::hex(&session.id)))
    }

    /// The running lap as a core lap, so that its completed sectors are coloured by the
    /// same rules as completed laps: its sectors so far (then unknown up to the track's
    /// sector count), valid until `invalid_from`.
    pub fn running_lap(&self) -> Option<Lap> {
        let running = self.state.lap.as_ref()?;
        let count = self
            .state
            .session
            .as_ref()
            .map_or(3, |s| usize::from(s.sector_count));
        let mut sectors = running.sectors.clone();
        let needed = count.max(self.invalid_from.map_or(0, |s| usize::from(s) + 1));
        if sectors.len() < needed {
            sectors.resize(needed, None);
        }
        let so_far: u32 = running.sectors.iter().flatten().sum();
        Some(Lap {
            id: LapId(convert::hex(&running.lap_id)),
            session: self.session_id().unwrap_or(SessionId(0)),
            number: running.number,
            time_ms: so_far.max(1),
            sectors,
            valid: self.invalid_from.is_none(),
            invalid_sector: self.invalid_from,
            out_lap: running.out_lap,
            in_lap: false,
            partial: false,
            started_at_ms: running.started_at_ms,
            completed_at_ms: u64::MAX,
        })
    }
}
