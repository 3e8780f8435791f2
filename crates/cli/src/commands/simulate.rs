//! `pitwall simulate`: ACC-shaped pages from a scenario script or the endless drive, written
//! where the game would write them (named mappings on Windows, files in `--shm-dir`).

use crate::cli::SimulateArgs;
use crate::stop::Stop;
use anyhow::Context;
use pitwall_sim::{RunEnd, Scenario, SimOptions, Simulator};
use std::path::Path;

/// Loads a scenario script, naming the file in errors.
pub(crate) fn load_scenario(path: Option<&Path>, seed: u64) -> anyhow::Result<Scenario> {
    let Some(path) = path else {
        return Ok(Scenario::endless(seed));
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the scenario {}", path.display()))?;
    Scenario::parse(&text).with_context(|| format!("in the scenario {}", path.display()))
}

pub(crate) fn run(args: SimulateArgs) -> anyhow::Result<()> {
    let scenario = load_scenario(args.scenario.as_deref(), args.seed)?;
    let options = SimOptions {
        physics_hz: args.physics_hz,
        graphics_hz: args.graphics_hz,
        seed: args.seed,
    };
    anyhow::ensure!(
        (1..=10_000).contains(&options.physics_hz) && (1..=1_000).contains(&options.graphics_hz),
        "--physics-hz must be 1..=10000 and --graphics-hz 1..=1000"
    );
    let mut sink = native_sink(&args.shm)?;
    let stop = Stop::install()?;
    let endless = scenario.is_endless();
    let mut sim = Simulator::new(scenario, options);
    eprintln!(
        "simulating {} into {} at {}x (Ctrl-C to stop)",
        if endless {
            "an endless drive"
        } else {
            "the scenario"
        },
        sink.describe(),
        args.speed
    );
    match pitwall_sim::run(&mut sim, sink.as_mut(), args.speed, stop.flag())? {
        RunEnd::ScriptEnded => eprintln!("scenario ended; the pages keep their last values"),
        RunEnd::Stopped => eprintln!("stopped"),
    }
    let laps = sim.truth().laps().count();
    eprintln!("{laps} laps completed");
    Ok(())
}

/// The platform's sink: named mappings on Windows unless --shm-dir is given, files elsewhere.
pub(crate) fn native_sink(
    shm: &crate::cli::ShmArgs,
) -> anyhow::Result<Box<dyn pitwall_sim::sink::PageSink>> {
    let dir = super::shm_dir(shm);
    #[cfg(windows)]
    if shm.shm_dir.is_none() {
        return Ok(pitwall_sim::sink::native_sink(&dir)?);
    }
    if !dir.is_dir() {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the page directory {}", dir.display()))?;
    }
    Ok(Box::new(pitwall_sim::sink::FileSink::create(&dir)?))
}
