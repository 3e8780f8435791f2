//! The `pitwall` binary: parses the command line, sets up logging and runs one command.
//! Everything else lives in the library crates; see ARCHITECTURE.md.

mod cli;
mod commands;
mod stop;
mod watch;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if !cli
        .command
        .as_ref()
        .is_some_and(cli::Command::takes_the_terminal)
    {
        init_tracing(cli.verbose, commands::service::log_file(&cli).as_deref());
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr, or appended to `file` (a service has no console) when it can be opened.
fn init_tracing(verbose: u8, file: Option<&std::path::Path>) {
    let default = match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PITWALL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    match file.and_then(open_log) {
        Some(log) => builder
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(log))
            .init(),
        None => builder.with_writer(std::io::stderr).init(),
    }
}

/// Opens a log file for appending, its directory created if needed; one over 10 MB is
/// first moved aside to `*.log.old` (replacing the previous one).
fn open_log(path: &std::path::Path) -> Option<std::fs::File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    if path.metadata().is_ok_and(|m| m.len() > 10 << 20) {
        let _ = std::fs::rename(path, path.with_extension("log.old"));
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .ok()
}
