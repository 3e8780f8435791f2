//! Decode throughput: physics + graphics pairs read from mapped pages with the torn-read
//! check, as the live source does at every poll. Target: >= 3,000,000 pairs/s on one core.
//!
//! Run: `cargo bench -p pitwall-acc --bench decode`. Pages live in /dev/shm when it exists
//! (as with the Linux bridges), else in a temporary directory.

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use pitwall_acc::decode::set_utf16;
use pitwall_acc::layout::{Graphics, Physics};
use pitwall_acc::sink::{FileSink, PageSink};
use pitwall_acc::source::{FileSource, LiveOptions};
use pitwall_acc::{PageKind, Read, Snapshot, Source};
use std::time::Duration;
use zerocopy::{FromBytes, IntoBytes};

fn pages() -> Snapshot {
    let mut s = Snapshot::default();
    set_utf16(&mut s.statics.sm_version, "1.9");
    set_utf16(&mut s.statics.track, "monza");
    s.graphics.status.set(2);
    s.graphics.i_current_time.set(61_234);
    s.physics.speed_kmh.set(201.5);
    s
}

fn shm_dir() -> tempfile::TempDir {
    let base = std::path::Path::new("/dev/shm");
    if base.is_dir() {
        tempfile::tempdir_in(base)
    } else {
        tempfile::tempdir()
    }
    .expect("temp dir")
}

fn bench(c: &mut Criterion) {
    let dir = shm_dir();
    let mut sink = FileSink::create(dir.path()).expect("sink");
    let mut snap = pages();
    for kind in PageKind::ALL {
        sink.write(kind, snap.page_bytes(kind)).expect("write");
    }
    let options = LiveOptions {
        stale_after: Duration::from_secs(3600),
        ..LiveOptions::default()
    };
    let mut source = FileSource::new(dir.path(), options);
    let mut out = Snapshot::default();
    assert_eq!(source.read(&mut out).expect("read"), Read::Fresh);

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(1));

    // The common poll: nothing new. Copies physics + graphics with the double-read and the
    // verification pass, copies static, compares all three with the last snapshot.
    group.bench_function("poll_unchanged_pair", |b| {
        b.iter(|| {
            let r = source.read(black_box(&mut out)).expect("read");
            debug_assert_eq!(r, Read::Unchanged);
            black_box(r)
        })
    });

    // A new frame every iteration: the game (here, the sink in the same thread) writes
    // physics and graphics, then the source reads a fresh pair and decodes lap fields.
    let mut id = 0i32;
    group.bench_function("write_then_read_fresh_pair", |b| {
        b.iter(|| {
            id = id.wrapping_add(1);
            snap.physics.packet_id.set(id);
            snap.graphics.packet_id.set(id);
            sink.write(PageKind::Physics, snap.physics.as_bytes())
                .expect("write");
            sink.write(PageKind::Graphics, snap.graphics.as_bytes())
                .expect("write");
            let r = source.read(&mut out).expect("read");
            debug_assert_eq!(r, Read::Fresh);
            black_box((
                out.graphics.i_current_time.get(),
                out.graphics.status(),
                out.physics.speed_kmh.get(),
            ))
        })
    });

    // Zero-copy typed view of bytes already in memory.
    let bytes = snap.graphics.as_bytes().to_vec();
    let pbytes = snap.physics.as_bytes().to_vec();
    group.bench_function("view_pair_from_bytes", |b| {
        b.iter(|| {
            let g = Graphics::ref_from_bytes(black_box(&bytes)).expect("size");
            let p = Physics::ref_from_bytes(black_box(&pbytes)).expect("size");
            black_box((
                g.i_current_time.get(),
                g.completed_laps.get(),
                p.speed_kmh.get(),
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
