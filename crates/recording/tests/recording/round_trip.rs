//! Recordings round trip: what goes in comes out, byte for byte, with its time stamps.

use pitwall_acc::{PageKind, Snapshot};
use pitwall_recording::{
    FORMAT_VERSION, Recorder, RecorderOptions, RecordingError, RecordingReader,
};
use proptest::prelude::*;
use std::time::Duration;

/// A snapshot at `at_us` whose pages all differ from those of any other `n`.
fn snap(n: u32, at_us: u64) -> Snapshot {
    let mut s = Snapshot {
        at: Duration::from_micros(at_us),
        ..Snapshot::default()
    };
    for kind in PageKind::ALL {
        for (i, b) in s.page_bytes_mut(kind).iter_mut().enumerate() {
            *b = (i as u32).wrapping_mul(31).wrapping_add(n * 7) as u8;
        }
    }
    s
}

fn read_all(bytes: &[u8]) -> Vec<Snapshot> {
    RecordingReader::new(bytes)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

fn options(block_frames: usize) -> RecorderOptions {
    RecorderOptions {
        block_frames,
        ..RecorderOptions::default()
    }
}

#[test]
fn frames_come_back_in_order_with_their_times_across_blocks() {
    let mut rec = Recorder::with_options(Vec::new(), options(4)).unwrap();
    let input: Vec<Snapshot> = (0..23)
        .map(|n| snap(n, 1_000 + u64::from(n) * 2_500))
        .collect();
    for s in &input {
        rec.push(s).unwrap();
    }
    let stats = rec.stats();
    let bytes = rec.finish().unwrap();
    assert_eq!(stats.frames, 23);
    assert_eq!(stats.records, 69);
    assert_eq!(
        stats.blocks, 5,
        "23 frames in blocks of 4: five closed by push"
    );
    assert_eq!(read_all(&bytes), input);
    let reader = RecordingReader::new(&bytes[..]).unwrap();
    assert_eq!(reader.info().version, FORMAT_VERSION);
    assert!(reader.info().creator.starts_with("pitwall-acc "));
    assert!(reader.info().created_unix_us > 0);
}

#[test]
fn only_changed_pages_are_recorded_and_unchanged_pushes_are_skipped() {
    let mut rec = Recorder::new(Vec::new()).unwrap();
    let mut s = Snapshot::default();
    // First push: all three pages, even all zero.
    rec.push(&s).unwrap();
    assert_eq!((rec.stats().frames, rec.stats().records), (1, 3));
    // Nothing changed: nothing recorded.
    s.at = Duration::from_millis(3);
    rec.push(&s).unwrap();
    assert_eq!((rec.stats().frames, rec.stats().records), (1, 3));
    // Physics only.
    s.at = Duration::from_millis(5);
    s.physics.packet_id.set(1);
    rec.push(&s).unwrap();
    assert_eq!((rec.stats().frames, rec.stats().records), (2, 4));
    assert_eq!(rec.stats().page_bytes, 800 + 1588 + 820 + 800);
    let frames = read_all(&rec.finish().unwrap());
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].at, Duration::ZERO);
    assert_eq!(frames[1], s);
}

#[test]
fn times_are_kept_to_the_microsecond_even_when_they_go_backwards() {
    let mut rec = Recorder::new(Vec::new()).unwrap();
    let times = [5_000_000_123, 17, 17, 3_600_000_000_000, 0];
    for (n, &t) in times.iter().enumerate() {
        let mut s = snap(n as u32, 0);
        s.at = Duration::from_nanos(t * 1_000 + 999); // the sub-microsecond part is dropped
        rec.push(&s).unwrap();
    }
    let got: Vec<u64> = read_all(&rec.finish().unwrap())
        .iter()
        .map(|s| s.at.as_micros() as u64)
        .collect();
    assert_eq!(got, times);
}

#[test]
fn flush_makes_everything_pushed_so_far_readable() {
    let mut rec = Recorder::new(Vec::new()).unwrap();
    for n in 0..5 {
        rec.push(&snap(n, u64::from(n))).unwrap();
    }
    rec.flush().unwrap();
    let written = rec.stats().bytes;
    let mut reader = RecordingReader::new(&rec.get_ref()[..]).unwrap();
    for n in 0..5 {
        assert_eq!(reader.next().unwrap().unwrap(), snap(n, u64::from(n)));
    }
    // No end marker yet: the reader says where the recording stops.
    match reader.next() {
        Some(Err(RecordingError::Truncated { offset })) => assert_eq!(offset, written),
        other => panic!("expected a truncation error, got {other:?}"),
    }
    assert!(reader.next().is_none());
    // The recording goes on after a flush.
    rec.push(&snap(9, 100)).unwrap();
    let frames = read_all(&rec.finish().unwrap());
    assert_eq!(frames.len(), 6);
    assert_eq!(frames[5], snap(9, 100));
}

#[test]
fn files_round_trip_through_create_and_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.pwrec");
    let mut rec = pitwall_recording::create(&path).unwrap();
    let input: Vec<Snapshot> = (0..10).map(|n| snap(n, u64::from(n) * 2_500)).collect();
    for s in &input {
        rec.push(s).unwrap();
    }
    rec.flush().unwrap();
    let flushed = rec.stats().bytes;
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        flushed,
        "flush reaches the file"
    );
    drop(rec.finish().unwrap());
    // `finish` adds the 24-byte end marker.
    assert_eq!(std::fs::metadata(&path).unwrap().len(), flushed + 24);
    let back: Vec<Snapshot> = pitwall_recording::open(&path)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, input);
}

