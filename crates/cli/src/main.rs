//! The `pitwall` binary: parses the command line, sets up logging and runs one command.
//! Everything else lives in the library crates; see ARCHITECTURE.md.

mod cli;
mod commands;
mod report;
mod secret;
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
            eprintln!("error: {}", report::chain(&e));
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr (coloured only on a terminal), or appended to `file` (a service has no console) when it can be opened.
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
        None => builder
            .with_ansi(colour(
                std::io::IsTerminal::is_terminal(&std::io::stderr()),
                std::env::var_os("NO_COLOR").as_deref(),
            ))
            .with_writer(std::io::stderr)
            .init(),
    }
}

/// Whether log lines on stderr get ANSI colours: only on a terminal, and not when
/// `NO_COLOR` is set to anything but the empty string (<https://no-color.org>). Logs
/// redirected to a file or a journal are plain text.
fn colour(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
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
