//! The domain model: sessions, laps and sectors as the game timed them, with the ids the
//! detector assigns, and the events it emits. Times are integer milliseconds.

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use serde::{Deserialize, Serialize};

/// A session's stable id: derived from what identifies it in the game (track, car, driver,
/// session type and index) and the time it started, so the same input always yields the
/// same id (a replayed recording, a retried upload).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub u64);

/// A lap's stable id: derived from its session's id and its attempt number in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LapId(pub u64);

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl std::fmt::Display for LapId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl SessionId {
    /// The id a server stores an uploaded session under: derived from the uploading
    /// driver (the token's, never the body's) and the id the tracker gave it, so the same
    /// upload always lands on the same id and no driver can produce another driver's ids.
    pub fn of_driver(self, driver: &str) -> SessionId {
        SessionId(stable_hash(&[
            b"pitwall-ingest-session",
            driver.as_bytes(),
            &self.0.to_le_bytes(),
        ]))
    }
}

impl LapId {
    /// The id a server stores an uploaded lap under: derived from the uploading driver and
    /// the ids the tracker gave the lap and its session (see [`SessionId::of_driver`]).
    pub fn of_driver(self, driver: &str, session: SessionId) -> LapId {
        LapId(stable_hash(&[
            b"pitwall-ingest-lap",
            driver.as_bytes(),
            &session.0.to_le_bytes(),
            &self.0.to_le_bytes(),
        ]))
    }

    /// The id of lap `number` of the car with index `car` in `session`, for a lap another
    /// source than the player's pages gives (the broadcasting feed, a results file): those
    /// number laps per car. The player's laps keep [`LapId::of`].
    pub fn of_car(session: SessionId, car: u16, number: u32) -> LapId {
        LapId(stable_hash(&[
            b"pitwall-car-lap",
            &session.0.to_le_bytes(),
            &car.to_le_bytes(),
            &number.to_le_bytes(),
        ]))
    }

    /// The id of attempt `attempt` (1-based: every lap started in the session, completed or
    /// not, is an attempt) of `session`.
    pub fn of(session: SessionId, attempt: u32) -> LapId {
        LapId(stable_hash(&[
            &session.0.to_le_bytes(),
            &attempt.to_le_bytes(),
        ]))
    }
}

/// Where a running session stood at a moment, as its tracker last stored it: what a
/// restarted tracker compares the game's pages with to tell whether the game is still in
/// that session (see [`crate::Detector::resume`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Checkpoint {
    /// The session.
    pub session: SessionId,
    /// When (the caller's clock, ms).
    pub at_ms: u64,
    /// `completedLaps` then.
    pub completed_laps: i32,
    /// `iCurrentTime` then (ms).
    pub current_ms: i32,
    /// `sessionTimeLeft` then (ms; 0 in an untimed session).
    pub time_left_ms: f32,
    /// `distanceTraveled` then (m).
    pub distance_m: f32,
    /// Laps started in the session so far (completed or not): lap ids continue after it.
    pub attempts: u32,
}

/// Mixes values into a 64-bit id (FNV-1a over the bytes, then a finaliser): stable across
/// runs, platforms and versions, unlike `std`'s hashers.
pub(crate) fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff; // part separator
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// What is known of a session when it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    /// Stable id.
    pub id: SessionId,
    /// Kunos track id, e.g. `brands_hatch`.
    pub track: String,
    /// Kunos car model id, e.g. `mclaren_720s_gt3_evo`.
    pub car: String,
    /// Session type.
    pub session_type: SessionType,
    /// The driver: player name and surname as the game has them.
    pub driver: String,
    /// Sectors per lap (3 on every known track).
    pub sector_count: u8,
    /// `sessionIndex` within the weekend.
    pub session_index: i32,
    /// When the detector saw the session start, in the caller's clock (ms).
    pub started_at_ms: u64,
    /// `smVersion` of the pages.
    pub sm_version: String,
    /// `acVersion` of the pages.
    pub ac_version: String,
    /// Online session.
    pub online: bool,
    /// True when the session was already running when the detector first saw it (the
    /// tracker started late): laps before that are unknown.
    pub joined_late: bool,
    /// Weather and track at the start, when the physics page was live then.
    pub conditions: Option<Conditions>,
}

/// Weather and track conditions, as the pages report them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Conditions {
    /// Air temperature, °C (`physics.airTemp`).
    pub air_temp_c: f32,
    /// Track surface temperature, °C (`physics.roadTemp`).
    pub road_temp_c: f32,
    /// Track grip (`graphics.trackGripStatus`).
    pub grip: GripStatus,
    /// Rain intensity (`graphics.rainIntensity`).
    pub rain: RainIntensity,
}

