//! [`run`]: publishing pages in (scaled) real time, read back by pitwall's own live source.

use pitwall_acc::snapshot::{PageKind, Snapshot};
use pitwall_acc::source::{FileSource, LiveOptions, Read, Source};
use pitwall_sim::sink::{FileSink, PageSink, SinkError};
use pitwall_sim::{RunEnd, Scenario, SimOptions, Simulator, run};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn sim(script: &str) -> Simulator {
    let scenario: Scenario = script.parse().expect("valid script");
    Simulator::new(scenario, SimOptions::default())
}

#[test]
fn run_into_files_that_the_file_source_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sink = FileSink::create(dir.path()).expect("sink");
    let mut sim =
        sim("track zolder\ndriver Tester\npitbox 2s\noutlap 1:00.000\nlap 0:45.000\nexit\n");
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let end = run(&mut sim, &mut sink, 200.0, &stop).expect("run");
    let took = started.elapsed();
    assert_eq!(end, RunEnd::ScriptEnded);
    // ~113 s of simulated time at 200x: about 0.56 s.
    assert!(
        took > Duration::from_millis(450) && took < Duration::from_secs(2),
        "{took:?}"
    );

    let mut source = FileSource::new(dir.path(), LiveOptions::default());
    let mut read = Snapshot::default();
    assert_eq!(source.read(&mut read).expect("read"), Read::Fresh);
    let last = sim.snapshot();
    for kind in PageKind::ALL {
        assert_eq!(
            read.page_bytes(kind),
            last.page_bytes(kind),
            "{kind:?} page"
        );
    }
    assert_eq!(read.statics.track_text(), "zolder");
    assert_eq!(read.statics.player_name_text(), "Tester");
    assert_eq!(read.graphics.completed_laps.get(), 2);
    assert_eq!(read.graphics.i_best_time.get(), 45_000);
    // After the exit the pages are stale: nothing changes any more.
    assert_eq!(source.read(&mut read).expect("read"), Read::Unchanged);
}

/// Counts what `run` writes and when.
#[derive(Default)]
struct Counting {
    writes: [usize; 3],
    last_physics_id: i32,
}

impl PageSink for Counting {
    fn write(&mut self, kind: PageKind, bytes: &[u8]) -> Result<(), SinkError> {
        self.writes[kind as usize] += 1;
        if kind == PageKind::Physics {
            let id = i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            assert!(id > self.last_physics_id, "packetId only grows");
            self.last_physics_id = id;
        }
        Ok(())
    }
    fn describe(&self) -> String {
        "counting sink".into()
    }
}

#[test]
fn run_paces_in_real_time_and_stops_on_request() {
    let mut sim = Simulator::new(Scenario::endless(4), SimOptions::default());
    let mut sink = Counting::default();
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let end = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(600));
            stop.store(true, Ordering::Relaxed);
        });
        run(&mut sim, &mut sink, 1.0, &stop)
    })
    .expect("run");
    let took = started.elapsed();
    assert_eq!(end, RunEnd::Stopped);
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_millis(900),
        "{took:?}"
    );
    // Real time: about 0.6 s of simulation, ~240 physics steps, batched into at most one
    // write per page per batch.
    let at = sim.snapshot().at;
    assert!(
        at > Duration::from_millis(500) && at < Duration::from_millis(800),
        "{at:?}"
    );
    let steps = sim.snapshot().physics.packet_id.get() as usize;
    assert!(sink.writes[PageKind::Physics as usize] <= steps);
    assert!(
        sink.writes[PageKind::Physics as usize] >= steps / 3,
        "{:?}",
        sink.writes
    );
    assert_eq!(
        sink.writes[PageKind::Static as usize],
        1,
        "static once, at the start"
    );
    assert!(
        sink.writes[PageKind::Graphics as usize]
            <= sim.snapshot().graphics.packet_id.get() as usize
    );
}

#[test]
fn run_of_an_ended_script_returns_at_once() {
    let mut sim = sim("lap 0:10.000\nexit after=0s\n");
    while sim.step().is_some() {}
    let mut sink = Counting::default();
    let stop = AtomicBool::new(false);
    assert_eq!(
        run(&mut sim, &mut sink, 1.0, &stop).expect("run"),
        RunEnd::ScriptEnded
    );
    assert_eq!(sink.writes, [0, 0, 0]);
}
