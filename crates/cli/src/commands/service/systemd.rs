//! The service on Linux: a systemd *user* unit, `~/.config/systemd/user/pitwall.service`
//! (under `$XDG_CONFIG_HOME` when set), running this executable's `pitwall run` with the
//! install's flags and restarting it when it fails. `install` writes the unit and enables
//! and starts it with `systemctl --user`; without systemctl it prints the commands to run.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use super::NAME;
use crate::cli::{RunArgs, ServiceInstallArgs};

/// The unit's file name.
const UNIT: &str = "pitwall.service";

pub(super) fn install(args: &ServiceInstallArgs) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find pitwall's own executable")?;
    let plan = super::run_plan(args, super::user_data_dir)?;
    let env_path = env_path()?;
    let env_file = (!plan.secrets.is_empty()).then_some(env_path.as_path());
    let text = unit_text(&exe, &plan.flags, env_file)?;
    let env_text = env_text(&plan.secrets)?;
    if args.print {
        print!("{text}");
        if env_file.is_some() {
            let names: Vec<&str> = plan.secrets.iter().map(|s| s.env).collect();
            println!(
                "# {} (owner-only, not printed) would hold {}",
                env_path.display(),
                names.join(", ")
            );
        }
        return Ok(());
    }
    let path = unit_path()?;
    let replaced = path.exists();
    if env_file.is_some() {
        super::write_private(&env_path, &env_text)?;
        println!("wrote {} (readable by you only)", env_path.display());
    } else {
        remove_if_there(&env_path)?;
    }
    super::write_private(&path, &text)?;
    println!("wrote {}", path.display());
    let mut commands: Vec<&[&str]> = vec![&["daemon-reload"], &["enable", "--now", UNIT]];
    if replaced {
        // A running service keeps its old flags until restarted.
        commands.push(&["restart", UNIT]);
    }
    systemctl_or_print(&commands, "to start pitwall now and at every login, run")?;
    println!(
        "pitwall runs in the background: dashboard at http://{}/ (logs: journalctl --user -u {NAME})",
        args.listen.listen
    );
    Ok(())
}

pub(super) fn uninstall() -> anyhow::Result<()> {
    let path = unit_path()?;
    if !path.exists() {
        println!(
            "pitwall is not installed as a service (no {})",
            path.display()
        );
        return Ok(());
    }
    if let Some(systemctl) = find_program("systemctl") {
        // Stop it while systemd still knows the unit; go on if it was never loaded.
        if let Err(e) = systemctl_run(&systemctl, &["disable", "--now", UNIT]) {
            eprintln!("warning: {e:#}");
        }
    }
    std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
    println!("removed {}", path.display());
    remove_if_there(&env_path()?)?;
    match find_program("systemctl") {
        Some(systemctl) => systemctl_run(&systemctl, &["daemon-reload"]),
        None => {
            print_commands(
                &[&["disable", "--now", UNIT], &["daemon-reload"]],
                "if it is still running, stop it with",
            );
            Ok(())
        }
    }
}

pub(super) fn start() -> anyhow::Result<()> {
    installed()?;
    systemctl_run(&need_systemctl()?, &["start", UNIT])
}

pub(super) fn stop() -> anyhow::Result<()> {
    installed()?;
    systemctl_run(&need_systemctl()?, &["stop", UNIT])
}

pub(super) fn status() -> anyhow::Result<()> {
    let path = unit_path()?;
    if !path.exists() {
        println!(
            "pitwall is not installed as a service (no {})",
            path.display()
        );
        return Ok(());
    }
    println!("installed: {}", path.display());
    let systemctl = need_systemctl()?;
    // `status` exits 3 for a unit that is not running: that is an answer, not an error.
    let status = Command::new(&systemctl)
        .args(["--user", "status", "--no-pager", UNIT])
        .status()
        .with_context(|| format!("cannot run {}", systemctl.display()))?;
    match status.code() {
        Some(0 | 3) => Ok(()),
        _ => bail!("systemctl --user status {UNIT} failed ({status})"),
    }
}

pub(super) fn run(_args: RunArgs) -> anyhow::Result<()> {
    bail!(
        "`pitwall service run` is what the Windows service manager starts; on Linux the \
         service runs `pitwall run` (see `pitwall service install --print`)"
    )
}

