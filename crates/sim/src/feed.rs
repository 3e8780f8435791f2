//! The feed turns script actions into timed segments the world plays one after the other:
//! a lap becomes its start, its driving stretches (split around in-lap pauses and stalls) and
//! its end; leaving the box adds the roll down the pit lane to the line; entering it after an
//! in-lap adds the roll into the box. For [`Scenario::endless`](super::Scenario::endless) the
//! actions themselves are generated here, forever.

use super::Scenario;
use super::endless::Endless;
use super::lapplan::LapPlan;
use super::model::{Action, LapKind, Place, Quirks, SessionSetup, SessionStart};
use super::track::{Track, V_PIT};
use std::collections::VecDeque;
use std::sync::Arc;

/// Nanoseconds per millisecond.
pub(crate) const MS: u64 = 1_000_000;
/// How long the car takes to roll from the line into its box after an in-lap.
pub(crate) const ROLL_IN_NS: u64 = 3_000 * MS;

/// One stretch of simulated time (or an instant, with no duration).
#[derive(Clone, Debug)]
pub(crate) enum Seg {
    /// Nothing yet (the start of the simulation).
    Idle,
    /// A session loads (instant).
    Session {
        start: SessionStart,
        setup: Arc<SessionSetup>,
        track: Arc<Track>,
        in_box: bool,
    },
    /// The game's menus.
    Menu(u64),
    /// Standing in the pit box.
    Box(u64),
    /// Leaving the box down the pit lane; ends with the pit-lane line crossing.
    PitOut(u64),
    /// Rolling into the box after an in-lap.
    RollIn(u64),
    /// A lap begins at the line (instant).
    LapStart(Arc<LapPlan>),
    /// Driving the current lap from `from` to `to` ns into it; a lap ends when `to` is its time.
    Drive { from: u64, to: u64 },
    /// Return to the pits mid-lap (instant).
    Teleport,
    /// Paused.
    Pause(u64),
    /// Watching a replay.
    Replay(u64),
    /// `session` reads -1 for N frames (instant).
    FlickerSession(u32),
    /// `isValidLap` reads 0 for N frames (instant).
    FlickerValid(u32),
    /// The graphics page stalls for this long (instant).
    Stall(u64),
    /// New quirk settings (instant).
    Quirks(Quirks),
    /// The game exits (instant, final).
    Exit,
}

impl Seg {
    /// Duration in ns (0 for instants).
    pub(crate) fn duration(&self) -> u64 {
        match self {
            Seg::Menu(d)
            | Seg::Box(d)
            | Seg::PitOut(d)
            | Seg::RollIn(d)
            | Seg::Pause(d)
            | Seg::Replay(d) => *d,
            Seg::Drive { from, to } => to - from,
            _ => 0,
        }
    }
}

/// Turns actions into segments.
pub(crate) struct Feed {
    actions: std::vec::IntoIter<(usize, Action)>,
    endless: Option<Endless>,
    queue: VecDeque<Seg>,
    place: Place,
    track: Option<(String, Option<f64>, Arc<Track>)>,
    sectors: u32,
    finished: bool,
}

impl Feed {
    pub(crate) fn new(scenario: Scenario) -> Feed {
        Feed {
            actions: scenario.actions.into_iter(),
            endless: scenario.endless.map(Endless::new),
            queue: VecDeque::new(),
            place: Place::NoSession,
            track: None,
            sectors: 3,
            finished: false,
        }
    }

    /// The next segment; [`Seg::Exit`] once the script is over.
    pub(crate) fn next(&mut self) -> Seg {
        while self.queue.is_empty() {
            if self.finished {
                return Seg::Exit;
            }
            let action = match &mut self.endless {
                Some(endless) => Some(endless.next_action()),
                None => self.actions.next().map(|(_, a)| a),
            };
            match action {
                Some(action) => self.compile(action),
                None => {
                    self.finished = true;
                    return Seg::Exit;
                }
            }
        }
        self.queue.pop_front().unwrap_or(Seg::Exit)
    }

