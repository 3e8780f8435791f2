//! `pitwall demo`: the simulator's endless drive (or a scenario) writing ACC pages to a
//! private directory, and `pitwall run`'s tracker reading them, storing laps (in a temporary
//! database unless --data-dir or --database-url is given) and serving the dashboard. A
//! newcomer opens the printed address and sees laps appear live, without the game.

use anyhow::Context;
use pitwall_sim::{SimOptions, Simulator};
use pitwall_store::{AnyStore, SqliteStore};

use crate::cli::DemoArgs;
use crate::stop::Stop;

pub(crate) fn run(args: DemoArgs) -> anyhow::Result<()> {
    let scenario = super::simulate::load_scenario(args.scenario.as_deref(), args.seed)?;
    let pages = private_dir("pitwall-demo-")?;
    let mut sink = pitwall_sim::sink::FileSink::create(pages.path())?;
    let stop = Stop::install()?;
    let sim_stop = stop.clone();
    let (speed, seed) = (args.speed, args.seed);
    let simulator = std::thread::Builder::new()
        .name("simulator".into())
        .spawn(move || {
            let options = SimOptions {
                seed,
                ..SimOptions::default()
            };
            let mut sim = Simulator::new(scenario, options);
            let result = pitwall_sim::run(&mut sim, &mut sink, speed, sim_stop.flag());
            if result.is_err() {
                sim_stop.request();
            }
            result
        })?;

    let temporary = (args.store.data_dir.is_none() && args.store.database_url.is_none())
        .then(|| {
            tempfile::Builder::new()
                .prefix("pitwall-demo-db-")
                .tempdir()
        })
        .transpose()
        .context("cannot create a temporary directory for the demo's database")?;
    let tracked = super::block_on(async {
        let store = match &temporary {
            Some(dir) => AnyStore::Sqlite(SqliteStore::open_in_dir(Some(dir.path())).await?),
            None => super::store::open_store(&args.store).await?,
        };
        let where_ = match &temporary {
            Some(_) => {
                "a temporary database (gone when the demo stops; --data-dir keeps it)".to_owned()
            }
            None => "the store given".to_owned(),
        };
        let announce = |bound| {
            println!(
                "pitwall demo: the simulator drives; laps are stored in {where_}.\n\
                 Open http://{}/ in a browser (Ctrl-C to stop).",
                display_addr(bound)
            );
        };
        let source = pitwall_tracker::record_if(
            pitwall_tracker::source::files(pages.path()),
            args.record.record.as_deref(),
        )?;
        super::run::tracker(store, source, args.listen.listen, None, &stop, &announce).await
    });
    stop.request();
    let simulated = simulator
        .join()
        .map_err(|_| anyhow::anyhow!("the simulator thread panicked"))?;
    tracked?;
    simulated?;
    Ok(())
}

/// A private directory for the pages: in /dev/shm when there is one (as a bridge would
/// write), never the directory a real bridge writes to.
fn private_dir(prefix: &str) -> anyhow::Result<tempfile::TempDir> {
    let base = std::path::Path::new("/dev/shm");
    let dir = if base.is_dir() {
        tempfile::Builder::new().prefix(prefix).tempdir_in(base)
    } else {
        tempfile::Builder::new().prefix(prefix).tempdir()
    };
    dir.context("cannot create a directory for the demo's pages")
}

/// The address to type in a browser (an unspecified address means this machine).
fn display_addr(addr: std::net::SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}
