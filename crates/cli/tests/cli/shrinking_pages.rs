//! Fault test: the page files truncated, shortened and deleted under `pitwall run` (a bridge
//! restarting, `truncate -s 0 /dev/shm/acpmf_static`), then re-created by a new simulator.
//! The tracker must survive (a mapped file truncated under its reader raises SIGBUS), say so
//! once in its log naming the file, and track the laps driven once the files are back.

use crate::common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{interrupt, run_cmd, simulate_cmd, spawn_with_lines};

/// Three laps after an out-lap, at 40× speed: about 12 s.
const SCRIPT: &str = "track monza\ncar ferrari_296_gt3\nsession practice\ndriver Shrink\n\
                      sectors 3\npitbox 1s\noutlap 2:00.000\nlap 1:40.101\nlap 1:40.202\n\
                      lap 1:40.303\nexit\n";

const PAGES: [&str; 3] = ["acpmf_physics", "acpmf_graphics", "acpmf_static"];

/// Starts the tracker; its log lines are collected into `lines`.
fn start_run(shm: &Path, data: &Path, lines: &Arc<Mutex<Vec<String>>>) -> Child {
    let lines = Arc::clone(lines);
    spawn_with_lines(run_cmd(shm, data), move |line| {
        lines.lock().unwrap().push(line);
    })
}

fn start_simulator(shm: &Path, script: &Path) -> Child {
    simulate_cmd(shm, script, "40")
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

/// The tracker's "lap N: …" lines so far.
fn lap_lines(lines: &Arc<Mutex<Vec<String>>>) -> usize {
    lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains(" lap ") && l.contains(": 1:40."))
        .count()
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn set_len(shm: &Path, page: &str, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(shm.join(page))
        .unwrap()
        .set_len(len)
        .unwrap();
}

fn assert_alive(tracker: &mut Child, lines: &Arc<Mutex<Vec<String>>>, when: &str) {
    if let Some(status) = tracker.try_wait().unwrap() {
        panic!(
            "pitwall run died {when}: {status:?}\n{}",
            lines.lock().unwrap().join("\n")
        );
    }
}

#[test]
fn run_survives_page_files_changing_size_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let shm = dir.path().join("shm");
    let data = dir.path().join("data");
    std::fs::create_dir(&shm).unwrap();
    let script = dir.path().join("shrink.txt");
    std::fs::write(&script, SCRIPT).unwrap();

    let lines = Arc::new(Mutex::new(Vec::new()));
    let mut tracker = start_run(&shm, &data, &lines);
    let mut simulator = start_simulator(&shm, &script);
    wait_for("a first lap", Duration::from_secs(60), || {
        lap_lines(&lines) >= 1
    });

    // The bridge dies and its files are truncated to 0 under the tracker.
    simulator.kill().unwrap();
    simulator.wait().unwrap();
    for page in PAGES {
        set_len(&shm, page, 0);
    }
    std::thread::sleep(Duration::from_millis(1_500));
    assert_alive(&mut tracker, &lines, "after the files were truncated to 0");
    // Shortened, then one deleted: still the same trouble, not a new report per poll.
    set_len(&shm, "acpmf_graphics", 100);
    std::fs::remove_file(shm.join("acpmf_static")).unwrap();
    std::thread::sleep(Duration::from_millis(1_500));
    assert_alive(&mut tracker, &lines, "after the files were shortened");
    let reports: Vec<String> = lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("shorter than"))
        .cloned()
        .collect();
    assert_eq!(reports.len(), 1, "reported once: {reports:#?}");
    assert!(
        reports[0].contains("acpmf_physics") && reports[0].contains("0 bytes"),
        "names the file: {}",
        reports[0]
    );
    assert!(
        reports[0].contains("bridge"),
        "says what to do: {}",
        reports[0]
    );

    // A new bridge re-creates the files: the tracker reads them again and tracks laps.
    for page in PAGES {
        let _ = std::fs::remove_file(shm.join(page));
    }
    let before = lap_lines(&lines);
    let mut simulator = start_simulator(&shm, &script);
    wait_for(
        "laps after the files came back",
        Duration::from_secs(60),
        || lap_lines(&lines) >= before + 2,
    );
    assert_alive(&mut tracker, &lines, "after the files came back");
    simulator.kill().unwrap();
    simulator.wait().unwrap();

    assert!(interrupt(&mut tracker).success());
}
