//! The benchmark data set, shared by the store benchmark and the `fill` example (which
//! the API benchmark, `bench/api.sh`, uses): 100,000 laps with 3 sectors in 5,000 sessions
//! of 20 laps, generated deterministically (the same data on every run).

#![allow(dead_code)]

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_store::{SessionWithLaps, SessionWrites};

pub(crate) const SESSIONS: u64 = 5_000;
pub(crate) const LAPS_PER_SESSION: u32 = 20;

/// A deterministic xorshift, so every run stores the same data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One session of `laps` laps starting at `start`.
pub(crate) fn session(rng: &mut Rng, start: u64, laps: u32) -> SessionWithLaps {
    let tracks = [
        "monza",
        "spa",
        "nurburgring",
        "brands_hatch",
        "zandvoort",
        "imola",
    ];
    let cars = [
        "ferrari_296_gt3",
        "bmw_m4_gt3",
        "porsche_992_gt3_r",
        "mclaren_720s_gt3_evo",
    ];
    let drivers = ["Ann Racer", "Bo Quick", "Cy Slow", "Di Steady", "Ed Late"];
    let info = SessionInfo {
        id: SessionId(rng.next()),
        track: tracks[rng.below(6) as usize].to_string(),
        car: cars[rng.below(4) as usize].to_string(),
        session_type: SessionType::from(rng.below(3) as i32),
        driver: drivers[rng.below(5) as usize].to_string(),
        sector_count: 3,
        session_index: 0,
        started_at_ms: start,
        sm_version: "1.9".to_string(),
        ac_version: "1.10.2".to_string(),
        online: false,
        joined_late: false,
        conditions: None,
    };
    let mut at = start;
    let laps = (1..=laps)
        .map(|number| {
            let s = [0, 1, 2].map(|_| 30_000 + rng.below(5_000) as u32);
            let time = s.iter().sum::<u32>();
            at += u64::from(time);
            Lap {
                id: LapId(rng.next()),
                session: info.id,
                number,
                time_ms: time,
                sectors: s.iter().map(|&t| Some(t)).collect(),
                valid: rng.below(6) != 0,
                invalid_sector: None,
                out_lap: number == 1,
                in_lap: number == laps_last(),
                partial: false,
                started_at_ms: at - u64::from(time),
                completed_at_ms: at,
                car: pitwall_core::model::Car::new(0, info.car.clone()),
                driver: info.driver.clone(),
            }
        })
        .collect();
    SessionWithLaps {
        info,
        ended_at_ms: Some(at),
        laps,
    }
}

fn laps_last() -> u32 {
    LAPS_PER_SESSION
}

/// Stores the whole data set, session by session; returns the time after the last session.
pub(crate) async fn fill(store: &impl SessionWrites) -> u64 {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut start = 1_700_000_000_000;
    for _ in 0..SESSIONS {
        let s = session(&mut rng, start, LAPS_PER_SESSION);
        store.import_session(&s).await.unwrap();
        start = s.ended_at_ms.unwrap() + 60_000;
    }
    start
}