/// The unit: `pitwall run` with `flags`, restarted when it fails, started with the user's
/// systemd instance (at login, or at boot with `loginctl enable-linger`); its secrets in the
/// environment from `env_file` when there are any.
pub(super) fn unit_text(
    exe: &Path,
    flags: &[OsString],
    env_file: Option<&Path>,
) -> anyhow::Result<String> {
    let mut exec = vec![quote(exe.as_os_str())?, "run".to_owned()];
    for flag in flags {
        exec.push(quote(flag)?);
    }
    let environment = match env_file {
        Some(path) => format!("EnvironmentFile={}\n", specifier_safe(path)?),
        None => String::new(),
    };
    Ok(format!(
        "# Written by `pitwall service install`; `pitwall service uninstall` removes it.\n\
         # See docs/service.md in pitwall's repository.\n\
         [Unit]\n\
         Description=pitwall: lap-time tracker for Assetto Corsa Competizione\n\
         \n\
         [Service]\n\
         Type=simple\n\
         {environment}\
         ExecStart={}\n\
         Restart=on-failure\n\
         RestartSec=5s\n\
         \n\
         [Install]\n\
         WantedBy=default.target\n",
        exec.join(" ")
    ))
}

/// One word of `ExecStart=`: bare when it is plain, else double-quoted with `\` and `"`
/// escaped; `%` (specifiers) and `$` (variables) are doubled, as systemd expands both.
fn quote(word: &std::ffi::OsStr) -> anyhow::Result<String> {
    let Some(word) = word.to_str() else {
        bail!("{word:?} is not valid UTF-8, which a systemd unit needs");
    };
    if word.chars().any(char::is_control) {
        bail!("{word:?} contains a control character, which a systemd unit cannot hold");
    }
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%$".contains(c));
    let escaped = word.replace('%', "%%").replace('$', "$$");
    if plain {
        return Ok(escaped);
    }
    Ok(format!(
        "\"{}\"",
        escaped.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// A path for a unit setting that takes one path: `%` doubled (systemd expands specifiers),
/// control characters refused.
fn specifier_safe(path: &Path) -> anyhow::Result<String> {
    let Some(text) = path.to_str() else {
        bail!("{path:?} is not valid UTF-8, which a systemd unit needs");
    };
    if text.chars().any(char::is_control) {
        bail!("{text:?} contains a control character, which a systemd unit cannot hold");
    }
    Ok(text.replace('%', "%%"))
}

/// The environment file's text: `NAME="value"` per secret, with `\`, `"`, `$` and `` ` ``
/// escaped as systemd's parser reads them in double quotes.
fn env_text(secrets: &[super::ServiceSecret]) -> anyhow::Result<String> {
    let mut text = String::from(
        "# Written by `pitwall service install`: the secrets of pitwall.service (keep it \
         mode 600).\n",
    );
    for secret in secrets {
        let value = secret.value.expose();
        if value.chars().any(char::is_control) {
            bail!(
                "the value for {} contains a control character, which the service's \
                 environment file cannot hold",
                secret.env
            );
        }
        let mut escaped = String::with_capacity(value.len());
        for c in value.chars() {
            if "\\\"$`".contains(c) {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        text.push_str(&format!("{}=\"{escaped}\"\n", secret.env));
    }
    Ok(text)
}

/// `$XDG_CONFIG_HOME/pitwall/service.env` (`~/.config` by default): the unit's secrets.
fn env_path() -> anyhow::Result<PathBuf> {
    Ok(config_dir()?.join("pitwall").join("service.env"))
}

/// Removes `path` if it exists.
fn remove_if_there(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            println!("removed {}", path.display());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
    }
}

/// `$XDG_CONFIG_HOME/systemd/user/pitwall.service`, `$XDG_CONFIG_HOME` defaulting to
/// `~/.config` (as systemd reads it).
fn unit_path() -> anyhow::Result<PathBuf> {
    Ok(config_dir()?.join("systemd").join("user").join(UNIT))
}

/// `$XDG_CONFIG_HOME`, defaulting to `~/.config`.
fn config_dir() -> anyhow::Result<PathBuf> {
    let config = match std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        _ => {
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .context("neither XDG_CONFIG_HOME nor HOME is set: cannot place the unit")?;
            PathBuf::from(home).join(".config")
        }
    };
    Ok(config)
}

fn installed() -> anyhow::Result<()> {
    let path = unit_path()?;
    if !path.exists() {
        bail!(
            "pitwall is not installed as a service (no {}): run `pitwall service install`",
            path.display()
        );
    }
    Ok(())
}

/// Runs `systemctl --user` with each of `commands`, or prints them (after `what`) when
/// there is no systemctl.
fn systemctl_or_print(commands: &[&[&str]], what: &str) -> anyhow::Result<()> {
    let Some(systemctl) = find_program("systemctl") else {
        print_commands(commands, what);
        return Ok(());
    };
    for args in commands {
        systemctl_run(&systemctl, args)?;
    }
    Ok(())
}

fn print_commands(commands: &[&[&str]], what: &str) {
    println!("systemctl was not found; {what}:");
    for args in commands {
        println!("  systemctl --user {}", args.join(" "));
    }
}

fn need_systemctl() -> anyhow::Result<PathBuf> {
    find_program("systemctl")
        .context("systemctl was not found: the service needs systemd (see docs/service.md)")
}

fn systemctl_run(systemctl: &Path, args: &[&str]) -> anyhow::Result<()> {
    println!("systemctl --user {}", args.join(" "));
    let status = Command::new(systemctl)
        .arg("--user")
        .args(args)
        .status()
        .with_context(|| format!("cannot run {}", systemctl.display()))?;
    if !status.success() {
        bail!(
            "systemctl --user {} failed ({status}): is a systemd user instance running for \
             you? (`systemctl --user status`; see docs/service.md)",
            args.join(" ")
        );
    }
    Ok(())
}

/// The first executable file called `name` in `PATH`.
fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_runs_pitwall_with_the_install_flags() {
        let flags: Vec<OsString> = [
            "--shm-dir",
            "/dev/shm",
            "--data-dir",
            "/home/margot/laps 50%",
            "--listen",
            "127.0.0.1:8080",
        ]
        .map(OsString::from)
        .to_vec();
        let text = unit_text(Path::new("/opt/pitwall/bin/pitwall"), &flags, None).unwrap();
        assert_eq!(
            text,
            "# Written by `pitwall service install`; `pitwall service uninstall` removes it.\n\
             # See docs/service.md in pitwall's repository.\n\
             [Unit]\n\
             Description=pitwall: lap-time tracker for Assetto Corsa Competizione\n\
             \n\
             [Service]\n\
             Type=simple\n\
             ExecStart=/opt/pitwall/bin/pitwall run --shm-dir /dev/shm --data-dir \
             \"/home/margot/laps 50%%\" --listen 127.0.0.1:8080\n\
             Restart=on-failure\n\
             RestartSec=5s\n\
             \n\
             [Install]\n\
             WantedBy=default.target\n"
        );
    }

    #[test]
    fn secrets_go_to_the_environment_file_escaped() {
        let flags: Vec<OsString> = ["--listen", "127.0.0.1:8080"].map(OsString::from).to_vec();
        let text = unit_text(
            Path::new("/usr/bin/pitwall"),
            &flags,
            Some(Path::new("/home/m/.config/pitwall/service.env")),
        )
        .unwrap();
        assert!(
            text.contains(
                "EnvironmentFile=/home/m/.config/pitwall/service.env\n\
                 ExecStart=/usr/bin/pitwall run --listen 127.0.0.1:8080\n"
            ),
            "{text}"
        );
        let secrets = [super::super::ServiceSecret {
            env: "PITWALL_DATABASE_URL",
            file_flag: "--database-url-file",
            file_name: "x",
            value: crate::secret::Secret::new("postgres://me:p$\"w`\\@db/laps"),
        }];
        let env = env_text(&secrets).unwrap();
        assert!(
            env.ends_with("PITWALL_DATABASE_URL=\"postgres://me:p\\$\\\"w\\`\\\\@db/laps\"\n"),
            "{env}"
        );
    }

    #[test]
    fn words_are_quoted_as_systemd_splits_them() {
        let q = |s: &str| quote(std::ffi::OsStr::new(s)).unwrap();
        assert_eq!(q("/usr/bin/pitwall"), "/usr/bin/pitwall");
        assert_eq!(q("[::1]:8080"), "\"[::1]:8080\"");
        assert_eq!(q("a b"), "\"a b\"");
        assert_eq!(q(""), "\"\"");
        assert_eq!(q("100%"), "100%%");
        assert_eq!(q("$HOME"), "$$HOME");
        assert_eq!(q("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
        assert_eq!(
            q("postgres://me:p@ss w%rd@db/laps"),
            "\"postgres://me:p@ss w%%rd@db/laps\""
        );
        assert!(quote(std::ffi::OsStr::new("line\nbreak")).is_err());
    }
}