    fn track_for(&mut self, setup: &SessionSetup) -> Arc<Track> {
        if let Some((id, length, track)) = &self.track
            && *id == setup.track
            && *length == setup.track_length_m
        {
            return Arc::clone(track);
        }
        let track = Arc::new(Track::new(&setup.track, setup.track_length_m));
        self.track = Some((
            setup.track.clone(),
            setup.track_length_m,
            Arc::clone(&track),
        ));
        track
    }

    fn compile(&mut self, action: Action) {
        let before = self.place;
        self.place = before.after(&action).unwrap_or(self.place);
        match action {
            Action::Session {
                start,
                setup,
                in_box,
            } => {
                let track = self.track_for(&setup);
                self.sectors = setup.sectors;
                self.place = if in_box { Place::Box } else { Place::Track };
                self.queue.push_back(Seg::Session {
                    start,
                    setup,
                    track,
                    in_box,
                });
            }
            Action::Menu(ms) => self.queue.push_back(Seg::Menu(ms * MS)),
            Action::PitBox(ms) => {
                if before == Place::PitLane {
                    self.queue.push_back(Seg::RollIn(ROLL_IN_NS));
                }
                self.queue.push_back(Seg::Box(ms * MS));
                self.place = Place::Box;
            }
            Action::Drive(spec) => {
                let Some((_, _, track)) = &self.track else {
                    return; // no session: cannot happen in a validated script
                };
                let track = Arc::clone(track);
                let mut starts_in_pit = before == Place::PitLane;
                if spec.kind == LapKind::Out || before == Place::Box {
                    if before == Place::PitLane {
                        self.queue.push_back(Seg::RollIn(ROLL_IN_NS));
                    }
                    let metres = (1.0 - track.box_x) * track.length_m;
                    let secs = metres / (0.8 * V_PIT);
                    self.queue.push_back(Seg::PitOut((secs * 1e9) as u64));
                    starts_in_pit = true;
                }
                let total = u64::from(spec.time_ms) * MS;
                let at = |f: f64| ((f * total as f64) as u64).min(total);
                let mut marks: Vec<(u64, Seg)> = Vec::new();
                for &(f, ms) in &spec.pauses {
                    marks.push((at(f), Seg::Pause(ms * MS)));
                }
                for &(f, ms) in &spec.stalls {
                    marks.push((at(f), Seg::Stall(ms * MS)));
                }
                marks.sort_by_key(|m| m.0);
                let end = spec.abandon.map_or(total, at);
                let plan = Arc::new(LapPlan::new(
                    Arc::clone(&spec),
                    &track,
                    self.sectors,
                    starts_in_pit,
                ));
                self.queue.push_back(Seg::LapStart(plan));
                let mut from = 0;
                for (t, seg) in marks.into_iter().filter(|m| m.0 < end) {
                    if t > from {
                        self.queue.push_back(Seg::Drive { from, to: t });
                        from = t;
                    }
                    self.queue.push_back(seg);
                }
                self.queue.push_back(Seg::Drive { from, to: end });
                if spec.abandon.is_some() {
                    self.queue.push_back(Seg::Teleport);
                    self.place = Place::Box;
                } else {
                    self.place = if spec.kind == LapKind::In {
                        Place::PitLane
                    } else {
                        Place::Track
                    };
                }
            }
            Action::Pause(ms) => self.queue.push_back(Seg::Pause(ms * MS)),
            Action::Replay(ms) => self.queue.push_back(Seg::Replay(ms * MS)),
            Action::FlickerSession(n) => self.queue.push_back(Seg::FlickerSession(n)),
            Action::FlickerValid(n) => self.queue.push_back(Seg::FlickerValid(n)),
            Action::Stall(ms) => self.queue.push_back(Seg::Stall(ms * MS)),
            Action::Quirks(q) => self.queue.push_back(Seg::Quirks(q)),
            Action::Exit => {
                self.queue.push_back(Seg::Exit);
                self.finished = true;
            }
        }
    }
}
