//! What a session and its laps must satisfy before they are stored, whichever way they come
//! in: an upload to `/api/ingest`, `pitwall import`, the lap detector's own output at the
//! collector, or any later source. Pure: no I/O; the caller passes the clock (`now_ms`).
//!
//! The rules (each documented in `docs/storage.md`, "What a stored lap satisfies"):
//! - lap times: a pace lap (neither out-lap nor in-lap) takes [`MIN_LAP_MS`] to
//!   [`MAX_LAP_MS`]; an out-lap or in-lap, which may include time standing in the pits,
//!   [`MIN_PIT_LAP_MS`] to [`MAX_PIT_LAP_MS`]; a time of 0 (unknown) only for a partial lap;
//! - sectors: at most the session's sector count (at most [`MAX_SECTORS`]); a known sector
//!   of a pace lap is at least [`MIN_SECTOR_MS`]; known sectors never add up to more than
//!   the lap, and when all are known they add up to it within [`SECTOR_SUM_TOLERANCE_MS`];
//! - timestamps: from [`MIN_TIMESTAMP_MS`] (2018) to [`MAX_AHEAD_MS`] past `now_ms`, never
//!   past `i64::MAX`; a session ends after it starts, a lap completes after it starts and
//!   not before its session started;
//! - lap numbers from 1 to [`MAX_LAP_NUMBER`], each number once per car and each lap id once
//!   per session;
//! - strings: bounded lengths ([`MAX_NAME_BYTES`], [`MAX_VERSION_BYTES`]) and no NUL byte;
//! - JSON: no key twice in any object ([`UniqueKeys`]).
//!
//! The first problem found is reported as an [`Invalid`] that names the lap and says what is
//! wrong.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::{Lap, SessionInfo};

/// The shortest pace lap (ms). ACC's shortest lap is Laguna Seca's 3.6 km, about 1:22 in a
/// GT3; even at an average of 250 km/h it would take 52 s, so 30 s leaves room for any car
/// and any cut while refusing absurd times.
pub const MIN_LAP_MS: u32 = 30_000;
/// The longest pace lap (ms): an hour. Spa, ACC's longest track, takes about 2:20 in a GT3
/// and 2:40 in a GT4; a lap of more than an hour on track is not a lap.
pub const MAX_LAP_MS: u32 = 3_600_000;
/// The shortest out-lap or in-lap (ms): where the timing line lies in the pit lane, an
/// out-lap starts there and can be short, but never under a second.
pub const MIN_PIT_LAP_MS: u32 = 1_000;
/// The longest out-lap or in-lap (ms): 25 hours. ACC's lap timer keeps running while the
/// car stands in the pits, so an out-lap may hold a whole 24-hour session of waiting.
pub const MAX_PIT_LAP_MS: u32 = 90_000_000;
/// The shortest known sector of a pace lap (ms): every sector of every ACC track takes
/// well over 15 s; 5 s refuses absurd splits.
pub const MIN_SECTOR_MS: u32 = 5_000;
/// The most sectors a track may have (as the lap detector allows).
pub const MAX_SECTORS: u8 = 8;
/// How far the sum of all-known sectors may be from the lap time (rounding).
pub const SECTOR_SUM_TOLERANCE_MS: u32 = 1;
/// The highest lap number: a 24-hour race is about 900 laps.
pub const MAX_LAP_NUMBER: u32 = 10_000;
/// The earliest timestamp (ms since 1970): 2018-01-01 00:00 UTC, before ACC existed.
pub const MIN_TIMESTAMP_MS: u64 = 1_514_764_800_000;
/// How far past the caller's clock a timestamp may be (ms): a day, for clocks set wrong.
pub const MAX_AHEAD_MS: u64 = 86_400_000;
/// The longest track, car or driver name (bytes).
pub const MAX_NAME_BYTES: usize = 200;
/// The longest `smVersion` or `acVersion` (bytes); ACC's are like `1.9` and `1.10.2`.
pub const MAX_VERSION_BYTES: usize = 32;

/// Why a session or a lap cannot be stored: a sentence naming what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(String);

impl Invalid {
    /// A problem described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Invalid(message.into())
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.0
    }
}

/// Shorthand for this module's results.
pub type Result<T = ()> = std::result::Result<T, Invalid>;

