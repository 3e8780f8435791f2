//! The detector on a real ACC capture (`$PITWALL_REAL_DATA/shm/`, Brands Hatch): the car sits
//! in the pit lane with the timer at 15:20, crosses the line inside the pit lane (timer reset,
//! no completed lap), leaves the pit lane and drives 1 km of out-lap. Expected: one session,
//! zero completed laps, one out-lap in progress started at the pit-lane crossing.
//! Ignored unless run with `--include-ignored` (CI does); then it fails without
//! `PITWALL_REAL_DATA`.

use pitwall_acc::enums::SessionType;
use pitwall_core::{Detector, Event, FrameDecoder};
use pitwall_recording::read_acctest;

#[test]
#[ignore = pitwall_test_support::needs_real_data!()]
fn real_outlap_capture() {
    let path =
        pitwall_test_support::real_data_dir().join("shm/raceiq-brands-hatch-outlap.acctest.gz");
    let samples = read_acctest(std::fs::File::open(&path).expect("capture")).expect("read");
    assert_eq!(samples.len(), 3496);

    let mut decoder = FrameDecoder::default();
    let mut detector = Detector::new();
    let mut events = Vec::new();
    let mut crossing_at = None;
    for (i, s) in samples.iter().enumerate() {
        let at_ms = s.snapshot.at.as_millis() as u64;
        let (frame, statics) = decoder.decode(&s.snapshot, at_ms);
        if let Some(info) = statics {
            detector.statics(info);
        }
        let before = events.len();
        detector.push(&frame, &mut events);
        if events[before..]
            .iter()
            .any(|e| matches!(e, Event::LapStarted { .. }))
        {
            crossing_at = Some(i);
        }
    }

    let session = detector.session().expect("a session in progress");
    assert_eq!(session.track, "brands_hatch");
    assert_eq!(session.car, "mclaren_720s_gt3_evo");
    assert_eq!(session.driver, "Margot");
    assert_eq!(session.session_type, SessionType::Practice);
    assert_eq!(session.sector_count, 3);
    assert!(session.online && !session.joined_late);

    let starts: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::SessionStarted(_)))
        .collect();
    assert_eq!(starts.len(), 1, "{events:#?}");
    assert!(
        !events.iter().any(|e| matches!(e, Event::LapCompleted(_))),
        "no completed lap: {events:#?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::LapAbandoned { .. })),
        "{events:#?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::SessionEnded { .. })),
        "{events:#?}"
    );
    // Exactly one lap started: the out-lap, at the pit-lane crossing (sample 677).
    let laps: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::LapStarted { .. }))
        .collect();
    assert_eq!(laps.len(), 1, "{events:#?}");
    match laps[0] {
        Event::LapStarted {
            number,
            out_lap,
            partial,
            ..
        } => {
            assert_eq!(*number, 1);
            assert!(*out_lap, "started in the pit lane");
            assert!(!*partial);
        }
        _ => unreachable!(),
    }
    assert_eq!(crossing_at, Some(677));
}
