//! `pitwall service install|uninstall|start|stop|status`: pitwall's tracker (`pitwall run`)
//! in the background. On Linux a systemd *user* unit ([`systemd`]); on Windows a real
//! Windows service under the service control manager (`windows`), which starts
//! `pitwall.exe service run`. Both are installed with the flags given to `install`, made
//! explicit here ([`run_plan`]), because a service starts neither in the installing shell's
//! directory nor with its environment. Secrets (an upload token, a database URL) never go
//! on the service's command line: they reach it through an owner-only file. See
//! docs/service.md.

#[cfg(not(windows))]
mod systemd;
#[cfg(windows)]
mod windows;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::{Cli, Command, ServiceAction, ServiceArgs, ServiceInstallArgs};
use crate::secret::Secret;

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

/// A secret the service needs (an upload token, a database URL), kept off its command
/// line: systemd reads it from an owner-only environment file, the Windows service from an
/// owner-only file passed by path.
#[derive(Debug)]
pub(crate) struct ServiceSecret {
    /// The variable `pitwall run` reads it from (`PITWALL_UPLOAD_TOKEN`); the systemd unit's
    /// environment file sets it (the Windows service passes a file instead).
    #[cfg_attr(windows, allow(dead_code))]
    pub(crate) env: &'static str,
    /// The flag that reads it from a file (`--token-file`).
    pub(crate) file_flag: &'static str,
    /// The file's name when pitwall writes one (Windows).
    pub(crate) file_name: &'static str,
    /// The value.
    pub(crate) value: Secret,
}

/// How the service runs `pitwall run`: its flags (no secret among them) and the secrets it
/// gets another way.
#[derive(Debug)]
pub(crate) struct RunPlan {
    /// The flags.
    pub(crate) flags: Vec<OsString>,
    /// The secrets.
    pub(crate) secrets: Vec<ServiceSecret>,
}

impl RunPlan {
    /// The flags with each secret written to an owner-only file in `dir` and passed by its
    /// path (`--token-file DIR/service-token`); `write` false only says where (`--print`).
    #[cfg_attr(not(windows), allow(dead_code))]
    pub(crate) fn flags_with_secret_files(
        &self,
        dir: &Path,
        write: bool,
    ) -> anyhow::Result<Vec<OsString>> {
        let mut flags = self.flags.clone();
        for secret in &self.secrets {
            let path = dir.join(secret.file_name);
            if write {
                write_private(&path, &format!("{}\n", secret.value.expose()))?;
            }
            flags.push(secret.file_flag.into());
            flags.push(path.into_os_string());
        }
        Ok(flags)
    }
}

