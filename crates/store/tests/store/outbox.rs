//! Conformance cases for the upload outbox.

use pitwall_core::model::SessionId;
use pitwall_store::{OutboxStatus, Store, Upload};

use crate::fixtures::{lap, session};

/// Queued writes store and queue in one go; duplicates queue nothing more; plain writes
/// queue nothing; acknowledged items leave, failed ones count their attempts.
pub(crate) async fn queued_writes_wait_until_acknowledged(store: &impl Store) {
    assert_eq!(
        store.outbox_status().await.unwrap(),
        OutboxStatus::default()
    );
    let info = session(10, "monza", "ferrari_296_gt3", "Ann", 1_000);
    assert!(
        store
            .upsert_session(&info, Upload::Queue { at_ms: 1_000 })
            .await
            .unwrap()
    );
    let first = lap(&info, 11, 1, 100_000, 101_000);
    let second = lap(&info, 12, 2, 99_000, 200_000);
    assert!(
        store
            .upsert_lap(&first, Upload::Queue { at_ms: 101_000 })
            .await
            .unwrap()
    );
    assert!(
        !store
            .upsert_lap(&first, Upload::Queue { at_ms: 101_500 })
            .await
            .unwrap()
    );
    assert!(
        store
            .upsert_lap(&second, Upload::Queue { at_ms: 200_000 })
            .await
            .unwrap()
    );
    let unqueued = lap(&info, 13, 3, 98_000, 300_000);
    assert!(store.upsert_lap(&unqueued, Upload::Skip).await.unwrap());
    assert!(
        store
            .end_session(info.id, 400_000, Upload::Queue { at_ms: 400_000 })
            .await
            .unwrap()
    );
    assert!(
        !store
            .end_session(SessionId(99), 5, Upload::Queue { at_ms: 5 })
            .await
            .unwrap()
    );

    let pending = store.pending_uploads(10).await.unwrap();
    let items: Vec<_> = pending.iter().map(|p| (p.session, p.lap)).collect();
    assert_eq!(
        items,
        vec![
            (info.id, None),
            (info.id, Some(first.id)),
            (info.id, Some(second.id)),
        ],
        "the session's end re-uses its queued item"
    );
    assert_eq!(
        store.outbox_status().await.unwrap(),
        OutboxStatus {
            pending: 3,
            oldest_queued_at_ms: Some(1_000)
        }
    );
    // The stored session and laps are there, with the end.
    let stored = store.session(info.id).await.unwrap().unwrap();
    assert_eq!(stored.laps.len(), 3);
    assert_eq!(stored.ended_at_ms, Some(400_000));

    store.finish_uploads(&pending[1..], false).await.unwrap();
    let retried = store.pending_uploads(10).await.unwrap();
    assert_eq!(
        retried.iter().map(|p| p.attempts).collect::<Vec<_>>(),
        vec![0, 1, 1]
    );
    store.finish_uploads(&retried[..2], true).await.unwrap();
    let left = store.pending_uploads(10).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].lap, Some(second.id));
    assert_eq!(store.pending_uploads(0).await.unwrap().len(), 0);
}
