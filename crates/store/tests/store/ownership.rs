//! Ownership: a write never takes over a session another driver owns, a lap id another
//! session or lap number holds, or a lap number a session holds under another id. Each is
//! refused as a conflict, and the refused write stores nothing.

use pitwall_core::model::{LapId, SessionId};
use pitwall_store::{LapFilter, SessionWithLaps, Store, StoreError, Upload};

use crate::fixtures::{lap, session};

/// Bob cannot write into Ann's session, by any write.
pub(crate) async fn session_of_another_driver_is_refused(store: &impl Store) {
    let ann = session(1, "monza", "ferrari_296_gt3", "Ann", 1_000);
    assert!(store.upsert_session(&ann, Upload::Skip).await.unwrap());
    let mut bob = ann.clone();
    bob.driver = "Bob".into();
    let err = store.upsert_session(&bob, Upload::Skip).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::SessionOfAnotherDriver {
                session: SessionId(1)
            }
        ),
        "{err:?}"
    );
    assert!(err.is_conflict());
    assert!(err.to_string().contains("another driver's"), "{err}");
    let err = store
        .upsert_session(&bob, Upload::Queue { at_ms: 2 })
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    let err = store
        .import_session(&SessionWithLaps {
            info: bob.clone(),
            ended_at_ms: Some(5_000),
            laps: vec![lap(&bob, 10, 1, 100_000, 101_000)],
        })
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    let stored = store.session(SessionId(1)).await.unwrap().unwrap();
    assert_eq!(stored.info.driver, "Ann");
    assert_eq!(stored.ended_at_ms, None, "the refused import ended nothing");
    assert!(stored.laps.is_empty(), "and stored no lap");
    assert_eq!(
        store.outbox_status().await.unwrap().pending,
        0,
        "nothing queued"
    );
}

/// A lap id belongs to one session and one lap number: the attack of issue 11 (a driver
/// storing, in their own session, the ids of another driver's future laps) is refused
/// when the other driver's laps arrive, never silently dropped.
pub(crate) async fn lap_id_of_another_session_is_refused(store: &impl Store) {
    let ann = session(1, "monza", "ferrari_296_gt3", "Ann", 1_000);
    let bob = session(2, "monza", "ferrari_296_gt3", "Bob", 1_000);
    store.upsert_session(&ann, Upload::Skip).await.unwrap();
    store.upsert_session(&bob, Upload::Skip).await.unwrap();
    // Ann stores a lap under the id Bob's lap 1 will have.
    assert!(
        store
            .upsert_lap(&lap(&ann, 20, 1, 100_000, 101_000), Upload::Skip)
            .await
            .unwrap()
    );
    let err = store
        .upsert_lap(&lap(&bob, 20, 1, 99_000, 100_000), Upload::Skip)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::LapIdTaken {
                lap: LapId(20),
                session: SessionId(2),
                stored_session: SessionId(1),
                stored_number: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_conflict());
    let err = store
        .import_session(&SessionWithLaps {
            info: bob.clone(),
            ended_at_ms: None,
            laps: vec![
                lap(&bob, 21, 2, 98_000, 200_000),
                lap(&bob, 20, 1, 99_000, 100_000),
            ],
        })
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    let err = store
        .upsert_lap(
            &lap(&bob, 20, 1, 99_000, 100_000),
            Upload::Queue { at_ms: 5 },
        )
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    // The same id as another number of its own session is refused too.
    let err = store
        .upsert_lap(&lap(&ann, 20, 2, 100_000, 201_000), Upload::Skip)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::LapIdTaken { .. }), "{err:?}");
    let laps = store.laps(&LapFilter::default()).await.unwrap();
    assert_eq!(
        laps.len(),
        1,
        "only Ann's lap; the refused import stored nothing"
    );
    assert_eq!(store.outbox_status().await.unwrap().pending, 0);
    // The same lap again is still idempotent.
    assert!(
        !store
            .upsert_lap(&lap(&ann, 20, 1, 100_000, 101_000), Upload::Skip)
            .await
            .unwrap()
    );
}

/// A session holds each lap number once, whether the other lap is stored or in the same
/// import.
pub(crate) async fn lap_number_is_stored_once_per_session(store: &impl Store) {
    let ann = session(1, "monza", "ferrari_296_gt3", "Ann", 1_000);
    store.upsert_session(&ann, Upload::Skip).await.unwrap();
    assert!(
        store
            .upsert_lap(&lap(&ann, 30, 1, 100_000, 101_000), Upload::Skip)
            .await
            .unwrap()
    );
    let err = store
        .upsert_lap(&lap(&ann, 31, 1, 90_000, 101_000), Upload::Skip)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::LapNumberTaken {
                session: SessionId(1),
                number: 1,
                lap: LapId(31),
                stored_lap: LapId(30),
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("already has a lap 1"), "{err}");
    let err = store
        .import_session(&SessionWithLaps {
            info: ann.clone(),
            ended_at_ms: None,
            laps: vec![
                lap(&ann, 32, 2, 99_000, 200_000),
                lap(&ann, 33, 2, 98_000, 300_000),
            ],
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::LapNumberTaken { number: 2, .. }),
        "{err:?}"
    );
    let laps = store.laps(&LapFilter::default()).await.unwrap();
    assert_eq!(laps.len(), 1, "nothing of the refused import");
}