/// Checks a string: at most `max` bytes and no NUL byte; `what` names it in the error.
pub fn text(what: &str, value: &str, max: usize) -> Result {
    if value.len() > max {
        return Err(Invalid(format!(
            "{what} is {} bytes long; at most {max} are allowed",
            value.len()
        )));
    }
    if value.contains('\0') {
        return Err(Invalid(format!("{what} contains a NUL byte; remove it")));
    }
    Ok(())
}

/// Checks a timestamp: from 2018 to a day past `now_ms`, and below 2^63.
pub fn timestamp(what: &str, at_ms: u64, now_ms: u64) -> Result {
    let latest = now_ms.saturating_add(MAX_AHEAD_MS).min(i64::MAX as u64);
    if at_ms < MIN_TIMESTAMP_MS {
        return Err(Invalid(format!(
            "{what} {at_ms} is before 2018 ({MIN_TIMESTAMP_MS} ms since 1970); send times in \
             ms since 1970"
        )));
    }
    if at_ms > latest {
        return Err(Invalid(format!(
            "{what} {at_ms} is more than a day in the future (the clock reads {now_ms}); check \
             the tracker's clock"
        )));
    }
    Ok(())
}

/// Checks what is known of a session, and its end if known.
pub fn session(info: &SessionInfo, ended_at_ms: Option<u64>, now_ms: u64) -> Result {
    for (what, value) in [("track", &info.track), ("car", &info.car)] {
        if value.trim().is_empty() {
            return Err(Invalid(format!("session {what} is empty")));
        }
        text(&format!("session {what}"), value, MAX_NAME_BYTES)?;
    }
    text("session driver", &info.driver, MAX_NAME_BYTES)?;
    text("session sm_version", &info.sm_version, MAX_VERSION_BYTES)?;
    text("session ac_version", &info.ac_version, MAX_VERSION_BYTES)?;
    if info.sector_count > MAX_SECTORS {
        return Err(Invalid(format!(
            "session sector_count {} is over {MAX_SECTORS}",
            info.sector_count
        )));
    }
    timestamp("session started_at_ms", info.started_at_ms, now_ms)?;
    if let Some(end) = ended_at_ms {
        timestamp("ended_at_ms", end, now_ms)?;
        if end < info.started_at_ms {
            return Err(Invalid(
                "ended_at_ms is before the session's started_at_ms".into(),
            ));
        }
    }
    Ok(())
}

/// Checks one lap of the session `info`; the error names the lap.
pub fn lap(info: &SessionInfo, lap: &Lap, now_ms: u64) -> Result {
    lap_rules(info, lap, now_ms)
        .map_err(|problem| Invalid(format!("lap {}: {problem}", lap.number)))
}

/// Checks a session with its laps: the session, each lap, and each lap number and id once.
pub fn session_with_laps(
    info: &SessionInfo,
    ended_at_ms: Option<u64>,
    laps: &[Lap],
    now_ms: u64,
) -> Result {
    session(info, ended_at_ms, now_ms)?;
    let mut numbers = HashSet::with_capacity(laps.len());
    let mut ids = HashSet::with_capacity(laps.len());
    for l in laps {
        lap(info, l, now_ms)?;
        if !numbers.insert((l.car.index, l.number)) {
            return Err(Invalid(format!(
                "lap number {} is given twice (car {}); each car's lap number is stored once \
                 per session",
                l.number, l.car.index
            )));
        }
        if !ids.insert(l.id) {
            return Err(Invalid(format!("lap id {} is given twice", l.id)));
        }
    }
    Ok(())
}

