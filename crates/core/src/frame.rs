//! What the detector needs of ACC's pages: [`Frame`] (small, `Copy`, one per poll) and
//! [`StaticInfo`] (the static page's identity, only when it changes). Building them from a
//! [`Snapshot`] is the only place the detector's input touches the raw layouts.

use crate::model::Conditions;
use pitwall_acc::Snapshot;
use pitwall_acc::enums::{SessionType, Status};

/// The graphics and physics fields the detector reads, decoded, plus the caller's time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// The caller's clock in ms (wall clock for live data, recording time for replays);
    /// never read by the detector except to stamp events and measure debounces.
    pub at_ms: u64,
    /// `status`.
    pub status: Status,
    /// `session`.
    pub session_type: SessionType,
    /// `sessionIndex`.
    pub session_index: i32,
    /// `completedLaps`.
    pub completed_laps: i32,
    /// `iCurrentTime`: the running lap timer, ms.
    pub current_ms: i32,
    /// `iLastTime`: the last lap's time, ms (INT32_MAX: none yet).
    pub last_ms: i32,
    /// `currentSectorIndex`, 0-based.
    pub sector_index: i32,
    /// `lastSectorTime`: cumulative lap time at the last sector line, ms.
    pub last_sector_ms: i32,
    /// `isValidLap`.
    pub valid: bool,
    /// `isInPitLane`.
    pub in_pit_lane: bool,
    /// `isInPit` (pit box).
    pub in_pit: bool,
    /// `distanceTraveled`, m.
    pub distance_m: f32,
    /// `sessionTimeLeft`, ms.
    pub time_left_ms: f32,
    /// `normalizedCarPosition`.
    pub spline: f32,
    /// Every physics byte after `packetId` is zero (pause, or car not loaded yet).
    pub physics_zeroed: bool,
    /// Graphics `packetId`: tells a new HUD frame from the same one read again.
    pub graphics_packet: i32,
    /// `playerCarID`: the player's car index (0 if the page holds none a `u16` can).
    pub player_car: u16,
    /// Weather and track: `None` while the physics page is zeroed (its temperatures unset;
    /// Quirk Q18).
    pub conditions: Option<Conditions>,
}

impl Frame {
    /// Decodes a frame from a snapshot, stamped `at_ms`.
    pub fn from_snapshot(s: &Snapshot, at_ms: u64) -> Frame {
        let g = &s.graphics;
        Frame {
            at_ms,
            status: g.status(),
            session_type: g.session_type(),
            session_index: g.session_index.get(),
            completed_laps: g.completed_laps.get(),
            current_ms: g.i_current_time.get(),
            last_ms: g.i_last_time.get(),
            sector_index: g.current_sector_index.get(),
            last_sector_ms: g.last_sector_time.get(),
            valid: g.is_valid_lap.get() != 0,
            in_pit_lane: g.is_in_pit_lane.get() != 0,
            in_pit: g.is_in_pit.get() != 0,
            distance_m: g.distance_traveled.get(),
            time_left_ms: g.session_time_left.get(),
            spline: g.normalized_car_position.get(),
            physics_zeroed: s.physics.is_zeroed(),
            graphics_packet: g.packet_id.get(),
            player_car: u16::try_from(g.player_car_id.get()).unwrap_or(0),
            conditions: (!s.physics.is_zeroed()).then(|| Conditions {
                air_temp_c: s.physics.air_temp.get(),
                road_temp_c: s.physics.road_temp.get(),
                grip: g.grip(),
                rain: g.rain(),
            }),
        }
    }
}

/// The static page's identity: what makes a session a session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticInfo {
    /// Kunos track id ("" until the game fills it in).
    pub track: String,
    /// Kunos car model id.
    pub car: String,
    /// Player name and surname.
    pub driver: String,
    /// Sectors per lap.
    pub sector_count: u8,
    /// `smVersion`.
    pub sm_version: String,
    /// `acVersion`.
    pub ac_version: String,
    /// `isOnline`.
    pub online: bool,
}

impl StaticInfo {
    /// Decodes the static page.
    pub fn from_snapshot(s: &Snapshot) -> StaticInfo {
        let st = &s.statics;
        let name = st.player_name_text();
        let surname = st.player_surname_text();
        let driver = match (name.trim(), surname.trim()) {
            ("", "") => st.player_nick_text().trim().to_owned(),
            (n, "") => n.to_owned(),
            ("", s) => s.to_owned(),
            (n, s) => format!("{n} {s}"),
        };
        StaticInfo {
            track: st.track_text(),
            car: st.car_model_text(),
            driver,
            sector_count: u8::try_from(st.sector_count.get().clamp(1, 8)).unwrap_or(3),
            sm_version: st.sm_version_text(),
            ac_version: st.ac_version_text(),
            online: st.is_online.get() != 0,
        }
    }

    /// Whether the page is filled in enough to start a session: the game writes the track
    /// name after the rest at times.
    pub fn is_complete(&self) -> bool {
        !self.track.is_empty() && !self.car.is_empty()
    }
}

/// Turns a stream of snapshots into detector input, decoding the static page only when its
/// bytes change.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    last_static: Option<Box<[u8]>>,
}

impl FrameDecoder {
    /// The frame of `s`, and the static info when the static page changed since the last
    /// call (always on the first).
    pub fn decode(&mut self, s: &Snapshot, at_ms: u64) -> (Frame, Option<StaticInfo>) {
        let bytes = s.page_bytes(pitwall_acc::PageKind::Static);
        let changed = self.last_static.as_deref() != Some(bytes);
        let info = changed.then(|| {
            self.last_static = Some(bytes.into());
            StaticInfo::from_snapshot(s)
        });
        (Frame::from_snapshot(s, at_ms), info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quirk Q18: the physics page reads all zero (after `packetId`) while the graphics page
    /// is LIVE: no conditions are taken from it.
    #[test]
    fn zeroed_physics_gives_no_conditions() {
        let mut s = Snapshot::default();
        s.graphics.status.set(2);
        s.physics.packet_id.set(17);
        let f = Frame::from_snapshot(&s, 0);
        assert!(f.physics_zeroed);
        assert_eq!(f.conditions, None);
        s.physics.air_temp.set(21.5);
        let f = Frame::from_snapshot(&s, 0);
        assert!(!f.physics_zeroed);
        assert_eq!(f.conditions.map(|c| c.air_temp_c), Some(21.5));
    }
}
