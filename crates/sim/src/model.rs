//! What a parsed script is made of: session settings, quirk settings, the actions in order,
//! and the rule of where the car may be for each action (shared by the parser, which reports
//! misplaced actions with their line, and the simulator, which follows the same rule).

use pitwall_acc::enums::SessionType;
use std::sync::Arc;

/// Everything that describes one session: written to the static page at its start and used
/// for the graphics page's constants.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SessionSetup {
    pub(crate) track: String,
    /// Track length override in metres (otherwise a known length or 4500 m).
    pub(crate) track_length_m: Option<f64>,
    pub(crate) car: String,
    pub(crate) session_type: SessionType,
    pub(crate) driver: String,
    pub(crate) surname: String,
    pub(crate) nick: String,
    pub(crate) sectors: u32,
    /// Session length for `sessionTimeLeft`; `None` = untimed (reads 0.0).
    pub(crate) duration_ms: Option<u64>,
    /// Cars in the session, the player included (`activeCars`).
    pub(crate) cars: u32,
    pub(crate) online: bool,
    /// Fuel at the start of the session, litres.
    pub(crate) fuel_l: f32,
}

impl Default for SessionSetup {
    fn default() -> Self {
        Self {
            track: "brands_hatch".into(),
            track_length_m: None,
            car: "mclaren_720s_gt3_evo".into(),
            session_type: SessionType::Practice,
            driver: "Margot".into(),
            surname: String::new(),
            nick: "MRO".into(),
            sectors: 3,
            duration_ms: Some(3_600_000),
            cars: 9,
            online: false,
            fuel_l: 62.0,
        }
    }
}

/// When `iLastTime` (and `iBestTime`, `lastTime`, `bestTime`) change relative to the
/// `completedLaps` increment and `iCurrentTime` reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LastTimeMode {
    /// In the same graphics frame.
    Same,
    /// This many graphics frames later.
    Late(u32),
    /// This many graphics frames earlier.
    Early(u32),
    /// A seeded choice per lap among same, late 1, late 2 and early 1.
    Mixed,
}

/// Imperfections of the real game the simulator reproduces.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Quirks {
    pub(crate) last_time: LastTimeMode,
    /// `isValidLap` reads 0 for one graphics frame right after each line crossing.
    pub(crate) valid_flicker: bool,
    /// The physics page stays zero (but `packetId` counts) this long after the game loads
    /// a session while `status` is already LIVE.
    pub(crate) physics_warmup_ms: u64,
    /// The static page's `track` stays empty this long after the game loads a session.
    pub(crate) track_delay_ms: u64,
}

impl Default for Quirks {
    fn default() -> Self {
        Self {
            last_time: LastTimeMode::Mixed,
            valid_flicker: false,
            physics_warmup_ms: 1700,
            track_delay_ms: 0,
        }
    }
}

/// What kind of lap a driving action is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LapKind {
    /// An ordinary flying lap.
    Flying,
    /// Leaves the pit box and crosses the line in the pit lane first.
    Out,
    /// Ends at the line in the pit lane.
    In,
}

/// Where in a lap the car goes off track.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cut {
    /// 40 % into this sector (1-based).
    Sector(u32),
    /// At this fraction of the lap distance.
    At(f64),
}

/// One scripted lap.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LapSpec {
    pub(crate) kind: LapKind,
    pub(crate) time_ms: u32,
    /// Each sector's own time (sums to `time_ms`), or `None` for a split proportional to the
    /// track's shape.
    pub(crate) splits: Option<Vec<u32>>,
    pub(crate) cut: Option<Cut>,
    /// Teleport to the pits at this fraction of the lap time.
    pub(crate) abandon: Option<f64>,
    /// Pauses inside the lap: (fraction of the lap time, length ms).
    pub(crate) pauses: Vec<(f64, u64)>,
    /// Graphics stalls inside the lap: (fraction of the lap time, length ms).
    pub(crate) stalls: Vec<(f64, u64)>,
    /// Overrides the quirk setting for this lap.
    pub(crate) last_time: Option<LastTimeMode>,
}

/// How a session begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SessionStart {
    /// The first session the game loads.
    First,
    /// The same session restarted (same `sessionIndex`).
    Restart,
    /// The next session of the weekend (`sessionIndex` + 1).
    Next,
}

/// One step of a script, in order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    /// A session begins; `in_box` says whether the car starts in its pit box (otherwise on
    /// track at the line).
    Session {
        start: SessionStart,
        setup: Arc<SessionSetup>,
        in_box: bool,
    },
    /// The game sits in its menus (`status` OFF).
    Menu(u64),
    /// The car sits in its pit box.
    PitBox(u64),
    /// A lap.
    Drive(Arc<LapSpec>),
    /// The game is paused.
    Pause(u64),
    /// The player watches a replay.
    Replay(u64),
    /// `session` reads -1 for this many graphics frames.
    FlickerSession(u32),
    /// `isValidLap` reads 0 for this many graphics frames.
    FlickerValid(u32),
    /// The graphics page stops updating for this long while physics goes on.
    Stall(u64),
    /// New quirk settings from here on.
    Quirks(Quirks),
    /// The game exits: the pages stop changing.
    Exit,
}

/// Where the car is between actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// No session loaded yet.
    NoSession,
    /// Standing in its pit box.
    Box,
    /// On track, just across the line.
    Track,
    /// In the pit lane, just across the line (after an in-lap).
    PitLane,
}

impl Place {
    /// Where the car is after `action`, or why `action` cannot happen here.
    pub(crate) fn after(self, action: &Action) -> Result<Place, String> {
        match action {
            Action::Session { in_box, .. } => Ok(if *in_box { Place::Box } else { Place::Track }),
            Action::PitBox(_) => match self {
                Place::Box | Place::PitLane => Ok(Place::Box),
                Place::Track => Err("the car is on track: drive an `inlap` (or `lap ... abandon=F`) before `pitbox`".into()),
                Place::NoSession => Err("no session yet".into()),
            },
            Action::Drive(lap) => {
                let end = if lap.abandon.is_some() {
                    Place::Box
                } else if lap.kind == LapKind::In {
                    Place::PitLane
                } else {
                    Place::Track
                };
                match (lap.kind, self) {
                    (_, Place::NoSession) => Err("no session yet".into()),
                    (LapKind::Out, Place::Track) => Err(
                        "the car is on track, not in the pits: `outlap` leaves the pit box; use `lap`, or drive an `inlap` first".into(),
                    ),
                    (LapKind::Flying | LapKind::In, Place::Box) => Err(
                        "the car is in its pit box: leave it with `outlap` first".into(),
                    ),
                    _ => Ok(end),
                }
            }
            Action::Menu(_)
            | Action::Pause(_)
            | Action::Replay(_)
            | Action::FlickerSession(_)
            | Action::FlickerValid(_)
            | Action::Stall(_)
            | Action::Quirks(_)
            | Action::Exit => Ok(self),
        }
    }
}
