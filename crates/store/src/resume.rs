//! Sessions across tracker restarts and failed uploads, for both backends: each running
//! session's last [`Checkpoint`] (what a restarted tracker compares with the game's pages),
//! re-opening a session the tracker's stop had ended, and the reason of the last failed
//! upload of each outbox item (what `pitwall status` shows). Written as macros expanded per
//! backend like [`crate::writes`].

use pitwall_core::model::SessionId;

/// Upload items of one session whose last attempt failed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFailure {
    /// The session.
    pub session: SessionId,
    /// Its items that failed (the session itself and its laps).
    pub items: u64,
    /// What the server answered, or what went wrong.
    pub reason: String,
    /// When the last attempt failed (ms).
    pub at_ms: u64,
}

/// Stores a session's checkpoint, replacing the previous one.
pub(crate) const SAVE_CHECKPOINT: &str = "INSERT INTO session_checkpoints (session_id, at_ms, \
    completed_laps, current_ms, time_left_ms, distance_m, attempts) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO UPDATE SET \
    at_ms = excluded.at_ms, completed_laps = excluded.completed_laps, \
    current_ms = excluded.current_ms, time_left_ms = excluded.time_left_ms, \
    distance_m = excluded.distance_m, attempts = excluded.attempts";

/// Removes a session's checkpoint.
pub(crate) const DROP_CHECKPOINT: &str = "DELETE FROM session_checkpoints WHERE session_id = $1";

/// The latest checkpoint.
pub(crate) const LAST_CHECKPOINT: &str = "SELECT session_id, at_ms, completed_laps, current_ms, \
    time_left_ms, distance_m, attempts FROM session_checkpoints \
    ORDER BY at_ms DESC, session_id DESC LIMIT 1";

/// Clears an ended session's end.
pub(crate) const REOPEN_SESSION: &str =
    "UPDATE sessions SET ended_at_ms = NULL WHERE id = $1 AND ended_at_ms IS NOT NULL";

/// Counts a failed attempt of an item, with its reason.
pub(crate) const FAIL_UPLOAD: &str = "UPDATE upload_outbox SET attempts = attempts + 1, \
    last_error = $4, last_error_at_ms = $5 WHERE session_id = $1 AND kind = $2 AND lap_id = $3";

/// The last failure of each session's items, latest first.
pub(crate) const UPLOAD_FAILURES: &str = "SELECT session_id, COUNT(*), MAX(last_error_at_ms), \
    MAX(last_error) FROM upload_outbox o WHERE last_error IS NOT NULL \
    AND last_error_at_ms = (SELECT MAX(last_error_at_ms) FROM upload_outbox i \
    WHERE i.session_id = o.session_id) \
    GROUP BY session_id ORDER BY MAX(last_error_at_ms) DESC, session_id LIMIT $1";

/// The methods of [`Store`](crate::Store) this module adds.
macro_rules! resume_methods {
    ($db:ty) => {
        async fn save_checkpoint(
            &self,
            cp: &pitwall_core::model::Checkpoint,
        ) -> $crate::Result<()> {
            use $crate::rows::to_db;
            sqlx::query($crate::resume::SAVE_CHECKPOINT)
                .bind(to_db(cp.session.0))
                .bind(to_db(cp.at_ms))
                .bind(i64::from(cp.completed_laps))
                .bind(i64::from(cp.current_ms))
                .bind(f64::from(cp.time_left_ms))
                .bind(f64::from(cp.distance_m))
                .bind(i64::from(cp.attempts))
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        async fn drop_checkpoint(
            &self,
            session: pitwall_core::model::SessionId,
        ) -> $crate::Result<()> {
            sqlx::query($crate::resume::DROP_CHECKPOINT)
                .bind($crate::rows::to_db(session.0))
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        async fn last_checkpoint(&self) -> $crate::Result<Option<pitwall_core::model::Checkpoint>> {
            use $crate::rows::{RowExt as _, from_db, narrow};
            let Some(row) = sqlx::query($crate::resume::LAST_CHECKPOINT)
                .fetch_optional(&self.pool)
                .await?
            else {
                return Ok(None);
            };
            let real = |i: usize| row.opt_real(i).map(|v| v.unwrap_or(0.0) as f32);
            Ok(Some(pitwall_core::model::Checkpoint {
                session: pitwall_core::model::SessionId(from_db(row.int(0)?)),
                at_ms: from_db(row.int(1)?),
                completed_laps: narrow("completed_laps", row.int(2)?)?,
                current_ms: narrow("current_ms", row.int(3)?)?,
                time_left_ms: real(4)?,
                distance_m: real(5)?,
                attempts: narrow("attempts", row.int(6)?)?,
            }))
        }

        async fn reopen_session(
            &self,
            id: pitwall_core::model::SessionId,
            queue_at_ms: Option<u64>,
        ) -> $crate::Result<bool> {
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query($crate::resume::REOPEN_SESSION)
                .bind($crate::rows::to_db(id.0))
                .execute(&mut *tx)
                .await?;
            let reopened = done.rows_affected() > 0;
            if let Some(at_ms) = queue_at_ms.filter(|_| reopened) {
                Self::queue_in(&mut tx, id, None, at_ms).await?;
            }
            tx.commit().await?;
            Ok(self.changes.count(reopened))
        }

        async fn fail_uploads(
            &self,
            items: &[$crate::PendingUpload],
            reason: &str,
            at_ms: u64,
        ) -> $crate::Result<()> {
            let mut tx = self.pool.begin().await?;
            for item in items {
                sqlx::query($crate::resume::FAIL_UPLOAD)
                    .bind($crate::rows::to_db(item.session.0))
                    .bind(i64::from(item.lap.is_some()))
                    .bind(item.lap.map_or(0, |l| $crate::rows::to_db(l.0)))
                    .bind(reason)
                    .bind($crate::rows::to_db(at_ms))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn upload_failures(&self, limit: u32) -> $crate::Result<Vec<$crate::UploadFailure>> {
            use $crate::rows::{RowExt as _, from_db};
            let rows = sqlx::query($crate::resume::UPLOAD_FAILURES)
                .bind(i64::from(limit.min($crate::MAX_PAGE)))
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok($crate::UploadFailure {
                        session: pitwall_core::model::SessionId(from_db(row.int(0)?)),
                        items: u64::try_from(row.int(1)?).unwrap_or(0),
                        at_ms: from_db(row.int(2)?),
                        reason: row.text(3)?,
                    })
                })
                .collect()
        }
    };
}
