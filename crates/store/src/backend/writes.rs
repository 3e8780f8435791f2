//! The writes of sessions and laps, for both backends: sessions, laps with their sectors,
//! imports, and queueing each for upload when asked to. Written once as macros expanded for
//! each backend's concrete types (see [`crate::backend`]), since the same sqlx calls serve
//! both.
//!
//! Every write is an `INSERT … ON CONFLICT … DO NOTHING` keyed by the detector's ids, inside
//! a transaction, so a retried or replayed write stores nothing twice; a lap's sectors are
//! inserted only when the lap itself was new.
//!
//! # Ownership
//! A write never takes over what another session or driver owns: a session id stored as
//! another driver's, a lap id stored for another session or lap number, and a lap number a
//! session already holds under another lap id are refused ([`StoreError::is_conflict`]),
//! and the transaction stores nothing. A lap write first locks its session's row, so the
//! checks and the insert cannot interleave with another writer's.
//!
//! [`StoreError::is_conflict`]: crate::StoreError::is_conflict

/// Inherent helpers that run inside a caller's transaction.
macro_rules! write_helpers {
    ($db:ty) => {
        /// The id of the driver `name`, created if new.
        async fn driver_id_in(
            conn: &mut <$db as sqlx::Database>::Connection,
            name: &str,
        ) -> $crate::Result<i64> {
            sqlx::query($crate::sql::INSERT_DRIVER)
                .bind(name)
                .execute(&mut *conn)
                .await?;
            let id: i64 = sqlx::query_scalar($crate::sql::DRIVER_ID)
                .bind(name)
                .fetch_one(&mut *conn)
                .await?;
            Ok(id)
        }

        /// Stores a session unless known; whether it was new. A session stored as another
        /// driver's is refused.
        async fn insert_session_in(
            conn: &mut <$db as sqlx::Database>::Connection,
            info: &pitwall_core::model::SessionInfo,
        ) -> $crate::Result<bool> {
            let driver = Self::driver_id_in(conn, &info.driver).await?;
            let new = Self::insert_session_row_in(conn, info, driver).await?;
            if !new {
                let owner: i64 = sqlx::query_scalar($crate::sql::SESSION_DRIVER)
                    .bind($crate::rows::to_db(info.id.0))
                    .fetch_one(&mut *conn)
                    .await?;
                if owner != driver {
                    return Err($crate::StoreError::SessionOfAnotherDriver { session: info.id });
                }
            }
            Ok(new)
        }

        /// The insert of [`Self::insert_session_in`], for the driver's id `driver`.
        async fn insert_session_row_in(
            conn: &mut <$db as sqlx::Database>::Connection,
            info: &pitwall_core::model::SessionInfo,
            driver: i64,
        ) -> $crate::Result<bool> {
            let done = sqlx::query($crate::sql::INSERT_SESSION)
                .bind($crate::rows::to_db(info.id.0))
                .bind(driver)
                .bind(&info.track)
                .bind(&info.car)
                .bind(i64::from(i32::from(info.session_type)))
                .bind(i64::from(info.session_index))
                .bind(i64::from(info.sector_count))
                .bind($crate::rows::to_db(info.started_at_ms))
                .bind(&info.sm_version)
                .bind(&info.ac_version)
                .bind(info.online)
                .bind(info.joined_late)
                .bind(info.conditions.map(|c| f64::from(c.air_temp_c)))
                .bind(info.conditions.map(|c| f64::from(c.road_temp_c)))
                .bind(info.conditions.map(|c| i64::from(i32::from(c.grip))))
                .bind(info.conditions.map(|c| i64::from(i32::from(c.rain))))
                .execute(&mut *conn)
                .await?;
            Ok(done.rows_affected() > 0)
        }

        /// Stores a lap and its sectors unless known; whether it was new. A new lap's packed
        /// record is added to `packed`, for [`Self::append_packed_in`] in the same transaction.
        /// A lap id stored for another session or number, or a number the session holds
        /// under another id, is refused.
        async fn insert_lap_in(
            conn: &mut <$db as sqlx::Database>::Connection,
            lap: &pitwall_core::model::Lap,
            packed: &mut Vec<u8>,
        ) -> $crate::Result<bool> {
            let id = $crate::rows::to_db(lap.id.0);
            let session = $crate::rows::to_db(lap.session.0);
            let found = sqlx::query(Self::LOCK_SESSION)
                .bind(session)
                .execute(&mut *conn)
                .await?;
            if found.rows_affected() == 0 {
                return Err($crate::StoreError::UnknownSession {
                    lap: lap.id,
                    session: lap.session,
                });
            }
            let other: Option<i64> = sqlx::query_scalar($crate::sql::LAP_WITH_NUMBER)
                .bind(session)
                .bind(i64::from(lap.number))
                .bind(id)
                .bind(i64::from(lap.car.index))
                .fetch_optional(&mut *conn)
                .await?;
            if let Some(other) = other {
                return Err($crate::StoreError::LapNumberTaken {
                    session: lap.session,
                    number: lap.number,
                    lap: lap.id,
                    stored_lap: pitwall_core::model::LapId($crate::rows::from_db(other)),
                });
            }
            let done = sqlx::query($crate::sql::INSERT_LAP)
                .bind(id)
                .bind(session)
                .bind(i64::from(lap.number))
                .bind(i64::from(lap.time_ms))
                .bind(lap.valid)
                .bind(lap.invalid_sector.map(i64::from))
                .bind(lap.out_lap)
                .bind(lap.in_lap)
                .bind(lap.partial)
                .bind($crate::rows::to_db(lap.started_at_ms))
                .bind($crate::rows::to_db(lap.completed_at_ms))
                .bind(i64::from(lap.car.index))
                .bind(&lap.car.model)
                .bind(lap.car.race_number.map(i64::from))
                .bind(&lap.driver)
                .execute(&mut *conn)
                .await
                .map_err(|e| $crate::backend::lap_error(e, lap))?;
            if done.rows_affected() == 0 {
                let (owner, number, car): (i64, i64, i64) = sqlx::query_as($crate::sql::LAP_OWNER)
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
                if owner == session
                    && number == i64::from(lap.number)
                    && car == i64::from(lap.car.index)
                {
                    return Ok(false);
                }
                return Err($crate::StoreError::LapIdTaken {
                    lap: lap.id,
                    session: lap.session,
                    number: lap.number,
                    stored_session: pitwall_core::model::SessionId($crate::rows::from_db(owner)),
                    stored_number: u32::try_from(number).unwrap_or(u32::MAX),
                });
            }
            if !lap.sectors.is_empty() {
                let mut insert = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO sectors (session_id, lap_id, idx, time_ms) ",
                );
                insert.push_values(lap.sectors.iter().zip(0_i64..), |mut row, (time, idx)| {
                    row.push_bind(session)
                        .push_bind(id)
                        .push_bind(idx)
                        .push_bind(time.map(i64::from));
                });
                insert.build().execute(&mut *conn).await?;
            }
            let (car, driver): (String, String) = sqlx::query_as($crate::sql::SESSION_IDENTITY)
                .bind(session)
                .fetch_one(&mut *conn)
                .await?;
            packed.extend($crate::packed::encode(&car, &driver, lap));
            Ok(true)
        }

        /// Appends packed laps to their session's (a no-op when there are none).
        async fn append_packed_in(
            conn: &mut <$db as sqlx::Database>::Connection,
            session: pitwall_core::model::SessionId,
            packed: Vec<u8>,
        ) -> $crate::Result<()> {
            if !packed.is_empty() {
                sqlx::query(Self::APPEND_PACKED_LAP)
                    .bind($crate::rows::to_db(session.0))
                    .bind(packed)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }
    };
}

