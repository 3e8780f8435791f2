//! Fault test of the upload path, all real processes: `pitwall run --upload` tracks the
//! simulator's laps while the receiving `pitwall serve` is killed (SIGKILL) for a while and
//! started again, and the tracker itself is killed and restarted. In the end every lap the
//! tracker stored is on the server exactly once, and the server has nothing else.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{block_on, open_store, run_cmd, simulate_cmd};
use pitwall_store::{Outbox as _, Reads as _, Store as _};

/// `pitwall` with no configuration from the environment, logging warnings only.
fn pitwall() -> Command {
    let mut cmd = common::pitwall();
    cmd.env("PITWALL_LOG", "warn");
    cmd
}

fn serve(data: &Path, port: u16) -> Child {
    pitwall()
        .args([
            "serve",
            "--collect",
            "false",
            "--rate-limit",
            "0",
            "--listen",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(data)
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

fn run(shm: &Path, data: &Path, port: u16, token: &str) -> Child {
    run_cmd(shm, data)
        .env("PITWALL_LOG", "warn")
        .arg("--upload")
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("--token")
        .arg(token)
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

fn kill9(child: &mut Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// The lap ids in a data directory's store, and its outbox length. With `uploaded_by`, each
/// id as a server stores it when that driver uploads it (derived from the driver's name).
fn laps(data: &Path, uploaded_by: Option<&str>) -> (BTreeSet<u64>, u64) {
    block_on(async {
        let store = open_store(data).await;
        let ids = store
            .recent_sessions(100, 0)
            .await
            .unwrap()
            .iter()
            .flat_map(|s| s.laps.iter())
            .map(|l| match uploaded_by {
                Some(driver) => l.id.of_driver(driver, l.session).0,
                None => l.id.0,
            })
            .collect();
        let pending = store.outbox_status().await.unwrap().pending;
        store.close().await;
        (ids, pending)
    })
}

#[test]
fn laps_reach_the_server_once_through_outages_of_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (shm, local, remote) = (
        dir.path().join("shm"),
        dir.path().join("local"),
        dir.path().join("remote"),
    );
    std::fs::create_dir(&shm).unwrap();
    let script = dir.path().join("s.txt");
    let mut text = String::from(
        "track spa\ncar bmw_m4_gt3\nsession practice\ndriver Uploader\nsectors 3\npitbox 1s\n\
         outlap 2:40.000\n",
    );
    for i in 0..12 {
        text.push_str(&format!("lap 2:18.{:03}\n", 100 + i * 41));
    }
    text.push_str("exit\n");
    std::fs::write(&script, text).unwrap();

    let out = pitwall()
        .args(["token", "create", "--driver", "Uploader", "--data-dir"])
        .arg(&remote)
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();

    let mut server = serve(&remote, port);
    let mut tracker = run(&shm, &local, port, &token);
    std::thread::sleep(Duration::from_millis(500));
    let mut simulator = simulate_cmd(&shm, &script, "40")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();

    std::thread::sleep(Duration::from_secs(8));
    kill9(&mut server); // the server goes away while laps keep coming
    std::thread::sleep(Duration::from_secs(10));
    kill9(&mut tracker); // and the tracker dies with laps still queued
    tracker = run(&shm, &local, port, &token);
    std::thread::sleep(Duration::from_secs(4));
    server = serve(&remote, port);

    let started = Instant::now();
    while simulator.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the simulator hangs"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Everything stored locally is sent once the server is back.
    let started = Instant::now();
    let (local_laps, pending) = loop {
        std::thread::sleep(Duration::from_secs(1));
        let (laps, pending) = laps(&local, Some("Uploader"));
        if pending == 0 || started.elapsed() > Duration::from_secs(90) {
            break (laps, pending);
        }
    };
    for child in [&mut tracker, &mut server] {
        let pid = child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        child.wait().unwrap();
    }
    assert_eq!(pending, 0, "the outbox emptied");
    let (remote_laps, _) = laps(&remote, None);
    assert!(
        local_laps.len() >= 8,
        "too few laps to judge: {}",
        local_laps.len()
    );
    assert_eq!(
        remote_laps, local_laps,
        "the server has exactly the tracker's laps (under the ids it derives)"
    );
}
