//! One module per subcommand; [`run`] dispatches. Shared helpers pick the live source.

mod demo;
mod record;
mod replay;
mod simulate;
mod watch;

use crate::cli::{Cli, Command, ShmArgs};
use pitwall_acc::Source;
use pitwall_acc::source::LiveOptions;
use std::path::PathBuf;

/// Runs the chosen subcommand.
pub(crate) fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Record(args) => record::run(args),
        Command::Replay(args) => replay::run(args),
    }
}

/// The page directory on Linux: `--shm-dir`, else /dev/shm.
pub(crate) fn shm_dir(args: &ShmArgs) -> PathBuf {
    args.shm_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("/dev/shm"))
}

/// The game's pages: named mappings on Windows (unless --shm-dir is given), files elsewhere.
pub(crate) fn live_source(args: &ShmArgs) -> Box<dyn Source> {
    #[cfg(windows)]
    if args.shm_dir.is_none() {
        return Box::new(pitwall_acc::source::WindowsSource::new(
            LiveOptions::default(),
        ));
    }
    Box::new(pitwall_acc::source::FileSource::new(
        shm_dir(args),
        LiveOptions::default(),
    ))
}