/// Which car a lap belongs to, as every source of timing names it: the shared memory's
/// `playerCarID` and static car model, the broadcasting feed's `carIndex`, `carModelType` and
/// `raceNumber`, a results file's `carId`, `carModel` and `raceNumber`. `Default` is the
/// player's car of data that never named one (index 0, model unknown): stored laps from
/// before car identity read back with their session's car instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Car {
    /// The game's car index (shared memory `playerCarID`, broadcasting `carIndex`, results
    /// `carId`): 0…N−1 offline, 1001 up on servers.
    pub index: u16,
    /// Kunos car model id, e.g. `mclaren_720s_gt3_evo` (empty when unknown).
    pub model: String,
    /// The race number on the car, when the source gives it (shared memory does not).
    pub race_number: Option<i32>,
}

impl Car {
    /// A car known by index and model, without a race number.
    pub fn new(index: u16, model: impl Into<String>) -> Car {
        Car {
            index,
            model: model.into(),
            race_number: None,
        }
    }
}

/// A completed lap, exactly as the game timed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lap {
    /// Stable id.
    pub id: LapId,
    /// The session it belongs to.
    pub session: SessionId,
    /// 1-based lap number: the game's `completedLaps` once this lap was completed.
    pub number: u32,
    /// Lap time in ms, from the game (`iLastTime`), or the lap timer's peak if the game never
    /// published it.
    pub time_ms: u32,
    /// Each sector's own time (not the cumulative split); `None` where it cannot be known
    /// (the detector joined mid-lap, or sampling was too coarse to see a split).
    pub sectors: Vec<Option<u32>>,
    /// Not invalidated (track limits) during the lap.
    pub valid: bool,
    /// The sector (0-based) in which the lap was invalidated.
    pub invalid_sector: Option<u8>,
    /// Started in the pit lane.
    pub out_lap: bool,
    /// Ended in the pit lane.
    pub in_lap: bool,
    /// The lap was already running when the detector first saw it.
    pub partial: bool,
    /// When it started, in the caller's clock (ms): completion minus lap time.
    pub started_at_ms: u64,
    /// When the detector saw it complete (ms).
    pub completed_at_ms: u64,
    /// The car that drove it.
    pub car: Car,
    /// Who drove it: name and surname as the game has them (the session's driver for the
    /// player's laps).
    pub driver: String,
}

impl Lap {
    /// Neither an out-lap nor an in-lap: a lap that counts for pace.
    pub fn is_flying(&self) -> bool {
        !self.out_lap && !self.in_lap
    }

    /// The lap *counts*: see [`lap_counts`].
    pub fn counts(&self) -> bool {
        lap_counts(self.valid, self.out_lap, self.in_lap, self.time_ms)
    }
}

/// Whether a lap *counts* (for personal and session bests, best sectors, the theoretical
/// best, means and spreads, progression, and every screen's counts of laps): valid, flying
/// (neither an out-lap nor an in-lap) and timed (a time above zero). The one definition:
/// every lap shape (the core [`Lap`], the wire's) asks it; the SQL of the stores' reads has
/// the same test, pinned by the store's conformance suite.
pub const fn lap_counts(valid: bool, out_lap: bool, in_lap: bool, time_ms: u32) -> bool {
    valid && !out_lap && !in_lap && time_ms > 0
}

/// Why a session ended. On the wire (the live feed) as the snake_case word of
/// [`EndReason::as_str`]; in logs and terminal output as the words of its `Display`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The session was restarted (same session, from the start).
    Restart,
    /// The game moved to another session (next session of the weekend, another type).
    NextSession,
    /// Track or car changed.
    TrackOrCarChanged,
    /// The game left the session: menus (status OFF), exit, or pages gone stale.
    Left,
    /// The tracker stopped while the session ran (the session may carry on when it starts
    /// again, see [`crate::Detector::resume`]). The detector never reports it: the collector
    /// does, for the session it was in when it shut down.
    TrackerStopped,
}

impl EndReason {
    /// The word on the wire: `restart`, `next_session`, `track_or_car_changed`, `left`,
    /// `tracker_stopped` (the same as its `serde` form).
    pub const fn as_str(self) -> &'static str {
        match self {
            EndReason::Restart => "restart",
            EndReason::NextSession => "next_session",
            EndReason::TrackOrCarChanged => "track_or_car_changed",
            EndReason::Left => "left",
            EndReason::TrackerStopped => "tracker_stopped",
        }
    }

    /// In words for people, as logs and the terminal print it.
    const fn words(self) -> &'static str {
        match self {
            EndReason::Restart => "restart",
            EndReason::NextSession => "next session",
            EndReason::TrackOrCarChanged => "track or car changed",
            EndReason::Left => "left the session",
            EndReason::TrackerStopped => "tracker stopped",
        }
    }
}

