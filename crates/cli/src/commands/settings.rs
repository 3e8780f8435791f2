//! `pitwall serve`'s settings, layered: flags, then `PITWALL_*` variables (clap reads both,
//! flags first), then the `--config` TOML file, then the defaults. The file's keys mirror
//! the flags; unknown keys are refused so a typo does not silently do nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use pitwall_server::{ServerConfig, TrustProxy};
use serde::Deserialize;

use crate::cli::{ServeArgs, ShmArgs, StoreArgs};
use crate::secret::Secret;

/// The config file's contents: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    private_reads: Option<bool>,
    cors_origins: Option<Vec<String>>,
    rate_limit: Option<u32>,
    trust_proxy: Option<TrustProxyValue>,
    body_limit: Option<usize>,
    cache_ms: Option<u64>,
    max_connections: Option<usize>,
    header_timeout: Option<u64>,
    idle_timeout: Option<u64>,
    live_keepalive: Option<u64>,
    collect: Option<bool>,
    shm_dir: Option<PathBuf>,
}

/// `trust_proxy` in the file: `true`/`false`, a number of proxies, or the proxies'
/// addresses and networks (a list, or one string separated by commas).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TrustProxyValue {
    Bool(bool),
    Hops(u8),
    One(String),
    List(Vec<String>),
}

impl TrustProxyValue {
    fn resolve(self) -> anyhow::Result<TrustProxy> {
        let text = match self {
            TrustProxyValue::Bool(b) => b.to_string(),
            TrustProxyValue::Hops(n) => n.to_string(),
            TrustProxyValue::One(s) => s,
            TrustProxyValue::List(list) => list.join(","),
        };
        text.parse()
            .context("trust_proxy in the config file is invalid")
    }
}

/// Everything `pitwall serve` runs with.
#[derive(Debug)]
pub(crate) struct Settings {
    /// The server's configuration.
    pub(crate) server: ServerConfig,
    /// Where the store is.
    pub(crate) store: StoreArgs,
    /// Run the collector on this machine's game pages.
    pub(crate) collect: bool,
    /// Where the game's pages are.
    pub(crate) shm: ShmArgs,
}

/// The settings from the command line (and environment) over the config file.
pub(crate) fn resolve(args: ServeArgs) -> anyhow::Result<Settings> {
    let file = match &args.config {
        Some(path) => read(path)?,
        None => FileConfig::default(),
    };
    let defaults = ServerConfig::default();
    let cors_origins = if args.cors_origins.is_empty() {
        file.cors_origins.unwrap_or_default()
    } else {
        args.cors_origins
    };
    let server = ServerConfig {
        listen: match (args.listen, &file.listen) {
            (Some(listen), _) => listen,
            (None, Some(text)) => crate::cli::parse_listen(text)
                .map_err(|e| anyhow::anyhow!("listen in the config file: {e}"))?,
            (None, None) => defaults.listen,
        },
        private_reads: args
            .private_reads
            .or(file.private_reads)
            .unwrap_or(defaults.private_reads),
        cors_origins: split_origins(&cors_origins),
        rate_limit_per_minute: args
            .rate_limit
            .or(file.rate_limit)
            .unwrap_or(defaults.rate_limit_per_minute),
        trust_proxy: match (args.trust_proxy, file.trust_proxy) {
            (Some(flag), _) => flag,
            (None, Some(value)) => value.resolve()?,
            (None, None) => defaults.trust_proxy.clone(),
        },
        body_limit_bytes: args
            .body_limit
            .or(file.body_limit)
            .unwrap_or(defaults.body_limit_bytes),
        sessions_cache_ms: args
            .cache_ms
            .or(file.cache_ms)
            .unwrap_or(defaults.sessions_cache_ms),
        max_connections: args
            .max_connections
            .or(file.max_connections)
            .unwrap_or(defaults.max_connections),
        header_timeout: seconds(args.header_timeout.or(file.header_timeout))
            .unwrap_or(defaults.header_timeout),
        idle_timeout: seconds(args.idle_timeout.or(file.idle_timeout))
            .unwrap_or(defaults.idle_timeout),
        live_keepalive: seconds(args.live_keepalive.or(file.live_keepalive))
            .unwrap_or(defaults.live_keepalive),
    };
    server.check()?;
    Ok(Settings {
        server,
        store: StoreArgs {
            data_dir: args.store.data_dir.or(file.data_dir),
            database_url: args
                .store
                .database_url
                .or(file.database_url.map(Secret::new)),
            database_url_file: args.store.database_url_file,
        },
        collect: args.collect.or(file.collect).unwrap_or(true),
        shm: ShmArgs {
            shm_dir: args.shm.shm_dir.or(file.shm_dir),
        },
    })
}

fn seconds(value: Option<u64>) -> Option<Duration> {
    value.map(Duration::from_secs)
}

/// Reads and parses the config file.
fn read(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("the config file {} is invalid", path.display()))
}

