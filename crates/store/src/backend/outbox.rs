//! The upload outbox, for both backends: queueing an item inside a write's transaction (so a
//! stored lap is never forgotten by the uploader, whatever happens to the process), and the
//! queue's reads, acknowledgements and failures. Written as macros expanded per backend like
//! [`super::writes`].

/// Inherent helpers that run inside a caller's transaction.
macro_rules! outbox_helpers {
    ($db:ty) => {
        /// Queues one item unless it is already queued.
        async fn queue_in(
            conn: &mut <$db as sqlx::Database>::Connection,
            session: pitwall_core::model::SessionId,
            lap: Option<pitwall_core::model::LapId>,
            at_ms: u64,
        ) -> $crate::Result<()> {
            sqlx::query($crate::sql::QUEUE_UPLOAD)
                .bind($crate::rows::to_db(session.0))
                .bind(i64::from(lap.is_some()))
                .bind(lap.map_or(0, |l| $crate::rows::to_db(l.0)))
                .bind($crate::rows::to_db(at_ms))
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    };
}

/// The methods of [`Outbox`](crate::Outbox).
macro_rules! outbox_methods {
    ($db:ty) => {
        async fn pending_uploads(&self, limit: u32) -> $crate::Result<Vec<$crate::PendingUpload>> {
            use $crate::rows::{RowExt as _, from_db, narrow};
            let rows = sqlx::query($crate::sql::PENDING_UPLOADS)
                .bind(i64::from(limit.min($crate::MAX_PAGE)))
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok($crate::PendingUpload {
                        session: pitwall_core::model::SessionId(from_db(row.int(0)?)),
                        lap: (row.int(1)? != 0)
                            .then(|| row.int(2).map(|l| pitwall_core::model::LapId(from_db(l))))
                            .transpose()?,
                        queued_at_ms: from_db(row.int(3)?),
                        attempts: narrow("attempts", row.int(4)?)?,
                    })
                })
                .collect()
        }

        async fn finish_uploads(
            &self,
            items: &[$crate::PendingUpload],
            acknowledged: bool,
        ) -> $crate::Result<()> {
            let sql = if acknowledged {
                $crate::sql::ACK_UPLOAD
            } else {
                $crate::sql::RETRY_UPLOAD
            };
            let mut tx = self.pool.begin().await?;
            for item in items {
                sqlx::query(sql)
                    .bind($crate::rows::to_db(item.session.0))
                    .bind(i64::from(item.lap.is_some()))
                    .bind(item.lap.map_or(0, |l| $crate::rows::to_db(l.0)))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn outbox_status(&self) -> $crate::Result<$crate::OutboxStatus> {
            use $crate::rows::{RowExt as _, from_db};
            let row = sqlx::query($crate::sql::OUTBOX_STATUS)
                .fetch_one(&self.pool)
                .await?;
            Ok($crate::OutboxStatus {
                pending: u64::try_from(row.int(0)?).unwrap_or(0),
                oldest_queued_at_ms: row.opt_int(1)?.map(from_db),
            })
        }

        async fn fail_uploads(
            &self,
            items: &[$crate::PendingUpload],
            reason: &str,
            at_ms: u64,
        ) -> $crate::Result<()> {
            let mut tx = self.pool.begin().await?;
            for item in items {
                sqlx::query($crate::sql::FAIL_UPLOAD)
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
            let rows = sqlx::query($crate::sql::UPLOAD_FAILURES)
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
