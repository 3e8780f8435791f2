//! Conformance cases for the statistics queries: the counting rules on hand-made laps, and
//! agreement with `pitwall_core::stats` on many generated laps.

use pitwall_core::model::{Lap, SessionInfo};
use pitwall_core::stats::{BestSectors, LapRef, pb_progression, personal_bests_per_driver};
use pitwall_store::{Store, Upload};

use crate::fixtures::{lap, many, session};

async fn store_all(store: &impl Store, data: &[(SessionInfo, Vec<Lap>)]) {
    for (info, laps) in data {
        store.upsert_session(info, Upload::Skip).await.unwrap();
        for l in laps {
            store.upsert_lap(l, Upload::Skip).await.unwrap();
        }
    }
}

/// Invalid, out-, in- and zero-time laps never hold a record; on a tie the earlier lap does.
pub(crate) async fn bests_follow_the_counting_rules(store: &impl Store) {
    let ann = session(1, "monza", "ferrari_296_gt3", "Ann", 0);
    let bo = session(2, "monza", "ferrari_296_gt3", "Bo", 0);
    let mut invalid = lap(&ann, 1, 1, 90_000, 100_000);
    invalid.valid = false;
    let mut out_lap = lap(&ann, 2, 2, 91_000, 200_000);
    out_lap.out_lap = true;
    let mut in_lap = lap(&ann, 3, 3, 92_000, 300_000);
    in_lap.in_lap = true;
    let mut zero = lap(&ann, 4, 4, 90_000, 400_000);
    zero.time_ms = 0;
    zero.sectors = vec![Some(0), Some(0), Some(0)];
    let first = lap(&ann, 5, 5, 99_000, 500_000);
    let tie = lap(&ann, 6, 6, 99_000, 600_000);
    let bo_best = lap(&bo, 7, 1, 98_000, 700_000);
    store_all(
        store,
        &[
            (
                ann.clone(),
                vec![invalid, out_lap, in_lap, zero, tie, first.clone()],
            ),
            (bo.clone(), vec![bo_best.clone()]),
        ],
    )
    .await;

    let board = store
        .leaderboard("monza", "ferrari_296_gt3", 10)
        .await
        .unwrap();
    let got: Vec<(&str, u32, u64)> = board
        .iter()
        .map(|r| (r.driver.as_str(), r.time_ms, r.lap.0))
        .collect();
    assert_eq!(got, [("Bo", 98_000, 7), ("Ann", 99_000, 5)]);
    assert_eq!(
        store
            .leaderboard("monza", "ferrari_296_gt3", 1)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .leaderboard("spa", "ferrari_296_gt3", 10)
            .await
            .unwrap()
            .is_empty()
    );

    let pbs = store.personal_bests(Some("Ann")).await.unwrap();
    assert_eq!(pbs.len(), 1);
    assert_eq!(
        (pbs[0].lap.0, pbs[0].session, pbs[0].completed_at_ms),
        (5, ann.id, 500_000)
    );
    assert_eq!(store.personal_bests(None).await.unwrap().len(), 2);

    let bests = store
        .best_sectors("monza", "ferrari_296_gt3", Some("Ann"))
        .await
        .unwrap();
    let core = BestSectors::from_laps(std::slice::from_ref(&first));
    assert_eq!(bests.sectors, core.sectors());
    assert_eq!(bests.theoretical_best_ms, Some(99_000));
    let none = store.best_sectors("spa", "x", None).await.unwrap();
    assert_eq!((none.sectors.len(), none.theoretical_best_ms), (0, None));

    let steps = store
        .pb_progression("monza", "ferrari_296_gt3", "Ann")
        .await
        .unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!((steps[0].lap.0, steps[0].gain_ms), (5, None));
}

/// On many generated laps, every statistics query gives what the core computes in memory.
pub(crate) async fn queries_agree_with_core_statistics(store: &impl Store) {
    let data = many(42, 40, 12);
    store_all(store, &data).await;
    let refs: Vec<LapRef> = data
        .iter()
        .flat_map(|(info, laps)| laps.iter().map(move |l| LapRef::new(l, info)))
        .collect();

    let expected: Vec<(String, String, String, u64)> =
        personal_bests_per_driver(refs.iter().copied())
            .into_iter()
            .map(|(k, r)| {
                (
                    k.track.to_string(),
                    k.car.to_string(),
                    k.driver.to_string(),
                    r.lap.id.0,
                )
            })
            .collect();
    let mut got: Vec<(String, String, String, u64)> = store
        .personal_bests(None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.track, r.car, r.driver, r.lap.0))
        .collect();
    got.sort();
    assert_eq!(got, expected);

    for (track, car, driver, _) in &expected {
        let mine: Vec<&Lap> = refs
            .iter()
            .filter(|r| (r.track, r.car, r.driver) == (track, car, driver))
            .map(|r| r.lap)
            .collect();
        let core = BestSectors::from_laps(mine.iter().copied());
        let bests = store.best_sectors(track, car, Some(driver)).await.unwrap();
        assert_eq!(bests.sectors, core.sectors(), "{track} {car} {driver}");
        assert_eq!(bests.theoretical_best_ms, core.theoretical_best_ms());
        let steps = store.pb_progression(track, car, driver).await.unwrap();
        assert_eq!(
            steps,
            pb_progression(mine.iter().copied()),
            "{track} {car} {driver}"
        );

        let board = store.leaderboard(track, car, 100).await.unwrap();
        assert!(board.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
        assert!(board.iter().any(|r| &r.driver == driver));
    }
}

/// Tracks and cars driven, with sessions and laps counted, per driver or overall.
pub(crate) async fn tracks_and_cars_with_counts(store: &impl Store) {
    let a = session(1, "monza", "ferrari_296_gt3", "Ann", 0);
    let b = session(2, "monza", "ferrari_296_gt3", "Bo", 0);
    let c = session(3, "spa", "ferrari_296_gt3", "Ann", 0);
    let laps_a = vec![lap(&a, 1, 1, 1_000, 10_000), lap(&a, 2, 2, 1_000, 11_000)];
    let laps_b = vec![lap(&b, 3, 1, 1_000, 12_000)];
    store_all(store, &[(a, laps_a), (b, laps_b), (c, Vec::new())]).await;
    let all = store.tracks_and_cars(None).await.unwrap();
    let got: Vec<(&str, u64, u64, Option<u64>)> = all
        .iter()
        .map(|t| (t.track.as_str(), t.sessions, t.laps, t.last_lap_at_ms))
        .collect();
    assert_eq!(got, [("monza", 2, 3, Some(12_000)), ("spa", 1, 0, None)]);
    let ann = store.tracks_and_cars(Some("Ann")).await.unwrap();
    let got: Vec<(&str, u64, u64)> = ann
        .iter()
        .map(|t| (t.track.as_str(), t.sessions, t.laps))
        .collect();
    assert_eq!(got, [("monza", 1, 2), ("spa", 1, 0)]);
}
