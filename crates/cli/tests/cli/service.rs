//! `pitwall service` on Linux without systemd: install writes the user unit under
//! `$XDG_CONFIG_HOME` (running this very executable with the install's flags, made absolute)
//! and prints the systemctl commands it could not run; `--print` writes nothing; uninstall
//! removes the unit. `PATH` holds no systemctl, so nothing on the machine is touched.

use std::path::Path;
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

/// `pitwall service ARGS` with config in `config`, run in `cwd`, with no systemctl in reach.
fn service(config: &Path, cwd: &Path, args: &[&str]) -> Output {
    let empty_path = config.join("no-programs-here");
    std::fs::create_dir_all(&empty_path).unwrap();
    let out = Command::cargo_bin("pitwall")
        .unwrap()
        .env("XDG_CONFIG_HOME", config)
        .env("PATH", &empty_path)
        .env_remove("PITWALL_SHM_DIR")
        .env_remove("PITWALL_DATA_DIR")
        .env_remove("PITWALL_DATABASE_URL")
        .env_remove("PITWALL_LISTEN")
        .env_remove("PITWALL_UPLOAD_URL")
        .env_remove("PITWALL_UPLOAD_TOKEN")
        .env("PITWALL_LOG", "warn")
        .current_dir(cwd)
        .arg("service")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pitwall service {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn install_writes_the_user_unit_and_uninstall_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let unit = config.join("systemd/user/pitwall.service");
    let exe = std::fs::canonicalize(assert_cmd::cargo::cargo_bin("pitwall")).unwrap();
    let cwd = dir.path().canonicalize().unwrap();
    let flags = [
        "--data-dir",
        "laps",
        "--shm-dir",
        "/dev/shm",
        "--listen",
        "127.0.0.1:8099",
    ];

    // --print: the unit on stdout, nothing written.
    let mut print_args = vec!["install", "--print"];
    print_args.extend(flags);
    let printed = service(&config, &cwd, &print_args);
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(!unit.exists(), "--print writes nothing");
    let exec = format!(
        "ExecStart={} run --shm-dir /dev/shm --data-dir {} --listen 127.0.0.1:8099\n",
        exe.display(),
        cwd.join("laps").display()
    );
    assert!(printed.contains(&exec), "{printed}");
    assert!(printed.contains("Restart=on-failure\n"), "{printed}");
    assert!(printed.contains("WantedBy=default.target\n"), "{printed}");

    // install: the same unit in the file, and the commands to run by hand.
    let mut install_args = vec!["install"];
    install_args.extend(flags);
    let installed = service(&config, &cwd, &install_args);
    let said = String::from_utf8(installed.stdout).unwrap();
    assert_eq!(std::fs::read_to_string(&unit).unwrap(), printed);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&unit).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the unit may hold secrets: owner only");
    assert!(said.contains("systemctl was not found"), "{said}");
    assert!(said.contains("systemctl --user daemon-reload"), "{said}");
    assert!(
        said.contains("systemctl --user enable --now pitwall.service"),
        "{said}"
    );

    // status without systemd: installed, but nothing to ask about the running state.
    let status = Command::cargo_bin("pitwall")
        .unwrap()
        .env("XDG_CONFIG_HOME", &config)
        .env("PATH", config.join("no-programs-here"))
        .args(["service", "status"])
        .output()
        .unwrap();
    assert!(!status.status.success());
    assert!(String::from_utf8_lossy(&status.stdout).contains("installed: "));
    assert!(String::from_utf8_lossy(&status.stderr).contains("systemctl was not found"));

    // uninstall: the unit is gone, and uninstalling again is not an error.
    let removed = service(&config, &cwd, &["uninstall"]);
    assert!(!unit.exists());
    let said = String::from_utf8(removed.stdout).unwrap();
    assert!(
        said.contains("systemctl --user disable --now pitwall.service"),
        "{said}"
    );
    let again = service(&config, &cwd, &["uninstall"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("not installed"));
}

#[test]
fn the_unit_defaults_the_data_dir_to_the_installing_users() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let data_home = dir.path().join("data home");
    let out = Command::cargo_bin("pitwall")
        .unwrap()
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", &data_home)
        .env_remove("PITWALL_DATA_DIR")
        .env_remove("PITWALL_DATABASE_URL")
        .env_remove("PITWALL_SHM_DIR")
        .args(["service", "install", "--print"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let expected = format!(
        " run --data-dir \"{}\" --listen 127.0.0.1:8080\n",
        data_home.join("pitwall").display()
    );
    assert!(printed.contains(&expected), "{printed}");
}

#[test]
fn secrets_go_to_an_owner_only_environment_file_never_into_the_unit() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let cwd = dir.path().canonicalize().unwrap();
    let unit = config.join("systemd/user/pitwall.service");
    let env_file = config.join("pitwall/service.env");
    let token = format!("pw_{}", "ab".repeat(32));
    let password = "s3cr%t$pw";
    let install = |print: bool| {
        let empty_path = config.join("no-programs-here");
        std::fs::create_dir_all(&empty_path).unwrap();
        let mut cmd = Command::cargo_bin("pitwall").unwrap();
        cmd.env("XDG_CONFIG_HOME", &config)
            .env("PATH", &empty_path)
            .env_remove("PITWALL_SHM_DIR")
            .env_remove("PITWALL_DATA_DIR")
            .env_remove("PITWALL_LISTEN")
            .env_remove("PITWALL_UPLOAD_URL")
            .env("PITWALL_UPLOAD_TOKEN", &token)
            .env(
                "PITWALL_DATABASE_URL",
                format!("postgres://laps:{password}@db.example/pitwall"),
            )
            .env("PITWALL_LOG", "warn")
            .current_dir(&cwd)
            .args(["service", "install", "--upload", "https://laps.example.org"]);
        if print {
            cmd.arg("--print");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };

    let printed = install(true);
    assert!(
        !printed.contains(&token) && !printed.contains(password),
        "{printed}"
    );
    assert!(!env_file.exists(), "--print writes nothing");

    install(false);
    let unit_text = std::fs::read_to_string(&unit).unwrap();
    assert!(!unit_text.contains(&token), "{unit_text}");
    assert!(!unit_text.contains(password), "{unit_text}");
    assert!(
        unit_text.contains(&format!("EnvironmentFile={}\n", env_file.display())),
        "{unit_text}"
    );
    assert!(
        unit_text.contains(" --upload https://laps.example.org\n"),
        "{unit_text}"
    );
    let env_text = std::fs::read_to_string(&env_file).unwrap();
    assert!(
        env_text.contains(&format!("PITWALL_UPLOAD_TOKEN=\"{token}\"\n")),
        "{env_text}"
    );
    assert!(
        env_text
            .contains("PITWALL_DATABASE_URL=\"postgres://laps:s3cr%t\\$pw@db.example/pitwall\"\n"),
        "{env_text}"
    );
    let mode = std::fs::metadata(&env_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    service(&config, &cwd, &["uninstall"]);
    assert!(!env_file.exists(), "uninstall removes the secrets too");
}
