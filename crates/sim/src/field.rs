//! The other cars of a session: server car ids in the graphics page's `carID` slots, one slot
//! for the player, and AI cars lapping at their own steady pace, so `carCoordinates`,
//! `position` and a replay's focused car have something plausible to show.

use super::rng::Rng;
use super::track::Track;

/// One AI car.
#[derive(Clone, Copy, Debug)]
struct Ai {
    /// Spline position at session time 0.
    phase: f64,
    /// Its lap time, seconds.
    lap_s: f64,
}

/// The cars of one session.
#[derive(Debug)]
pub(crate) struct Field {
    /// `carID[k]` for every slot; `ids[player_slot]` is `playerCarID`.
    pub(crate) ids: Vec<i32>,
    pub(crate) player_slot: usize,
    /// AI cars, in slot order without the player.
    ai: Vec<Ai>,
}

/// Where an AI car is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AiState {
    pub(crate) x: f64,
    pub(crate) speed: f64,
    /// Laps completed.
    pub(crate) laps: f64,
    pub(crate) lap_s: f64,
}

impl Field {
    pub(crate) fn new(cars: u32, track: &Track, seed: u64) -> Field {
        let mut rng = Rng::new(seed ^ 0xF1E1_D000);
        let cars = cars.clamp(1, 60) as usize;
        let mut pool: Vec<i32> = (0..70).collect();
        for i in (1..pool.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            pool.swap(i, j);
        }
        let ids = pool.iter().take(cars).map(|n| 1000 + n).collect();
        let player_slot = (cars - 1).min(5);
        let nominal = track.nominal_time(1.0);
        let ai = (1..cars)
            .map(|_| Ai {
                phase: rng.unit(),
                lap_s: nominal * rng.range(1.0, 1.07),
            })
            .collect();
        Field {
            ids,
            player_slot,
            ai,
        }
    }

    /// Number of AI cars.
    pub(crate) fn ai_count(&self) -> usize {
        self.ai.len()
    }

    /// The slot of AI car `k`.
    pub(crate) fn slot_of(&self, k: usize) -> usize {
        if k < self.player_slot { k } else { k + 1 }
    }

    /// AI car `k` after `secs` of session time.
    pub(crate) fn ai(&self, k: usize, track: &Track, secs: f64) -> Option<AiState> {
        let ai = self.ai.get(k)?;
        let progress = ai.phase + secs / ai.lap_s;
        let f = progress.rem_euclid(1.0);
        let nominal = track.nominal_time(1.0);
        let x = track.x_at_nominal(f * nominal);
        let speed = track.nominal_speed(x) * nominal / ai.lap_s;
        Some(AiState {
            x,
            speed,
            laps: progress.floor() - ai.phase.floor(),
            lap_s: ai.lap_s,
        })
    }
}
