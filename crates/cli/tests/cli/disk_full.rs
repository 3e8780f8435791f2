//! Disk-full tests, all real processes and a real full disk: the SQLite data directory is a
//! small tmpfs that a filler file fills up for a few seconds and then frees again.
//!
//! - `pitwall run`, driven by the simulator: every lap it logged as stored ("lap N: …") is
//!   in the store after a clean stop, and the laps that completed while the disk was full are
//!   stored (and logged) within two seconds of the space coming back, without a restart.
//! - `pitwall serve`, with laps POSTed to `/api/ingest`: every lap answered 200 is in the
//!   store after a restart, the failed uploads were answered 503 with a JSON error saying to
//!   retry, and uploads succeed again within two seconds of the space coming back.
//!
//! Mounting a tmpfs needs root; without it the tests print a note and skip.

use crate::common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{
    Proc, address, lap_time, pitwall, post, run_cmd, serve_cmd, simulate_cmd, stored_times, upload,
};

/// How long to wait for a log line.
const WITHIN: Duration = Duration::from_secs(30);

use pitwall_test_support::Tmpfs;

/// Fills the file system of `dir` with a file there, to the last byte; returns the file.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0xA5_u8; 64 * 1024];
    while matches!(file.write(&block), Ok(n) if n > 0) {}
    while matches!(file.write(&block[..1]), Ok(1)) {}
    path
}

#[test]
fn run_on_a_full_disk_logs_only_stored_laps_and_stores_the_rest_when_space_returns() {
    let Some(tmpfs) = Tmpfs::mount(8) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shm = dir.path().join("shm");
    std::fs::create_dir(&shm).unwrap();
    let data = tmpfs.path().join("data");
    // Ten laps of distinct times after an out-lap: at 40× a lap every two seconds.
    let mut script = String::from(
        "track monza\ncar ferrari_296_gt3\nsession practice\ndriver Full\nsectors 3\n\
         pitbox 1s\noutlap 1:30.000\n",
    );
    let laps: Vec<u32> = (0..10).map(|i| 80_000 + 101 + i * 37).collect();
    for t in &laps {
        script.push_str(&format!("lap 1:{:02}.{:03}\n", t / 1000 - 60, t % 1000));
    }
    script.push_str("exit\n");
    let script_path = dir.path().join("full.txt");
    std::fs::write(&script_path, script).unwrap();

    let mut tracker = Proc::spawn(run_cmd(&shm, &data));
    tracker.wait_for("reading the game's pages", WITHIN);
    let mut simulator = Proc::spawn(simulate_cmd(&shm, &script_path, "40"));

    // The disk fills after the first two flying laps, for five seconds (two or three laps).
    tracker.wait_for(" lap 2: ", WITHIN);
    let filler = fill(tmpfs.path());
    tracker.read_for(Duration::from_secs(5));
    std::fs::remove_file(&filler).unwrap();
    let freed_at = Instant::now();
    let first_after = loop {
        let line = tracker.wait_for(" lap ", WITHIN);
        if lap_time(&line).is_some() {
            break line;
        }
    };
    let recovered = tracker.seen.last().unwrap().0.duration_since(freed_at);
    println!("first lap stored {recovered:?} after space returned: {first_after}");

    let started = Instant::now();
    while simulator.child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the simulator hangs"
        );
        tracker.read_some();
    }
    // Let the tracker see the pages go stale, then stop it cleanly.
    tracker.read_for(Duration::from_secs(3));
    tracker.stop("-INT");

    let lines = &tracker.seen;
    let reported: Vec<u32> = lines.iter().filter_map(|(_, l)| lap_time(l)).collect();
    let stored = stored_times(&data);
    let failed = lines
        .iter()
        .any(|(_, l)| l.contains("cannot store a completed lap"));
    let log = || tracker.text();
    assert!(
        failed,
        "no lap failed to store: the disk never filled\n{}",
        log()
    );
    for t in &reported {
        assert!(
            stored.contains(t),
            "lap {t} ms was logged but is not stored\n{}",
            log()
        );
    }
    for t in &laps {
        assert!(
            stored.contains(t),
            "lap {t} ms was driven but is not stored\n{}",
            log()
        );
    }
    assert!(
        recovered <= Duration::from_secs(2),
        "the first lap after space returned was stored after {recovered:?}"
    );
}

