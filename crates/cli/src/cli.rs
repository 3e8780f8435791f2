//! The command line: subcommands and the flags they share (each with a `PITWALL_*` twin).
#![allow(
    rustdoc::broken_intra_doc_links,
    rustdoc::bare_urls,
    reason = "the doc comments here are clap's --help text, read as plain text, not Markdown"
)]

use clap::{Args, Parser, Subcommand, ValueEnum};
use pitwall_acc::enums::SessionType;
use pitwall_store::export;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::secret::{self, Secret};

/// Lap-time tracker for Assetto Corsa Competizione.
#[derive(Debug, Parser)]
#[command(
    name = "pitwall",
    version,
    about,
    propagate_version = true,
    args_conflicts_with_subcommands = true
)]
pub(crate) struct Cli {
    /// More log output (-v debug, -vv trace); PITWALL_LOG takes a full filter.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,

    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// Without a subcommand, pitwall runs (`pitwall run`) with these flags.
    #[command(flatten)]
    pub(crate) run: RunArgs,
}

/// Where the server listens.
#[derive(Debug, Args, Clone)]
pub(crate) struct ListenArgs {
    /// Address and port of the dashboard, API and live feed: 127.0.0.1:8080,
    /// localhost:8080, [::1]:8080, 0.0.0.0:8080 or a bare port (8080 = 127.0.0.1:8080); port
    /// 0 picks a free one.
    #[arg(
        long,
        env = "PITWALL_LISTEN",
        value_name = "ADDR:PORT",
        default_value = "127.0.0.1:8080",
        value_parser = parse_listen
    )]
    pub(crate) listen: std::net::SocketAddr,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) listen: ListenArgs,
    #[command(flatten)]
    pub(crate) upload: UploadArgs,
    #[command(flatten)]
    pub(crate) record: RecordFlag,
}

/// Sending laps to a hosted `pitwall serve`.
#[derive(Debug, Args, Clone)]
pub(crate) struct UploadArgs {
    /// Also send every session and lap to this pitwall server (e.g. https://laps.example.org);
    /// what is not yet acknowledged waits in the local store, across restarts.
    /// Needs a token: --token-file or PITWALL_UPLOAD_TOKEN.
    #[arg(long, env = "PITWALL_UPLOAD_URL", value_name = "URL")]
    pub(crate) upload: Option<String>,
    /// The upload token (`pitwall token create --driver NAME` on the server). Prefer
    /// --token-file or PITWALL_UPLOAD_TOKEN: every local user can read a flag's value.
    #[arg(
        long,
        env = "PITWALL_UPLOAD_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        requires = "upload"
    )]
    pub(crate) token: Option<Secret>,
    /// Read the upload token from this file (keep it `chmod 600`).
    #[arg(
        long,
        env = "PITWALL_UPLOAD_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "token",
        requires = "upload"
    )]
    pub(crate) token_file: Option<PathBuf>,
}

