//! Conformance cases for writes and session/lap reads, generic over the backend.

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Car, LapId, SessionId};
use pitwall_store::{LapFilter, SessionWithLaps, Store, StoreError, Upload};

use crate::fixtures::{lap, session};

/// A session and laps read back exactly as written: all fields, sectors with gaps and no
/// sectors at all, and ids above `i64::MAX`.
pub(crate) async fn lap_round_trips_with_its_sectors(store: &impl Store) {
    let mut info = session(
        u64::MAX - 5,
        "brands_hatch",
        "mclaren_720s_gt3_evo",
        "Ann",
        1_000,
    );
    info.session_type = SessionType::Unknown(42);
    info.joined_late = true;
    info.online = true;
    info.session_index = 2;
    assert!(store.upsert_session(&info, Upload::Skip).await.unwrap());
    let mut first = lap(&info, u64::MAX, 1, 90_000, 91_000);
    first.sectors = vec![None, Some(30_000), None];
    first.partial = true;
    first.out_lap = true;
    let mut second = lap(&info, 7, 2, 88_000, 179_000);
    second.valid = false;
    second.invalid_sector = Some(1);
    second.in_lap = true;
    let mut third = lap(&info, 1 << 63, 3, 87_000, 266_000);
    third.sectors = Vec::new();
    for l in [&third, &first, &second] {
        assert!(store.upsert_lap(l, Upload::Skip).await.unwrap());
    }
    assert!(
        store
            .end_session(info.id, 300_000, Upload::Skip)
            .await
            .unwrap()
    );

    let got = store.session(info.id).await.unwrap().unwrap();
    assert_eq!(
        got,
        SessionWithLaps {
            info: info.clone(),
            ended_at_ms: Some(300_000),
            laps: vec![first, second, third],
        }
    );
    assert!(store.session(SessionId(1)).await.unwrap().is_none());
    assert!(
        !store
            .end_session(SessionId(1), 5, Upload::Skip)
            .await
            .unwrap()
    );
}

/// A session with laps of two cars (each numbering its own laps) reads back with each lap's
/// car and driver: from the session's packed laps, the recent sessions and the lap rows.
pub(crate) async fn laps_of_two_cars_keep_their_car_and_driver(store: &impl Store) {
    let info = session(41, "monza", "ferrari_296_gt3", "Ann", 1_000);
    assert!(store.upsert_session(&info, Upload::Skip).await.unwrap());
    let own = lap(&info, 1, 1, 100_000, 101_000);
    let mut other = lap(&info, 2, 1, 101_000, 102_000);
    other.car = Car {
        index: 1003,
        model: "bmw_m4_gt3".into(),
        race_number: Some(31),
    };
    other.driver = "Bo".into();
    other.valid = false;
    other.invalid_sector = Some(2);
    let mut own_second = lap(&info, 3, 2, 99_000, 201_000);
    own_second.car.race_number = Some(7);
    for l in [&own, &other, &own_second] {
        assert!(store.upsert_lap(l, Upload::Skip).await.unwrap());
    }
    let want = vec![own.clone(), other.clone(), own_second.clone()];
    let got = store.session(info.id).await.unwrap().unwrap();
    assert_eq!(got.laps, want);
    let recent = store.recent_sessions(10, 0).await.unwrap();
    assert_eq!(recent[0].laps, want);
    let mut rows = store.laps(&LapFilter::default()).await.unwrap();
    rows.sort_by_key(|r| r.lap.id);
    let rows: Vec<_> = rows.into_iter().map(|r| r.lap).collect();
    assert_eq!(rows, want);
    // Records are the session's driver's own: another car's faster lap is not Ann's.
    let mut fast = lap(&info, 5, 2, 95_000, 202_000);
    fast.car = other.car.clone();
    fast.driver = other.driver.clone();
    assert!(store.upsert_lap(&fast, Upload::Skip).await.unwrap());
    let records = store.personal_bests(Some("Ann")).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(
        (records[0].lap, records[0].time_ms),
        (own_second.id, 99_000)
    );
    let bests = store
        .best_sectors("monza", "ferrari_296_gt3", Some("Ann"))
        .await
        .unwrap();
    assert_eq!(bests.sectors[0].as_ref().unwrap().lap, own_second.id);
    // A second car's lap 1 is not the first car's: the number is taken only per car.
    let mut clash = lap(&info, 4, 1, 100_500, 301_000);
    clash.car = other.car.clone();
    let err = store.upsert_lap(&clash, Upload::Skip).await.unwrap_err();
    assert!(err.is_conflict(), "{err}");
}