/// `pitwall serve` of the store in `data`, with no rate limit.
fn serve(data: &Path) -> Proc {
    let mut cmd = serve_cmd(data);
    cmd.args(["--rate-limit", "0"]);
    Proc::spawn(cmd)
}

#[test]
fn serve_on_a_full_disk_acknowledges_only_stored_laps_and_recovers_when_space_returns() {
    let Some(tmpfs) = Tmpfs::mount(8) else {
        return;
    };
    let data = tmpfs.path().join("data");
    let out = pitwall()
        .args(["token", "create", "--driver", "Full", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let mut server = serve(&data);
    let address = address(&server.wait_for("pitwall serving on", WITHIN));

    // Four clients, each uploading its own session lap by lap, each lap retried until it is
    // answered 200, as the uploader does.
    let fault = std::sync::Arc::new(std::sync::Mutex::new((false, None::<Instant>)));
    let clients: Vec<_> = (1..=4_u64)
        .map(|session| {
            let (address, token, fault) = (address.clone(), token.clone(), fault.clone());
            std::thread::spawn(move || {
                let mut acked = BTreeSet::new();
                let mut refused = Vec::new();
                let mut first_after_free = None;
                let mut number = 1;
                while !fault.lock().unwrap().0 {
                    let (time, body) = upload(session, number, "Full");
                    let (status, answer) = post(&address, "/api/ingest", &token, &body);
                    if status == 200 {
                        acked.insert(time);
                        number += 1;
                        if let Some(freed) = fault.lock().unwrap().1
                            && first_after_free.is_none()
                        {
                            first_after_free = Some(freed.elapsed());
                        }
                    } else {
                        refused.push((status, answer));
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                (acked, refused, first_after_free)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let filler = fill(tmpfs.path());
    std::thread::sleep(Duration::from_secs(4));
    std::fs::remove_file(&filler).unwrap();
    fault.lock().unwrap().1 = Some(Instant::now());
    std::thread::sleep(Duration::from_secs(2));
    fault.lock().unwrap().0 = true;
    let results: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    server.stop("-TERM");

    // Restarted: every acknowledged lap is there.
    let mut restarted = serve(&data);
    restarted.wait_for("pitwall serving on", WITHIN);
    restarted.stop("-TERM");
    let stored: BTreeSet<u32> = stored_times(&data).into_iter().collect();
    let acked: BTreeSet<u32> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    let refused: Vec<&(u16, String)> = results.iter().flat_map(|r| r.1.iter()).collect();
    let lost: Vec<&u32> = acked.difference(&stored).collect();
    println!(
        "{} laps acknowledged, {} uploads refused, {} laps stored; first 200 after space \
         returned: {:?}",
        acked.len(),
        refused.len(),
        stored.len(),
        results.iter().map(|r| r.2).collect::<Vec<_>>()
    );
    assert!(
        !refused.is_empty(),
        "no upload failed: the disk never filled"
    );
    assert!(
        lost.is_empty(),
        "{} acknowledged laps are lost: {lost:?}",
        lost.len()
    );
    for (status, body) in &refused {
        assert_eq!(*status, 503, "a failed write is answered 503: {body}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        let message = json["error"]["message"].as_str().unwrap();
        assert!(message.contains("retry"), "{message}");
    }
    for (_, _, first) in &results {
        let first = first.expect("no upload succeeded after space returned");
        assert!(first <= Duration::from_secs(2), "first 200 after {first:?}");
    }
}
