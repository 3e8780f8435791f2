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
    let flags = super::run_flags(args, super::user_data_dir)?;
    let text = unit_text(&exe, &flags)?;
    if args.print {
        print!("{text}");
        return Ok(());
    }
    let path = unit_path()?;
    let replaced = path.exists();
    write_unit(&path, &text)?;
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
/// systemd instance (at login, or at boot with `loginctl enable-linger`).
pub(super) fn unit_text(exe: &Path, flags: &[OsString]) -> anyhow::Result<String> {
    let mut exec = vec![quote(exe.as_os_str())?, "run".to_owned()];
    for flag in flags {
        exec.push(quote(flag)?);
    }
    Ok(format!(
        "# Written by `pitwall service install`; `pitwall service uninstall` removes it.\n\
         # See docs/service.md in pitwall's repository.\n\
         [Unit]\n\
         Description=pitwall: lap-time tracker for Assetto Corsa Competizione\n\
         \n\
         [Service]\n\
         Type=simple\n\
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

/// `$XDG_CONFIG_HOME/systemd/user/pitwall.service`, `$XDG_CONFIG_HOME` defaulting to
/// `~/.config` (as systemd reads it).
fn unit_path() -> anyhow::Result<PathBuf> {
    let config = match std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        _ => {
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .context("neither XDG_CONFIG_HOME nor HOME is set: cannot place the unit")?;
            PathBuf::from(home).join(".config")
        }
    };
    Ok(config.join("systemd").join("user").join(UNIT))
}

/// Writes the unit readable by its owner only: it may hold a database URL or an upload
/// token.
fn write_unit(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(text.as_bytes())
    };
    write().with_context(|| format!("cannot write {}", path.display()))
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
        let text = unit_text(Path::new("/opt/pitwall/bin/pitwall"), &flags).unwrap();
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
