//! The packed laps of a session: every completed lap of a session, with its sectors, in one
//! binary value kept on the session's row (`sessions.laps_packed`), appended to in the same
//! transaction that inserts the lap. The recent-sessions query reads one row per session
//! instead of a row per lap and per sector, which is what makes it fast; the `laps` and
//! `sectors` tables stay the source for every filtered and statistical query.
//!
//! # Format
//! A sequence of lap records, each:
//! `tag (u8 = 1)`, `id (u64 LE)`, `number`, `time_ms`, `flags (u8)`, `[invalid_sector]`,
//! `started_at_ms`, `completed_at_ms - started_at_ms (zigzag)`, `sector count`, then per
//! sector `time_ms + 1` (0 when unknown). Unnamed widths are LEB128 varints. Flags: valid 1,
//! out-lap 2, in-lap 4, partial 8, has an invalid sector 16. A new form takes a new tag, so
//! old records stay readable.
//!
//! Tag 2 (written since laps carry their car and driver) is tag 1's record followed by the
//! lap's identity: `car index`, `race number` (zigzag + 1; 0 for none), then the car model
//! and the driver, each as `length + 1` and UTF-8 bytes, or 0 for the session's own car or
//! driver (the player's laps, the common case, stay small). A tag-1 record is a lap of the
//! session's car (index 0) and driver.

use pitwall_core::model::{Car, Lap, LapId, SessionInfo};

use crate::error::{Result, StoreError};

/// The tag of the record form above without identity.
const TAG_V1: u8 = 1;
/// The tag of the record form with the lap's car and driver.
const TAG_V2: u8 = 2;

const VALID: u8 = 1;
const OUT_LAP: u8 = 2;
const IN_LAP: u8 = 4;
const PARTIAL: u8 = 8;
const HAS_INVALID_SECTOR: u8 = 16;

/// The packed record of `lap`, a lap of a session of the car model `car` and driver `driver`.
pub(crate) fn encode(car: &str, driver: &str, lap: &Lap) -> Vec<u8> {
    let mut out = Vec::with_capacity(28 + 3 * lap.sectors.len());
    out.push(TAG_V2);
    out.extend_from_slice(&lap.id.0.to_le_bytes());
    varint(&mut out, u64::from(lap.number));
    varint(&mut out, u64::from(lap.time_ms));
    let flags = [
        (lap.valid, VALID),
        (lap.out_lap, OUT_LAP),
        (lap.in_lap, IN_LAP),
        (lap.partial, PARTIAL),
        (lap.invalid_sector.is_some(), HAS_INVALID_SECTOR),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .fold(0, |acc, (_, bit)| acc | bit);
    out.push(flags);
    if let Some(sector) = lap.invalid_sector {
        out.push(sector);
    }
    varint(&mut out, lap.started_at_ms);
    let duration = lap.completed_at_ms.wrapping_sub(lap.started_at_ms) as i64;
    varint(&mut out, ((duration << 1) ^ (duration >> 63)) as u64);
    varint(&mut out, lap.sectors.len() as u64);
    for sector in &lap.sectors {
        varint(&mut out, sector.map_or(0, |t| u64::from(t) + 1));
    }
    varint(&mut out, u64::from(lap.car.index));
    let race = lap.car.race_number.map_or(0, |n| {
        let n = i64::from(n);
        ((n << 1) ^ (n >> 63)) as u64 + 1
    });
    varint(&mut out, race);
    for (text, session) in [(&lap.car.model, car), (&lap.driver, driver)] {
        if text == session {
            varint(&mut out, 0);
        } else {
            varint(&mut out, text.len() as u64 + 1);
            out.extend_from_slice(text.as_bytes());
        }
    }
    out
}

/// The laps of the session `info` from its packed value, by lap number (then id).
pub(crate) fn decode(info: &SessionInfo, bytes: &[u8]) -> Result<Vec<Lap>> {
    let session = info.id;
    let mut r = Reader { bytes, at: 0 };
    let mut laps = Vec::new();
    while r.at < bytes.len() {
        let tag = r.byte()?;
        if tag != TAG_V1 && tag != TAG_V2 {
            return Err(malformed());
        }
        let id = LapId(u64::from_le_bytes(r.take::<8>()?));
        let number = r.narrow()?;
        let time_ms = r.narrow()?;
        let flags = r.byte()?;
        let invalid_sector = if flags & HAS_INVALID_SECTOR != 0 {
            Some(r.byte()?)
        } else {
            None
        };
        let started_at_ms = r.varint()?;
        let zigzag = r.varint()?;
        let duration = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
        let count: usize = r.narrow()?;
        if count > bytes.len() {
            return Err(malformed());
        }
        let sectors = (0..count)
            .map(|_| {
                let v = r.varint()?;
                v.checked_sub(1)
                    .map(|t| u32::try_from(t).map_err(|_| malformed()))
                    .transpose()
            })
            .collect::<Result<Vec<_>>>()?;
        let (car, driver) = if tag == TAG_V2 {
            let index = r.narrow()?;
            let race_number = match r.varint()? {
                0 => None,
                z => {
                    let z = z - 1;
                    let n = ((z >> 1) as i64) ^ -((z & 1) as i64);
                    Some(i32::try_from(n).map_err(|_| malformed())?)
                }
            };
            let model = r.text(&info.car)?;
            let driver = r.text(&info.driver)?;
            let car = Car {
                index,
                model,
                race_number,
            };
            (car, driver)
        } else {
            (Car::new(0, info.car.clone()), info.driver.clone())
        };
        laps.push(Lap {
            id,
            session,
            number,
            time_ms,
            sectors,
            valid: flags & VALID != 0,
            invalid_sector,
            out_lap: flags & OUT_LAP != 0,
            in_lap: flags & IN_LAP != 0,
            partial: flags & PARTIAL != 0,
            started_at_ms,
            completed_at_ms: started_at_ms.wrapping_add(duration as u64),
            car,
            driver,
        });
    }
    laps.sort_by_key(|lap| (lap.number, lap.id));
    Ok(laps)
}

/// Appends `v` as an LEB128 varint.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn malformed() -> StoreError {
    StoreError::Malformed {
        what: "packed laps of a session",
    }
}