#[test]
fn missing_files_name_the_path() {
    let err = pitwall_recording::open(std::path::Path::new("/nonexistent/x.pwrec")).unwrap_err();
    assert!(matches!(err, RecordingError::Open { .. }));
    assert!(err.to_string().contains("/nonexistent/x.pwrec"));
    let err =
        pitwall_recording::create(std::path::Path::new("/nonexistent/dir/x.pwrec")).unwrap_err();
    assert!(matches!(err, RecordingError::Create { .. }));
}

/// One step of a random session: a time step and, per page, words to overwrite.
type Step = (u64, [Vec<(usize, u32)>; 3]);

fn step() -> impl Strategy<Value = Step> {
    let edits = |words: usize| {
        prop_oneof![
            2 => Just(Vec::new()),
            3 => prop::collection::vec((0..words, any::<u32>()), 1..6),
            1 => prop::collection::vec((0..words, 0..4u32), 1..3),
        ]
    };
    (0..20_000u64, [edits(200), edits(397), edits(205)])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_sessions_round_trip(steps in prop::collection::vec(step(), 1..60), block in 1..8usize) {
        let mut rec = Recorder::with_options(Vec::new(), options(block)).unwrap();
        let mut s = Snapshot::default();
        let mut expected: Vec<Snapshot> = Vec::new();
        let mut t = 0;
        for (dt, edits) in &steps {
            t += dt;
            s.at = Duration::from_micros(t);
            for (kind, edits) in PageKind::ALL.into_iter().zip(edits) {
                let page = s.page_bytes_mut(kind);
                for &(w, v) in edits {
                    page[w * 4..w * 4 + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
            rec.push(&s).unwrap();
            let changed = expected.last().is_none_or(|last| {
                last.physics != s.physics || last.graphics != s.graphics || last.statics != s.statics
            });
            if changed {
                expected.push(s.clone());
            }
        }
        prop_assert_eq!(rec.stats().frames, expected.len() as u64);
        let got = read_all(&rec.finish().unwrap());
        prop_assert_eq!(got, expected);
    }
}

#[test]
fn recorders_and_readers_can_move_to_another_thread() {
    fn is_send<T: Send>() {}
    is_send::<Recorder<std::io::BufWriter<std::fs::File>>>();
    is_send::<RecordingReader<std::io::BufReader<std::fs::File>>>();
}

/// A disk that fills up after `room` bytes.
struct FullDisk {
    room: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_stops_the_recorder_for_good() {
    let mut rec = Recorder::with_options(FullDisk { room: 200 }, options(2)).unwrap();
    rec.push(&snap(0, 0)).unwrap();
    let err = rec.push(&snap(1, 1)).unwrap_err();
    assert!(matches!(err, RecordingError::Write(_)), "{err:?}");
    assert!(err.to_string().contains("disk space"));
    assert!(matches!(
        rec.push(&snap(2, 2)),
        Err(RecordingError::Stopped)
    ));
    assert!(matches!(rec.flush(), Err(RecordingError::Stopped)));
    assert!(matches!(rec.finish(), Err(RecordingError::Stopped)));
}

/// `physics_every` keeps physics at a chosen rate while graphics changes are all kept.
#[test]
fn physics_can_be_kept_at_a_lower_rate() {
    use pitwall_recording::RecorderOptions;
    let options = RecorderOptions {
        physics_every: Duration::from_millis(10),
        ..RecorderOptions::default()
    };
    let mut recorder = Recorder::with_options(Vec::new(), options).unwrap();
    let mut snap = Snapshot::default();
    // One second: physics every 2.5 ms (400 Hz), graphics every 10 ms... offset by 1 ms.
    for step in 0..400u32 {
        snap.at = Duration::from_micros(u64::from(step) * 2_500);
        snap.physics.packet_id.set(step as i32);
        if step % 4 == 1 {
            snap.graphics.packet_id.set((step / 4) as i32);
        }
        recorder.push(&snap).unwrap();
    }
    let bytes = recorder.finish().unwrap();
    let frames: Vec<Snapshot> = RecordingReader::new(&bytes[..])
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let physics_ids: std::collections::BTreeSet<i32> =
        frames.iter().map(|f| f.physics.packet_id.get()).collect();
    let graphics_ids: std::collections::BTreeSet<i32> =
        frames.iter().map(|f| f.graphics.packet_id.get()).collect();
    assert_eq!(graphics_ids.len(), 100, "every graphics change kept");
    assert!(
        (99..=101).contains(&physics_ids.len()),
        "physics at 100 Hz, got {}",
        physics_ids.len()
    );
    // Consecutive recorded physics pages are at least 10 ms apart.
    let mut last: Option<(i32, Duration)> = None;
    for f in &frames {
        let id = f.physics.packet_id.get();
        if last.is_none_or(|(l, _)| l != id) {
            if let Some((_, t)) = last {
                assert!(f.at - t >= Duration::from_millis(10));
            }
            last = Some((id, f.at));
        }
    }
}
