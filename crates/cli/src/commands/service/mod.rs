//! `pitwall service install|uninstall|start|stop|status`: pitwall's tracker (`pitwall run`)
//! in the background. On Linux a systemd *user* unit ([`systemd`]); on Windows a real
//! Windows service under the service control manager (`windows`), which starts
//! `pitwall.exe service run`. Both are installed with the flags given to `install`, made
//! explicit here ([`run_flags`]), because a service starts neither in the installing shell's
//! directory nor with its environment. See docs/service.md.

#[cfg(not(windows))]
mod systemd;
#[cfg(windows)]
mod windows;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::{Cli, Command, ServiceAction, ServiceArgs, ServiceInstallArgs};

#[cfg(not(windows))]
use systemd as platform;
#[cfg(windows)]
use windows as platform;

/// The service's name, for systemd (`pitwall.service`) and the Windows service manager.
pub(crate) const NAME: &str = "pitwall";

/// Runs a `pitwall service` action.
pub(crate) fn run(args: ServiceArgs) -> anyhow::Result<()> {
    match args.action {
        ServiceAction::Install(args) => platform::install(&args),
        ServiceAction::Uninstall => platform::uninstall(),
        ServiceAction::Start => platform::start(),
        ServiceAction::Stop => platform::stop(),
        ServiceAction::Status => platform::status(),
        ServiceAction::Run(args) => platform::run(args),
    }
}

/// The flags of `pitwall run` the service is installed with: those given to `install`
/// (`--upload` and `--token` included), paths made absolute (a service does not start in
/// the current directory), the listen address always, and the store always explicit: `--database-url` when given, else
/// `--data-dir`, by default `default_data_dir` (the installing user's: a service account's
/// own default would be another directory than the one `pitwall export` reads).
pub(crate) fn run_flags(
    args: &ServiceInstallArgs,
    default_data_dir: impl FnOnce() -> anyhow::Result<PathBuf>,
) -> anyhow::Result<Vec<OsString>> {
    let mut flags = Vec::new();
    if let Some(dir) = &args.shm.shm_dir {
        flags.push("--shm-dir".into());
        flags.push(absolute(dir)?.into_os_string());
    }
    if let Some(url) = &args.store.database_url {
        flags.push("--database-url".into());
        flags.push(url.into());
    } else {
        let dir = match &args.store.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir()?,
        };
        flags.push("--data-dir".into());
        flags.push(absolute(&dir)?.into_os_string());
    }
    flags.push("--listen".into());
    flags.push(args.listen.listen.to_string().into());
    if let (Some(url), Some(token)) = (&args.upload.upload, &args.upload.token) {
        flags.extend([
            "--upload".into(),
            url.into(),
            "--token".into(),
            token.into(),
        ]);
    }
    Ok(flags)
}

/// The data directory `pitwall run` would use for the installing user.
pub(crate) fn user_data_dir() -> anyhow::Result<PathBuf> {
    pitwall_store::default_data_dir()
        .context("cannot find your data directory: give the service one with --data-dir")
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot make {} absolute", path.display()))
}

/// Where `pitwall service run` logs (a Windows service has no console): `pitwall-service.log`
/// in its data directory, else in the temporary directory. `None` for every other command.
pub(crate) fn log_file(cli: &Cli) -> Option<PathBuf> {
    let Some(Command::Service(ServiceArgs {
        action: ServiceAction::Run(args),
    })) = &cli.command
    else {
        return None;
    };
    let dir = args
        .store
        .data_dir
        .clone()
        .unwrap_or_else(std::env::temp_dir);
    Some(dir.join("pitwall-service.log"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{ListenArgs, ShmArgs, StoreArgs, UploadArgs};

    fn install_args(
        shm_dir: Option<&str>,
        data_dir: Option<&str>,
        url: Option<&str>,
    ) -> ServiceInstallArgs {
        ServiceInstallArgs {
            shm: ShmArgs {
                shm_dir: shm_dir.map(PathBuf::from),
            },
            store: StoreArgs {
                data_dir: data_dir.map(PathBuf::from),
                database_url: url.map(str::to_owned),
            },
            listen: ListenArgs {
                listen: "0.0.0.0:8090".parse().unwrap(),
            },
            upload: UploadArgs {
                upload: None,
                token: None,
            },
            print: false,
        }
    }

    fn strings(flags: Vec<OsString>) -> Vec<String> {
        flags
            .into_iter()
            .map(|f| f.into_string().unwrap())
            .collect()
    }

    #[test]
    fn flags_are_explicit_with_absolute_paths() {
        let cwd = std::env::current_dir().unwrap();
        let flags = run_flags(&install_args(Some("pages"), Some("laps"), None), || {
            unreachable!("a data dir was given")
        })
        .unwrap();
        assert_eq!(
            strings(flags),
            [
                "--shm-dir",
                cwd.join("pages").to_str().unwrap(),
                "--data-dir",
                cwd.join("laps").to_str().unwrap(),
                "--listen",
                "0.0.0.0:8090",
            ]
        );
    }

    #[test]
    fn the_data_dir_defaults_to_the_installing_users() {
        let home = std::env::temp_dir().join("someone").join("pitwall");
        let flags = run_flags(&install_args(None, None, None), || Ok(home.clone())).unwrap();
        assert_eq!(
            strings(flags),
            [
                "--data-dir",
                home.to_str().unwrap(),
                "--listen",
                "0.0.0.0:8090"
            ]
        );
    }

    #[test]
    fn a_database_url_replaces_the_data_dir() {
        let url = "postgres://laps@db.example/pitwall";
        let flags = run_flags(&install_args(None, Some("ignored"), Some(url)), || {
            unreachable!("no data dir with a database URL")
        })
        .unwrap();
        assert_eq!(
            strings(flags),
            ["--database-url", url, "--listen", "0.0.0.0:8090"]
        );
    }

    #[test]
    fn uploads_go_on_with_their_token() {
        let mut args = install_args(None, Some("/laps"), None);
        args.upload = UploadArgs {
            upload: Some("https://laps.example.org".into()),
            token: Some("t0ken".into()),
        };
        let flags = strings(run_flags(&args, || unreachable!()).unwrap());
        assert_eq!(
            flags[flags.len() - 4..],
            ["--upload", "https://laps.example.org", "--token", "t0ken"]
        );
    }

    #[test]
    fn only_the_service_logs_to_a_file() {
        use clap::Parser;
        let cli = Cli::parse_from(["pitwall", "service", "run", "--data-dir", "/srv/laps"]);
        assert_eq!(
            log_file(&cli),
            Some(PathBuf::from("/srv/laps").join("pitwall-service.log"))
        );
        let cli = Cli::parse_from(["pitwall", "run", "--data-dir", "/srv/laps"]);
        assert_eq!(log_file(&cli), None);
    }
}