/// Reads a packed value front to back; every read past the end is an error.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.at).ok_or_else(malformed)?;
        self.at += 1;
        Ok(b)
    }

    /// A `length + 1`-prefixed UTF-8 string, or `session`'s when the prefix is 0.
    fn text(&mut self, session: &str) -> Result<String> {
        let len: usize = self.narrow()?;
        let Some(len) = len.checked_sub(1) else {
            return Ok(session.to_owned());
        };
        let end = self.at.checked_add(len).ok_or_else(malformed)?;
        let slice = self.bytes.get(self.at..end).ok_or_else(malformed)?;
        self.at = end;
        String::from_utf8(slice.to_vec()).map_err(|_| malformed())
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let end = self.at.checked_add(N).ok_or_else(malformed)?;
        let slice = self.bytes.get(self.at..end).ok_or_else(malformed)?;
        self.at = end;
        slice.try_into().map_err(|_| malformed())
    }

    fn varint(&mut self) -> Result<u64> {
        let mut v = 0_u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(malformed())
    }

    fn narrow<T: TryFrom<u64>>(&mut self) -> Result<T> {
        T::try_from(self.varint()?).map_err(|_| malformed())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use pitwall_acc::enums::SessionType;
    use pitwall_core::model::SessionId;

    fn session() -> SessionInfo {
        SessionInfo {
            id: SessionId(9),
            track: "monza".into(),
            car: "ferrari_296_gt3".into(),
            session_type: SessionType::Practice,
            driver: "Ana Silva".into(),
            sector_count: 3,
            session_index: 0,
            started_at_ms: 1_790_000_000_000,
            sm_version: "1.9".into(),
            ac_version: "1.10".into(),
            online: false,
            joined_late: false,
            conditions: None,
        }
    }

    fn lap(id: u64, number: u32) -> Lap {
        Lap {
            id: LapId(id),
            session: SessionId(9),
            number,
            time_ms: 101_234,
            sectors: vec![Some(30_000), None, Some(0)],
            valid: false,
            invalid_sector: Some(1),
            out_lap: true,
            in_lap: false,
            partial: true,
            started_at_ms: 1_790_000_000_000,
            completed_at_ms: 1_790_000_101_234,
            car: Car::new(0, "ferrari_296_gt3"),
            driver: "Ana Silva".into(),
        }
    }

    #[test]
    fn laps_round_trip_in_lap_order() {
        let mut odd = lap(u64::MAX, 1);
        odd.valid = true;
        odd.invalid_sector = None;
        odd.sectors.clear();
        odd.completed_at_ms = odd.started_at_ms - 5; // a clock step back stays exact
        let second = lap(5, 2);
        let mut bytes = encode("ferrari_296_gt3", "Ana Silva", &second);
        bytes.extend(encode("ferrari_296_gt3", "Ana Silva", &odd));
        assert_eq!(decode(&session(), &bytes).unwrap(), vec![odd, second]);
        assert!(decode(&session(), &[]).unwrap().is_empty());
    }

    #[test]
    fn laps_keep_their_car_and_driver_and_old_records_read_as_the_sessions() {
        let mut other = lap(6, 1);
        other.car = Car {
            index: 1003,
            model: "bmw_m4_gt3".into(),
            race_number: Some(-7),
        };
        other.driver = "Bo Berg".into();
        let mut numbered = lap(7, 2);
        numbered.car.race_number = Some(i32::MAX);
        let mut bytes = encode("ferrari_296_gt3", "Ana Silva", &other);
        bytes.extend(encode("ferrari_296_gt3", "Ana Silva", &numbered));
        let read = decode(&session(), &bytes).unwrap();
        assert_eq!(read, vec![other, numbered]);
        // The player's own identity costs four bytes; a tag-1 record is the session's car.
        let mut old = encode("ferrari_296_gt3", "Ana Silva", &lap(5, 2));
        old.truncate(old.len() - 4);
        old[0] = TAG_V1;
        let read = decode(&session(), &old).unwrap();
        assert_eq!(read, vec![lap(5, 2)]);
        let mut renamed = session();
        renamed.driver = "Cy".into();
        assert_eq!(decode(&renamed, &old).unwrap()[0].driver, "Cy");
    }

    #[test]
    fn truncated_or_foreign_bytes_are_an_error() {
        let bytes = encode("ferrari_296_gt3", "Ana Silva", &lap(5, 2));
        for cut in 1..bytes.len() {
            assert!(
                matches!(
                    decode(&session(), &bytes[..cut]),
                    Err(StoreError::Malformed { .. })
                ),
                "cut at {cut}"
            );
        }
        let mut foreign = bytes.clone();
        foreign[0] = 7;
        assert!(decode(&session(), &foreign).is_err());
        assert!(decode(&session(), &[1; 9 + 10]).is_err());
    }
}