/// Conditions learnt after a session was stored are kept; a second set changes nothing.
pub(crate) async fn conditions_known_late_are_kept(store: &impl Store) {
    let mut info = session(4, "spa", "bmw_m4_gt3", "Ann", 1_000);
    let conditions = info.conditions.take().unwrap();
    store.upsert_session(&info, Upload::Skip).await.unwrap();
    assert!(store.set_conditions(info.id, &conditions).await.unwrap());
    let mut other = conditions;
    other.air_temp_c = 5.0;
    assert!(!store.set_conditions(info.id, &other).await.unwrap());
    assert!(!store.set_conditions(SessionId(77), &other).await.unwrap());
    let got = store.session(info.id).await.unwrap().unwrap();
    assert_eq!(got.info.conditions, Some(conditions));
}

/// Laps of one session written at once (several connections, interleaved transactions) are
/// all read back with the session: none is lost from its packed laps, none doubled.
pub(crate) async fn concurrent_laps_of_one_session(store: &impl Store) {
    let info = session(2, "spa", "bmw_m4_gt3", "Ann", 1_000);
    store.upsert_session(&info, Upload::Skip).await.unwrap();
    let laps: Vec<_> = (1..=40)
        .map(|n| {
            lap(
                &info,
                100 + u64::from(n),
                n,
                120_000 + n,
                u64::from(n) * 121_000,
            )
        })
        .collect();
    let writes = laps
        .iter()
        .chain(&laps)
        .map(|l| store.upsert_lap(l, Upload::Skip));
    let new = futures::future::join_all(writes).await;
    assert_eq!(new.iter().filter(|r| *r.as_ref().unwrap()).count(), 40);
    let got = store.session(info.id).await.unwrap().unwrap();
    assert_eq!(got.laps, laps);
    let recent = store.recent_sessions(1, 0).await.unwrap();
    assert_eq!(recent[0].laps, laps);
}

/// The same session and lap sent twice are stored once; the first write wins.
pub(crate) async fn writes_are_idempotent(store: &impl Store) {
    let info = session(1, "monza", "ferrari_296_gt3", "Ann", 1_000);
    assert!(store.upsert_session(&info, Upload::Skip).await.unwrap());
    assert!(!store.upsert_session(&info, Upload::Skip).await.unwrap());
    let l = lap(&info, 10, 1, 100_000, 101_000);
    assert!(store.upsert_lap(&l, Upload::Skip).await.unwrap());
    assert!(!store.upsert_lap(&l, Upload::Skip).await.unwrap());
    let mut changed = l.clone();
    changed.time_ms = 1;
    changed.sectors.push(Some(5));
    assert!(!store.upsert_lap(&changed, Upload::Skip).await.unwrap());

    let got = store.session(info.id).await.unwrap().unwrap();
    assert_eq!(got.laps, vec![l.clone()]);
    let replay = SessionWithLaps {
        info: info.clone(),
        ended_at_ms: Some(200_000),
        laps: vec![l.clone(), lap(&info, 11, 2, 99_000, 200_000)],
    };
    let outcome = store.import_session(&replay).await.unwrap();
    assert!(!outcome.session_new);
    assert_eq!(outcome.laps_new, 1);
    let outcome = store.import_session(&replay).await.unwrap();
    assert_eq!(outcome.laps_new, 0);
    assert_eq!(store.session(info.id).await.unwrap().unwrap(), replay);
    assert_eq!(store.laps(&LapFilter::default()).await.unwrap().len(), 2);
}

/// The change counter grows with every write that changed something, and only then.
pub(crate) async fn changes_count_writes_that_changed_something(store: &impl Store) {
    let before = store.changes();
    let info = session(2, "monza", "ferrari_296_gt3", "Ann", 1_000);
    assert!(store.upsert_session(&info, Upload::Skip).await.unwrap());
    assert_eq!(store.changes(), before + 1);
    assert!(!store.upsert_session(&info, Upload::Skip).await.unwrap());
    assert_eq!(store.changes(), before + 1);
    let l = lap(&info, 20, 1, 100_000, 101_000);
    assert!(store.upsert_lap(&l, Upload::Skip).await.unwrap());
    assert_eq!(store.changes(), before + 2);
    assert!(!store.upsert_lap(&l, Upload::Skip).await.unwrap());
    assert_eq!(store.changes(), before + 2, "a duplicate lap");
    let replay = SessionWithLaps {
        info: info.clone(),
        ended_at_ms: None,
        laps: vec![l.clone()],
    };
    store.import_session(&replay).await.unwrap();
    assert_eq!(store.changes(), before + 2, "an import that stored nothing");
    assert!(
        store
            .end_session(info.id, 300_000, Upload::Skip)
            .await
            .unwrap()
    );
    assert_eq!(store.changes(), before + 3);
    let queued = lap(&info, 21, 2, 99_000, 200_000);
    assert!(
        store
            .upsert_lap(&queued, Upload::Queue { at_ms: 200_000 })
            .await
            .unwrap()
    );
    assert_eq!(store.changes(), before + 4, "queued writes count too");
}

