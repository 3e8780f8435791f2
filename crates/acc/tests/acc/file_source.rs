//! The Linux/Proton source: bridge files in a directory, read-only, never created; waiting
//! states; short files (waited for); torn reads under a concurrent writer; staleness after game exit.

use pitwall_acc::decode::set_utf16;
use pitwall_acc::source::{FileSource, LiveOptions};
use pitwall_acc::{PageKind, Read, Snapshot, Source, Waiting};
use pitwall_sim::sink::{FileSink, PageSink};
use std::time::{Duration, Instant};

fn fast_options() -> LiveOptions {
    LiveOptions {
        stale_after: Duration::from_millis(200),
        attach_every: Duration::from_millis(1),
        poll_interval: Duration::from_millis(1),
    }
}

fn acc_pages(packet: i32) -> Snapshot {
    let mut s = Snapshot::default();
    set_utf16(&mut s.statics.sm_version, "1.9");
    set_utf16(&mut s.statics.track, "monza");
    set_utf16(&mut s.statics.car_model, "ferrari_296_gt3");
    s.statics.sector_count.set(3);
    s.graphics.packet_id.set(packet);
    s.graphics.status.set(2);
    s.graphics.completed_laps.set(3);
    s.graphics.i_last_time.set(107_345);
    s.graphics.i_current_time.set(packet * 10);
    s.physics.packet_id.set(packet * 4);
    s.physics.speed_kmh.set(161.5);
    s
}

fn publish(sink: &mut FileSink, s: &Snapshot) {
    for kind in PageKind::ALL {
        sink.write(kind, s.page_bytes(kind)).unwrap();
    }
}

#[test]
fn missing_files_mean_waiting_and_are_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = FileSource::new(dir.path(), fast_options());
    let mut out = Snapshot::default();
    match source.read(&mut out).unwrap() {
        Read::Waiting(Waiting::NotRunning { place }) => assert!(place.contains("acpmf_")),
        other => panic!("expected NotRunning, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a reader never creates files"
    );
}

#[test]
fn reads_what_the_bridge_wrote_and_attaches_late() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = FileSource::new(dir.path(), fast_options());
    let mut out = Snapshot::default();
    assert!(matches!(
        source.read(&mut out).unwrap(),
        Read::Waiting(Waiting::NotRunning { .. })
    ));

    // The bridge starts: zeroed 2048-byte files first (status OFF, empty smVersion).
    let mut sink = FileSink::create(dir.path()).unwrap();
    for kind in PageKind::ALL {
        let len = std::fs::metadata(dir.path().join(kind.file_name()))
            .unwrap()
            .len();
        assert_eq!(len, 2048, "bridge-sized files are fine");
    }
    std::thread::sleep(Duration::from_millis(2));
    assert_eq!(
        source.read(&mut out).unwrap(),
        Read::Waiting(Waiting::NotWritten)
    );

    let pages = acc_pages(100);
    publish(&mut sink, &pages);
    assert_eq!(source.read(&mut out).unwrap(), Read::Fresh);
    assert_eq!(out.graphics, pages.graphics);
    assert_eq!(out.physics, pages.physics);
    assert_eq!(out.statics.track_text(), "monza");
    assert_eq!(out.graphics.last_lap_ms(), Some(107_345));
    assert_eq!(source.read(&mut out).unwrap(), Read::Unchanged);
}

#[test]
fn short_file_is_waited_for_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for kind in PageKind::ALL {
        let len = if kind == PageKind::Graphics {
            1320
        } else {
            2048
        };
        std::fs::write(dir.path().join(kind.file_name()), vec![0u8; len]).unwrap();
    }
    let mut source = FileSource::new(dir.path(), fast_options());
    let read = source.read(&mut Snapshot::default()).unwrap();
    let Read::Waiting(waiting @ Waiting::ShortFile { .. }) = read else {
        panic!("expected ShortFile, got {read:?}");
    };
    let text = waiting.to_string();
    assert!(
        text.contains("acpmf_graphics") && text.contains("1320") && text.contains("1588"),
        "{text}"
    );
    assert!(text.contains("bridge"), "says what to do: {text}");
    // Between attempts to open it again it stays the same wait (reported once, no flicker).
    for _ in 0..20 {
        let again = source.read(&mut Snapshot::default()).unwrap();
        assert!(
            matches!(again, Read::Waiting(Waiting::ShortFile { .. })),
            "{again:?}"
        );
    }
}

#[test]
fn original_assetto_corsa_pages_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = FileSink::create(dir.path()).unwrap();
    let mut pages = acc_pages(5);
    set_utf16(&mut pages.statics.sm_version, "1.7");
    publish(&mut sink, &pages);
    let mut source = FileSource::new(dir.path(), fast_options());
    match source.read(&mut Snapshot::default()).unwrap() {
        Read::Waiting(Waiting::NotAcc(e)) => assert!(e.to_string().contains("1.7"), "{e}"),
        other => panic!("expected NotAcc, got {other:?}"),
    }
}

#[test]
fn stale_pages_after_exit_and_reattach_on_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = FileSink::create(dir.path()).unwrap();
    publish(&mut sink, &acc_pages(1));
    let mut source = FileSource::new(dir.path(), fast_options());
    let mut out = Snapshot::default();
    assert_eq!(source.read(&mut out).unwrap(), Read::Fresh);

    // The game exits: the bridge keeps its last values.
    drop(sink);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match source.read(&mut out).unwrap() {
            Read::Waiting(Waiting::Stale(d)) => {
                assert!(d >= Duration::from_millis(200));
                break;
            }
            Read::Unchanged => std::thread::sleep(Duration::from_millis(10)),
            other => panic!("unexpected {other:?}"),
        }
        assert!(Instant::now() < deadline, "never went stale");
    }
    // While the stale files stay, it keeps saying so (it does not flicker to "not running"
    // between attempts to re-attach).
    let until = Instant::now() + Duration::from_millis(100);
    while Instant::now() < until {
        let read = source.read(&mut out).unwrap();
        assert!(matches!(read, Read::Waiting(Waiting::Stale(_))), "{read:?}");
    }

    // A bridge that deletes and recreates its files (shm-bridge) with a new game.
    for kind in PageKind::ALL {
        std::fs::remove_file(dir.path().join(kind.file_name())).unwrap();
    }
    std::thread::sleep(Duration::from_millis(2)); // past `attach_every`
    assert!(matches!(
        source.read(&mut out).unwrap(),
        Read::Waiting(Waiting::NotRunning { .. })
    ));
    let mut sink = FileSink::create(dir.path()).unwrap();
    publish(&mut sink, &acc_pages(7));
    std::thread::sleep(Duration::from_millis(2));
    assert_eq!(source.read(&mut out).unwrap(), Read::Fresh);
    assert_eq!(out.graphics.packet_id.get(), 7);
}
