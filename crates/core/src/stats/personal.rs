//! Personal bests across sessions: laps tagged with their session's track, car, session type
//! and driver ([`LapRef`]), and the best counting lap per track and car ([`Combo`]), or per
//! track, car and driver ([`DriverCombo`]) when the laps come from several drivers.

use std::collections::BTreeMap;

use pitwall_acc::enums::SessionType;

use super::{counts, takes_record};
use crate::model::{Lap, SessionInfo};

/// A lap together with what identifies its session for personal bests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LapRef<'a> {
    /// The lap.
    pub lap: &'a Lap,
    /// Kunos track id of its session.
    pub track: &'a str,
    /// Kunos car model id of its session.
    pub car: &'a str,
    /// Its session's type, for callers that keep, say, race laps apart from practice.
    pub session_type: SessionType,
    /// Who drove it.
    pub driver: &'a str,
}

impl<'a> LapRef<'a> {
    /// Tags `lap` with the track, car, session type and driver of `session`.
    pub fn new(lap: &'a Lap, session: &'a SessionInfo) -> Self {
        LapRef {
            lap,
            track: &session.track,
            car: &session.car,
            session_type: session.session_type,
            driver: &session.driver,
        }
    }

    /// The track and car it was driven on and in.
    pub fn combo(&self) -> Combo<'a> {
        Combo {
            track: self.track,
            car: self.car,
        }
    }

    /// The track, car and driver.
    pub fn driver_combo(&self) -> DriverCombo<'a> {
        DriverCombo {
            track: self.track,
            car: self.car,
            driver: self.driver,
        }
    }
}

/// A track and car: what a personal best is kept for. Ordered by track, then car.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Combo<'a> {
    /// Kunos track id.
    pub track: &'a str,
    /// Kunos car model id.
    pub car: &'a str,
}

/// A track, car and driver: personal bests kept apart per driver (team events, shared rigs).
/// Ordered by track, then car, then driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DriverCombo<'a> {
    /// Kunos track id.
    pub track: &'a str,
    /// Kunos car model id.
    pub car: &'a str,
    /// The driver.
    pub driver: &'a str,
}

/// The personal best per track and car: the fastest counting lap of each combination that
/// has one (the earlier on a tie). Combinations whose laps all fail to count are absent.
pub fn personal_bests<'a>(
    laps: impl IntoIterator<Item = LapRef<'a>>,
) -> BTreeMap<Combo<'a>, LapRef<'a>> {
    bests_by(laps, |r| r.combo())
}

/// Like [`personal_bests`], but kept apart per driver.
pub fn personal_bests_per_driver<'a>(
    laps: impl IntoIterator<Item = LapRef<'a>>,
) -> BTreeMap<DriverCombo<'a>, LapRef<'a>> {
    bests_by(laps, |r| r.driver_combo())
}

fn bests_by<'a, K: Ord>(
    laps: impl IntoIterator<Item = LapRef<'a>>,
    key: impl Fn(&LapRef<'a>) -> K,
) -> BTreeMap<K, LapRef<'a>> {
    let mut bests = BTreeMap::new();
    for r in laps.into_iter().filter(|r| counts(r.lap)) {
        let best = bests.entry(key(&r)).or_insert(r);
        if takes_record(
            r.lap.time_ms,
            r.lap.completed_at_ms,
            best.lap.time_ms,
            best.lap.completed_at_ms,
        ) {
            *best = r;
        }
    }
    bests
}