/// Origins given as `a|b` or `a,b` (the original tracker used `|`), trimmed, empties dropped.
fn split_origins(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(['|', ',']))
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn serve_args(argv: &[&str]) -> ServeArgs {
        let mut full = vec!["pitwall", "serve"];
        full.extend_from_slice(argv);
        match crate::cli::Cli::parse_from(full).command {
            Some(crate::cli::Command::Serve(args)) => args,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pitwall.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nrate_limit = 5\ncors_origins = [\"https://a.example\"]\n\
             private_reads = true\ncollect = false\ndata_dir = \"/srv/pitwall\"\n",
        )
        .unwrap();
        let config = file.to_str().unwrap();
        let from_file = resolve(serve_args(&["--config", config])).unwrap();
        assert_eq!(from_file.server.listen, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(from_file.server.rate_limit_per_minute, 5);
        assert_eq!(from_file.server.cors_origins, ["https://a.example"]);
        assert!(from_file.server.private_reads);
        assert!(!from_file.collect);
        assert_eq!(
            from_file.store.data_dir,
            Some(PathBuf::from("/srv/pitwall"))
        );
        assert_eq!(from_file.server.body_limit_bytes, 1 << 20, "default");

        let flags = resolve(serve_args(&[
            "--config",
            config,
            "--listen",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            "--cors-origin",
            "https://b.example|https://c.example",
            "--cors-origin",
            "https://d.example",
            "--private-reads=false",
            "--collect",
        ]))
        .unwrap();
        assert_eq!(flags.server.listen, "127.0.0.1:0".parse().unwrap());
        assert_eq!(flags.server.rate_limit_per_minute, 0);
        assert_eq!(
            flags.server.cors_origins,
            [
                "https://b.example",
                "https://c.example",
                "https://d.example"
            ]
        );
        assert!(!flags.server.private_reads);
        assert!(flags.collect);
    }

    #[test]
    fn the_file_listen_takes_the_short_forms_too() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pitwall.toml");
        std::fs::write(&file, "listen = \"localhost:9001\"\n").unwrap();
        let settings = resolve(serve_args(&["--config", file.to_str().unwrap()])).unwrap();
        assert_eq!(settings.server.listen, "127.0.0.1:9001".parse().unwrap());
        std::fs::write(&file, "listen = \"nowhere\"\n").unwrap();
        let err = resolve(serve_args(&["--config", file.to_str().unwrap()])).unwrap_err();
        assert!(format!("{err:#}").contains("localhost:PORT"), "{err:#}");
    }

    #[test]
    fn defaults_without_a_file() {
        let settings = resolve(serve_args(&[])).unwrap();
        assert_eq!(settings.server.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(settings.server.rate_limit_per_minute, 100);
        assert!(settings.collect);
    }

    #[test]
    fn connection_limits_and_proxies_from_flags_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pitwall.toml");
        std::fs::write(
            &file,
            "trust_proxy = [\"10.0.0.0/8\", \"192.168.1.7\"]\nmax_connections = 100\n\
             header_timeout = 5\nidle_timeout = 30\nlive_keepalive = 20\n",
        )
        .unwrap();
        let config = file.to_str().unwrap();
        let from_file = resolve(serve_args(&["--config", config])).unwrap().server;
        assert_eq!(
            from_file.trust_proxy,
            "10.0.0.0/8,192.168.1.7".parse::<TrustProxy>().unwrap()
        );
        assert_eq!(from_file.max_connections, 100);
        assert_eq!(from_file.header_timeout, Duration::from_secs(5));
        assert_eq!(from_file.idle_timeout, Duration::from_secs(30));
        assert_eq!(from_file.live_keepalive, Duration::from_secs(20));

        let flags = resolve(serve_args(&[
            "--config",
            config,
            "--trust-proxy",
            "2",
            "--max-connections",
            "7",
            "--header-timeout",
            "1",
        ]))
        .unwrap()
        .server;
        assert_eq!(flags.trust_proxy, TrustProxy::Hops(2));
        assert_eq!(flags.max_connections, 7);
        assert_eq!(flags.header_timeout, Duration::from_secs(1));

        let bare = resolve(serve_args(&["--trust-proxy", "--rate-limit", "5"])).unwrap();
        assert_eq!(bare.server.trust_proxy, TrustProxy::Hops(1));
        let defaults = resolve(serve_args(&[])).unwrap().server;
        assert_eq!(defaults.trust_proxy, TrustProxy::Off);
        assert_eq!(defaults.max_connections, 512);
        assert_eq!(defaults.header_timeout, Duration::from_secs(10));

        std::fs::write(&file, "trust_proxy = true\n").unwrap();
        let on = resolve(serve_args(&["--config", config])).unwrap();
        assert_eq!(on.server.trust_proxy, TrustProxy::Hops(1));
        std::fs::write(&file, "trust_proxy = \"nginx\"\n").unwrap();
        let err = resolve(serve_args(&["--config", config])).unwrap_err();
        assert!(format!("{err:#}").contains("nginx"), "{err:#}");
        assert!(resolve(serve_args(&["--header-timeout", "0"])).is_err());
        assert!(resolve(serve_args(&["--max-connections", "0"])).is_err());
    }

    #[test]
    fn bad_files_and_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "listen_addr = \"0.0.0.0:1\"\n").unwrap();
        let err = resolve(serve_args(&["--config", file.to_str().unwrap()])).unwrap_err();
        assert!(format!("{err:#}").contains("listen_addr"), "{err:#}");
        let err = resolve(serve_args(&["--cors-origin", "laps.example"])).unwrap_err();
        assert!(format!("{err:#}").contains("laps.example"), "{err:#}");
    }
}
