//! Export and import on real stores: paging through more sessions than one page (with the
//! progress reported), filters, CSV's two passes, and lossless round trips SQLite →
//! PostgreSQL → SQLite (ignored by default; needs `PITWALL_TEST_POSTGRES_URL`, in a schema
//! of its own).

use crate::harness;

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{Conditions, Lap, LapId, SessionId, SessionInfo};
use pitwall_store::export::{
    self, ExportSummary, ImportSummary, SessionFilter, export_csv, export_json, parse_json,
};
use pitwall_store::{SessionWithLaps, Store};

/// Sessions in the test stores: more than two export pages.
const SESSIONS: u64 = 450;

/// Session `i`: ids spread over the whole `u64` range (half above `i64::MAX`), every third
/// at spa, temperatures that are not round decimals, two laps.
fn session(i: u64) -> SessionWithLaps {
    let id = SessionId(i.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let start = 1_700_000_000_000 + i * 3_600_000;
    let laps = (1..=2)
        .map(|n| Lap {
            id: LapId(id.0 ^ u64::from(n)),
            session: id,
            number: n,
            time_ms: 100_000 + n,
            sectors: if n == 1 {
                vec![None, Some(33_000), Some(34_000)]
            } else {
                vec![Some(32_000), Some(33_001), Some(30_000), Some(5_001)]
            },
            valid: n == 2,
            invalid_sector: (n == 1).then_some(0),
            out_lap: n == 1,
            in_lap: false,
            partial: i.is_multiple_of(5),
            started_at_ms: start + u64::from(n) * 100_000,
            completed_at_ms: start + u64::from(n + 1) * 100_000,
            car: Default::default(),
            driver: String::new(),
        })
        .collect();
    SessionWithLaps {
        info: SessionInfo {
            id,
            track: if i.is_multiple_of(3) { "spa" } else { "monza" }.into(),
            car: "bmw_m4_gt3".into(),
            session_type: SessionType::from((i % 12) as i32 - 1),
            driver: format!("Driver {}", i % 4),
            sector_count: 4,
            session_index: (i % 3) as i32,
            started_at_ms: start,
            sm_version: "1.9".into(),
            ac_version: "1.10.2".into(),
            online: i.is_multiple_of(2),
            joined_late: i.is_multiple_of(7),
            conditions: (!i.is_multiple_of(4)).then(|| Conditions {
                air_temp_c: f32::from_bits(0x41a0_0000 + i as u32 * 7919),
                road_temp_c: 25.0 + i as f32 / 3.0,
                grip: GripStatus::from((i % 8) as i32),
                rain: RainIntensity::from((i % 7) as i32),
            }),
        },
        ended_at_ms: (!i.is_multiple_of(6)).then_some(start + 1_800_000),
        laps,
    }
}

fn sessions() -> Vec<SessionWithLaps> {
    (0..SESSIONS).map(session).collect()
}

/// A JSON export of everything, with the progress it reported.
async fn json_of(store: &impl Store) -> (Vec<u8>, Vec<u64>) {
    let (mut out, mut progress) = (Vec::new(), Vec::new());
    let summary = export_json(store, &SessionFilter::default(), &mut out, 42, |n| {
        progress.push(n)
    })
    .await
    .unwrap();
    let expected = ExportSummary {
        sessions: SESSIONS,
        laps: 2 * SESSIONS,
    };
    assert_eq!(summary, expected);
    (out, progress)
}

/// Imports everything into an empty store, then again.
async fn import_twice(store: &impl Store, sessions: &[SessionWithLaps]) {
    let mut progress = Vec::new();
    let first = export::import(store, sessions, |n| progress.push(n))
        .await
        .unwrap();
    assert_eq!(
        first,
        ImportSummary {
            sessions: SESSIONS,
            laps: 2 * SESSIONS,
            sessions_new: SESSIONS,
            laps_new: 2 * SESSIONS,
        }
    );
    assert_eq!(progress.last(), Some(&SESSIONS));
    let again = export::import(store, sessions, |_| {}).await.unwrap();
    assert_eq!((again.sessions_new, again.laps_new), (0, 0));
}

#[tokio::test]
async fn exports_page_through_every_session_and_filter_whole_sessions() {
    let h = harness::sqlite().await;
    let all = sessions();
    import_twice(&h.store, &all).await;
    assert_eq!(export::count_sessions(&h.store).await.unwrap(), SESSIONS);

    let (json, progress) = json_of(&h.store).await;
    assert_eq!(progress, [200, 400, 450]);
    let mut back = parse_json(&json).unwrap().sessions;
    let mut expected = all.clone();
    back.sort_by_key(|s| s.info.id);
    expected.sort_by_key(|s| s.info.id);
    assert_eq!(back, expected);

    let (mut csv, mut progress) = (Vec::new(), Vec::new());
    let spa = SessionFilter {
        track: Some("spa".into()),
        ..SessionFilter::default()
    };
    let summary = export_csv(&h.store, &spa, &mut csv, |n| progress.push(n))
        .await
        .unwrap();
    assert_eq!(summary.sessions, SESSIONS / 3);
    assert_eq!(progress, [200, 400, 450, 650, 850, 900]);
    let csv = String::from_utf8(csv).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",s1_ms,s2_ms,s3_ms,s4_ms"), "{header}");
    assert_eq!(csv.lines().count() as u64, 1 + 2 * SESSIONS / 3);
    assert!(csv.lines().skip(1).all(|l| l.contains(",spa,")));
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn json_round_trips_sqlite_to_postgres_and_back() {
    let pg = harness::postgres().await;
    let sqlite = harness::sqlite().await;
    import_twice(&sqlite.store, &sessions()).await;
    let (from_sqlite, _) = json_of(&sqlite.store).await;

    import_twice(&pg.store, &parse_json(&from_sqlite).unwrap().sessions).await;
    let (from_pg, _) = json_of(&pg.store).await;
    assert_eq!(from_pg, from_sqlite);

    let back = harness::sqlite().await;
    import_twice(&back.store, &parse_json(&from_pg).unwrap().sessions).await;
    assert_eq!(json_of(&back.store).await.0, from_sqlite);
    pg.cleanup().await;
}

