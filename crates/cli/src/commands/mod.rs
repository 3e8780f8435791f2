//! One module per subcommand; [`run()`] dispatches. Shared helpers pick the live source,
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
mod tee;
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
    args.shm_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("/dev/shm"))
}

/// The game's pages: named mappings on Windows (unless --shm-dir is given), files elsewhere.
pub(crate) fn live_source(args: &ShmArgs) -> Box<dyn Source> {
    live_source_with(args, LiveOptions::default())
}

/// How often the tracker polls: about every HUD frame at ACC's usual 60 fps. The lap
/// detector takes lap times from the game and is exact at far lower rates (tested down to
/// 1 Hz); polling less often costs the game nothing.
pub(crate) const TRACKER_POLL: std::time::Duration = std::time::Duration::from_millis(15);

/// [`live_source`] with the given tuning.
pub(crate) fn live_source_with(args: &ShmArgs, options: LiveOptions) -> Box<dyn Source> {
    #[cfg(windows)]
    if args.shm_dir.is_none() {
        return Box::new(pitwall_acc::source::WindowsSource::new(options));
    }
    Box::new(pitwall_acc::source::FileSource::new(shm_dir(args), options))
}
