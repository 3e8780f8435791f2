//! Page files that change size or vanish under a reader: truncated to 0 (a bridge
//! restarting, `truncate -s 0 /dev/shm/acpmf_static`), shortened, deleted and re-created.
//! The reader must never fault (a mapped file truncated under its reader raises SIGBUS, which
//! kills the whole process), must report the condition as one wait naming the file, and must
//! read the pages again once they are whole.

use pitwall_acc::decode::set_utf16;
use pitwall_acc::source::{FileSource, LiveOptions};
use pitwall_acc::{PageKind, Read, Snapshot, Source, Waiting};
use pitwall_sim::sink::{FileSink, PageSink};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn fast_options() -> LiveOptions {
    LiveOptions {
        stale_after: Duration::from_secs(60),
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
    s.graphics.i_current_time.set(packet.wrapping_mul(10));
    s.physics.packet_id.set(packet.wrapping_mul(4));
    s.physics.speed_kmh.set(161.5);
    s
}

fn publish(sink: &mut FileSink, s: &Snapshot) {
    for kind in PageKind::ALL {
        sink.write(kind, s.page_bytes(kind)).unwrap();
    }
}

fn set_len(dir: &Path, kind: PageKind, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join(kind.file_name()))
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// Reads until `want` accepts a result (or panics after 10 s), checking each one with `each`.
fn read_until(
    source: &mut FileSource,
    out: &mut Snapshot,
    want: impl Fn(&Read) -> bool,
    each: impl Fn(&Read),
) -> Read {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let read = source.read(out).unwrap();
        each(&read);
        if want(&read) {
            return read;
        }
        assert!(Instant::now() < deadline, "still {read:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn short_of(read: &Read, kind: PageKind) -> Option<u64> {
    match read {
        Read::Waiting(Waiting::ShortFile { path, len, need }) => {
            assert_eq!(*need, kind.size());
            (path.file_name().unwrap() == kind.file_name()).then_some(*len)
        }
        _ => None,
    }
}

#[test]
fn truncated_shortened_deleted_and_recreated_files_are_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = FileSink::create(dir.path()).unwrap();
    publish(&mut sink, &acc_pages(1));
    let mut source = FileSource::new(dir.path(), fast_options());
    let mut out = Snapshot::default();
    assert_eq!(source.read(&mut out).unwrap(), Read::Fresh);

    // Truncated to 0 while the reader is attached (with a mapping: SIGBUS at the next poll).
    set_len(dir.path(), PageKind::Static, 0);
    let read = source.read(&mut out).unwrap();
    assert_eq!(short_of(&read, PageKind::Static), Some(0), "{read:?}");
    let Read::Waiting(waiting) = &read else {
        unreachable!()
    };
    let text = waiting.to_string();
    assert!(
        text.contains("acpmf_static") && text.contains("0 bytes") && text.contains("bridge"),
        "names the file and what to do: {text}"
    );
    // The same wait at every poll while it lasts: one report, no flicker to "not running".
    let until = Instant::now() + Duration::from_millis(50);
    while Instant::now() < until {
        let again = source.read(&mut out).unwrap();
        assert!(waiting.same_kind(&match again {
            Read::Waiting(w) => w,
            other => panic!("{other:?}"),
        }));
    }

    // Whole again (the same file, sized back and written): read again.
    set_len(dir.path(), PageKind::Static, 2048);
    publish(&mut sink, &acc_pages(2));
    read_until(&mut source, &mut out, |r| *r == Read::Fresh, |_| {});
    assert_eq!(out.graphics.packet_id.get(), 2);
    assert_eq!(out.statics.track_text(), "monza");

    // Shortened, not emptied: the reader must not read past the end.
    set_len(dir.path(), PageKind::Graphics, 100);
    let read = source.read(&mut out).unwrap();
    assert_eq!(short_of(&read, PageKind::Graphics), Some(100), "{read:?}");

    // Every file deleted, then re-created by a new bridge: "not running", then the pages.
    for kind in PageKind::ALL {
        std::fs::remove_file(dir.path().join(kind.file_name())).unwrap();
    }
    drop(sink);
    read_until(
        &mut source,
        &mut out,
        |r| matches!(r, Read::Waiting(Waiting::NotRunning { .. })),
        |_| {},
    );
    // A bridge that creates its files empty and sizes them a moment later.
    for kind in PageKind::ALL {
        std::fs::File::create(dir.path().join(kind.file_name())).unwrap();
    }
    let read = read_until(
        &mut source,
        &mut out,
        |r| matches!(r, Read::Waiting(Waiting::ShortFile { .. })),
        |_| {},
    );
    assert!(short_of(&read, PageKind::Physics) == Some(0), "{read:?}");
    let mut sink = FileSink::create(dir.path()).unwrap();
    publish(&mut sink, &acc_pages(3));
    read_until(&mut source, &mut out, |r| *r == Read::Fresh, |_| {});
    assert_eq!(out.graphics.packet_id.get(), 3);
    assert_eq!(out.physics.packet_id.get(), 12);
}

/// A writer that writes each page with a positioned write through a fresh handle, as a
/// bridge would, so it follows files that are deleted and re-created, and survives
/// truncation (a mapping would fault in the writer too).
fn write_pages(dir: &Path, s: &Snapshot) {
    for kind in PageKind::ALL {
        let Ok(file) = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(kind.file_name()))
        else {
            continue;
        };
        let _ = file.write_all_at(s.page_bytes(kind), 0);
    }
}

