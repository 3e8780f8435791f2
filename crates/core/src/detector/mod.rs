//! The lap detector: a pure, deterministic state machine from timestamped [`Frame`]s (and
//! the [`StaticInfo`] when the static page changes) to [`Event`]s: sessions, laps and
//! sectors exactly as the game timed them. No I/O, no clock: time comes with the frames.
//!
//! Every quirk of ACC's pages (`../shared/reference/acc-shared-memory.md` section 4) is
//! handled at a named place: look for `Quirk:` comments. The detector keeps a constant
//! amount of state whatever the length of a session.

mod lap;
mod resume;
mod sanity;
mod session;

use crate::frame::{Frame, StaticInfo};
use crate::model::Event;
pub use resume::{CLOCK_SLACK_MS, CLOCK_SLACK_PER_MIN_MS, Resume};
use session::Session;

/// Tuning of the detector; the defaults follow the reference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetectorConfig {
    /// `session` reading -1 (UNKNOWN) for less than this is a flicker, not a change (ms).
    pub unknown_session_debounce_ms: u64,
    /// How long to wait for `iLastTime` after `completedLaps` went up before falling back to
    /// the lap timer's peak (ms).
    pub last_time_wait_ms: u64,
    /// A drop of `distanceTraveled` larger than this means a restart (m).
    pub restart_distance_drop_m: f32,
    /// A rise of `sessionTimeLeft` larger than this means a restart (ms).
    pub restart_time_left_rise_ms: f32,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        Self {
            unknown_session_debounce_ms: 1_000,
            last_time_wait_ms: 1_500,
            restart_distance_drop_m: 100.0,
            restart_time_left_rise_ms: 1_000.0,
        }
    }
}

/// Turns frames into events. Feed every frame in order with [`Detector::push`]; feed the
/// static page with [`Detector::statics`] whenever it changes; call [`Detector::gone`] when
/// the source says the game is gone (not running, stale pages).
#[derive(Debug, Default)]
pub struct Detector {
    config: DetectorConfig,
    statics: Option<StaticInfo>,
    /// The static page changed to another track or car since the session started.
    statics_changed: bool,
    session: Option<Session>,
    /// Since when `session` has read -1.
    unknown_since: Option<u64>,
    /// Since when `status` has read OFF.
    off_since: Option<u64>,
    /// Since when frames have shown a step no session takes (see [`sanity::impossible_step`]).
    impossible_since: Option<u64>,
    /// A stored session the first session started may carry on ([`Detector::resume`]).
    resume: Option<Box<Resume>>,
}

