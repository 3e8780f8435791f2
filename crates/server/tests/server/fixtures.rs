//! The data the tests read: four sessions of two drivers on two tracks, with laps of every
//! kind (out-lap, invalid, unknown sectors, a partial lap of a session joined late), and
//! uploads built from sessions.

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_live::{FullSessionJson, LapJson};
use pitwall_store::{SessionWithLaps, SessionWrites};
use serde_json::{Value, json};

/// 2024-05-31 10:00:00 UTC.
pub(crate) const T0: u64 = 1_717_149_600_000;

/// A session.
pub(crate) fn session(
    id: u64,
    driver: &str,
    track: &str,
    session_type: SessionType,
    started_at_ms: u64,
) -> SessionInfo {
    SessionInfo {
        id: SessionId(id),
        track: track.into(),
        car: "ferrari_296_gt3".into(),
        session_type,
        driver: driver.into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

/// A valid flying lap of three known sectors adding up to `time_ms`, completed `at` ms
/// after the session's start.
pub(crate) fn lap(info: &SessionInfo, id: u64, number: u32, time_ms: u32, at: u64) -> Lap {
    let s1 = time_ms / 3;
    let s2 = time_ms / 3 + 500;
    let completed = info.started_at_ms + at;
    Lap {
        id: LapId(id),
        session: info.id,
        number,
        time_ms,
        sectors: vec![Some(s1), Some(s2), Some(time_ms - s1 - s2)],
        valid: true,
        invalid_sector: None,
        out_lap: false,
        in_lap: false,
        partial: false,
        started_at_ms: completed - u64::from(time_ms),
        completed_at_ms: completed,
        car: pitwall_core::model::Car::new(0, info.car.clone()),
        driver: info.driver.clone(),
    }
}

/// The stored sessions, oldest first.
pub(crate) fn sessions() -> Vec<SessionWithLaps> {
    // Ann's practice at Monza: out-lap, her best, an invalid faster lap, a lap whose
    // middle split was missed.
    let a = session(0xa1, "Ann", "monza", SessionType::Practice, T0);
    let mut out = lap(&a, 0xa101, 1, 130_000, 140_000);
    out.out_lap = true;
    let best = lap(&a, 0xa102, 2, 107_345, 250_000);
    let mut cut = lap(&a, 0xa103, 3, 106_000, 360_000);
    cut.valid = false;
    cut.invalid_sector = Some(1);
    let mut missed = lap(&a, 0xa104, 4, 108_100, 470_000);
    missed.sectors[1] = None;
    let a = SessionWithLaps {
        info: a,
        ended_at_ms: Some(T0 + 600_000),
        laps: vec![out, best, cut, missed],
    };
    // Bob's qualifying at Monza: faster than Ann.
    let b = session(0xb1, "Bob", "monza", SessionType::Qualify, T0 + 3_600_000);
    let b_laps = vec![
        lap(&b, 0xb101, 1, 108_000, 120_000),
        lap(&b, 0xb102, 2, 106_900, 230_000),
    ];
    let b = SessionWithLaps {
        info: b,
        ended_at_ms: Some(T0 + 3_900_000),
        laps: b_laps,
    };
    // Ann's race, joined late and still running: a partial lap 5 (first sector unknown),
    // then lap 6, her new personal best.
    let mut c = session(0xc1, "Ann", "monza", SessionType::Race, T0 + 86_400_000);
    c.joined_late = true;
    let mut partial = lap(&c, 0xc105, 5, 109_000, 60_000);
    partial.partial = true;
    partial.sectors[0] = None;
    let c_laps = vec![partial, lap(&c, 0xc106, 6, 107_000, 167_000)];
    let c = SessionWithLaps {
        info: c,
        ended_at_ms: None,
        laps: c_laps,
    };
    // Bob at Spa in a session type ACC does not list, no laps yet.
    let d = session(
        0xd1,
        "Bob",
        "spa",
        SessionType::Unknown(42),
        T0 + 90_000_000,
    );
    let d = SessionWithLaps {
        info: d,
        ended_at_ms: None,
        laps: vec![],
    };
    vec![a, b, c, d]
}

/// Stores [`sessions`].
pub(crate) async fn seed(store: &impl SessionWrites) {
    for s in sessions() {
        store.import_session(&s).await.unwrap();
    }
}

/// The upload of `s`: `{"session": …, "ended_at_ms": …, "laps": […]}`.
pub(crate) fn upload(s: &SessionWithLaps) -> Value {
    let mut session = serde_json::to_value(FullSessionJson::from(s)).unwrap();
    let fields = session.as_object_mut().unwrap();
    fields.remove("laps");
    fields.remove("ended_at_ms");
    let laps: Vec<Value> = s
        .laps
        .iter()
        .map(|l| serde_json::to_value(LapJson::of(l)).unwrap())
        .collect();
    json!({"session": session, "ended_at_ms": s.ended_at_ms, "laps": laps})
}
