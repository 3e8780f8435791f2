//! The queries, for both backends: sessions with laps and sectors, lap filters, bests,
//! progression, tracks and cars and leaderboards. Written once as macros
//! expanded for each backend's concrete types (see [`crate::backend`]).
//!
//! Sessions come with their laps in one query: the page of sessions (index
//! `sessions_recent`) with each session's packed laps (see [`crate::packed`]).
//!
//! Where a query is put together at run time (`AssertSqlSafe`), it is only ever made of the
//! constants of [`crate::sql`] and fixed fragments written here; every value is a bind.

/// Inherent helpers for the read methods.
macro_rules! read_helpers {
    ($db:ty) => {
        /// Sessions from rows of [`SESSION_COLS`](crate::sql::SESSION_COLS), with their laps
        /// from the packed column.
        async fn with_laps(
            &self,
            rows: Vec<<$db as sqlx::Database>::Row>,
        ) -> $crate::Result<Vec<$crate::SessionWithLaps>> {
            use $crate::rows::RowExt as _;
            rows.iter()
                .map(|row| {
                    let (info, ended_at_ms) = $crate::rows::session(row)?;
                    let packed = row.bytes($crate::sql::LAPS_PACKED_COL)?;
                    Ok($crate::SessionWithLaps {
                        laps: $crate::packed::decode(&info, &packed)?,
                        info,
                        ended_at_ms,
                    })
                })
                .collect()
        }

        /// Rows of a query with an optional `d.name = $n` condition appended.
        async fn driver_rows(
            &self,
            sql: impl sqlx::SqlSafeStr,
            binds: &[&str],
            driver: Option<&str>,
        ) -> $crate::Result<Vec<<$db as sqlx::Database>::Row>> {
            let mut query = sqlx::query(sql);
            for b in binds {
                query = query.bind(*b);
            }
            if let Some(d) = driver {
                query = query.bind(d);
            }
            Ok(query.fetch_all(&self.pool).await?)
        }
    };
}

