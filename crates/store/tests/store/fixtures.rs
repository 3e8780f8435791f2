//! Sessions and laps to store: plain builders with explicit ids and times, and a seeded
//! generator of many laps for comparisons with the core statistics.

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{Conditions, Lap, LapId, SessionId, SessionInfo};

/// A session; the id is given, the rest are plausible defaults. Even ids have conditions
/// (one value outside ACC's documented range), odd ones none.
pub(crate) fn session(
    id: u64,
    track: &str,
    car: &str,
    driver: &str,
    started_at_ms: u64,
) -> SessionInfo {
    SessionInfo {
        id: SessionId(id),
        track: track.to_string(),
        car: car.to_string(),
        session_type: SessionType::Practice,
        driver: driver.to_string(),
        sector_count: 3,
        session_index: 0,
        started_at_ms,
        sm_version: "1.9".to_string(),
        ac_version: "1.10.2".to_string(),
        online: false,
        joined_late: false,
        conditions: id.is_multiple_of(2).then_some(Conditions {
            air_temp_c: 21.7,
            road_temp_c: 29.125,
            grip: GripStatus::Greasy,
            rain: RainIntensity::Unknown(9),
        }),
    }
}

/// A valid flying lap of `session`, completed at `completed_at_ms`, with three known sectors
/// summing to `time_ms`.
pub(crate) fn lap(
    session: &SessionInfo,
    id: u64,
    number: u32,
    time_ms: u32,
    completed_at_ms: u64,
) -> Lap {
    let s1 = time_ms / 3;
    let s2 = time_ms / 3 + 7;
    Lap {
        id: LapId(id),
        session: session.id,
        number,
        time_ms,
        sectors: vec![Some(s1), Some(s2), Some(time_ms - s1 - s2)],
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: completed_at_ms - u64::from(time_ms),
        completed_at_ms,
        car: pitwall_core::model::Car::new(0, session.car.clone()),
        driver: session.driver.clone(),
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Sessions over two tracks, two cars and three drivers, with laps of every kind: invalid,
/// out- and in-laps, unknown and zero sectors, full-range ids. Completion times are unique.
pub(crate) fn many(
    seed: u64,
    sessions: usize,
    laps_per_session: u32,
) -> Vec<(SessionInfo, Vec<Lap>)> {
    let mut rng = Rng::new(seed);
    let tracks = ["monza", "spa"];
    let cars = ["ferrari_296_gt3", "bmw_m4_gt3"];
    let drivers = ["Ann Racer", "Bo Quick", "Cy Slow"];
    let mut clock = 1_700_000_000_000_u64;
    let mut out = Vec::new();
    for _ in 0..sessions {
        clock += 3_600_000;
        let mut info = session(
            rng.next(),
            tracks[rng.below(2) as usize],
            cars[rng.below(2) as usize],
            drivers[rng.below(3) as usize],
            clock,
        );
        info.session_type = SessionType::from(rng.below(3) as i32);
        let mut laps = Vec::new();
        let mut at = clock;
        for number in 1..=laps_per_session {
            let time = 100_000 + rng.below(5_000) as u32;
            at += u64::from(time);
            let mut l = lap(&info, rng.next(), number, time, at);
            l.sectors = (0..3)
                .map(|_| match rng.below(20) {
                    0 => None,
                    1 => Some(0),
                    _ => Some(30_000 + rng.below(4_000) as u32),
                })
                .collect();
            l.valid = rng.below(5) != 0;
            l.invalid_sector = (!l.valid).then(|| rng.below(3) as u8);
            l.out_lap = number == 1;
            l.in_lap = rng.below(10) == 0;
            laps.push(l);
        }
        out.push((info, laps));
    }
    out
}