#[test]
fn a_reader_survives_files_changing_size_under_it() {
    let dir = tempfile::tempdir().unwrap();
    write_pages(dir.path(), &acc_pages(1));
    let stop = Arc::new(AtomicBool::new(false));

    // The game, writing frames as fast as it can.
    let writer = {
        let (dir, stop) = (dir.path().to_path_buf(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut packet = 1;
            while !stop.load(Ordering::Relaxed) {
                packet += 1;
                write_pages(&dir, &acc_pages(packet));
            }
        })
    };
    // Something truncating, shortening, deleting and re-creating the files.
    let chaos = {
        let (dir, stop) = (dir.path().to_path_buf(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                for (i, kind) in PageKind::ALL.into_iter().enumerate() {
                    let path = dir.join(kind.file_name());
                    // (Shortening to a length that is later sized back leaves half a page
                    // that no reader can tell from a whole one; the sequential test covers
                    // shortening.)
                    match (round + i as u64) % 3 {
                        0 => {
                            let _ = std::fs::OpenOptions::new()
                                .write(true)
                                .open(&path)
                                .and_then(|f| f.set_len(0));
                        }
                        1 => {
                            let _ = std::fs::remove_file(&path);
                        }
                        _ => {
                            let _ = std::fs::OpenOptions::new()
                                .write(true)
                                .create(true)
                                .truncate(false)
                                .open(&path)
                                .and_then(|f| f.set_len(2048));
                        }
                    }
                }
                std::thread::sleep(Duration::from_micros(300));
            }
        })
    };

    let mut source = FileSource::new(dir.path(), fast_options());
    let mut out = Snapshot::default();
    let (mut short, mut fresh) = (0, 0);
    let until = Instant::now() + Duration::from_millis(800);
    while Instant::now() < until {
        match source.read(&mut out).unwrap() {
            Read::Fresh => {
                fresh += 1;
                // Every snapshot handed out is a whole page as the writer wrote it, or the
                // zeros of a file sized back (which carry no frame: the version check refuses
                // a zeroed static page, and a zeroed graphics page is status OFF).
                // One exception the pages' protocol cannot exclude: a writer descheduled just
                // after writing a frame's `packetId` (ACC writes it first, with no sequence
                // lock) leaves a page that every read agrees on, the new id over the previous
                // frame's values. Under a loaded machine that happens; anything else (zeros
                // mixed in, values of no frame) must not.
                let g = &out.graphics;
                let id = g.packet_id.get();
                let time = g.i_current_time.get();
                assert!(
                    time == id.wrapping_mul(10) || time == id.wrapping_sub(1).wrapping_mul(10),
                    "graphics page of no frame: packetId {id}, iCurrentTime {time}"
                );
                assert_eq!(out.statics.track_text(), "monza");
            }
            Read::Waiting(Waiting::ShortFile { .. }) => short += 1,
            Read::Unchanged | Read::Waiting(_) => {}
            Read::End => panic!("a live source does not end"),
        }
    }
    stop.store(true, Ordering::Relaxed);
    chaos.join().unwrap();
    writer.join().unwrap();
    assert!(
        short > 0,
        "the truncations were never seen ({fresh} fresh reads)"
    );

    // Whole again: the reader picks the pages up.
    for kind in PageKind::ALL {
        let path = dir.path().join(kind.file_name());
        let _ = std::fs::remove_file(&path);
    }
    write_pages(dir.path(), &acc_pages(500));
    // The reader may still hold a file the chaos deleted, and first hand out the last frame
    // written into it (a real frame of the old writer); once that file is quiet it notices
    // the file was replaced, opens the new one and reads its pages.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let read = source.read(&mut out).unwrap();
        if read == Read::Fresh && out.graphics.packet_id.get() == 500 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the re-created pages were not read: still {read:?} with packetId {}",
            out.graphics.packet_id.get()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    println!("{short} short reads, {fresh} fresh reads");
}
