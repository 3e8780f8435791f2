//! Garbage page values on a valid static page: the detector drops absurd values (INT32_MAX
//! lap timers, negative counts, session indexes in the millions, NaN times) rather than
//! inventing laps or sessions.
//!
//! - `random_timing_values_make_no_session_and_no_lap`: the reported case, every timing
//!   value random at every frame for five minutes (it made a session per frame).
//! - `one_int32_max_timer_reading_does_not_make_a_lap_of_it`: the last frame of a clean lap
//!   with `iCurrentTime` = INT32_MAX (it made a lap of 2,147,483,647 ms), and more.
//! - `absurd_frames_are_dropped_whole` (proptest): a clean simulated drive with absurd values
//!   injected into random fields of random frames gives exactly the events of the same drive
//!   without those frames.

use crate::common;

use pitwall_acc::Snapshot;
use pitwall_acc::decode::set_utf16;
use pitwall_core::{Detector, Event, Frame, FrameDecoder, StaticInfo};
use pitwall_sim::{Scenario, SimOptions, Simulator, sample};
use proptest::prelude::*;
use std::sync::OnceLock;
use std::time::Duration;

/// No lap the detector reports may be longer than this (ms): an hour, the detector's own
/// ceiling on page timer values.
const LONGEST_LAP_MS: u32 = 3_600_000;

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }
    fn i32(&mut self) -> i32 {
        self.next() as i32
    }
}

/// A valid page set: ACC's static page, a live practice session.
fn valid_pages() -> Snapshot {
    let mut s = Snapshot::default();
    set_utf16(&mut s.statics.sm_version, "1.9");
    set_utf16(&mut s.statics.ac_version, "1.10");
    set_utf16(&mut s.statics.track, "monza");
    set_utf16(&mut s.statics.car_model, "ferrari_296_gt3");
    set_utf16(&mut s.statics.player_name, "Garbage");
    s.statics.sector_count.set(3);
    s.graphics.status.set(2);
    s.graphics.session.set(0);
    s.graphics.is_valid_lap.set(1);
    s.physics.speed_kmh.set(150.0);
    s
}

fn sessions(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::SessionStarted(_)))
        .count()
}

#[test]
fn random_timing_values_make_no_session_and_no_lap() {
    let mut rng = Lcg(0x5eed_0011);
    let base = valid_pages();
    // 60 Hz for five minutes.
    let snaps = (0..18_000u32).map(|i| {
        let mut s = base.clone();
        s.at = Duration::from_micros(u64::from(i) * 16_667);
        let g = &mut s.graphics;
        g.packet_id.set(i as i32 + 1);
        g.i_current_time.set(rng.i32());
        g.i_last_time.set(rng.i32());
        g.i_best_time.set(rng.i32());
        g.last_sector_time.set(rng.i32());
        g.session_index.set(rng.i32());
        g.completed_laps.set(rng.i32());
        g.session_time_left.set(f32::from_bits(rng.next()));
        s
    });
    let events = common::run(snaps);
    let laps = common::laps(&events);
    assert!(
        sessions(&events) <= 1,
        "{} sessions from random values",
        sessions(&events)
    );
    assert!(
        laps.is_empty(),
        "laps invented from random values: {laps:?}"
    );
}

#[test]
fn one_int32_max_timer_reading_does_not_make_a_lap_of_it() {
    let script = "track monza\ncar ferrari_296_gt3\nsession practice\nsectors 3\n\
                  lap 1:50.000\nlap 1:48.500\nlap 1:49.250\n";
    let sim = Simulator::new(Scenario::parse(script).unwrap(), SimOptions::default());
    let snaps: Vec<Snapshot> = sample(sim, Duration::from_millis(100)).collect();
    let clean = common::laps(&common::run(snaps.iter().cloned()));
    assert_eq!(
        clean.iter().map(|l| l.time_ms).collect::<Vec<_>>(),
        [110_000, 108_500, 109_250]
    );
    // The last reading before the second lap's line says INT32_MAX (the lap timer's peak,
    // which the game's lower `iLastTime` cannot then beat); later ones a huge `iLastTime`, a
    // negative count, a session index in the billions.
    let line = snaps
        .iter()
        .position(|s| s.graphics.completed_laps.get() == 2)
        .unwrap();
    let mut garbled = snaps.clone();
    garbled[line - 1].graphics.i_current_time.set(i32::MAX);
    garbled[line + 300].graphics.i_last_time.set(i32::MAX - 1);
    garbled[line + 400].graphics.completed_laps.set(-5);
    garbled[line + 401].graphics.session_index.set(i32::MAX);
    let events = common::run(garbled.into_iter());
    let laps = common::laps(&events);
    assert!(
        laps.iter().all(|l| l.time_ms <= LONGEST_LAP_MS),
        "an implausible lap: {laps:?}"
    );
    assert_eq!(
        laps.iter().map(|l| l.time_ms).collect::<Vec<_>>(),
        [110_000, 108_500, 109_250]
    );
    assert_eq!(sessions(&events), 1);
}

