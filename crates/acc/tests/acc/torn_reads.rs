//! Torn reads: a writer thread rewrites the pages while the reader copies them. Its own test
//! binary, so that no other test competes for the two cores: a writer descheduled in the
//! middle of a page for the whole of a read is the one case ACC's lock-free pages cannot
//! reveal to any reader, and it should stay as rare here as it is in the game.

use pitwall_acc::decode::set_utf16;
use pitwall_acc::source::{FileSource, LiveOptions};
use pitwall_acc::{PageKind, Read, Snapshot, Source};
use pitwall_sim::sink::{FileSink, PageSink};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use zerocopy::IntoBytes;

fn acc_static() -> Snapshot {
    let mut s = Snapshot::default();
    set_utf16(&mut s.statics.sm_version, "1.9");
    s
}

/// A writer thread rewrites both pages back to back as fast as it can, every word derived
/// from the frame's `packetId`, so the reader's copies keep overlapping writes; every
/// snapshot the reader accepts must be whole, and some must get through.
#[test]
fn no_torn_snapshot_under_a_concurrent_writer() {
    // tmpfs, where the bridges keep their files: on a disk-backed file the kernel's
    // write-back makes the writer fault and stall in the middle of a page, which no reader
    // can tell from a finished page.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let mut sink = FileSink::create(dir.path()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut pages = acc_static();
            let mut id = 1i32;
            while !stop.load(Ordering::Relaxed) {
                id += 1;
                pages.graphics.packet_id.set(id);
                pages.physics.packet_id.set(id);
                fill_words(pages.graphics.as_mut_bytes(), |i| id ^ i);
                fill_words(pages.physics.as_mut_bytes(), |i| id.wrapping_mul(3) ^ i);
                sink.write(PageKind::Physics, pages.physics.as_bytes())
                    .unwrap();
                sink.write(PageKind::Graphics, pages.graphics.as_bytes())
                    .unwrap();
                // A new frame every ~0.5 ms (the game: every 2.5 ms) from the other core,
                // while the reader polls without pause: without the settle pause before the
                // check (`shm::SETTLE`), 5-20 % of the snapshots accepted here were torn.
                std::thread::sleep(Duration::from_micros(500));
            }
        })
    };
    // Static page with a valid version, written once by another sink on the same files.
    let mut static_sink = FileSink::create(dir.path()).unwrap();
    static_sink
        .write(PageKind::Static, acc_static().statics.as_bytes())
        .unwrap();

    let mut source = FileSource::new(
        dir.path(),
        LiveOptions {
            poll_interval: Duration::ZERO,
            ..LiveOptions::default()
        },
    );
    let mut out = Snapshot::default();
    let mut fresh = 0;
    let mut torn = 0;
    let deadline = Instant::now() + Duration::from_millis(400);
    while Instant::now() < deadline {
        if let Read::Fresh = source.read(&mut out).unwrap() {
            fresh += 1;
            let gid = out.graphics.packet_id.get();
            if gid == 0 {
                continue; // graphics not written yet: a whole (zero) page, not a torn one
            }
            let graphics_ok = words_match(out.graphics.as_bytes(), |i| gid ^ i);
            let pid = out.physics.packet_id.get();
            let physics_ok = words_match(out.physics.as_bytes(), |i| pid.wrapping_mul(3) ^ i);
            if !(graphics_ok && physics_ok) {
                torn += 1;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("{fresh} fresh snapshots, {torn} torn");
    assert!(fresh >= 10, "only {fresh} whole snapshots got through");
    // A writer descheduled mid-page for a whole read is the one undetectable case (module
    // doc): on a loaded two-core machine it happens a few times a run, far below the rate of
    // copies overlapping a write that the check rejects (most reads here).
    assert!(
        torn <= 5 + fresh / 100,
        "{torn} torn snapshots accepted out of {fresh}"
    );
}

/// Whether every word after `packetId` holds the value the writer derives from the id.
fn words_match(bytes: &[u8], expected: impl Fn(i32) -> i32) -> bool {
    bytes
        .chunks_exact(4)
        .enumerate()
        .skip(1)
        .all(|(i, w)| i32::from_le_bytes(w.try_into().unwrap()) == expected(i as i32))
}

/// Writes every word after `packetId`.
fn fill_words(bytes: &mut [u8], value: impl Fn(i32) -> i32) {
    for (i, w) in bytes.chunks_exact_mut(4).enumerate().skip(1) {
        w.copy_from_slice(&value(i as i32).to_le_bytes());
    }
}