/// The flags of `pitwall run` the service is installed with: those given to `install`,
/// paths made absolute (a service does not start in the current directory), the listen
/// address always, and the store always explicit: `--database-url` when given, else
/// `--data-dir`, by default `default_data_dir` (the installing user's: a service account's
/// own default would be another directory than the one `pitwall export` reads). A token or
/// database URL given as a value becomes a [`ServiceSecret`]; one given as a file stays a
/// file, passed by its absolute path.
pub(crate) fn run_plan(
    args: &ServiceInstallArgs,
    default_data_dir: impl FnOnce() -> anyhow::Result<PathBuf>,
) -> anyhow::Result<RunPlan> {
    let mut flags = Vec::new();
    let mut secrets = Vec::new();
    if let Some(dir) = &args.shm.shm_dir {
        flags.push("--shm-dir".into());
        flags.push(absolute(dir)?.into_os_string());
    }
    if let Some(file) = &args.store.database_url_file {
        // Read once now, so a wrong file fails the install rather than the service.
        crate::secret::read_file(file, "the database URL", "--database-url-file")?;
        flags.push("--database-url-file".into());
        flags.push(absolute(file)?.into_os_string());
    } else if let Some(url) = &args.store.database_url {
        secrets.push(ServiceSecret {
            env: "PITWALL_DATABASE_URL",
            file_flag: "--database-url-file",
            file_name: "service-database-url",
            value: url.clone(),
        });
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
    if let Some(url) = &args.upload.upload {
        flags.extend(["--upload".into(), url.into()]);
        if let Some(file) = &args.upload.token_file {
            crate::secret::read_file(file, "the upload token", "--token-file")?;
            flags.push("--token-file".into());
            flags.push(absolute(file)?.into_os_string());
        } else if let Some(token) = &args.upload.token {
            secrets.push(ServiceSecret {
                env: "PITWALL_UPLOAD_TOKEN",
                file_flag: "--token-file",
                file_name: "service-token",
                value: token.clone(),
            });
        } else {
            anyhow::bail!(
                "--upload needs a token: --token-file FILE, or PITWALL_UPLOAD_TOKEN in this \
                 shell (the service keeps it in an owner-only file)"
            );
        }
    }
    Ok(RunPlan { flags, secrets })
}

/// Writes `text` to `path`, readable and writable by its owner only (on Unix, mode 0600,
/// also when the file existed; on Windows the file takes its directory's access list —
/// under the user's profile, that user, SYSTEM and administrators).
pub(crate) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        file.write_all(text.as_bytes())
    };
    write().with_context(|| format!("cannot write {}", path.display()))
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
                database_url: url.map(Secret::new),
                database_url_file: None,
            },
            listen: ListenArgs {
                listen: "0.0.0.0:8090".parse().unwrap(),
            },
            upload: UploadArgs {
                upload: None,
                token: None,
                token_file: None,
            },
            print: false,
        }
    }

    fn run_flags(
        args: &ServiceInstallArgs,
        default_data_dir: impl FnOnce() -> anyhow::Result<PathBuf>,
    ) -> anyhow::Result<Vec<OsString>> {
        run_plan(args, default_data_dir).map(|plan| plan.flags)
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
    fn a_database_url_replaces_the_data_dir_and_stays_off_the_flags() {
        let url = "postgres://laps:s3cret@db.example/pitwall";
        let plan = run_plan(&install_args(None, Some("ignored"), Some(url)), || {
            unreachable!("no data dir with a database URL")
        })
        .unwrap();
        assert_eq!(strings(plan.flags), ["--listen", "0.0.0.0:8090"]);
        assert_eq!(plan.secrets.len(), 1);
        assert_eq!(plan.secrets[0].env, "PITWALL_DATABASE_URL");
        assert_eq!(plan.secrets[0].value.expose(), url);
    }

    #[test]
    fn uploads_go_on_with_their_token_kept_off_the_flags() {
        let mut args = install_args(None, Some("/laps"), None);
        args.upload = UploadArgs {
            upload: Some("https://laps.example.org".into()),
            token: Some(Secret::new("t0ken")),
            token_file: None,
        };
        let plan = run_plan(&args, || unreachable!()).unwrap();
        let flags = strings(plan.flags);
        assert_eq!(
            flags[flags.len() - 2..],
            ["--upload", "https://laps.example.org"]
        );
        assert!(!flags.iter().any(|f| f.contains("t0ken")), "{flags:?}");
        assert_eq!(plan.secrets[0].env, "PITWALL_UPLOAD_TOKEN");
        assert_eq!(plan.secrets[0].value.expose(), "t0ken");
        assert!(!format!("{:?}", plan.secrets).contains("t0ken"));
    }

    #[test]
    fn a_token_file_is_passed_by_its_absolute_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "t0ken\n").unwrap();
        let mut args = install_args(None, Some("/laps"), None);
        args.upload = UploadArgs {
            upload: Some("https://laps.example.org".into()),
            token: None,
            token_file: Some(file.clone()),
        };
        let plan = run_plan(&args, || unreachable!()).unwrap();
        let flags = strings(plan.flags);
        assert_eq!(
            flags[flags.len() - 2..],
            ["--token-file", file.to_str().unwrap()]
        );
        assert!(plan.secrets.is_empty());
        args.upload.token_file = None;
        let err = run_plan(&args, || unreachable!()).unwrap_err();
        assert!(format!("{err:#}").contains("--token-file"), "{err:#}");
    }

    #[test]
    fn secret_files_are_owner_only_and_passed_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut args = install_args(None, None, Some("postgres://me:pw@db/laps"));
        args.upload = UploadArgs {
            upload: Some("https://laps.example.org".into()),
            token: Some(Secret::new("t0ken")),
            token_file: None,
        };
        let plan = run_plan(&args, || unreachable!()).unwrap();
        let flags = strings(plan.flags_with_secret_files(dir.path(), true).unwrap());
        let token = dir.path().join("service-token");
        let url = dir.path().join("service-database-url");
        assert!(
            flags.ends_with(&[
                "--database-url-file".to_owned(),
                url.to_str().unwrap().to_owned(),
                "--token-file".to_owned(),
                token.to_str().unwrap().to_owned(),
            ]),
            "{flags:?}"
        );
        assert_eq!(std::fs::read_to_string(&token).unwrap(), "t0ken\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&token).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
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