/// A clean drive, decoded once: frames with the static page they came with.
fn clean_drive() -> &'static [(Frame, Option<StaticInfo>)] {
    static DRIVE: OnceLock<Vec<(Frame, Option<StaticInfo>)>> = OnceLock::new();
    DRIVE.get_or_init(|| {
        let script = "track brands_hatch\ncar ferrari_296_gt3\nsession practice\nsectors 3\n\
                      pitbox 2s\noutlap 1:40.000\nlap 1:25.300\nlap 1:24.900\n\
                      restart\nlap 1:26.100\nnext qualify\nlap 1:25.700\n";
        let sim = Simulator::new(Scenario::parse(script).unwrap(), SimOptions::default());
        let mut decoder = FrameDecoder::default();
        sample(sim, Duration::from_millis(50))
            .map(|s| decoder.decode(&s, s.at.as_millis() as u64))
            .collect()
    })
}

/// Feeds frames, skipping the pushes of `skip` (static pages still go in).
fn detect(frames: &[(Frame, Option<StaticInfo>)], skip: &[bool]) -> Vec<Event> {
    let mut detector = Detector::new();
    let mut out = Vec::new();
    for ((frame, statics), skip) in frames.iter().zip(skip) {
        if let Some(info) = statics {
            detector.statics(info.clone());
        }
        if !skip {
            detector.push(frame, &mut out);
        }
    }
    let end = frames.last().map_or(0, |(f, _)| f.at_ms) + 5_000;
    detector.gone(end, &mut out);
    out
}

/// An absurd integer page value: INT32_MIN, a negative, or beyond any game state.
fn absurd_int() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(i32::MIN),
        Just(-1),
        i32::MIN..0,
        1_000_000_000..i32::MAX,
        Just(i32::MAX - 1),
    ]
}

fn absurd_float() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(1.0e30),
        Just(-1.0e30),
    ]
}

/// One absurd value in one field of one frame (`at` a fraction of the drive).
#[derive(Clone, Debug)]
enum Garbage {
    CurrentMs(i32),
    /// INT32_MAX included: a running timer is never the "no time" sentinel.
    CurrentMax,
    LastMs(i32),
    LastSectorMs(i32),
    CompletedLaps(i32),
    SessionIndex(i32),
    SectorIndex(i32),
    TimeLeft(f32),
    Distance(f32),
    NegativeDistance,
}

fn garbage() -> impl Strategy<Value = (f64, Garbage)> {
    let field = prop_oneof![
        absurd_int().prop_map(Garbage::CurrentMs),
        Just(Garbage::CurrentMax),
        absurd_int().prop_map(Garbage::LastMs),
        absurd_int().prop_map(Garbage::LastSectorMs),
        prop_oneof![absurd_int(), Just(i32::MAX)].prop_map(Garbage::CompletedLaps),
        prop_oneof![absurd_int(), Just(i32::MAX)].prop_map(Garbage::SessionIndex),
        prop_oneof![absurd_int(), Just(i32::MAX), Just(9)].prop_map(Garbage::SectorIndex),
        absurd_float().prop_map(Garbage::TimeLeft),
        absurd_float().prop_map(Garbage::Distance),
        Just(Garbage::NegativeDistance),
    ];
    (0.0..1.0f64, field)
}

fn apply(frame: &mut Frame, garbage: &Garbage) {
    match *garbage {
        Garbage::CurrentMs(v) => frame.current_ms = v,
        Garbage::CurrentMax => frame.current_ms = i32::MAX,
        Garbage::LastMs(v) => frame.last_ms = v,
        Garbage::LastSectorMs(v) => frame.last_sector_ms = v,
        Garbage::CompletedLaps(v) => frame.completed_laps = v,
        Garbage::SessionIndex(v) => frame.session_index = v,
        Garbage::SectorIndex(v) => frame.sector_index = v,
        Garbage::TimeLeft(v) => frame.time_left_ms = v,
        Garbage::Distance(v) => frame.distance_m = v,
        Garbage::NegativeDistance => frame.distance_m = -frame.distance_m.abs() - 1.0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn absurd_frames_are_dropped_whole(injected in prop::collection::vec(garbage(), 1..60)) {
        let clean = clean_drive();
        let mut frames = clean.to_vec();
        let mut hit = vec![false; frames.len()];
        for (at, g) in &injected {
            let i = ((*at * frames.len() as f64) as usize).min(frames.len() - 1);
            apply(&mut frames[i].0, g);
            hit[i] = true;
        }
        let garbled = detect(&frames, &vec![false; frames.len()]);
        let without = detect(clean, &hit);
        let laps = common::laps(&garbled);
        prop_assert!(
            laps.iter().all(|l| l.time_ms <= LONGEST_LAP_MS),
            "an implausible lap: {:?}", laps
        );
        prop_assert!(sessions(&garbled) <= sessions(&detect(clean, &vec![false; clean.len()])));
        prop_assert_eq!(garbled, without);
    }
}