impl UploadArgs {
    /// The token, from --token-file, PITWALL_UPLOAD_TOKEN or --token.
    pub(crate) fn token(&self) -> anyhow::Result<Option<Secret>> {
        secret::from_file_or_value(
            self.token_file.as_deref(),
            self.token.as_ref(),
            "the upload token",
            "--token-file",
        )
    }
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

/// `--record FILE` of the commands that track laps.
#[derive(Debug, Args, Clone)]
pub(crate) struct RecordFlag {
    /// Also write everything read into a recording (pitwall's format), e.g. to attach to a
    /// bug report; closed cleanly on Ctrl-C. Play it with `pitwall replay FILE`.
    #[arg(long, value_name = "FILE")]
    pub(crate) record: Option<PathBuf>,
}

/// Where the shared-memory pages are.
#[derive(Debug, Args, Clone)]
pub(crate) struct ShmArgs {
    /// Directory of the ACC page files acpmf_physics|graphics|static, as the Linux/Proton
    /// bridges write them [default: /dev/shm]. On Windows the game's named mappings are used
    /// unless this is given.
    #[arg(long, env = "PITWALL_SHM_DIR", value_name = "DIR")]
    pub(crate) shm_dir: Option<PathBuf>,
}

/// Where the store is: a SQLite file in a data directory, or a database URL.
#[derive(Debug, Args, Clone)]
pub(crate) struct StoreArgs {
    /// Directory of the SQLite database (pitwall.db), created if needed [default: the
    /// user's data directory, e.g. ~/.local/share/pitwall].
    #[arg(long, env = "PITWALL_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Database URL instead of --data-dir: postgres://user@host/db or postgresql://…
    /// selects PostgreSQL (TLS by ?sslmode=require, verify-ca or verify-full, with
    /// sslrootcert=FILE), sqlite:PATH or a path a SQLite file. Wins over --data-dir. A
    /// password here is visible to every local user: prefer PITWALL_DATABASE_URL or
    /// --database-url-file.
    #[arg(
        long,
        env = "PITWALL_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub(crate) database_url: Option<Secret>,
    /// Read the database URL from this file (keep it `chmod 600`).
    #[arg(
        long,
        env = "PITWALL_DATABASE_URL_FILE",
        value_name = "FILE",
        conflicts_with = "database_url"
    )]
    pub(crate) database_url_file: Option<PathBuf>,
}

impl StoreArgs {
    /// The database URL, from --database-url-file, PITWALL_DATABASE_URL or --database-url.
    pub(crate) fn database_url(&self) -> anyhow::Result<Option<Secret>> {
        secret::from_file_or_value(
            self.database_url_file.as_deref(),
            self.database_url.as_ref(),
            "the database URL",
            "--database-url-file",
        )
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Track laps live: wait for ACC, store every lap, serve the dashboard (the default).
    Run(RunArgs),
    /// The simulator driving `pitwall run` in one process: laps appear live in the browser.
    Demo(DemoArgs),
    /// Write ACC-shaped pages from a scenario script (or drive around endlessly).
    Simulate(SimulateArgs),
    /// Show the decoded live state of the game's pages.
    Watch(WatchArgs),
    /// Record every page change to a file (pitwall's compressed format).
    Record(RecordArgs),
    /// Play a recording back: show its decoded state, or publish it as live pages.
    Replay(ReplayArgs),
    /// What is stored, and what waits for upload.
    Status(StatusArgs),
    /// Export stored sessions and laps: pitwall's JSON (lossless, importable) or CSV.
    Export(ExportArgs),
    /// Import a JSON export into the store (sessions already stored are left as they are).
    Import(ImportArgs),
    /// Run pitwall in the background: a systemd user service (Linux) or a Windows service.
    Service(ServiceArgs),
    /// Serve the dashboard, the JSON API and live timing (and collect laps from the game).
    Serve(ServeArgs),
    /// Create or revoke API tokens (for uploads to `POST /api/ingest`, private reads).
    Token(TokenArgs),
    /// Terminal UI: live timing from a running `pitwall run`, and the stored history.
    Tui(TuiArgs),
}

impl Command {
    /// Whether the command takes over the terminal (log lines on stderr would garble it).
    pub(crate) fn takes_the_terminal(&self) -> bool {
        matches!(self, Command::Tui(_))
    }
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Simulation speed (1 = real time).
    #[arg(long, default_value_t = 1.0)]
    pub(crate) speed: f64,
    /// Seed of the endless drive.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Scenario script to drive instead of the endless drive.
    #[arg(long, value_name = "FILE")]
    pub(crate) scenario: Option<PathBuf>,
    /// Keep the demo's laps: store them here instead of in a temporary database.
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) listen: ListenArgs,
    #[command(flatten)]
    pub(crate) record: RecordFlag,
}

