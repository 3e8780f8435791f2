//! History from the store: the recent sessions with their laps, and the personal best of each
//! driver on each track and car with its best sectors and theoretical best. Loaded in one go
//! ([`load`]) and again whenever the live feed says a lap was stored.

use std::collections::BTreeMap;

use pitwall_core::model::{Lap, SessionId, SessionInfo};
use pitwall_core::stats::Prior;
use pitwall_store::{Reads, RecordLap, SessionWithLaps, StoreError};

/// How many recent sessions are loaded.
pub const SESSIONS: u32 = 200;

/// What the history screens show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Recent sessions, newest first, each with its laps in lap order.
    pub sessions: Vec<SessionWithLaps>,
    /// Personal bests, by track, car, then driver.
    pub bests: Vec<Best>,
    /// The valid laps of each driver, track and car of the recent sessions, newest first:
    /// what each session's laps are coloured against ([`History::prior`]).
    pub combo_laps: BTreeMap<(String, String, String), Vec<Lap>>,
}

/// A personal best with the references around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Best {
    /// The record.
    pub record: RecordLap,
    /// The driver's best time of each sector on this track and car.
    pub best_sectors: Vec<Option<u32>>,
    /// Their sum, when every sector has one.
    pub theoretical_ms: Option<u32>,
}

/// The references a session's laps are coloured against: the driver's all-time personal best
/// and best sectors on the session's track and car.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reference<'h> {
    /// The personal best lap time.
    pub pb_ms: Option<u32>,
    /// The best time of each sector.
    pub best_sectors: &'h [Option<u32>],
    /// Their sum.
    pub theoretical_ms: Option<u32>,
}

impl History {
    /// The personal best entry of `driver` on `track` in `car`.
    pub fn best(&self, track: &str, car: &str, driver: &str) -> Option<&Best> {
        self.bests
            .iter()
            .find(|b| b.record.track == track && b.record.car == car && b.record.driver == driver)
    }

    /// The references for the laps of `session` (empty when its driver has no counting lap
    /// on that track and car).
    pub fn reference(&self, session: &SessionInfo) -> Reference<'_> {
        match self.best(&session.track, &session.car, &session.driver) {
            Some(b) => Reference {
                pb_ms: Some(b.record.time_ms),
                best_sectors: &b.best_sectors,
                theoretical_ms: b.theoretical_ms,
            },
            None => Reference::default(),
        }
    }

    /// The references `session`'s laps are coloured against: the driver's laps on its track
    /// and car from before it, as the dashboard's session page takes them.
    pub fn prior(&self, session: &SessionInfo) -> Prior {
        let key = (
            session.track.clone(),
            session.car.clone(),
            session.driver.clone(),
        );
        self.combo_laps
            .get(&key)
            .map(|laps| pitwall_store::prior::prior_among(laps, session))
            .unwrap_or_default()
    }

    /// The position of a session among [`History::sessions`].
    pub fn position(&self, id: SessionId) -> Option<usize> {
        self.sessions.iter().position(|s| s.info.id == id)
    }
}

/// Reads the history from `store`.
pub async fn load<S: Reads>(store: &S) -> Result<History, StoreError> {
    let sessions = store.recent_sessions(SESSIONS, 0).await?;
    let records = store.personal_bests(None).await?;
    // Best sectors: one query per driver, track and car that has a personal best.
    let mut sectors = BTreeMap::new();
    let mut bests = Vec::with_capacity(records.len());
    for record in records {
        let key = (
            record.track.clone(),
            record.car.clone(),
            record.driver.clone(),
        );
        if !sectors.contains_key(&key) {
            let found = store
                .best_sectors(&record.track, &record.car, Some(&record.driver))
                .await?;
            sectors.insert(key.clone(), found);
        }
        let found = sectors.get(&key);
        bests.push(Best {
            best_sectors: found
                .map(|s| s.sectors.iter().map(|b| b.map(|b| b.time_ms)).collect())
                .unwrap_or_default(),
            theoretical_ms: found.and_then(|s| s.theoretical_best_ms),
            record,
        });
    }
    // Earlier laps: one read per driver, track and car among the recent sessions.
    let mut combo_laps = BTreeMap::new();
    for session in &sessions {
        let info = &session.info;
        let key = (info.track.clone(), info.car.clone(), info.driver.clone());
        if let std::collections::btree_map::Entry::Vacant(slot) = combo_laps.entry(key) {
            slot.insert(pitwall_store::prior::combo_laps(store, info, None).await?);
        }
    }
    Ok(History {
        sessions,
        bests,
        combo_laps,
    })
}