/// The methods of [`SessionWrites`](crate::SessionWrites).
macro_rules! session_write_methods {
    ($db:ty) => {
        async fn upsert_session(
            &self,
            info: &pitwall_core::model::SessionInfo,
            upload: $crate::Upload,
        ) -> $crate::Result<bool> {
            let mut tx = self.pool.begin().await?;
            let new = Self::insert_session_in(&mut tx, info).await?;
            if let $crate::Upload::Queue { at_ms } = upload {
                Self::queue_in(&mut tx, info.id, None, at_ms).await?;
            }
            tx.commit().await?;
            Ok(self.changes.count(new))
        }

        async fn end_session(
            &self,
            id: pitwall_core::model::SessionId,
            at_ms: u64,
            upload: $crate::Upload,
        ) -> $crate::Result<bool> {
            let end = sqlx::query($crate::sql::END_SESSION)
                .bind($crate::rows::to_db(id.0))
                .bind($crate::rows::to_db(at_ms));
            let $crate::Upload::Queue {
                at_ms: queued_at_ms,
            } = upload
            else {
                let done = end.execute(&self.pool).await?;
                return Ok(self.changes.count(done.rows_affected() > 0));
            };
            let mut tx = self.pool.begin().await?;
            let known = end.execute(&mut *tx).await?.rows_affected() > 0;
            if known {
                Self::queue_in(&mut tx, id, None, queued_at_ms).await?;
            }
            tx.commit().await?;
            Ok(self.changes.count(known))
        }

        async fn set_conditions(
            &self,
            id: pitwall_core::model::SessionId,
            c: &pitwall_core::model::Conditions,
        ) -> $crate::Result<bool> {
            let done = sqlx::query($crate::sql::SET_CONDITIONS)
                .bind($crate::rows::to_db(id.0))
                .bind(f64::from(c.air_temp_c))
                .bind(f64::from(c.road_temp_c))
                .bind(i64::from(i32::from(c.grip)))
                .bind(i64::from(i32::from(c.rain)))
                .execute(&self.pool)
                .await?;
            Ok(self.changes.count(done.rows_affected() > 0))
        }

        async fn upsert_lap(
            &self,
            lap: &pitwall_core::model::Lap,
            upload: $crate::Upload,
        ) -> $crate::Result<bool> {
            let mut tx = self.pool.begin().await?;
            let mut packed = Vec::new();
            let new = Self::insert_lap_in(&mut tx, lap, &mut packed).await?;
            Self::append_packed_in(&mut tx, lap.session, packed).await?;
            if let $crate::Upload::Queue { at_ms } = upload
                && new
            {
                Self::queue_in(&mut tx, lap.session, Some(lap.id), at_ms).await?;
            }
            tx.commit().await?;
            Ok(self.changes.count(new))
        }

        async fn import_session(
            &self,
            session: &$crate::SessionWithLaps,
        ) -> $crate::Result<$crate::ImportOutcome> {
            if let Some(lap) = session.laps.iter().find(|l| l.session != session.info.id) {
                return Err($crate::StoreError::LapOfAnotherSession {
                    lap: lap.id,
                    lap_session: lap.session,
                    session: session.info.id,
                });
            }
            let mut tx = self.pool.begin().await?;
            let session_new = Self::insert_session_in(&mut tx, &session.info).await?;
            let mut ended = false;
            if let Some(at) = session.ended_at_ms {
                ended = sqlx::query($crate::sql::END_SESSION)
                    .bind($crate::rows::to_db(session.info.id.0))
                    .bind($crate::rows::to_db(at))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    > 0;
            }
            let mut laps_new = 0;
            let mut packed = Vec::new();
            for lap in &session.laps {
                if Self::insert_lap_in(&mut tx, lap, &mut packed).await? {
                    laps_new += 1;
                }
            }
            // One append for the session: one new row version, not one per lap.
            Self::append_packed_in(&mut tx, session.info.id, packed).await?;
            tx.commit().await?;
            self.changes.count(session_new || ended || laps_new > 0);
            Ok($crate::ImportOutcome {
                session_new,
                laps_new,
            })
        }

        async fn reopen_session(
            &self,
            id: pitwall_core::model::SessionId,
            upload: $crate::Upload,
        ) -> $crate::Result<bool> {
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query($crate::sql::REOPEN_SESSION)
                .bind($crate::rows::to_db(id.0))
                .execute(&mut *tx)
                .await?;
            let reopened = done.rows_affected() > 0;
            if let $crate::Upload::Queue { at_ms } = upload
                && reopened
            {
                Self::queue_in(&mut tx, id, None, at_ms).await?;
            }
            tx.commit().await?;
            Ok(self.changes.count(reopened))
        }
    };
}