#[derive(Debug, Args)]
pub(crate) struct SimulateArgs {
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
    /// Scenario script (see docs/scenarios.md); without it, drive around endlessly.
    #[arg(long, value_name = "FILE")]
    pub(crate) scenario: Option<PathBuf>,
    /// Simulation speed (1 = real time, 10 = ten times faster).
    #[arg(long, default_value_t = 1.0)]
    pub(crate) speed: f64,
    /// Seed for the endless drive and the simulated noise.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Physics page updates per second.
    #[arg(long, default_value_t = 400)]
    pub(crate) physics_hz: u32,
    /// Graphics page updates per second.
    #[arg(long, default_value_t = 60)]
    pub(crate) graphics_hz: u32,
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
    /// Print one line with the current decoded state and exit; until the game's pages are
    /// live it says on stderr what it waits for, and gives up after --timeout.
    #[arg(long)]
    pub(crate) once: bool,
    /// With --once: print JSON instead of text.
    #[arg(long, requires = "once")]
    pub(crate) json: bool,
    /// Give up after this many seconds; 0 = never [default: 30 with --once, else never].
    #[arg(long, value_name = "SECONDS")]
    pub(crate) timeout: Option<f64>,
    /// Also print a line of raw decoded page state whenever it changes.
    #[arg(long)]
    pub(crate) raw: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
    /// The recording to write.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Stop after this many seconds (default: until Ctrl-C).
    #[arg(long)]
    pub(crate) duration: Option<f64>,
    /// Keep the physics page at most this many times a second (e.g. 100 for a file about
    /// a third the size); 0 keeps every change. Graphics and static: always every change.
    #[arg(long, default_value_t = 0)]
    pub(crate) physics_hz: u32,
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// The recording to play.
    pub(crate) file: PathBuf,
    /// As fast as possible instead of real time.
    #[arg(long, conflicts_with = "speed")]
    pub(crate) fast: bool,
    /// Playback speed (1 = real time).
    #[arg(long)]
    pub(crate) speed: Option<f64>,
    /// Publish the pages (files in --shm-dir, or named mappings on Windows) for a tracker
    /// to read, instead of printing the laps.
    #[arg(long)]
    pub(crate) publish: bool,
    /// Also print a line of raw decoded page state whenever it changes.
    #[arg(long)]
    pub(crate) raw: bool,
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Pitwall's JSON export: every field, importable.
    Json,
    /// One row per lap, for spreadsheets.
    Csv,
}

impl From<FormatArg> for export::ExportFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Json => export::ExportFormat::Json,
            FormatArg::Csv => export::ExportFormat::Csv,
        }
    }
}