/// A lap whose session was never stored is refused with a clear error, and nothing is kept.
pub(crate) async fn lap_of_unknown_session_is_refused(store: &impl Store) {
    let info = session(5, "monza", "ferrari_296_gt3", "Ann", 1_000);
    let l = lap(&info, 50, 1, 100_000, 101_000);
    let err = store.upsert_lap(&l, Upload::Skip).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::UnknownSession {
                lap: LapId(50),
                session: SessionId(5)
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("store the session first"));
    assert!(store.laps(&LapFilter::default()).await.unwrap().is_empty());
}

/// Sessions come newest first (by start), paged by limit and offset, each with its laps.
pub(crate) async fn recent_sessions_newest_first_with_pages(store: &impl Store) {
    for i in 0..5_u64 {
        let info = session(100 + i, "spa", "bmw_m4_gt3", "Bo", 10_000 * (5 - i));
        store.upsert_session(&info, Upload::Skip).await.unwrap();
        for n in 0..u32::try_from(i).unwrap() {
            let at = info.started_at_ms + 2_000 * u64::from(n + 1);
            store
                .upsert_lap(
                    &lap(&info, 1000 * i + u64::from(n), n + 1, 1_500, at),
                    Upload::Skip,
                )
                .await
                .unwrap();
        }
    }
    let all = store.recent_sessions(20, 0).await.unwrap();
    let ids: Vec<u64> = all.iter().map(|s| s.info.id.0).collect();
    assert_eq!(ids, [100, 101, 102, 103, 104]);
    let laps: Vec<usize> = all.iter().map(|s| s.laps.len()).collect();
    assert_eq!(laps, [0, 1, 2, 3, 4]);
    assert!(all[4].laps.windows(2).all(|w| w[0].number < w[1].number));
    let page = store.recent_sessions(2, 1).await.unwrap();
    let ids: Vec<u64> = page.iter().map(|s| s.info.id.0).collect();
    assert_eq!(ids, [101, 102]);
    assert_eq!(page[1].laps.len(), 2);
    assert!(store.recent_sessions(20, 5).await.unwrap().is_empty());
}

/// Lap filters: each criterion alone and together, newest first, paged.
pub(crate) async fn laps_filtered(store: &impl Store) {
    let mut a = session(1, "monza", "ferrari_296_gt3", "Ann", 0);
    a.session_type = SessionType::Race;
    let b = session(2, "spa", "ferrari_296_gt3", "Bo", 1_000_000);
    store.upsert_session(&a, Upload::Skip).await.unwrap();
    store.upsert_session(&b, Upload::Skip).await.unwrap();
    for (i, info) in [(0_u64, &a), (10, &b)] {
        for n in 0..4_u32 {
            let mut l = lap(
                info,
                i + u64::from(n),
                n + 1,
                100_000,
                1_000_000 * (i + 1) + u64::from(n) * 100_000,
            );
            l.valid = n % 2 == 0;
            store.upsert_lap(&l, Upload::Skip).await.unwrap();
        }
    }
    let ids =
        |laps: Vec<pitwall_store::StoredLap>| laps.iter().map(|l| l.lap.id.0).collect::<Vec<_>>();
    let all = store.laps(&LapFilter::default()).await.unwrap();
    assert_eq!(ids(all.clone()), [13, 12, 11, 10, 3, 2, 1, 0]);
    assert_eq!(
        (all[0].track.as_str(), all[0].driver.as_str()),
        ("spa", "Bo")
    );
    assert_eq!(all[0].lap.sectors.len(), 3);
    let f = |f: LapFilter| async move { ids(store.laps(&f).await.unwrap()) };
    assert_eq!(
        f(LapFilter {
            track: Some("monza".into()),
            ..Default::default()
        })
        .await,
        [3, 2, 1, 0]
    );
    assert_eq!(
        f(LapFilter {
            car: Some("nope".into()),
            ..Default::default()
        })
        .await,
        [0_u64; 0]
    );
    assert_eq!(
        f(LapFilter {
            session_type: Some(SessionType::Race),
            ..Default::default()
        })
        .await,
        [3, 2, 1, 0]
    );
    assert_eq!(
        f(LapFilter {
            driver: Some("Bo".into()),
            ..Default::default()
        })
        .await,
        [13, 12, 11, 10]
    );
    assert_eq!(
        f(LapFilter {
            valid: Some(false),
            ..Default::default()
        })
        .await,
        [13, 11, 3, 1]
    );
    assert_eq!(
        f(LapFilter {
            from_ms: Some(1_100_000),
            to_ms: Some(11_100_000),
            ..Default::default()
        })
        .await,
        [10, 3, 2, 1]
    );
    assert_eq!(
        f(LapFilter {
            valid: Some(true),
            driver: Some("Ann".into()),
            ..Default::default()
        })
        .await,
        [2, 0]
    );
    assert_eq!(
        f(LapFilter {
            limit: Some(3),
            offset: 2,
            ..Default::default()
        })
        .await,
        [11, 10, 3]
    );
}

