//! The checkpoints of running sessions, for both backends: each session's last
//! [`Checkpoint`](pitwall_core::model::Checkpoint), what a restarted tracker compares with
//! the game's pages. Written as macros expanded per backend like [`super::writes`].

/// The methods of [`Checkpoints`](crate::Checkpoints).
macro_rules! checkpoint_methods {
    ($db:ty) => {
        async fn save_checkpoint(
            &self,
            cp: &pitwall_core::model::Checkpoint,
        ) -> $crate::Result<()> {
            use $crate::rows::to_db;
            sqlx::query($crate::sql::SAVE_CHECKPOINT)
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
            sqlx::query($crate::sql::DROP_CHECKPOINT)
                .bind($crate::rows::to_db(session.0))
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        async fn last_checkpoint(&self) -> $crate::Result<Option<pitwall_core::model::Checkpoint>> {
            use $crate::rows::{RowExt as _, from_db, narrow};
            let Some(row) = sqlx::query($crate::sql::LAST_CHECKPOINT)
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
    };
}
