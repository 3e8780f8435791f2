//! One module per subcommand; [`run()`] dispatches. Shared helpers pick the live source
//! (`pitwall-tracker`'s, with its one poll interval, for every tracking command),
//! open the store (`store`), draw progress (`progress`) and run async commands
//! ([`block_on`]).

mod demo;
mod export;
mod import;
mod progress;
mod record;
mod replay;
mod run;
mod serve;
pub(crate) mod service;
mod settings;
mod simulate;
mod status;
mod store;
mod token;
mod tui;
mod watch;

use crate::cli::{Cli, Command, ShmArgs};
use pitwall_acc::Source;
use pitwall_acc::source::LiveOptions;
use std::path::PathBuf;

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Run(cli.run)) {
        Command::Run(args) => run::run(args),
        Command::Status(args) => status::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Record(args) => record::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Service(args) => service::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Token(args) => token::run(args),
        Command::Tui(args) => tui::run(args),
    }
}

/// Runs an async command to completion on a multi-threaded runtime of its own.
pub(crate) fn block_on<T>(
    command: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    runtime.block_on(command)
}

/// The page directory on Linux: `--shm-dir`, else /dev/shm.
pub(crate) fn shm_dir(args: &ShmArgs) -> PathBuf {
    pitwall_tracker::source::shm_dir(args.shm_dir.as_deref())
}

/// The game's pages polled at the tracker's one rate ([`pitwall_tracker::source::POLL`]):
/// what `run`, `serve`, the service and `watch` read.
pub(crate) fn tracker_source(args: &ShmArgs) -> Box<dyn Source> {
    pitwall_tracker::source::live(args.shm_dir.as_deref())
}

/// The game's pages polled at the reader's own default rate, so that `record` keeps every
/// page change.
pub(crate) fn live_source(args: &ShmArgs) -> Box<dyn Source> {
    pitwall_tracker::source::live_with(args.shm_dir.as_deref(), LiveOptions::default())
}
