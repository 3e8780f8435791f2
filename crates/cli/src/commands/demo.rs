//! `pitwall demo`: the simulator's endless drive on private pages and the live reader in one
//! process, printing the decoded state, so a newcomer sees pitwall work without the game.

use crate::cli::DemoArgs;
use crate::stop::Stop;
use crate::watch::WatchOptions;
use anyhow::Context;
use pitwall_acc::sim::{SimOptions, Simulator};
use pitwall_acc::source::{FileSource, LiveOptions};

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<()> {
    let scenario = super::simulate::load_scenario(args.scenario.as_deref(), args.seed)?;
    // Private pages: never the directory a real bridge writes to.
    let base = std::path::Path::new("/dev/shm");
    let dir = if base.is_dir() {
        tempfile::Builder::new()
            .prefix("pitwall-demo-")
            .tempdir_in(base)
    } else {
        tempfile::Builder::new().prefix("pitwall-demo-").tempdir()
    }
    .context("cannot create a directory for the demo's pages")?;
    let mut sink = pitwall_acc::sink::FileSink::create(dir.path())?;
    let stop = Stop::install()?;
    let sim_stop = stop.clone();
    let speed = args.speed;
    let simulator = std::thread::Builder::new()
        .name("simulator".into())
        .spawn(move || {
            let mut sim = Simulator::new(
                scenario,
                SimOptions {
                    seed: args.seed,
                    ..SimOptions::default()
                },
            );
            let result = pitwall_acc::sim::run(&mut sim, &mut sink, speed, sim_stop.flag());
            sim_stop.request();
            result
        })?;

    println!(
        "pitwall demo: simulator writing ACC pages to {}",
        dir.path().display()
    );
    println!("reading them back live; every completed lap shows the game's times. Ctrl-C to stop.");
    let mut source = FileSource::new(dir.path(), LiveOptions::default());
    let watched = crate::watch::watch(
        &mut source,
        &mut std::io::stdout().lock(),
        &|| stop.requested(),
        None,
        WatchOptions::default(),
    );
    stop.request();
    let simulated = simulator
        .join()
        .map_err(|_| anyhow::anyhow!("the simulator thread panicked"))?;
    simulated?;
    watched
}
