//! The app: everything the screens show (live timing, history, navigation) and how it
//! changes with each key, each message of the live feed and each reading of the store.
//! Drawing is [`crate::ui`]'s; the loop that feeds the app is [`crate::run`]'s.

mod live;
pub mod nav;

use crossterm::event::KeyEvent;
use pitwall_core::model::SessionId;

use crate::feed::FeedMsg;
use crate::history::History;
use crate::theme::Theme;
pub use live::{Applied, FeedStatus, Live};
pub use nav::{Command, Nav, Tab, View};

/// What the loop should do after a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Nothing changed.
    None,
    /// Draw again.
    Redraw,
    /// Read the history again (and draw).
    Reload,
    /// Leave.
    Quit,
}

/// The history as last read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HistoryState {
    /// Not read yet.
    #[default]
    Loading,
    /// Read.
    Loaded,
    /// The store failed; what it said.
    Failed(String),
}

/// Everything on screen.
#[derive(Clone, Debug)]
pub struct App {
    /// Colours or not.
    pub theme: Theme,
    /// Live timing.
    pub live: Live,
    /// The history; the last good reading stays while a new one is made.
    pub history: History,
    /// Whether the history has been read (`Loaded`), is being read, or failed.
    pub history_state: HistoryState,
    /// Where the user is.
    pub nav: Nav,
}

impl App {
    /// An app following the pitwall at `live_url`, with nothing read yet.
    pub fn new(theme: Theme, live_url: impl Into<String>) -> Self {
        App {
            theme,
            live: Live::new(live_url),
            history: History::default(),
            history_state: HistoryState::Loading,
            nav: Nav::default(),
        }
    }

    /// Handles a key.
    pub fn on_key(&mut self, key: KeyEvent) -> Action {
        let Some(command) = nav::command(key) else {
            return Action::None;
        };
        match command {
            Command::Quit if !self.nav.help() => return Action::Quit,
            Command::Reload if !self.nav.help() => return Action::Reload,
            _ => {}
        }
        if command == Command::Open && self.nav.view() == View::Bests {
            return self.open_best();
        }
        let sessions = &self.history.sessions;
        let changed = self
            .nav
            .apply(command, |i| sessions.get(i).map_or(0, |s| s.laps.len()));
        if changed {
            Action::Redraw
        } else {
            Action::None
        }
    }

    /// Enter on a personal best: its lap, when its session is among the recent ones.
    fn open_best(&mut self) -> Action {
        let Some(best) = self.history.bests.get(self.nav.bests.selected()) else {
            return Action::None;
        };
        let Some(s) = self.history.position(best.record.session) else {
            return Action::None;
        };
        let laps = &self.history.sessions[s].laps;
        let lap = laps
            .iter()
            .position(|l| l.id == best.record.lap)
            .unwrap_or(0);
        self.nav.show_lap(s, laps.len(), lap);
        Action::Redraw
    }

    /// Handles a message of the live feed; returns whether the history should be read again.
    pub fn on_feed(&mut self, msg: FeedMsg) -> bool {
        self.live.apply(msg).stored
    }

    /// Takes a reading of the history (or the store's error). A session that is open or was
    /// picked stays selected when newer sessions come in above it; a selection left at the
    /// top stays at the top, on the newest session.
    pub fn on_history(&mut self, result: Result<History, String>) {
        match result {
            Ok(history) => {
                let picked = self.nav.session_open() || self.nav.sessions.selected() > 0;
                let selected = self.selected_session_id().filter(|_| picked);
                self.history = history;
                self.history_state = HistoryState::Loaded;
                self.nav.sessions.set_len(self.history.sessions.len());
                if let Some(i) = selected.and_then(|id| self.history.position(id)) {
                    self.nav.sessions.select(i);
                }
                let laps = self
                    .history
                    .sessions
                    .get(self.nav.sessions.selected())
                    .map_or(0, |s| s.laps.len());
                self.nav.laps.set_len(laps);
                self.nav.bests.set_len(self.history.bests.len());
            }
            Err(e) => self.history_state = HistoryState::Failed(e),
        }
    }

    /// The id of the selected session.
    pub fn selected_session_id(&self) -> Option<SessionId> {
        let session = self.history.sessions.get(self.nav.sessions.selected())?;
        Some(session.info.id)
    }
}
