//! The endless demo drive behind [`Scenario::endless`](super::Scenario::endless): a practice
//! session at Brands Hatch that never ends. Stints of 8 to 15 laps around 1:24.5 with seeded
//! variation, the odd cut and session-type flicker, each stint ending with an in-lap, a
//! pit stop and an out-lap.

use super::model::{Action, Cut, LapKind, LapSpec, SessionSetup, SessionStart};
use super::rng::Rng;
use std::sync::Arc;

/// Typical GT3 lap at Brands Hatch GP, ms.
const BASE_MS: f64 = 84_500.0;

/// Generates the demo's actions.
pub(crate) struct Endless {
    rng: Rng,
    started: bool,
    /// Laps left in the stint (0: the stint ends with the next lap, an in-lap).
    stint_left: u32,
    /// What comes next when the stint is over.
    pit_phase: u8,
}

impl Endless {
    pub(crate) fn new(seed: u64) -> Endless {
        Endless {
            rng: Rng::new(seed),
            started: false,
            stint_left: 0,
            pit_phase: 1,
        }
    }

    fn lap(&mut self, kind: LapKind, extra_ms: f64) -> Action {
        let time = BASE_MS + extra_ms + self.rng.noise(700.0);
        let cut = if kind == LapKind::Flying && self.rng.chance(0.12) {
            Some(Cut::Sector(1 + self.rng.below(3) as u32))
        } else {
            None
        };
        Action::Drive(Arc::new(LapSpec {
            kind,
            time_ms: time.round() as u32,
            splits: None,
            cut,
            abandon: None,
            pauses: Vec::new(),
            stalls: Vec::new(),
            last_time: None,
        }))
    }

    pub(crate) fn next_action(&mut self) -> Action {
        if !self.started {
            self.started = true;
            let setup = SessionSetup {
                duration_ms: None,
                ..SessionSetup::default()
            };
            return Action::Session {
                start: SessionStart::First,
                setup: Arc::new(setup),
                in_box: true,
            };
        }
        match self.pit_phase {
            1 => {
                self.pit_phase = 2;
                let secs = self.rng.range(8.0, 30.0);
                return Action::PitBox((secs * 1000.0) as u64);
            }
            2 => {
                self.pit_phase = 0;
                self.stint_left = 8 + self.rng.below(8) as u32;
                return self.lap(LapKind::Out, 28_000.0);
            }
            _ => {}
        }
        if self.rng.chance(0.03) {
            return Action::FlickerSession(1 + self.rng.below(3) as u32);
        }
        if self.stint_left == 0 {
            self.pit_phase = 1;
            return self.lap(LapKind::In, 9_000.0);
        }
        self.stint_left -= 1;
        self.lap(LapKind::Flying, 0.0)
    }
}