/// What `pitwall import` refuses, each as the issue found it accepted: a 1 ms lap, sectors
/// of 6 ms in all on an 85 s lap, a session dated at `i64::MAX`, two laps of one number, an
/// over-long version, a NUL byte (which PostgreSQL cannot store in text). Nothing of the
/// file is imported.
async fn import_refuses_invalid_sessions(store: &impl Store) {
    let good = session(1);
    let cases: Vec<(&str, Change)> = vec![
        ("too short", |s| {
            s.laps[1].time_ms = 1;
            s.laps[1].sectors = vec![None, None, Some(1)];
        }),
        (
            "add up to 6 ms",
            // An out-lap, so that no sector is too short for a pace lap.
            |s| {
                s.laps[0].time_ms = 85_000;
                s.laps[0].sectors = vec![Some(1), Some(1), Some(2), Some(2)];
            },
        ),
        ("in the future", |s| s.info.started_at_ms = i64::MAX as u64),
        ("given twice", |s| s.laps[1].number = 1),
        ("ac_version", |s| s.info.ac_version = "9".repeat(1_000)),
        ("NUL", |s| s.info.track = "spa\0".into()),
    ];
    for (needle, change) in cases {
        let mut bad = session(2);
        change(&mut bad);
        let err = export::import(store, &[good.clone(), bad], |_| {})
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(needle), "{needle}: {text}");
        assert!(text.contains("nothing was imported"), "{text}");
    }
    assert!(store.recent_sessions(10, 0).await.unwrap().is_empty());

    // A key given twice in the file.
    let mut json = Vec::new();
    let mut writer = export::JsonWriter::begin(&mut json, 1).unwrap();
    writer.session(&good).unwrap();
    writer.finish().unwrap();
    let text = String::from_utf8(json).unwrap();
    let twice = text.replacen("\"car\":", "\"car\":\"x\",\"car\":", 1);
    assert_ne!(twice, text);
    let err = parse_json(twice.as_bytes()).unwrap_err();
    let chain = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(chain.contains("duplicate"), "{chain}");
    let in_conditions = text.replacen("\"grip\":", "\"rain\":0,\"grip\":", 1);
    assert_ne!(in_conditions, text);
    assert!(parse_json(in_conditions.as_bytes()).is_err());
}

#[tokio::test]
async fn import_refuses_invalid_sessions_on_sqlite() {
    let h = harness::sqlite().await;
    import_refuses_invalid_sessions(&h.store).await;
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn import_refuses_invalid_sessions_on_postgres() {
    let pg = harness::postgres().await;
    import_refuses_invalid_sessions(&pg.store).await;
    pg.cleanup().await;
}

/// A change that breaks one rule.
type Change = fn(&mut SessionWithLaps);
