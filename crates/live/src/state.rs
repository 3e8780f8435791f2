//! The live state: what a live-timing screen shows, kept up to date by applying each
//! [`LiveEvent`] in turn (the reducer, [`LiveState::apply`]). The hub keeps one to greet new
//! subscribers; a client (the TUI) keeps its own copy from the same events.

use pitwall_core::model::{Lap, LapId, SessionId};
use pitwall_core::stats::{LapTable, Prior, lap_table};
use serde::{Deserialize, Serialize};

use crate::{LapJson, LiveEvent, Reference, SessionJson};

/// How many of the last laps live screens list (newest first).
pub const LAST_LAPS: usize = 10;

/// Everything a live-timing screen shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveState {
    /// The game's pages are being read.
    pub connected: bool,
    /// What is going on, for the user.
    pub message: String,
    /// The current (or last) session.
    pub session: Option<SessionJson>,
    /// The driver's records on the session's track and car, moved on by its counting laps.
    pub reference: Option<Reference>,
    /// The same records as they were when the session started: what the session's laps
    /// are coloured against ([`LiveState::table`]).
    #[serde(default)]
    pub prior: Option<Reference>,
    /// The lap being driven.
    pub lap: Option<RunningLap>,
    /// Every completed lap of the session, in the order completed.
    pub laps: Vec<LapJson>,
    /// The session's best counting lap time.
    pub session_best_ms: Option<u32>,
}

/// The lap being driven.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningLap {
    /// Lap id.
    pub lap_id: String,
    /// Its number once completed.
    pub number: u32,
    /// The lap timer, ms.
    pub current_ms: u32,
    /// Current sector, 0-based.
    pub sector: u8,
    /// Still valid.
    pub valid: bool,
    /// The 0-based sector it was invalidated in, once it was.
    #[serde(default)]
    pub invalid_sector: Option<u8>,
    /// Started in the pit lane.
    pub out_lap: bool,
    /// Sectors completed so far.
    pub sectors: Vec<Option<u32>>,
    /// Delta to the personal best at the last sector line.
    pub delta_ms: Option<i64>,
    /// When it started.
    pub started_at_ms: u64,
}

impl LiveState {
    /// Moves the state on by one event.
    pub fn apply(&mut self, event: &LiveEvent) {
        match event {
            LiveEvent::Snapshot { state } => *self = (**state).clone(),
            LiveEvent::Status { connected, message } => {
                self.connected = *connected;
                self.message.clone_from(message);
                if !connected {
                    self.lap = None;
                }
            }
            LiveEvent::SessionStarted { session, reference } => {
                self.connected = true;
                self.session = Some(session.clone());
                self.reference.clone_from(reference);
                self.prior.clone_from(reference);
                self.lap = None;
                self.laps.clear();
                self.session_best_ms = None;
            }
            LiveEvent::SessionEnded {
                session_id, at_ms, ..
            } => {
                self.lap = None;
                if let Some(s) = self.session.as_mut().filter(|s| &s.id == session_id) {
                    s.ended_at_ms = Some(*at_ms);
                }
            }
            LiveEvent::LapStarted {
                lap_id,
                number,
                at_ms,
                out_lap,
                ..
            } => {
                self.lap = Some(RunningLap {
                    lap_id: lap_id.clone(),
                    number: *number,
                    valid: true,
                    out_lap: *out_lap,
                    started_at_ms: *at_ms,
                    ..RunningLap::default()
                });
            }
            LiveEvent::Tick {
                lap_id,
                current_ms,
                sector,
                valid,
                ..
            } => {
                if let Some(lap) = self.running(lap_id) {
                    lap.current_ms = *current_ms;
                    lap.sector = *sector;
                    lap.set_valid(*valid, *sector);
                }
            }
            LiveEvent::SectorCompleted {
                lap_id,
                sector,
                time_ms,
                valid,
                delta_ms,
                ..
            } => {
                if let Some(lap) = self.running(lap_id) {
                    let i = usize::from(*sector);
                    if lap.sectors.len() <= i {
                        lap.sectors.resize(i + 1, None);
                    }
                    lap.sectors[i] = *time_ms;
                    lap.set_valid(*valid, *sector);
                    lap.delta_ms = *delta_ms;
                    lap.sector = sector.saturating_add(1);
                }
            }
            LiveEvent::LapCompleted {
                lap,
                personal_best,
                session_best,
                ..
            } => self.completed(lap, *personal_best, *session_best),
            LiveEvent::LapAbandoned { lap_id, .. } => {
                if self.running(lap_id).is_some() {
                    self.lap = None;
                }
            }
        }
    }

    /// The running lap, if it is `lap_id`.
    fn running(&mut self, lap_id: &str) -> Option<&mut RunningLap> {
        self.lap.as_mut().filter(|l| l.lap_id == lap_id)
    }

    fn completed(&mut self, lap: &LapJson, personal_best: bool, session_best: bool) {
        if self.lap.as_ref().is_some_and(|l| l.lap_id == lap.id) {
            self.lap = None;
        }
        self.laps.push(lap.clone());
        if session_best {
            self.session_best_ms = Some(lap.time_ms);
        }
        if lap.counts() {
            self.reference
                .get_or_insert_with(Reference::default)
                .add(lap, personal_best);
        }
    }
}