/// Which sessions to export (a session is exported whole).
#[derive(Debug, Args, Clone)]
pub(crate) struct FilterArgs {
    /// Only sessions on this track (Kunos id, e.g. monza).
    #[arg(long)]
    pub(crate) track: Option<String>,
    /// Only sessions in this car (Kunos model id).
    #[arg(long)]
    pub(crate) car: Option<String>,
    /// Only sessions of this driver.
    #[arg(long)]
    pub(crate) driver: Option<String>,
    /// Only sessions of this type: practice, qualify, race, hotlap, timeattack, hotstint, …
    /// (any case) or ACC's number.
    #[arg(long, value_name = "TYPE", value_parser = export::parse_session_type)]
    pub(crate) session_type: Option<SessionType>,
    /// Only sessions started on or after this date (YYYY-MM-DD, UTC) or time (ms).
    #[arg(long, value_name = "DATE|MS", value_parser = export::parse_from)]
    pub(crate) from: Option<u64>,
    /// Only sessions started before this time (ms) or up to the end of this date
    /// (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE|MS", value_parser = export::parse_to)]
    pub(crate) to: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    pub(crate) format: FormatArg,
    /// The file to write (replaced only once the export is complete) [default: stdout].
    #[arg(long, short, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The JSON export to import (- for stdin).
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ServiceArgs {
    #[command(subcommand)]
    pub(crate) action: ServiceAction,
}

/// What to do with the background service (see docs/service.md).
#[derive(Debug, Subcommand)]
pub(crate) enum ServiceAction {
    /// Install the service running `pitwall run` with these flags, and start it; from then
    /// on it starts by itself (Linux: at login, or at boot with lingering; Windows: at boot).
    Install(ServiceInstallArgs),
    /// Stop the service and remove it.
    Uninstall,
    /// Start the installed service.
    Start,
    /// Stop the service (it starts again at the next boot or login).
    Stop,
    /// Say whether the service is installed and running.
    Status,
    /// What the Windows service control manager starts: `pitwall run` as a Windows service.
    #[command(hide = true)]
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ServiceInstallArgs {
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
    /// The store: given explicitly to the service, --data-dir defaulting to this user's data
    /// directory (a service account's own would be elsewhere).
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) listen: ListenArgs,
    #[command(flatten)]
    pub(crate) upload: UploadArgs,
    /// Only print what would be installed (the systemd unit, or the Windows service's
    /// command line); change nothing.
    #[arg(long)]
    pub(crate) print: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// TOML config file; its keys mirror the flags (listen, data_dir, database_url,
    /// private_reads, cors_origins, rate_limit, trust_proxy, body_limit, cache_ms,
    /// max_connections, header_timeout, idle_timeout, live_keepalive, collect, shm_dir).
    /// Flags and PITWALL_* variables win over it.
    #[arg(long, env = "PITWALL_CONFIG", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080]; port 0 picks a free port (the
    /// start line says which).
    #[arg(long, env = "PITWALL_LISTEN", value_name = "ADDR:PORT", value_parser = parse_listen)]
    pub(crate) listen: Option<SocketAddr>,
    /// Reads need a token too (`Authorization: Bearer`), not only uploads [default: false].
    #[arg(long, env = "PITWALL_PRIVATE_READS", value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub(crate) private_reads: Option<bool>,
    /// An origin whose pages may call the API from a browser (https://laps.example), or *
    /// for any; repeat it, or separate origins with , or | [default: none, same-origin only].
    #[arg(
        long = "cors-origin",
        env = "PITWALL_CORS_ORIGINS",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub(crate) cors_origins: Vec<String>,
    /// Requests a minute per client address; 0 turns the limit off [default: 100].
    #[arg(long, env = "PITWALL_RATE_LIMIT", value_name = "N")]
    pub(crate) rate_limit: Option<u32>,
    /// Behind reverse proxies: take the client address from X-Forwarded-For, the rightmost
    /// entry the proxies did not add. Give the number of proxies in front (bare flag or
    /// true: 1, one nginx), or their addresses and networks separated by commas
    /// (10.0.0.2,192.168.0.0/16: only requests from them are believed) [default: false].
    #[arg(long, env = "PITWALL_TRUST_PROXY", value_name = "HOPS|PROXIES", num_args = 0..=1,
          default_missing_value = "1")]
    pub(crate) trust_proxy: Option<pitwall_server::TrustProxy>,
    /// The largest request body accepted, in bytes [default: 1048576].
    #[arg(long, env = "PITWALL_BODY_LIMIT", value_name = "BYTES")]
    pub(crate) body_limit: Option<usize>,
    /// How long (ms) the serialized /api/sessions answer may be reused while this server
    /// stores nothing; writes by other processes sharing the database show within it
    /// [default: 1000; 0: never reuse].
    #[arg(long, env = "PITWALL_CACHE_MS", value_name = "MS")]
    pub(crate) cache_ms: Option<u64>,
    /// Connections open at once; past it a new one replaces the one idle the longest
    /// (lowered to fit the descriptor limit, ulimit -n) [default: 512].
    #[arg(long, env = "PITWALL_MAX_CONNECTIONS", value_name = "N")]
    pub(crate) max_connections: Option<usize>,
    /// Seconds a client has to send a request's headers (a new connection's first request
    /// counts from the connection) before it is closed [default: 10].
    #[arg(long, env = "PITWALL_HEADER_TIMEOUT", value_name = "SECS")]
    pub(crate) header_timeout: Option<u64>,
    /// Seconds a keep-alive connection may wait for its next request [default: 60].
    #[arg(long, env = "PITWALL_IDLE_TIMEOUT", value_name = "SECS")]
    pub(crate) idle_timeout: Option<u64>,
    /// Seconds between keep-alive comments on an idle /api/live stream [default: 15].
    #[arg(long, env = "PITWALL_LIVE_KEEPALIVE", value_name = "SECS")]
    pub(crate) live_keepalive: Option<u64>,
    /// Collect laps from the game's pages on this machine [default: true]; false for a
    /// server that only receives uploads.
    #[arg(long, env = "PITWALL_COLLECT", value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", value_parser = clap::builder::BoolishValueParser::new())]
    pub(crate) collect: Option<bool>,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) shm: ShmArgs,
}

