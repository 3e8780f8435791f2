//! Between domain values and columns: the id and time conversions, and decoding of rows by
//! position (see the column lists in [`crate::sql`]).
//!
//! # Integers
//! Ids are the detector's `u64`s bit-cast to `i64` (`BIGINT` has no unsigned form), so ids
//! above `i64::MAX` are stored as negative numbers and read back exactly. Times in ms since
//! an epoch (`u64`) are stored the same way; they are far below `i64::MAX`, so their order is
//! kept. `u32` and smaller values widen to `i64` and are range-checked when read back.

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Car, Conditions, Lap, LapId, SessionId, SessionInfo};
use sqlx::Row as _;

use crate::error::{Result, StoreError};
use crate::sql::LAP_COL_COUNT;

/// A `u64` id or time as stored.
pub(crate) fn to_db(value: u64) -> i64 {
    i64::from_ne_bytes(value.to_ne_bytes())
}

/// A stored `u64` id or time.
pub(crate) fn from_db(value: i64) -> u64 {
    u64::from_ne_bytes(value.to_ne_bytes())
}

/// A stored value that must fit `T`.
pub(crate) fn narrow<T: TryFrom<i64>>(column: &'static str, value: i64) -> Result<T> {
    T::try_from(value).map_err(|_| StoreError::OutOfRange { column, value })
}

/// Typed access by position to a row of either backend.
pub(crate) trait RowExt {
    /// An integer column.
    fn int(&self, i: usize) -> Result<i64>;
    /// A nullable integer column.
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
    /// A text column.
    fn text(&self, i: usize) -> Result<String>;
    /// A boolean column.
    fn flag(&self, i: usize) -> Result<bool>;
    /// A nullable floating-point column.
    fn opt_real(&self, i: usize) -> Result<Option<f64>>;
    /// A binary column.
    fn bytes(&self, i: usize) -> Result<Vec<u8>>;
}

macro_rules! row_ext {
    ($row:ty) => {
        impl RowExt for $row {
            fn int(&self, i: usize) -> Result<i64> {
                Ok(self.try_get(i)?)
            }
            fn opt_int(&self, i: usize) -> Result<Option<i64>> {
                Ok(self.try_get(i)?)
            }
            fn text(&self, i: usize) -> Result<String> {
                Ok(self.try_get(i)?)
            }
            fn flag(&self, i: usize) -> Result<bool> {
                Ok(self.try_get(i)?)
            }
            fn opt_real(&self, i: usize) -> Result<Option<f64>> {
                Ok(self.try_get(i)?)
            }
            fn bytes(&self, i: usize) -> Result<Vec<u8>> {
                Ok(self.try_get(i)?)
            }
        }
    };
}

#[cfg(feature = "sqlite")]
row_ext!(sqlx::sqlite::SqliteRow);
#[cfg(feature = "postgres")]
row_ext!(sqlx::postgres::PgRow);

/// A session and its end from [`SESSION_COLS`](crate::sql::SESSION_COLS) at the row's start.
pub(crate) fn session(row: &impl RowExt) -> Result<(SessionInfo, Option<u64>)> {
    let info = SessionInfo {
        id: SessionId(from_db(row.int(0)?)),
        driver: row.text(1)?,
        track: row.text(2)?,
        car: row.text(3)?,
        session_type: SessionType::from(narrow::<i32>("session_type", row.int(4)?)?),
        session_index: narrow("session_index", row.int(5)?)?,
        sector_count: narrow("sector_count", row.int(6)?)?,
        started_at_ms: from_db(row.int(7)?),
        sm_version: row.text(9)?,
        ac_version: row.text(10)?,
        online: row.flag(11)?,
        joined_late: row.flag(12)?,
        conditions: conditions(row)?,
    };
    let ended = row.opt_int(8)?.map(from_db);
    Ok((info, ended))
}

/// The conditions at a session's start (columns 13 to 16), when stored.
fn conditions(row: &impl RowExt) -> Result<Option<Conditions>> {
    let (Some(air), Some(road), Some(grip), Some(rain)) = (
        row.opt_real(13)?,
        row.opt_real(14)?,
        row.opt_int(15)?,
        row.opt_int(16)?,
    ) else {
        return Ok(None);
    };
    Ok(Some(Conditions {
        air_temp_c: air as f32,
        road_temp_c: road as f32,
        grip: narrow::<i32>("track_grip", grip)?.into(),
        rain: narrow::<i32>("rain_intensity", rain)?.into(),
    }))
}

/// A lap from [`LAP_COLS`](crate::sql::LAP_COLS) at `at`, without sectors.
pub(crate) fn lap(row: &impl RowExt, at: usize) -> Result<Lap> {
    Ok(Lap {
        id: LapId(from_db(row.int(at)?)),
        session: SessionId(from_db(row.int(at + 1)?)),
        number: narrow("number", row.int(at + 2)?)?,
        time_ms: narrow("time_ms", row.int(at + 3)?)?,
        sectors: Vec::new(),
        valid: row.flag(at + 4)?,
        invalid_sector: row
            .opt_int(at + 5)?
            .map(|v| narrow("invalid_sector", v))
            .transpose()?,
        out_lap: row.flag(at + 6)?,
        in_lap: row.flag(at + 7)?,
        partial: row.flag(at + 8)?,
        started_at_ms: from_db(row.int(at + 9)?),
        completed_at_ms: from_db(row.int(at + 10)?),
        car: Car {
            index: narrow("car_index", row.int(at + 11)?)?,
            model: row.text(at + 12)?,
            race_number: row
                .opt_int(at + 13)?
                .map(|v| narrow("race_number", v))
                .transpose()?,
        },
        driver: row.text(at + 14)?,
    })
}

/// Puts the sector of a lap-and-sector row (`idx`, `time_ms` right after the lap's columns)
/// in its slot of `lap`, if the row has one (a lap without sectors has a row of NULLs).
pub(crate) fn put_sector(lap: &mut Lap, row: &impl RowExt) -> Result<()> {
    let Some(idx) = row.opt_int(LAP_COL_COUNT)? else {
        return Ok(());
    };
    let idx: usize = narrow("idx", idx)?;
    let time = row
        .opt_int(LAP_COL_COUNT + 1)?
        .map(|t| narrow("sectors.time_ms", t))
        .transpose()?;
    if lap.sectors.len() <= idx {
        lap.sectors.resize(idx + 1, None);
    }
    lap.sectors[idx] = time;
    Ok(())
}

/// A record lap from the columns of [`RANKED_HEAD`](crate::sql::RANKED_HEAD).
pub(crate) fn record(row: &impl RowExt) -> Result<crate::RecordLap> {
    Ok(crate::RecordLap {
        track: row.text(0)?,
        car: row.text(1)?,
        driver: row.text(2)?,
        time_ms: narrow("time_ms", row.int(3)?)?,
        lap: LapId(from_db(row.int(4)?)),
        session: SessionId(from_db(row.int(5)?)),
        completed_at_ms: from_db(row.int(6)?),
    })
}