impl LiveState {
    /// The session's laps as the core model's (an id that is not hex becomes 0: here ids
    /// only tell laps apart).
    pub fn core_laps(&self) -> Vec<Lap> {
        let hex = crate::wire::lenient_id;
        self.laps
            .iter()
            .map(|l| {
                l.clone()
                    .into_lap(LapId(hex(&l.id)), SessionId(hex(&l.session_id)))
            })
            .collect()
    }

    /// The id of the session, when there is one.
    pub fn session_id(&self) -> Option<SessionId> {
        let session = self.session.as_ref()?;
        Some(SessionId(crate::wire::lenient_id(&session.id)))
    }

    /// The references from before the session, as the lap table takes them.
    pub fn prior(&self) -> Prior {
        self.prior.as_ref().map_or_else(Prior::default, |r| Prior {
            pb_ms: r.pb_ms,
            sectors: r.best_sectors.clone(),
        })
    }

    /// The session's sector count (3 until a session says).
    pub fn sector_count(&self) -> usize {
        self.session
            .as_ref()
            .map_or(3, |s| usize::from(s.sector_count.max(1)))
    }

    /// The lap table of the session so far, exactly as the session page builds it from the
    /// store: `laps` must be [`LiveState::core_laps`].
    pub fn table<'a>(&self, laps: &'a [Lap]) -> LapTable<'a> {
        lap_table(laps, self.sector_count(), &self.prior())
    }
}

impl RunningLap {
    /// The game's validity as of `sector`: the first sector it is lost in is kept.
    fn set_valid(&mut self, valid: bool, sector: u8) {
        if !valid && self.valid {
            self.invalid_sector = Some(sector);
        }
        self.valid = valid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lap(id: &str, time_ms: u32, sectors: [u32; 3], valid: bool) -> LapJson {
        LapJson {
            id: id.into(),
            session_id: "s".into(),
            number: 1,
            time_ms,
            sectors: sectors.iter().map(|&s| Some(s)).collect(),
            valid,
            invalid_sector: None,
            out_lap: false,
            in_lap: false,
            partial: false,
            started_at_ms: 0,
            completed_at_ms: u64::from(time_ms),
            car_index: None,
            car_model: None,
            race_number: None,
            driver: None,
        }
    }

    #[test]
    fn a_lap_runs_then_completes_and_updates_the_bests() {
        let mut state = LiveState::default();
        state.apply(&LiveEvent::LapStarted {
            lap_id: "a".into(),
            number: 1,
            at_ms: 5,
            out_lap: false,
            partial: false,
        });
        state.apply(&LiveEvent::Tick {
            lap_id: "a".into(),
            current_ms: 12_345,
            sector: 0,
            valid: true,
            at_ms: 6,
        });
        state.apply(&LiveEvent::SectorCompleted {
            lap_id: "a".into(),
            sector: 0,
            time_ms: Some(30_000),
            valid: false,
            at_ms: 7,
            delta_ms: Some(-120),
        });
        let running = state.lap.clone().unwrap_or_default();
        assert_eq!(running.current_ms, 12_345);
        assert_eq!(running.sectors, vec![Some(30_000)]);
        assert_eq!((running.sector, running.valid), (1, false));
        // Lost in the first sector, and the sector it was lost in is kept.
        assert_eq!(running.invalid_sector, Some(0));
        assert_eq!(running.delta_ms, Some(-120));
        // A tick of another lap changes nothing.
        state.apply(&LiveEvent::Tick {
            lap_id: "b".into(),
            current_ms: 1,
            sector: 2,
            valid: true,
            at_ms: 8,
        });
        assert_eq!(state.lap.as_ref().map(|l| l.current_ms), Some(12_345));

        state.apply(&LiveEvent::LapCompleted {
            lap: lap("a", 90_000, [30_000, 31_000, 29_000], true),
            personal_best: true,
            session_best: true,
            delta_ms: None,
        });
        state.apply(&LiveEvent::LapCompleted {
            lap: lap("b", 89_000, [29_000, 32_000, 28_000], true),
            personal_best: true,
            session_best: true,
            delta_ms: Some(-1_000),
        });
        state.apply(&LiveEvent::LapCompleted {
            lap: lap("c", 80_000, [1, 1, 1], false),
            personal_best: false,
            session_best: false,
            delta_ms: None,
        });
        assert!(state.lap.is_none());
        assert_eq!(state.laps.len(), 3);
        assert_eq!(state.laps[2].id, "c");
        assert_eq!(state.session_best_ms, Some(89_000));
        let reference = state.reference.unwrap_or_default();
        assert_eq!(reference.pb_ms, Some(89_000));
        assert_eq!(
            reference.best_sectors,
            vec![Some(29_000), Some(31_000), Some(28_000)]
        );
        assert_eq!(reference.theoretical_best_ms, Some(88_000));
    }

    #[test]
    fn events_round_trip_as_tagged_json() {
        let event = LiveEvent::Status {
            connected: false,
            message: "waiting for ACC".into(),
        };
        let text = serde_json::to_string(&event).unwrap_or_default();
        assert_eq!(
            text,
            r#"{"type":"status","connected":false,"message":"waiting for ACC"}"#
        );
        let back: Result<LiveEvent, _> = serde_json::from_str(&text);
        assert_eq!(back.ok(), Some(event));
    }
}
