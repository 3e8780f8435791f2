//! Conformance cases for sessions across tracker restarts (checkpoints, re-opening) and the
//! reasons of failed uploads.

use pitwall_core::model::{Checkpoint, SessionId};
use pitwall_store::{Store, Upload};

use crate::fixtures::{lap, session};

/// The latest checkpoint wins and is replaced per session; a dropped one is gone; an ended
/// session re-opens (queued for upload when asked) and an open one reports no change.
pub(crate) async fn checkpoints_and_reopening(store: &impl Store) {
    assert_eq!(store.last_checkpoint().await.unwrap(), None);
    let a = session(20, "monza", "ferrari_296_gt3", "Ann", 1_000);
    let b = session(21, "spa", "ferrari_296_gt3", "Ann", 2_000);
    store.upsert_session(&a, Upload::Skip).await.unwrap();
    store.upsert_session(&b, Upload::Skip).await.unwrap();
    let cp = |session: SessionId, at_ms: u64| Checkpoint {
        session,
        at_ms,
        completed_laps: 3,
        current_ms: 12_345,
        time_left_ms: 1_234_567.5,
        distance_m: 17_000.25,
        attempts: 5,
    };
    store.save_checkpoint(&cp(a.id, 10_000)).await.unwrap();
    store.save_checkpoint(&cp(b.id, 20_000)).await.unwrap();
    assert_eq!(
        store.last_checkpoint().await.unwrap(),
        Some(cp(b.id, 20_000))
    );
    store.save_checkpoint(&cp(a.id, 30_000)).await.unwrap();
    assert_eq!(
        store.last_checkpoint().await.unwrap(),
        Some(cp(a.id, 30_000))
    );
    store.drop_checkpoint(a.id).await.unwrap();
    assert_eq!(
        store.last_checkpoint().await.unwrap(),
        Some(cp(b.id, 20_000))
    );

    assert!(
        !store.reopen_session(a.id, Upload::Skip).await.unwrap(),
        "not ended"
    );
    store.end_session(a.id, 40_000, Upload::Skip).await.unwrap();
    assert!(
        store
            .reopen_session(a.id, Upload::Queue { at_ms: 40_001 })
            .await
            .unwrap()
    );
    assert_eq!(
        store.session(a.id).await.unwrap().unwrap().ended_at_ms,
        None
    );
    let queued = store.pending_uploads(10).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!((queued[0].session, queued[0].lap), (a.id, None));
}

/// A failed attempt keeps its reason per item; the latest failure of each session is listed
/// with its item count; acknowledged items take their reasons with them.
pub(crate) async fn upload_failures_keep_their_reason(store: &impl Store) {
    let a = session(30, "monza", "ferrari_296_gt3", "Ann", 1_000);
    store
        .upsert_session(&a, Upload::Queue { at_ms: 1_000 })
        .await
        .unwrap();
    store
        .upsert_lap(
            &lap(&a, 31, 1, 100_000, 101_000),
            Upload::Queue { at_ms: 101_000 },
        )
        .await
        .unwrap();
    assert!(store.upload_failures(10).await.unwrap().is_empty());
    let items = store.pending_uploads(10).await.unwrap();
    store
        .fail_uploads(&items, "503: busy", 5_000)
        .await
        .unwrap();
    let why = "403: this token uploads \"Bob\"'s sessions; this session is \"Ann\"'s";
    store.fail_uploads(&items, why, 6_000).await.unwrap();
    let failures = store.upload_failures(10).await.unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(
        (failures[0].session, failures[0].items, failures[0].at_ms),
        (a.id, 2, 6_000)
    );
    assert_eq!(failures[0].reason, why);
    let attempts: Vec<u32> = store
        .pending_uploads(10)
        .await
        .unwrap()
        .iter()
        .map(|p| p.attempts)
        .collect();
    assert_eq!(attempts, [2, 2]);
    store.finish_uploads(&items, true).await.unwrap();
    assert!(store.upload_failures(10).await.unwrap().is_empty());
}
