//! Typed reading of page fields: UTF-16 strings, enums, time sentinels, the `smVersion` check.
//!
//! The layouts in [`crate::layout`] hold raw little-endian values; this module turns the ones
//! pitwall relies on into Rust types, keeping the reference's rules in one place
//! (sentinels become `None`, unknown enum values are kept, strings stop at the first NUL).

use crate::enums::{Flag, GripStatus, Penalty, RainIntensity, SessionType, Status};
use crate::layout::{Graphics, Physics, Static};
use zerocopy::little_endian::U16;

/// INT32_MAX: ACC's "no time" value in `iLastTime`, `iBestTime`, `iEstimatedLapTime`.
pub const NO_TIME: i32 = i32::MAX;

/// Decodes a fixed-size UTF-16LE array up to its first NUL; invalid code units (lone
/// surrogates) become U+FFFD.
pub fn utf16(units: &[U16]) -> String {
    let end = units
        .iter()
        .position(|u| u.get() == 0)
        .unwrap_or(units.len());
    char::decode_utf16(units[..end].iter().map(|u| u.get()))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Encodes `text` into a fixed-size UTF-16LE array, NUL-terminated and truncated to fit
/// (used by the simulator and tests).
pub fn set_utf16(dst: &mut [U16], text: &str) {
    let capacity = dst.len().saturating_sub(1);
    let mut n = 0;
    for unit in text.encode_utf16().take(capacity) {
        dst[n] = U16::new(unit);
        n += 1;
    }
    for slot in &mut dst[n..] {
        *slot = U16::new(0);
    }
}

/// A lap or sector time in ms, or `None` for ACC's sentinels (INT32_MAX, zero, negative).
pub fn time_ms(raw: i32) -> Option<u32> {
    if raw <= 0 || raw == NO_TIME {
        None
    } else {
        u32::try_from(raw).ok()
    }
}

/// Why a static page cannot be trusted as ACC's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// `smVersion` is empty: the game has not written the page yet (or it is a zeroed file).
    #[error("the static page is empty: ACC has not written it yet")]
    Empty,
    /// `smVersion` is not a version ACC publishes; most often the original Assetto Corsa
    /// (which uses the same page names) or a page kept alive by Content Manager.
    #[error(
        "the shared memory reports smVersion {found:?}, which is not ACC's (1.8 or newer); \
         is the original Assetto Corsa running, or Content Manager keeping its pages alive? \
         Close it and start ACC"
    )]
    NotAcc {
        /// The version string found.
        found: String,
    },
}

/// A parsed `smVersion`, e.g. 1.9.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SmVersion {
    /// Major part.
    pub major: u32,
    /// Minor part.
    pub minor: u32,
}

impl std::fmt::Display for SmVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Parses and checks an `smVersion` string: ACC publishes 1.8 and newer.
pub fn check_sm_version(text: &str) -> Result<SmVersion, VersionError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(VersionError::Empty);
    }
    let not_acc = || VersionError::NotAcc {
        found: text.to_owned(),
    };
    let (major, minor) = text.split_once('.').unwrap_or((text, "0"));
    let major: u32 = major.parse().map_err(|_| not_acc())?;
    let minor: u32 = minor
        .split('.')
        .next()
        .unwrap_or("0")
        .parse()
        .map_err(|_| not_acc())?;
    let version = SmVersion { major, minor };
    if version < (SmVersion { major: 1, minor: 8 }) {
        return Err(not_acc());
    }
    Ok(version)
}

impl Static {
    /// `smVersion` as text.
    pub fn sm_version_text(&self) -> String {
        utf16(&self.sm_version)
    }
    /// `acVersion` as text.
    pub fn ac_version_text(&self) -> String {
        utf16(&self.ac_version)
    }
    /// Checks that the page is ACC's (`smVersion` ≥ 1.8).
    pub fn check_version(&self) -> Result<SmVersion, VersionError> {
        check_sm_version(&self.sm_version_text())
    }
    /// Kunos car model id, e.g. `mclaren_720s_gt3_evo`.
    pub fn car_model_text(&self) -> String {
        utf16(&self.car_model)
    }
    /// Kunos track id, e.g. `brands_hatch`.
    pub fn track_text(&self) -> String {
        utf16(&self.track)
    }
    /// `playerName`.
    pub fn player_name_text(&self) -> String {
        utf16(&self.player_name)
    }
    /// `playerSurname`.
    pub fn player_surname_text(&self) -> String {
        utf16(&self.player_surname)
    }
    /// `playerNick`.
    pub fn player_nick_text(&self) -> String {
        utf16(&self.player_nick)
    }
}