impl std::fmt::Display for EndReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// Why a lap in progress was dropped without completing. On the wire as the snake_case
/// word of [`AbandonReason::as_str`]; in logs as the words of its `Display`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbandonReason {
    /// The session restarted mid-lap.
    Restart,
    /// The driver went back to the pits ("return to pits"/teleport) mid-lap.
    ReturnedToPits,
    /// The session ended or the game left it mid-lap.
    SessionEnded,
}

impl AbandonReason {
    /// The word on the wire: `restart`, `returned_to_pits`, `session_ended` (the same as its
    /// `serde` form).
    pub const fn as_str(self) -> &'static str {
        match self {
            AbandonReason::Restart => "restart",
            AbandonReason::ReturnedToPits => "returned_to_pits",
            AbandonReason::SessionEnded => "session_ended",
        }
    }

    /// In words for people, as logs and the terminal print it.
    const fn words(self) -> &'static str {
        match self {
            AbandonReason::Restart => "restart",
            AbandonReason::ReturnedToPits => "returned to the pits",
            AbandonReason::SessionEnded => "session ended",
        }
    }
}

impl std::fmt::Display for AbandonReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// What the detector reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A session started.
    SessionStarted(SessionInfo),
    /// A session ended.
    SessionEnded {
        /// The session.
        id: SessionId,
        /// When (ms).
        at_ms: u64,
        /// Why.
        reason: EndReason,
    },
    /// A lap started at a timing-line crossing (or was found running when the session
    /// started, `partial`).
    LapStarted {
        /// The lap's id (the same as in its completion or abandonment).
        id: LapId,
        /// The session.
        session: SessionId,
        /// The number it will have once completed.
        number: u32,
        /// When (ms).
        at_ms: u64,
        /// Started in the pit lane.
        out_lap: bool,
        /// Already running when first seen.
        partial: bool,
    },
    /// A sector line was crossed.
    SectorCompleted {
        /// The lap.
        lap: LapId,
        /// 0-based sector index.
        sector: u8,
        /// The sector's own time, `None` if it cannot be known.
        time_ms: Option<u32>,
        /// Whether the lap was still valid at the sector line.
        valid: bool,
        /// When (ms).
        at_ms: u64,
    },
    /// A lap was completed.
    LapCompleted(Lap),
    /// A lap in progress was dropped.
    LapAbandoned {
        /// The lap.
        id: LapId,
        /// The session.
        session: SessionId,
        /// When (ms).
        at_ms: u64,
        /// How long it had been running (ms of the lap timer).
        driven_ms: u32,
        /// Why.
        reason: AbandonReason,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_hash_is_stable_and_separates_parts() {
        // Pinned: ids must never change between versions, or stored laps would not be
        // recognised again.
        assert_eq!(
            stable_hash(&[b"monza", b"ferrari"]),
            stable_hash(&[b"monza", b"ferrari"])
        );
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
        assert_eq!(format!("{}", SessionId(0xab)), "00000000000000ab");
    }

    #[test]
    fn reasons_are_their_wire_words_in_serde_and_as_str_and_words_in_display() {
        use EndReason as E;
        let ends = [
            (E::Restart, "restart", "restart"),
            (E::NextSession, "next_session", "next session"),
            (
                E::TrackOrCarChanged,
                "track_or_car_changed",
                "track or car changed",
            ),
            (E::Left, "left", "left the session"),
            (E::TrackerStopped, "tracker_stopped", "tracker stopped"),
        ];
        for (reason, wire, words) in ends {
            assert_eq!(reason.as_str(), wire);
            assert_eq!(
                serde_json::to_string(&reason).unwrap(),
                format!("\"{wire}\"")
            );
            let back: EndReason = serde_json::from_str(&format!("\"{wire}\"")).unwrap();
            assert_eq!(back, reason);
            assert_eq!(reason.to_string(), words);
        }
        use AbandonReason as A;
        let abandons = [
            (A::Restart, "restart", "restart"),
            (
                A::ReturnedToPits,
                "returned_to_pits",
                "returned to the pits",
            ),
            (A::SessionEnded, "session_ended", "session ended"),
        ];
        for (reason, wire, words) in abandons {
            assert_eq!(reason.as_str(), wire);
            assert_eq!(
                serde_json::to_string(&reason).unwrap(),
                format!("\"{wire}\"")
            );
            let back: AbandonReason = serde_json::from_str(&format!("\"{wire}\"")).unwrap();
            assert_eq!(back, reason);
            assert_eq!(reason.to_string(), words);
        }
        assert!(serde_json::from_str::<EndReason>("\"Left\"").is_err());
    }
}
