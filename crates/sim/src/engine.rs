//! [`Simulator`]: the clock that schedules physics and graphics updates, advances the world
//! to each one and writes the pages into its [`Snapshot`]; and [`sample`], what a reader
//! polling at a fixed interval would see.

use super::feed::Feed;
use super::graphics::{FUEL_PER_LAP, GraphicsWriter};
use super::physics::{Ambient, PhysicsWriter};
use super::statics::write_static;
use super::truth::Truth;
use super::world::{CarState, World};
use super::{Scenario, SimOptions, Step};
use pitwall_acc::enums::Status;
use pitwall_acc::snapshot::Snapshot;
use std::time::Duration;
use zerocopy::little_endian::I32;

/// Plays a [`Scenario`] and writes ACC-shaped pages, one update at a time, in simulated time
/// (as fast as the caller steps; [`run`](super::run) paces it in real time).
pub struct Simulator {
    options: SimOptions,
    world: World,
    physics: PhysicsWriter,
    replay_physics: PhysicsWriter,
    graphics: GraphicsWriter,
    snapshot: Snapshot,
    physics_tick: u64,
    graphics_tick: u64,
    /// Start of the replay the replay car's telemetry belongs to.
    replay_seen: Option<u64>,
    done: bool,
}

// The CLI runs simulators on their own threads.
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Simulator>();
};

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("options", &self.options)
            .field("at", &self.snapshot.at)
            .field("sessions", &self.world.truth.sessions.len())
            .field("ended", &self.done)
            .finish_non_exhaustive()
    }
}

fn tick_ns(tick: u64, hz: u32) -> u64 {
    let ns = u128::from(tick) * 1_000_000_000 / u128::from(hz.max(1));
    u64::try_from(ns).unwrap_or(u64::MAX)
}

impl Simulator {
    /// A simulator at time zero; nothing is written until the first [`Simulator::step`].
    /// Rates of 0 are treated as 1 Hz.
    pub fn new(scenario: Scenario, options: SimOptions) -> Simulator {
        let options = SimOptions {
            physics_hz: options.physics_hz.max(1),
            graphics_hz: options.graphics_hz.max(1),
            seed: options.seed,
        };
        Simulator {
            world: World::new(Feed::new(scenario), options.seed),
            physics: PhysicsWriter::new(options.physics_hz, options.seed),
            replay_physics: PhysicsWriter::new(options.physics_hz, options.seed ^ 0xABCD),
            graphics: GraphicsWriter::new(options.graphics_hz, options.seed),
            snapshot: Snapshot::default(),
            physics_tick: 0,
            graphics_tick: 0,
            replay_seen: None,
            done: false,
            options,
        }
    }

    /// The options in use.
    pub fn options(&self) -> SimOptions {
        self.options
    }

    /// The simulated time of the next page update, or `None` when the script has ended.
    /// Advances the simulated world to that time (the pages do not change until `step`).
    pub fn next_at(&mut self) -> Option<Duration> {
        self.next_ns().map(Duration::from_nanos)
    }

    fn due(&self) -> (u64, u64) {
        (
            tick_ns(self.physics_tick, self.options.physics_hz),
            tick_ns(self.graphics_tick, self.options.graphics_hz),
        )
    }

    fn next_ns(&mut self) -> Option<u64> {
        if self.done {
            return None;
        }
        let (physics, graphics) = self.due();
        let t = physics.min(graphics);
        self.world.advance_to(t);
        if self.world.ended_at.is_some_and(|end| end <= t) {
            self.done = true;
            return None;
        }
        Some(t)
    }