/// The rules of [`lap`], without the lap's name.
fn lap_rules(info: &SessionInfo, lap: &Lap, now_ms: u64) -> std::result::Result<(), String> {
    if lap.session != info.id {
        return Err(format!(
            "it belongs to session {}, not to session {}",
            lap.session, info.id
        ));
    }
    if lap.number == 0 || lap.number > MAX_LAP_NUMBER {
        return Err(format!(
            "lap numbers run from 1 to {MAX_LAP_NUMBER}; {} is not one",
            lap.number
        ));
    }
    text("driver", &lap.driver, MAX_NAME_BYTES).map_err(|e| e.to_string())?;
    text("car model", &lap.car.model, MAX_NAME_BYTES).map_err(|e| e.to_string())?;
    let pace = lap.is_flying();
    let time = lap.time_ms;
    if time == 0 && !lap.partial {
        return Err("a time of 0 is only possible for a partial lap".into());
    }
    let (min, max, kind) = if pace {
        (MIN_LAP_MS, MAX_LAP_MS, "a lap")
    } else {
        (MIN_PIT_LAP_MS, MAX_PIT_LAP_MS, "an out-lap or in-lap")
    };
    if time > 0 && time < min {
        return Err(format!(
            "lap time {time} ms is too short: {kind} takes at least {min} ms"
        ));
    }
    if time > max {
        return Err(format!(
            "lap time {time} ms is too long: {kind} takes at most {max} ms (over an hour for a \
             pace lap, over 25 hours for an out-lap or in-lap)"
        ));
    }
    sectors(info, lap, pace)?;
    timestamp("started_at_ms", lap.started_at_ms, now_ms).map_err(|e| e.0)?;
    timestamp("completed_at_ms", lap.completed_at_ms, now_ms).map_err(|e| e.0)?;
    if lap.completed_at_ms < lap.started_at_ms {
        return Err("completed_at_ms is before started_at_ms".into());
    }
    if lap.completed_at_ms < info.started_at_ms {
        return Err("completed_at_ms is before its session started".into());
    }
    Ok(())
}

/// The sector rules of [`lap_rules`].
fn sectors(info: &SessionInfo, lap: &Lap, pace: bool) -> std::result::Result<(), String> {
    let count = usize::from(info.sector_count.max(1));
    if lap.sectors.len() > count {
        return Err(format!(
            "{} sectors, but the session has {count}",
            lap.sectors.len()
        ));
    }
    if lap.invalid_sector.is_some_and(|s| usize::from(s) >= count) {
        return Err(format!(
            "invalid_sector is 0-based and must be below {count}"
        ));
    }
    // A sector time of 0 means unknown, as a missing one does.
    let known: Vec<u32> = lap
        .sectors
        .iter()
        .flatten()
        .copied()
        .filter(|&t| t > 0)
        .collect();
    if pace && let Some(short) = known.iter().find(|&&t| t < MIN_SECTOR_MS) {
        return Err(format!(
            "a sector of {short} ms is too short: a sector takes at least {MIN_SECTOR_MS} ms"
        ));
    }
    let sum: u64 = known.iter().map(|&t| u64::from(t)).sum();
    let time = u64::from(lap.time_ms);
    let tolerance = u64::from(SECTOR_SUM_TOLERANCE_MS);
    if time == 0 {
        if sum > u64::from(MAX_PIT_LAP_MS) {
            return Err(format!("its sectors add up to {sum} ms, more than any lap"));
        }
        return Ok(());
    }
    let all_known = lap.sectors.len() == count && known.len() == count;
    if all_known && sum.abs_diff(time) > tolerance {
        return Err(format!(
            "its sectors add up to {sum} ms but the lap time is {time} ms"
        ));
    }
    if sum > time + tolerance {
        return Err(format!(
            "its known sectors add up to {sum} ms, more than the lap time of {time} ms"
        ));
    }
    Ok(())
}

/// Any JSON value read only to refuse a key given twice in one object, at any depth (serde
/// keeps the last of duplicate keys without a word). Deserialize the same input as this
/// before deserializing it for real:
/// `serde_json::from_slice::<UniqueKeys>(bytes)` fails naming the key and where it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(Walk {
            path: String::new(),
        })?;
        Ok(UniqueKeys)
    }
}

/// Walks a value, remembering where it is for the error.
struct Walk {
    path: String,
}

/// A value at a path: walked with [`Walk`].
struct At(String);

impl<'de> de::DeserializeSeed<'de> for At {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(Walk { path: self.0 })
    }
}

impl Walk {
    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

impl<'de> Visitor<'de> for Walk {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_bytes<E>(self, _: &[u8]) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut i = 0_usize;
        while seq
            .next_element_seed(At(format!("{}[{i}]", self.path)))?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<KeyText>()? {
            let path = self.child(&key.0);
            if !seen.insert(key.0) {
                let place = if self.path.is_empty() {
                    "the top level".to_owned()
                } else {
                    format!("`{}`", self.path)
                };
                return Err(de::Error::custom(format!(
                    "duplicate key `{path}`: a key may appear once in {place}"
                )));
            }
            map.next_value_seed(At(path))?;
        }
        Ok(())
    }
}

/// An object's key, as owned text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(KeyText)
    }
}

#[cfg(test)]
mod tests;