impl Graphics {
    /// `status`.
    pub fn status(&self) -> Status {
        self.status.get().into()
    }
    /// `session`.
    pub fn session_type(&self) -> SessionType {
        self.session.get().into()
    }
    /// `flag`.
    pub fn flag_kind(&self) -> Flag {
        self.flag.get().into()
    }
    /// `penalty`.
    pub fn penalty_kind(&self) -> Penalty {
        self.penalty.get().into()
    }
    /// `trackGripStatus`.
    pub fn grip(&self) -> GripStatus {
        self.track_grip_status.get().into()
    }
    /// `rainIntensity`.
    pub fn rain(&self) -> RainIntensity {
        self.rain_intensity.get().into()
    }
    /// `iLastTime`, `None` until a lap is completed.
    pub fn last_lap_ms(&self) -> Option<u32> {
        time_ms(self.i_last_time.get())
    }
    /// `iBestTime`, `None` until a best exists.
    pub fn best_lap_ms(&self) -> Option<u32> {
        time_ms(self.i_best_time.get())
    }
    /// `tyreCompound` as text.
    pub fn tyre_compound_text(&self) -> String {
        utf16(&self.tyre_compound)
    }
    /// The player's slot in `carID`/`carCoordinates`, found by `playerCarID`.
    pub fn player_slot(&self) -> Option<usize> {
        let active = usize::try_from(self.active_cars.get()).unwrap_or(0).min(60);
        self.car_id[..active]
            .iter()
            .position(|id| id.get() == self.player_car_id.get())
    }
}

impl Physics {
    /// True when every byte after `packetId` is zero: the game is paused, or has not started
    /// the car yet (seen while `status` is LIVE in the real capture).
    pub fn is_zeroed(&self) -> bool {
        use zerocopy::IntoBytes;
        self.as_bytes()[4..].iter().all(|&b| b == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_stops_at_nul_and_replaces_invalid_units() {
        let mut units = [U16::new(0); 15];
        set_utf16(&mut units, "1.9");
        assert_eq!(utf16(&units), "1.9");
        units[0] = U16::new(0xD800); // lone high surrogate
        assert_eq!(utf16(&units), "\u{FFFD}.9");
        // No NUL at all: the whole array is used.
        let full = [U16::new(u16::from(b'a')); 3];
        assert_eq!(utf16(&full), "aaa");
    }

    #[test]
    fn set_utf16_truncates_and_terminates() {
        let mut units = [U16::new(7); 4];
        set_utf16(&mut units, "abcdef");
        assert_eq!(utf16(&units), "abc");
        assert_eq!(units[3].get(), 0);
    }

    #[test]
    fn sentinels_are_none() {
        assert_eq!(time_ms(NO_TIME), None);
        assert_eq!(time_ms(0), None);
        assert_eq!(time_ms(-5), None);
        assert_eq!(time_ms(107_345), Some(107_345));
    }

    #[test]
    fn sm_version_accepts_acc_only() {
        assert_eq!(
            check_sm_version("1.9"),
            Ok(SmVersion { major: 1, minor: 9 })
        );
        assert!(check_sm_version("1.8").is_ok());
        assert!(check_sm_version("2.0").is_ok());
        assert_eq!(check_sm_version(""), Err(VersionError::Empty));
        // Assetto Corsa (1) publishes 1.7 under the same names.
        assert!(matches!(
            check_sm_version("1.7"),
            Err(VersionError::NotAcc { .. })
        ));
        assert!(matches!(
            check_sm_version("garbage"),
            Err(VersionError::NotAcc { .. })
        ));
    }
}
