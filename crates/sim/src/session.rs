//! The world's session bookkeeping: what starting a session resets, what a completed lap
//! changes (counter, last and best time, timer, truth) and what returning to the pits mid-lap
//! records.

use super::feed::MS;
use super::model::SessionSetup;
use super::model::{LastTimeMode, SessionStart};
use super::track::Track;
use super::truth::{AbandonedLap, TruthLap, TruthSession};
use super::world::{ActiveLap, CarState, World, at};
use std::sync::Arc;

impl World {
    pub(super) fn resolve(&mut self, mode: LastTimeMode) -> LastTimeMode {
        if mode != LastTimeMode::Mixed {
            return mode;
        }
        match self.rng.below(4) {
            0 => LastTimeMode::Same,
            1 => LastTimeMode::Late(1),
            2 => LastTimeMode::Late(2),
            _ => LastTimeMode::Early(1),
        }
    }

    pub(super) fn start_session(
        &mut self,
        start: SessionStart,
        setup: Arc<SessionSetup>,
        track: Arc<Track>,
        in_box: bool,
    ) {
        let reload = !self.loaded || setup.track != self.setup.track || setup.car != self.setup.car;
        match start {
            SessionStart::First => self.session_index = 0,
            SessionStart::Restart => {}
            SessionStart::Next => self.session_index += 1,
        }
        self.setup = setup;
        self.track = track;
        self.in_session = true;
        self.loaded = true;
        self.session_gen += 1;
        self.completed_laps = 0;
        self.last_ms = None;
        self.best_ms = None;
        self.drive_base = 0;
        self.timer_start = 0;
        self.dist_base = 0.0;
        self.lap = None;
        self.frozen = CarState {
            x: if in_box { self.track.box_x } else { 0.0 },
            speed: 0.0,
            pit_lane: in_box,
            in_box,
        };
        self.static_dirty = true;
        if reload {
            self.warmup_until = self.now + self.quirks.physics_warmup_ms * MS;
            if self.quirks.track_delay_ms > 0 {
                self.track_hidden_until = Some(self.now + self.quirks.track_delay_ms * MS);
            }
        }
        self.truth.sessions.push(TruthSession {
            track: self.setup.track.clone(),
            car: self.setup.car.clone(),
            driver: self.setup.driver.clone(),
            session_type: self.setup.session_type,
            session_index: self.session_index,
            restarted: start == SessionStart::Restart,
            started_at: at(self.now),
            laps: Vec::new(),
            abandoned: Vec::new(),
        });
    }

    pub(super) fn complete_lap(&mut self, lap: &ActiveLap) {
        let plan = &lap.plan;
        let time = plan.time_ms();
        let valid = plan.cut_ms.is_none();
        self.completed_laps += 1;
        self.last_ms = Some(time);
        if valid && self.best_ms.is_none_or(|b| time < b) {
            self.best_ms = Some(time);
        }
        self.timer_start = self.drive_base;
        self.crossing_gen += 1;
        self.crossing_mode = lap.mode;
        if self.quirks.valid_flicker {
            self.valid_flicker = self.valid_flicker.max(1);
        }
        self.frozen.x = 0.0;
        let truth = TruthLap {
            number: self.completed_laps,
            time_ms: time,
            sectors_ms: plan.sector_ms.clone(),
            valid,
            out_lap: plan.starts_in_pit,
            in_lap: plan.ends_in_pit,
            started_at: at(lap.started_at),
            completed_at: at(self.now),
        };
        if let Some(session) = self.truth.sessions.last_mut() {
            session.laps.push(truth);
        }
        self.lap = None;
    }

    pub(super) fn abandon_lap(&mut self) {
        if let Some(lap) = self.lap.take() {
            let driven_ms = self.lap_timer_ms();
            let valid = lap.plan.cut_ms.is_none_or(|c| (driven_ms as f64) < c);
            if let Some(session) = self.truth.sessions.last_mut() {
                session.abandoned.push(AbandonedLap {
                    completed_laps: self.completed_laps,
                    driven_ms: u32::try_from(driven_ms).unwrap_or(u32::MAX),
                    valid,
                    out_lap: lap.plan.starts_in_pit,
                    started_at: at(lap.started_at),
                    abandoned_at: at(self.now),
                });
            }
        }
        self.timer_start = self.drive_base;
        self.frozen = CarState {
            x: self.track.box_x,
            speed: 0.0,
            pit_lane: true,
            in_box: true,
        };
    }
}