impl Detector {
    /// A detector with the default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// A detector with `config`.
    pub fn with_config(config: DetectorConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// The static page changed.
    pub fn statics(&mut self, info: StaticInfo) {
        if let Some(session) = &self.session
            && info.is_complete()
            && (info.track != session.info.track || info.car != session.info.car)
        {
            self.statics_changed = true;
        }
        self.statics = Some(info);
    }

    /// The source lost the game (not running, pages stale): ends the session.
    pub fn gone(&mut self, at_ms: u64, out: &mut Vec<Event>) {
        if let Some(session) = self.session.take() {
            session.end(at_ms, crate::model::EndReason::Left, out);
        }
    }

    /// Offers a stored session to carry on with, after the tracker restarted: if the first
    /// session this detector starts shows that very session still running (same track,
    /// car, driver, session type and index, and a session clock that ran on with the wall
    /// clock since `resume.checkpoint`; see [`Resume`]), it is reported with
    /// [`Event::SessionStarted`] carrying the stored info (same id), and its laps get ids
    /// after the stored ones. Otherwise the offer is dropped and a new session starts as
    /// without it.
    pub fn resume(&mut self, resume: Resume) {
        self.resume = Some(Box::new(resume));
    }

    /// Where the session in progress stands as of the last frame, to store so that a
    /// restarted tracker can carry on with it.
    pub fn checkpoint(&self) -> Option<crate::model::Checkpoint> {
        self.session.as_ref().map(Session::checkpoint)
    }

    /// The session in progress, if any.
    pub fn session(&self) -> Option<&crate::model::SessionInfo> {
        self.session.as_ref().map(|s| &s.info)
    }

    /// Takes one frame; appends what happened to `out`.
    pub fn push(&mut self, frame: &Frame, out: &mut Vec<Event>) {
        use pitwall_acc::enums::{SessionType, Status};
        // Quirk: torn or garbage frames. Values no game state produces are dropped (the
        // bounds are in `sanity`).
        if sanity::absurd(frame) {
            return;
        }
        match frame.status {
            // Quirk: replay shows the focused car, not the driver: never recorded.
            Status::Replay => return,
            // Quirk: pause zeroes physics and freezes the timers: nothing to account, but
            // the game may still publish the time of a lap that just completed.
            Status::Pause => {
                if let Some(session) = &mut self.session {
                    session.paused(frame, &self.config, out);
                }
                return;
            }
            Status::Off => {
                // In the menus, or the game exited (its stale pages may say OFF). The frame
                // that goes OFF may be the one in which the last lap completed, and the
                // game may publish that lap's time a frame or two later: keep accounting
                // for a moment, then end the session.
                let since = *self.off_since.get_or_insert(frame.at_ms);
                if let Some(session) = &mut self.session {
                    session.paused(frame, &self.config, out);
                }
                if frame.at_ms.saturating_sub(since) >= self.config.last_time_wait_ms {
                    self.gone(frame.at_ms, out);
                }
                return;
            }
            Status::Live => {
                // Back from the menus: whatever comes now is a new session.
                if self.off_since.take().is_some() {
                    self.gone(frame.at_ms, out);
                }
            }
            Status::Unknown(_) => return,
        }
        // Quirk: the static page may arrive after the graphics page (track still empty).
        let Some(statics) = self.statics.as_ref().filter(|s| s.is_complete()) else {
            return;
        };
        // Quirk: `session` flickers to -1 during running sessions; only a lasting -1 counts.
        let mut frame = *frame;
        if frame.session_type == SessionType::AccUnknown {
            let since = *self.unknown_since.get_or_insert(frame.at_ms);
            if frame.at_ms.saturating_sub(since) < self.config.unknown_session_debounce_ms {
                // The running session's type stands in, unless the frame is already another
                // session's (next session, other track or car): its type is unknown yet, and
                // taking the old one would start a session of the wrong type. Wait for it.
                match &self.session {
                    Some(s)
                        if frame.session_index == s.info.session_index && !self.statics_changed =>
                    {
                        frame.session_type = s.info.session_type;
                    }
                    _ => return,
                }
            } else {
                self.gone(frame.at_ms, out);
                return;
            }
        } else {
            self.unknown_since = None;
        }

        // Quirk: garbage page values. A step no session takes (the lap count falling to
        // another non-zero value) is one corrupted reading, dropped; only when it lasts is it
        // believed (and then seen as the restart it would be).
        if let Some(s) = &self.session
            && sanity::impossible_step(s.last_frame(), &frame)
        {
            let since = *self.impossible_since.get_or_insert(frame.at_ms);
            if frame.at_ms.saturating_sub(since) < self.config.unknown_session_debounce_ms {
                return;
            }
        } else {
            self.impossible_since = None;
        }

        let restart = self
            .session
            .as_ref()
            .and_then(|s| s.boundary(&frame, self.statics_changed, &self.config));
        if let Some(reason) = restart
            && let Some(old) = self.session.take()
        {
            old.end(frame.at_ms, reason, out);
        }
        self.statics_changed = false;
        match &mut self.session {
            Some(session) => session.push(&frame, &self.config, out),
            None => {
                let joined_late = restart.is_none();
                let statics = statics.clone();
                let statics = &statics;
                // Only the first session started may be the stored one carried on.
                let resumed = self
                    .resume
                    .take()
                    .filter(|r| joined_late && r.continues(&frame, statics));
                self.session = Some(match resumed {
                    Some(r) => {
                        let attempts = r.attempts();
                        Session::resume(&frame, r.info, attempts, out)
                    }
                    None => Session::start(&frame, statics, joined_late, out),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests;