/// The methods of [`Reads`](crate::Reads) but [`changes`](crate::Reads::changes).
macro_rules! read_methods {
    ($db:ty) => {
        async fn recent_sessions(
            &self,
            limit: u32,
            offset: u32,
        ) -> $crate::Result<Vec<$crate::SessionWithLaps>> {
            // The page is picked from the index alone (skipping `offset` entries costs no
            // row reads), then only its rows are read with their packed laps.
            let sql = format!(
                "SELECT {}{} WHERE s.id IN (SELECT id FROM sessions \
                 ORDER BY started_at_ms DESC, id DESC LIMIT $1 OFFSET $2) \
                 ORDER BY s.started_at_ms DESC, s.id DESC",
                $crate::sql::SESSION_COLS,
                $crate::sql::SESSIONS_FROM
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(limit.min($crate::MAX_PAGE)))
                .bind(i64::from(offset))
                .fetch_all(&self.pool)
                .await?;
            self.with_laps(rows).await
        }

        async fn session(
            &self,
            id: pitwall_core::model::SessionId,
        ) -> $crate::Result<Option<$crate::SessionWithLaps>> {
            let sql = format!(
                "SELECT {}{} WHERE s.id = $1",
                $crate::sql::SESSION_COLS,
                $crate::sql::SESSIONS_FROM
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind($crate::rows::to_db(id.0))
                .fetch_all(&self.pool)
                .await?;
            Ok(self.with_laps(rows).await?.pop())
        }

        async fn sessions_after(
            &self,
            after: Option<pitwall_core::model::SessionId>,
            limit: u32,
        ) -> $crate::Result<Vec<$crate::SessionWithLaps>> {
            let (op, from) = match after {
                Some(id) => (">", $crate::rows::to_db(id.0)),
                None => (">=", i64::MIN),
            };
            let sql = format!(
                "SELECT {}{} WHERE s.id {op} $1 ORDER BY s.id LIMIT $2",
                $crate::sql::SESSION_COLS,
                $crate::sql::SESSIONS_FROM
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from)
                .bind(i64::from(limit.min($crate::MAX_PAGE)))
                .fetch_all(&self.pool)
                .await?;
            self.with_laps(rows).await
        }

        async fn laps(
            &self,
            filter: &$crate::LapFilter,
        ) -> $crate::Result<Vec<$crate::StoredLap>> {
            use $crate::rows::{RowExt as _, to_db};
            let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                "SELECT {}, sc.idx, sc.time_ms, l.track, l.car, l.session_type, l.driver \
                 FROM (SELECT {}, s.track, s.car, s.session_type, d.name AS driver{} WHERE 1 = 1",
                $crate::sql::LAP_COLS,
                $crate::sql::LAP_COLS,
                $crate::sql::LAPS_FROM
            ));
            if let Some(track) = &filter.track {
                q.push(" AND s.track = ").push_bind(track.as_str());
            }
            if let Some(car) = &filter.car {
                q.push(" AND s.car = ").push_bind(car.as_str());
            }
            if let Some(t) = filter.session_type {
                q.push(" AND s.session_type = ")
                    .push_bind(i64::from(i32::from(t)));
            }
            if let Some(driver) = &filter.driver {
                q.push(" AND d.name = ").push_bind(driver.as_str());
            }
            if let Some(valid) = filter.valid {
                q.push(" AND l.valid = ").push_bind(valid);
            }
            if let Some(from) = filter.from_ms {
                q.push(" AND l.completed_at_ms >= ").push_bind(to_db(from));
            }
            if let Some(to) = filter.to_ms {
                // A session starts before its laps end: lets the sessions index prune.
                q.push(" AND s.started_at_ms < ").push_bind(to_db(to));
                q.push(" AND l.completed_at_ms < ").push_bind(to_db(to));
            }
            let limit = filter.limit.unwrap_or($crate::LapFilter::DEFAULT_LIMIT);
            q.push(" ORDER BY l.completed_at_ms DESC, l.id DESC LIMIT ")
                .push_bind(i64::from(limit.min($crate::MAX_PAGE)))
                .push(" OFFSET ")
                .push_bind(i64::from(filter.offset));
            q.push(
                ") l LEFT JOIN sectors sc ON sc.session_id = l.session_id AND sc.lap_id = l.id \
                 ORDER BY l.completed_at_ms DESC, l.id DESC, sc.idx",
            );
            let mut out: Vec<$crate::StoredLap> = Vec::new();
            let at = $crate::sql::LAP_COL_COUNT + 2;
            for row in q.build().fetch_all(&self.pool).await? {
                let id = $crate::rows::from_db(row.int(0)?);
                if out.last().is_none_or(|last| last.lap.id.0 != id) {
                    out.push($crate::StoredLap {
                        lap: $crate::rows::lap(&row, 0)?,
                        track: row.text(at)?,
                        car: row.text(at + 1)?,
                        session_type: $crate::rows::narrow::<i32>("session_type", row.int(at + 2)?)?
                            .into(),
                        driver: row.text(at + 3)?,
                    });
                }
                if let Some(last) = out.last_mut() {
                    $crate::rows::put_sector(&mut last.lap, &row)?;
                }
            }
            Ok(out)
        }

        async fn personal_bests(
            &self,
            driver: Option<&str>,
        ) -> $crate::Result<Vec<$crate::RecordLap>> {
            let cond = if driver.is_some() { " AND d.name = $1" } else { "" };
            let sql = format!(
                "{}{}{}{cond}{}",
                $crate::sql::RANKED_HEAD,
                $crate::sql::COUNTING,
                $crate::sql::OWN_LAP,
                $crate::sql::RANKED_TAIL
            );
            let rows = self.driver_rows(sqlx::AssertSqlSafe(sql), &[], driver).await?;
            rows.iter().map($crate::rows::record).collect()
        }

        async fn leaderboard(
            &self,
            track: &str,
            car: &str,
            limit: u32,
        ) -> $crate::Result<Vec<$crate::RecordLap>> {
            let sql = format!(
                "{}{}{} AND s.track = $1 AND s.car = $2{} LIMIT $3",
                $crate::sql::RANKED_HEAD,
                $crate::sql::COUNTING,
                $crate::sql::OWN_LAP,
                $crate::sql::RANKED_TAIL
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(track)
                .bind(car)
                .bind(i64::from(limit.min($crate::MAX_PAGE)))
                .fetch_all(&self.pool)
                .await?;
            rows.iter().map($crate::rows::record).collect()
        }

        async fn best_sectors(
            &self,
            track: &str,
            car: &str,
            driver: Option<&str>,
        ) -> $crate::Result<$crate::SectorBests> {
            use $crate::rows::{RowExt as _, from_db, narrow};
            let cond = if driver.is_some() { " AND d.name = $3" } else { "" };
            let slots_sql = format!("{}{cond}", $crate::sql::MAX_SECTORS_HEAD);
            let slots = self.driver_rows(sqlx::AssertSqlSafe(slots_sql), &[track, car], driver).await?;
            let slots = match slots.first() {
                Some(row) => row.opt_int(0)?.unwrap_or(0),
                None => 0,
            };
            let sql = format!(
                "{}{}{}{cond}{}",
                $crate::sql::BEST_SECTORS_HEAD,
                $crate::sql::COUNTING,
                $crate::sql::OWN_LAP,
                $crate::sql::BEST_SECTORS_TAIL
            );
            let mut sectors = vec![None; narrow::<usize>("sector_count", slots)?];
            for row in self.driver_rows(sqlx::AssertSqlSafe(sql), &[track, car], driver).await? {
                let idx: usize = narrow("idx", row.int(0)?)?;
                if sectors.len() <= idx {
                    sectors.resize(idx + 1, None);
                }
                sectors[idx] = Some(pitwall_core::stats::BestSector {
                    time_ms: narrow("sectors.time_ms", row.int(1)?)?,
                    lap: pitwall_core::model::LapId(from_db(row.int(2)?)),
                    lap_number: narrow("number", row.int(3)?)?,
                    completed_at_ms: from_db(row.int(4)?),
                });
            }
            let theoretical_best_ms = $crate::backend::sum_sectors(&sectors);
            Ok($crate::SectorBests {
                sectors,
                theoretical_best_ms,
            })
        }

        async fn pb_progression(
            &self,
            track: &str,
            car: &str,
            driver: &str,
        ) -> $crate::Result<Vec<pitwall_core::stats::PbStep>> {
            use $crate::rows::{RowExt as _, from_db, narrow};
            let rows = self
                .driver_rows($crate::sql::PB_PROGRESSION, &[track, car], Some(driver))
                .await?;
            let mut steps = Vec::with_capacity(rows.len());
            for row in &rows {
                let time_ms: u32 = narrow("time_ms", row.int(1)?)?;
                let previous: Option<u32> = row
                    .opt_int(3)?
                    .map(|p| narrow("time_ms", p))
                    .transpose()?;
                steps.push(pitwall_core::stats::PbStep {
                    completed_at_ms: from_db(row.int(2)?),
                    time_ms,
                    lap: pitwall_core::model::LapId(from_db(row.int(0)?)),
                    gain_ms: previous.map(|p| p.saturating_sub(time_ms)),
                });
            }
            Ok(steps)
        }

        async fn tracks_and_cars(
            &self,
            driver: Option<&str>,
        ) -> $crate::Result<Vec<$crate::TrackCar>> {
            use $crate::rows::{RowExt as _, from_db, narrow};
            let cond = if driver.is_some() { " WHERE d.name = $1" } else { "" };
            let sql = format!(
                "{}{cond}{}",
                $crate::sql::TRACKS_CARS_HEAD,
                $crate::sql::TRACKS_CARS_TAIL
            );
            let mut out = Vec::new();
            for row in self.driver_rows(sqlx::AssertSqlSafe(sql), &[], driver).await? {
                out.push($crate::TrackCar {
                    track: row.text(0)?,
                    car: row.text(1)?,
                    sessions: narrow("sessions", row.int(2)?)?,
                    laps: narrow("laps", row.int(3)?)?,
                    last_lap_at_ms: row.opt_int(4)?.map(from_db),
                });
            }
            Ok(out)
        }
    };
}
