//! The world: what the game knows at each moment of simulated time. It plays the feed's
//! segments in order, keeps the session's timing state (laps, last and best times, the lap
//! timer, distance), records the [`Truth`], and answers where the car is and how fast it goes.
//! Page writers read it; it never touches pages itself.

use super::feed::{Feed, MS, Seg};
use super::lapplan::LapPlan;
use super::model::{LastTimeMode, Quirks, SessionSetup};
use super::rng::Rng;
use super::track::Track;
use super::truth::Truth;
use std::sync::Arc;
use std::time::Duration;

/// Where the car is and how it moves.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CarState {
    /// Spline position, 0..1.
    pub(crate) x: f64,
    /// m/s.
    pub(crate) speed: f64,
    pub(crate) pit_lane: bool,
    pub(crate) in_box: bool,
}

/// The lap being driven.
#[derive(Clone, Debug)]
pub(crate) struct ActiveLap {
    pub(crate) plan: Arc<LapPlan>,
    pub(crate) started_at: u64,
    pub(crate) mode: LastTimeMode,
}

/// The game's state.
pub(crate) struct World {
    pub(crate) now: u64,
    pub(super) feed: Feed,
    pub(super) seg: Seg,
    pub(super) seg_start: u64,
    /// Car position at the start of the current segment (for distance).
    pub(super) seg_x0: f64,
    pub(crate) ended_at: Option<u64>,
    pub(crate) setup: Arc<SessionSetup>,
    pub(crate) track: Arc<Track>,
    pub(crate) in_session: bool,
    pub(crate) session_index: i32,
    /// +1 at every session start (restarts included).
    pub(crate) session_gen: u64,
    pub(crate) completed_laps: u32,
    pub(crate) last_ms: Option<u32>,
    pub(crate) best_ms: Option<u32>,
    /// +1 at every lap completion; `crossing_mode` is how that lap's time shows up.
    pub(crate) crossing_gen: u64,
    pub(crate) crossing_mode: LastTimeMode,
    pub(super) drive_base: u64,
    pub(super) timer_start: u64,
    pub(super) dist_base: f64,
    pub(crate) lap: Option<ActiveLap>,
    pub(super) frozen: CarState,
    pub(crate) quirks: Quirks,
    /// Graphics frames left showing `session` -1 / `isValidLap` 0.
    pub(crate) session_flicker: u32,
    pub(crate) valid_flicker: u32,
    /// No graphics frame is written before this time.
    pub(crate) stall_until: u64,
    /// The static page must be (re)written.
    pub(crate) static_dirty: bool,
    pub(crate) track_hidden_until: Option<u64>,
    pub(crate) warmup_until: u64,
    /// A session has been loaded since the start or the last menu.
    pub(super) loaded: bool,
    pub(super) replay_start: u64,
    pub(super) rng: Rng,
    pub(crate) truth: Truth,
}

pub(super) fn at(ns: u64) -> Duration {
    Duration::from_nanos(ns)
}

impl World {
    pub(crate) fn new(feed: Feed, seed: u64) -> World {
        World {
            now: 0,
            feed,
            seg: Seg::Idle,
            seg_start: 0,
            seg_x0: 0.0,
            ended_at: None,
            setup: Arc::new(SessionSetup::default()),
            track: Arc::new(Track::new("brands_hatch", None)),
            in_session: false,
            session_index: 0,
            session_gen: 0,
            completed_laps: 0,
            last_ms: None,
            best_ms: None,
            crossing_gen: 0,
            crossing_mode: LastTimeMode::Same,
            drive_base: 0,
            timer_start: 0,
            dist_base: 0.0,
            lap: None,
            frozen: CarState::default(),
            quirks: Quirks::default(),
            session_flicker: 0,
            valid_flicker: 0,
            stall_until: 0,
            static_dirty: false,
            track_hidden_until: None,
            warmup_until: 0,
            loaded: false,
            replay_start: 0,
            rng: Rng::new(seed ^ 0x5157_4D4C),
            truth: Truth::default(),
        }
    }

    /// Plays every segment that ends by `t`, then stands at `t`.
    pub(crate) fn advance_to(&mut self, t: u64) {
        if t < self.now {
            return;
        }
        while self.ended_at.is_none() && self.seg_start + self.seg.duration() <= t {
            self.now = self.seg_start + self.seg.duration();
            self.finish_segment();
            if self.ended_at.is_some() {
                break;
            }
            let next = self.feed.next();
            self.begin(next);
        }
        self.now = t;
        if self.track_hidden_until.is_some_and(|until| t >= until) {
            self.track_hidden_until = None;
            self.static_dirty = true;
        }
    }

    fn begin(&mut self, seg: Seg) {
        if matches!(
            seg,
            Seg::Pause(_) | Seg::Replay(_) | Seg::Menu(_) | Seg::Exit
        ) {
            self.frozen = self.car();
        }
        if matches!(seg, Seg::Replay(_)) {
            self.replay_start = self.now;
        }
        self.seg = seg;
        self.seg_start = self.now;
        self.seg_x0 = self.car().x;
    }

    fn finish_segment(&mut self) {
        let seg = std::mem::replace(&mut self.seg, Seg::Idle);
        let moving = matches!(seg, Seg::Drive { .. } | Seg::PitOut(_) | Seg::RollIn(_));
        // Close the stretch: the car's end state, drive time and distance.
        self.seg = seg.clone();
        let end = self.car();
        if moving {
            self.dist_base += (end.x - self.seg_x0).max(0.0) * self.track.length_m;
        }
        self.drive_base = self.drive_ns();
        self.frozen = end;
        match seg {
            Seg::Session {
                start,
                setup,
                track,
                in_box,
            } => self.start_session(start, setup, track, in_box),
            Seg::PitOut(_) => {
                // The line in the pit lane: the lap timer resets, no lap is counted.
                self.timer_start = self.drive_base;
                self.frozen.x = 0.0;
            }
            Seg::RollIn(_) => {
                self.frozen = CarState {
                    x: self.track.box_x,
                    speed: 0.0,
                    pit_lane: true,
                    in_box: true,
                }
            }
            Seg::LapStart(plan) => {
                let mode = plan.spec.last_time.unwrap_or(self.quirks.last_time);
                let mode = self.resolve(mode);
                self.lap = Some(ActiveLap {
                    plan,
                    started_at: self.now,
                    mode,
                });
            }
            Seg::Drive { to, .. } => {
                if let Some(lap) = self.lap.clone()
                    && to == u64::from(lap.plan.time_ms()) * MS
                {
                    self.complete_lap(&lap);
                }
            }
            Seg::Teleport => self.abandon_lap(),
            Seg::FlickerSession(n) => self.session_flicker = self.session_flicker.max(n),
            Seg::FlickerValid(n) => self.valid_flicker = self.valid_flicker.max(n),
            Seg::Stall(d) => self.stall_until = self.now + d,
            Seg::Quirks(q) => self.quirks = q,
            Seg::Menu(_) => self.loaded = false,
            Seg::Exit => self.ended_at = Some(self.now),
            Seg::Idle | Seg::Box(_) | Seg::Pause(_) | Seg::Replay(_) => {}
        }
        self.seg = Seg::Idle;
        self.seg_start = self.now;
    }
}
