//! The simulator: plays a scenario script and writes ACC-shaped pages, so pitwall can be
//! developed, demonstrated and tested without the game. It builds on `pitwall-acc`'s page
//! layouts and publishes through the same mechanisms the game uses ([`sink`]), so
//! `pitwall-acc`'s live sources read it back exactly as they read ACC.
//!
//! A [`Scenario`] (parsed from the small line-based format in `docs/scenarios.md`, or the
//! never-ending [`Scenario::endless`] demo) drives a [`Simulator`]. Each [`Simulator::step`]
//! advances simulated time to the next page update (physics at [`SimOptions::physics_hz`],
//! graphics at [`SimOptions::graphics_hz`]) and updates [`Simulator::snapshot`] the way the
//! game would, quirks included: the lap timer running in the pits and resetting at the line in
//! the pit lane, `iLastTime` changing a frame before or after the lap counter, flickers,
//! a zero physics page right after loading, pauses zeroing physics. [`Simulator::truth`] keeps
//! what really happened, to check readers against.
//!
//! [`sample`] shows what a reader polling at a given rate would see; [`run`] publishes the
//! pages to a [`PageSink`](sink::PageSink) in real time (or faster).
//!
//! # Layout
//! - [`Scenario`], [`Simulator`], [`sample`], [`run`], [`Truth`]: the simulator.
//! - [`sink`]: where it publishes pages (bridge-style files, Windows named mappings).
//! - `shm` (private): the only `unsafe` code, the writable mapping of the bridge files.
//!
//! # Example
//! ```
//! use pitwall_sim::{Scenario, SimOptions, Simulator};
//!
//! let script = "track brands_hatch\npitbox 2s\noutlap 2:05.000\nlap 1:47.345\nexit\n";
//! let scenario: Scenario = script.parse().expect("valid script");
//! let mut sim = Simulator::new(scenario, SimOptions::default());
//! while sim.step().is_some() {}
//! let laps: Vec<u32> = sim.truth().laps().map(|lap| lap.time_ms).collect();
//! assert_eq!(laps, [125_000, 107_345]);
//! assert_eq!(sim.snapshot().graphics.completed_laps.get(), 2);
//! ```

mod circuit;
mod commands;
mod endless;
mod engine;
mod error;
mod feed;
mod field;
mod graphics;
mod lapplan;
mod laps;
mod model;
mod physics;
mod rng;
mod run;
mod script;
mod session;
mod shm;
pub mod sink;
mod state;
mod statics;
mod timefmt;
mod track;
mod truth;
mod world;

pub use engine::{Simulator, sample};
pub use error::ScenarioError;
pub use run::{RunEnd, run};
pub use script::Scenario;
pub use truth::{AbandonedLap, Truth, TruthLap, TruthSession};

use std::time::Duration;

/// How the simulator runs: update rates and the seed of its noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimOptions {
    /// Physics page updates per second of simulated time (ACC: 400).
    pub physics_hz: u32,
    /// Graphics page updates (HUD frames) per second (ACC: the frame rate; 60 by default).
    pub graphics_hz: u32,
    /// Seed of the telemetry noise, the AI cars and the `mixed` quirk choices. The laps
    /// themselves come from the script (whose `seed` line drives `laps … jitter=`).
    pub seed: u64,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            physics_hz: 400,
            graphics_hz: 60,
            seed: 1,
        }
    }
}

/// One page update: when it happened and which pages changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Simulated time since the start.
    pub at: Duration,
    /// The physics page was written (`packetId` +1).
    pub physics: bool,
    /// The graphics page was written (`packetId` +1).
    pub graphics: bool,
    /// The static page was (re)written.
    pub statics: bool,
}
