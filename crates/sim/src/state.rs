//! What the world answers about the present moment: where the car is and how fast it goes,
//! the lap timer, distance, status, sector, validity and the next line crossing. Pure reads;
//! the page writers are built on these.

use super::feed::{MS, Seg};
use super::model::LastTimeMode;
use super::track::V_PIT;
use super::world::{CarState, World};
use pitwall_acc::enums::Status;

impl World {
    /// Session drive time: runs except while paused, in a replay or in the menus.
    pub(crate) fn drive_ns(&self) -> u64 {
        let running = match &self.seg {
            Seg::Box(_) | Seg::PitOut(_) | Seg::RollIn(_) | Seg::Drive { .. } => {
                self.now - self.seg_start
            }
            _ => 0,
        };
        self.drive_base + running
    }

    /// `iCurrentTime`, ms.
    pub(crate) fn lap_timer_ms(&self) -> u64 {
        (self.drive_ns() - self.timer_start) / MS
    }

    /// Time into the current lap, ns.
    fn lap_elapsed(&self) -> Option<u64> {
        match &self.seg {
            Seg::Drive { from, .. } => Some(from + (self.now - self.seg_start)),
            _ if self.lap.is_some() => Some(self.lap_timer_ms() * MS),
            _ => None,
        }
    }

    /// Where the car is now.
    pub(crate) fn car(&self) -> CarState {
        let elapsed = self.now - self.seg_start;
        let track = &self.track;
        match &self.seg {
            Seg::Drive { from, .. } => match &self.lap {
                Some(lap) => {
                    let p = lap.plan.at(track, (from + elapsed) as f64 / 1e9);
                    CarState {
                        x: p.x,
                        speed: p.speed,
                        pit_lane: p.pit_lane,
                        in_box: false,
                    }
                }
                None => self.frozen,
            },
            Seg::PitOut(d) => {
                let u = (elapsed as f64 / (*d).max(1) as f64).min(1.0);
                let a = 0.4;
                let (f, df) = if u < a {
                    (u * u / (a * (2.0 - a)), 2.0 * u / (a * (2.0 - a)))
                } else {
                    ((2.0 * u - a) / (2.0 - a), 2.0 / (2.0 - a))
                };
                let span = 1.0 - track.box_x;
                CarState {
                    x: (track.box_x + span * f).min(1.0),
                    speed: span * track.length_m * df / (*d as f64 / 1e9),
                    pit_lane: true,
                    in_box: false,
                }
            }
            Seg::RollIn(d) => {
                let u = (elapsed as f64 / (*d).max(1) as f64).min(1.0);
                let secs = *d as f64 / 1e9;
                CarState {
                    x: V_PIT * secs * (u - 0.5 * u * u) / track.length_m,
                    speed: V_PIT * (1.0 - u),
                    pit_lane: true,
                    in_box: false,
                }
            }
            Seg::Box(_) => CarState {
                x: track.box_x,
                speed: 0.0,
                pit_lane: true,
                in_box: true,
            },
            Seg::Idle | Seg::Session { .. } | Seg::LapStart(_) | Seg::Teleport => self.frozen,
            _ => self.frozen,
        }
    }

    /// `distanceTraveled`, metres.
    pub(crate) fn distance_m(&self) -> f64 {
        let moving = matches!(
            self.seg,
            Seg::Drive { .. } | Seg::PitOut(_) | Seg::RollIn(_)
        );
        if !moving {
            return self.dist_base;
        }
        let dx = self.car().x - self.seg_x0;
        self.dist_base + dx.max(0.0) * self.track.length_m
    }

    /// `status`.
    pub(crate) fn status(&self) -> Status {
        match self.seg {
            Seg::Menu(_) => Status::Off,
            Seg::Pause(_) => Status::Pause,
            Seg::Replay(_) => Status::Replay,
            _ if self.in_session => Status::Live,
            _ => Status::Off,
        }
    }

    /// Seconds since the replay started (while in one).
    pub(crate) fn replay_secs(&self) -> f64 {
        (self.now - self.replay_start) as f64 / 1e9
    }

    /// `(currentSectorIndex, lastSectorTime)`.
    pub(crate) fn sector(&self) -> (i32, i32) {
        match (&self.lap, self.lap_elapsed()) {
            (Some(lap), Some(ns)) => lap.plan.sector_at(ns / MS),
            _ => (0, 0),
        }
    }

    /// `isValidLap` without flickers: false once the car has cut the track this lap.
    pub(crate) fn lap_valid(&self) -> bool {
        match (&self.lap, self.lap_elapsed()) {
            (Some(lap), Some(ns)) => lap.plan.cut_ms.is_none_or(|c| (ns as f64 / 1e6) < c),
            _ => true,
        }
    }

    /// The next line crossing, if the current stretch of driving ends with one:
    /// (time, lap time ms, lap valid, how its time shows up).
    pub(crate) fn upcoming_crossing(&self) -> Option<(u64, u32, bool, LastTimeMode)> {
        let (Seg::Drive { from, to }, Some(lap)) = (&self.seg, &self.lap) else {
            return None;
        };
        let total = u64::from(lap.plan.time_ms()) * MS;
        (*to == total).then(|| {
            let valid = lap.plan.cut_ms.is_none();
            (
                self.seg_start + (to - from),
                lap.plan.time_ms(),
                valid,
                lap.mode,
            )
        })
    }

    /// When the car, rolling out of its box, reaches the line in the pit lane.
    pub(crate) fn pit_line_at(&self) -> Option<u64> {
        match self.seg {
            Seg::PitOut(d) => Some(self.seg_start + d),
            _ => None,
        }
    }

    /// `sessionTimeLeft`, ms (0 when untimed).
    pub(crate) fn time_left_ms(&self) -> f64 {
        self.setup
            .duration_ms
            .map_or(0.0, |d| (d as f64 - self.drive_ns() as f64 / 1e6).max(0.0))
    }
}
