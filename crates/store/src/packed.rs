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

use pitwall_core::model::{Lap, LapId, SessionId};

use crate::error::{Result, StoreError};

/// The tag of the record form above.
const TAG_V1: u8 = 1;

const VALID: u8 = 1;
const OUT_LAP: u8 = 2;
const IN_LAP: u8 = 4;
const PARTIAL: u8 = 8;
const HAS_INVALID_SECTOR: u8 = 16;

/// The packed record of `lap`.
pub(crate) fn encode(lap: &Lap) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + 3 * lap.sectors.len());
    out.push(TAG_V1);
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
    out
}

/// The laps of `session` from its packed value, by lap number (then id).
pub(crate) fn decode(session: SessionId, bytes: &[u8]) -> Result<Vec<Lap>> {
    let mut r = Reader { bytes, at: 0 };
    let mut laps = Vec::new();
    while r.at < bytes.len() {
        if r.byte()? != TAG_V1 {
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
        let mut bytes = encode(&second);
        bytes.extend(encode(&odd));
        assert_eq!(decode(SessionId(9), &bytes).unwrap(), vec![odd, second]);
        assert!(decode(SessionId(9), &[]).unwrap().is_empty());
    }

    #[test]
    fn truncated_or_foreign_bytes_are_an_error() {
        let bytes = encode(&lap(5, 2));
        for cut in 1..bytes.len() {
            assert!(
                matches!(
                    decode(SessionId(9), &bytes[..cut]),
                    Err(StoreError::Malformed { .. })
                ),
                "cut at {cut}"
            );
        }
        let mut foreign = bytes.clone();
        foreign[0] = 7;
        assert!(decode(SessionId(9), &foreign).is_err());
        assert!(decode(SessionId(9), &[1; 9 + 10]).is_err());
    }
}
