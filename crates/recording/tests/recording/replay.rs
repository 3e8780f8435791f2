//! Replaying a recording as a `Source`: every frame once, paced or not, then `End`.

use pitwall_acc::{Read, Snapshot, Source, SourceError};
use pitwall_recording::{Pace, Recorder, RecordingError, Replay};
use std::io::Cursor;
use std::time::{Duration, Instant};

/// A recording of `n` frames `step_ms` apart, and its frames.
fn recording(n: u32, step_ms: u64) -> (Vec<u8>, Vec<Snapshot>) {
    let mut rec = Recorder::new(Vec::new()).unwrap();
    let mut frames = Vec::new();
    let mut s = Snapshot::default();
    for i in 0..n {
        s.at = Duration::from_millis(1_000 + u64::from(i) * step_ms);
        s.physics.packet_id.set(i as i32);
        s.graphics.i_current_time.set(i as i32 * 16);
        rec.push(&s).unwrap();
        frames.push(s.clone());
    }
    (rec.finish().unwrap(), frames)
}

/// Reads until `End` or an error, sleeping as the source asks; the frames and the error.
fn drain(source: &mut dyn Source) -> (Vec<Snapshot>, Option<SourceError>) {
    let mut out = Snapshot::default();
    let mut frames = Vec::new();
    loop {
        match source.read(&mut out) {
            Ok(Read::Fresh) => frames.push(out.clone()),
            Ok(Read::Unchanged) => std::thread::sleep(source.poll_interval()),
            Ok(Read::End) => return (frames, None),
            Ok(Read::Waiting(w)) => panic!("a replay never waits for the game: {w}"),
            Err(e) => return (frames, Some(e)),
        }
    }
}

#[test]
fn fast_replay_gives_every_frame_then_end() {
    let (bytes, frames) = recording(500, 2);
    let mut replay = Replay::from_reader(Cursor::new(bytes), Pace::Fast).unwrap();
    assert_eq!(replay.poll_interval(), Duration::ZERO);
    let mut out = Snapshot::default();
    for expected in &frames {
        assert_eq!(replay.read(&mut out).unwrap(), Read::Fresh);
        assert_eq!(&out, expected);
    }
    assert_eq!(replay.read(&mut out).unwrap(), Read::End);
    assert_eq!(replay.read(&mut out).unwrap(), Read::End);
    assert_eq!(
        &out,
        frames.last().unwrap(),
        "End leaves the last frame in place"
    );
}

#[test]
fn real_time_replay_paces_frames_without_blocking() {
    let (bytes, frames) = recording(3, 100);
    let mut replay = Replay::from_reader(Cursor::new(bytes), Pace::RealTime).unwrap();
    let mut out = Snapshot::default();
    let start = Instant::now();
    // The first frame is due at once; the next one 100 ms later.
    assert_eq!(replay.read(&mut out).unwrap(), Read::Fresh);
    let t = Instant::now();
    assert_eq!(replay.read(&mut out).unwrap(), Read::Unchanged);
    assert!(
        t.elapsed() < Duration::from_millis(50),
        "read must not block"
    );
    let wait = replay.poll_interval();
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_millis(50),
        "{wait:?}"
    );
    let (rest, error) = drain(&mut replay);
    assert!(error.is_none());
    assert_eq!(rest, frames[1..]);
    assert!(
        start.elapsed() >= Duration::from_millis(200),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn speed_divides_the_recorded_time() {
    let (bytes, frames) = recording(5, 100);
    let mut replay = Replay::from_reader(Cursor::new(bytes), Pace::Speed(8.0)).unwrap();
    let start = Instant::now();
    let (got, error) = drain(&mut replay);
    let took = start.elapsed();
    assert!(error.is_none());
    assert_eq!(got, frames, "frames keep their recorded times");
    // 400 ms recorded, at eight times the speed: 50 ms.
    assert!(took >= Duration::from_millis(50), "{took:?}");
    assert!(took < Duration::from_millis(300), "{took:?}");
}

#[test]
fn speeds_must_be_positive_numbers() {
    let (bytes, _) = recording(2, 1);
    for bad in [0.0, -1.0, f64::NAN, f64::NEG_INFINITY] {
        let err = Replay::from_reader(Cursor::new(bytes.clone()), Pace::Speed(bad)).unwrap_err();
        assert!(matches!(err, RecordingError::InvalidSpeed(_)), "{bad}");
    }
    // Infinitely fast is just fast.
    let mut replay = Replay::from_reader(Cursor::new(bytes), Pace::Speed(f64::INFINITY)).unwrap();
    assert_eq!(replay.poll_interval(), Duration::ZERO);
    assert_eq!(drain(&mut replay).0.len(), 2);
}

#[test]
fn damage_is_reported_once_after_the_intact_frames() {
    let (bytes, frames) = recording(10, 2);
    // Cut into the 24-byte end marker: every frame is intact, then the error names where the
    // end marker should be.
    let cut = &bytes[..bytes.len() - 1];
    let mut replay = Replay::from_reader(Cursor::new(cut.to_vec()), Pace::Fast).unwrap();
    let (got, error) = drain(&mut replay);
    assert_eq!(got, frames);
    let recording_error = match &error {
        Some(SourceError::Other(e)) => e.downcast_ref::<RecordingError>(),
        _ => None,
    };
    match recording_error {
        Some(RecordingError::Truncated { offset }) => {
            assert_eq!(*offset, bytes.len() as u64 - 24)
        }
        _ => panic!("expected a truncation, got {error:?}"),
    }
    assert_eq!(replay.read(&mut Snapshot::default()).unwrap(), Read::End);
}

#[test]
fn replays_open_files_and_describe_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stint.pwrec");
    let (bytes, frames) = recording(20, 3);
    std::fs::write(&path, bytes).unwrap();
    let mut replay = Replay::open(&path, Pace::Fast).unwrap();
    assert!(replay.describe().contains("stint.pwrec"));
    assert_eq!(drain(&mut replay).0, frames);
    assert!(matches!(
        Replay::open(&dir.path().join("missing"), Pace::Fast),
        Err(RecordingError::Open { .. })
    ));
    // The reader sees the same frames.
    let read: Vec<Snapshot> = pitwall_recording::open(&path)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(read, frames);
}

#[test]
fn replay_is_a_send_source() {
    fn is_send<T: Send>() {}
    is_send::<Replay>();
    let (bytes, _) = recording(1, 1);
    let boxed: Box<dyn Source> =
        Box::new(Replay::from_reader(Cursor::new(bytes), Pace::Fast).unwrap());
    assert_eq!(boxed.describe(), "recording (stream)");
}