    /// Advances to the next page update in simulated time. `None` when the script has ended
    /// (after `exit`, pages stay as last written).
    pub fn step(&mut self) -> Option<Step> {
        let t = self.next_ns()?;
        let (physics_due, graphics_due) = self.due();
        let mut step = Step {
            at: Duration::from_nanos(t),
            physics: physics_due == t,
            graphics: graphics_due == t,
            statics: false,
        };
        if step.physics {
            self.physics_tick += 1;
            self.write_physics();
        }
        if step.graphics {
            self.graphics_tick += 1;
            if t >= self.world.stall_until {
                let id = self.snapshot.graphics.packet_id.get().wrapping_add(1);
                self.snapshot.graphics.packet_id = I32::new(id);
                self.graphics
                    .write(&mut self.snapshot.graphics, &mut self.world);
            } else {
                step.graphics = false;
            }
        }
        if self.world.static_dirty {
            self.world.static_dirty = false;
            let hide = self.world.track_hidden_until.is_some();
            write_static(
                &mut self.snapshot.statics,
                &self.world.setup,
                &self.world.track,
                hide,
            );
            step.statics = true;
        }
        self.snapshot.at = step.at;
        Some(step)
    }

    fn write_physics(&mut self) {
        let world = &self.world;
        let page = &mut self.snapshot.physics;
        let id = page.packet_id.get().wrapping_add(1);
        let drive_s = world.drive_ns() as f64 / 1e9;
        let used = FUEL_PER_LAP * world.distance_m() / world.track.length_m;
        let ambient = Ambient {
            air_c: 22.9 + 0.6 * (drive_s / 1800.0).sin(),
            road_c: 28.4 + 1.1 * (drive_s / 1800.0).sin(),
            fuel_l: (f64::from(world.setup.fuel_l) - used).max(0.5),
        };
        match world.status() {
            Status::Live if world.now >= world.warmup_until => {
                self.physics
                    .write(page, &world.car(), &world.track, ambient);
            }
            Status::Replay => {
                let secs = drive_s + world.replay_secs();
                match self
                    .graphics
                    .field()
                    .and_then(|f| f.ai(0, &world.track, secs))
                {
                    Some(ai) => {
                        if self.replay_seen != Some(world.replay_start) {
                            self.replay_seen = Some(world.replay_start);
                            self.replay_physics.cut_to(ai.speed);
                        }
                        let car = CarState {
                            x: ai.x,
                            speed: ai.speed,
                            pit_lane: false,
                            in_box: false,
                        };
                        self.replay_physics.write(page, &car, &world.track, ambient);
                    }
                    None => PhysicsWriter::zero(page),
                }
            }
            _ => PhysicsWriter::zero(page),
        }
        page.packet_id = I32::new(id);
    }

    /// The current pages; `snapshot().at` is the simulated time since the start.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Ground truth of what the script drove so far: sessions, completed and abandoned laps.
    pub fn truth(&self) -> &Truth {
        &self.world.truth
    }
}

/// What a reader polling every `interval` sees: one [`Snapshot`] per poll (polls at 0,
/// `interval`, 2×`interval`, …; `at` is the poll time), only when some page changed since the
/// previous poll. Ends after the last change once the script has ended. An `interval` of 0 is
/// treated as 1 ns.
pub fn sample(sim: Simulator, interval: Duration) -> impl Iterator<Item = Snapshot> {
    Sampler {
        sim,
        interval: interval.max(Duration::from_nanos(1)),
        poll: Duration::ZERO,
        done: false,
    }
}

struct Sampler {
    sim: Simulator,
    interval: Duration,
    poll: Duration,
    done: bool,
}

impl Iterator for Sampler {
    type Item = Snapshot;
    fn next(&mut self) -> Option<Snapshot> {
        while !self.done {
            let poll = self.poll;
            self.poll += self.interval;
            let mut changed = false;
            loop {
                match self.sim.next_at() {
                    Some(at) if at <= poll => {
                        changed |= self.sim.step().is_some();
                    }
                    Some(_) => break,
                    None => {
                        self.done = true;
                        break;
                    }
                }
            }
            if changed {
                let mut snapshot = self.sim.snapshot().clone();
                snapshot.at = poll;
                return Some(snapshot);
            }
        }
        None
    }
}