#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    #[command(subcommand)]
    pub(crate) command: TokenCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Create a token bound to a driver and print it (once: only its hash is stored).
    Create(TokenCreateArgs),
    /// Revoke a token: it is refused from now on.
    Revoke(TokenRevokeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct TokenCreateArgs {
    /// The driver whose data the token may upload (as the game names them).
    #[arg(long, value_name = "NAME")]
    pub(crate) driver: String,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

#[derive(Debug, Args)]
pub(crate) struct TokenRevokeArgs {
    /// The token (pw_…), or - to read it from stdin (keeps it out of the shell history).
    #[arg(value_name = "TOKEN")]
    pub(crate) token: String,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

#[derive(Debug, Args)]
pub(crate) struct TuiArgs {
    /// The `pitwall run` to follow live: its address, as http://HOST:PORT (https:// works
    /// too).
    #[arg(
        long,
        env = "PITWALL_LIVE_URL",
        value_name = "URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub(crate) live: String,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
}

/// A listen address: `ADDR:PORT` (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8080`),
/// `localhost:PORT` (127.0.0.1), or a bare port (127.0.0.1:PORT).
pub(crate) fn parse_listen(text: &str) -> Result<SocketAddr, String> {
    let text = text.trim();
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let bad = || {
        format!(
            "{text:?} is not an address to listen on: give ADDR:PORT (127.0.0.1:8080, \
             [::1]:8080, 0.0.0.0:8080), localhost:PORT, or a port (8080)"
        )
    };
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_takes_addresses_localhost_and_a_bare_port() {
        let ok = |s: &str| parse_listen(s).unwrap().to_string();
        assert_eq!(ok("127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(ok("localhost:8080"), "127.0.0.1:8080");
        assert_eq!(ok("LocalHost:9000"), "127.0.0.1:9000");
        assert_eq!(ok("[::1]:8080"), "[::1]:8080");
        assert_eq!(ok("8080"), "127.0.0.1:8080");
        assert_eq!(ok("0"), "127.0.0.1:0");
        assert_eq!(ok("0.0.0.0:80"), "0.0.0.0:80");
        for bad in [
            "",
            "localhost",
            "example.org:80",
            "70000",
            "localhost:http",
            "1.2.3:4",
        ] {
            let err = parse_listen(bad).unwrap_err();
            assert!(err.contains("localhost:PORT"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_listen_flag_accepts_the_short_forms() {
        let cli = Cli::parse_from(["pitwall", "run", "--listen", "localhost:8099"]);
        let Some(Command::Run(args)) = cli.command else {
            panic!("not run")
        };
        assert_eq!(args.listen.listen.to_string(), "127.0.0.1:8099");
        let cli = Cli::parse_from(["pitwall", "serve", "--listen", "8098"]);
        let Some(Command::Serve(args)) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(args.listen.unwrap().to_string(), "127.0.0.1:8098");
    }

    #[test]
    fn debug_of_the_flags_shows_no_token_or_database_url() {
        let cli = Cli::parse_from([
            "pitwall",
            "run",
            "--upload",
            "https://laps.example.org",
            "--token",
            "pw_hunter2",
            "--database-url",
            "postgres://me:s3cret@db/laps",
        ]);
        let text = format!("{cli:?}");
        assert!(
            !text.contains("hunter2") && !text.contains("s3cret"),
            "{text}"
        );
    }
}