/// Export pages through every session once, in id order; importing them again adds nothing.
pub(crate) async fn export_pages_and_import(store: &impl Store) {
    for i in 0..7_u64 {
        let info = session(
            i.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            "monza",
            "ferrari_296_gt3",
            "Ann",
            i,
        );
        store.upsert_session(&info, Upload::Skip).await.unwrap();
        store
            .upsert_lap(&lap(&info, 500 + i, 1, 1_000, 5_000 + i), Upload::Skip)
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.sessions_after(after, 3).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.info.id);
        seen.extend(page);
    }
    assert_eq!(seen.len(), 7);
    let mut ids: Vec<u64> = seen.iter().map(|s| s.info.id.0).collect();
    ids.dedup();
    assert_eq!(ids.len(), 7);
    assert!(seen.iter().all(|s| s.laps.len() == 1));
    for s in &seen {
        let outcome = store.import_session(s).await.unwrap();
        assert!(!outcome.session_new && outcome.laps_new == 0);
    }

    // A new session with laps: all stored (and packed) at once; a lap of another session
    // is refused and nothing of its session is stored.
    let info = session(90, "spa", "bmw_m4_gt3", "Bo", 50);
    let laps: Vec<_> = (1..=5)
        .map(|n| {
            lap(
                &info,
                900 + u64::from(n),
                n,
                100_000 + n,
                u64::from(n) * 200_000,
            )
        })
        .collect();
    let whole = SessionWithLaps {
        info: info.clone(),
        ended_at_ms: Some(2_000_000),
        laps: laps.clone(),
    };
    let outcome = store.import_session(&whole).await.unwrap();
    assert!(outcome.session_new && outcome.laps_new == 5);
    assert_eq!(store.session(info.id).await.unwrap().unwrap(), whole);
    let stray_info = session(92, "spa", "bmw_m4_gt3", "Bo", 60);
    let mut stray = whole.clone();
    stray.info = stray_info.clone();
    assert!(matches!(
        store.import_session(&stray).await,
        Err(StoreError::LapOfAnotherSession { .. })
    ));
    assert!(store.session(stray_info.id).await.unwrap().is_none());
}

/// Tokens: stored by hash, bound to a driver, revocable once.
pub(crate) async fn tokens(store: &impl Store) {
    let hash = [7_u8; 32];
    assert_eq!(store.driver_for_token(&hash).await.unwrap(), None);
    store.create_token("Ann", &hash, 1).await.unwrap();
    store.create_token("Bo", &hash, 2).await.unwrap();
    store.create_token("Bo", &[8_u8; 32], 2).await.unwrap();
    assert_eq!(
        store.driver_for_token(&hash).await.unwrap().as_deref(),
        Some("Ann")
    );
    assert_eq!(
        store
            .driver_for_token(&[8_u8; 32])
            .await
            .unwrap()
            .as_deref(),
        Some("Bo")
    );
    assert!(store.revoke_token(&hash, 3).await.unwrap());
    assert!(!store.revoke_token(&hash, 4).await.unwrap());
    assert_eq!(store.driver_for_token(&hash).await.unwrap(), None);
}
