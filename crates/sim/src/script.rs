//! [`Scenario`]: a parsed script. The parser reads one command per line, keeps settings
//! for the session to come, expands `laps N`, and then checks that every action is possible
//! where the car is at that point, reporting the offending line.

use super::error::ScenarioError;
use super::model::{Action, LastTimeMode, Quirks, SessionSetup, SessionStart};
use super::rng::Rng;
use super::timefmt::parse_ms;
use pitwall_acc::enums::SessionType;
use std::sync::Arc;

/// A parsed scenario script: the sessions, laps and events the simulator will play, in order.
///
/// Build one with [`Scenario::parse`] (or `str::parse`), or take the never-ending demo drive
/// of [`Scenario::endless`]. The format is described in `docs/scenarios.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The actions with their 1-based script line (0 for generated ones).
    pub(crate) actions: Vec<(usize, Action)>,
    /// `Some(seed)`: the endless demo drive, generated on the fly.
    pub(crate) endless: Option<u64>,
}

impl Scenario {
    /// Parses a script. The error names the line and what is wrong with it.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let mut parser = Parser::default();
        let mut lines = 0;
        for (index, raw) in text.lines().enumerate() {
            lines = index + 1;
            let line = index + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            let words: Vec<&str> = content.split_whitespace().collect();
            let Some((&command, args)) = words.split_first() else {
                continue;
            };
            parser.line(line, &command.to_ascii_lowercase(), args)?;
        }
        parser.finish(lines)
    }

    /// The default "drive around" demo: a practice session at Brands Hatch that never ends
    /// (stints of laps with the odd cut, pit stops, flickers); `seed` varies the lap times.
    pub fn endless(seed: u64) -> Scenario {
        Scenario {
            actions: Vec::new(),
            endless: Some(seed),
        }
    }

    /// True for [`Scenario::endless`].
    pub fn is_endless(&self) -> bool {
        self.endless.is_some()
    }
}

impl std::str::FromStr for Scenario {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Scenario::parse(text)
    }
}

#[derive(Default)]
pub(super) struct Parser {
    /// Settings for the next session to start.
    pub(super) pending: SessionSetup,
    /// Settings of the running session, once one started.
    pub(super) current: Option<SessionSetup>,
    pub(super) quirks: Quirks,
    pub(super) rng: Option<Rng>,
    pub(super) seed: u64,
    pub(super) actions: Vec<(usize, Action)>,
    pub(super) exited: bool,
}

pub(super) fn bad(line: usize, command: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError::BadArgument {
        line,
        command: command.into(),
        message: message.into(),
    }
}

pub(super) fn one<'a>(
    line: usize,
    command: &str,
    args: &[&'a str],
    what: &str,
) -> Result<&'a str, ScenarioError> {
    match args {
        [value] => Ok(value),
        [] => Err(bad(line, command, format!("missing {what}"))),
        _ => Err(bad(
            line,
            command,
            format!("expected only {what}, found {}", args.join(" ")),
        )),
    }
}

pub(super) fn number<T: std::str::FromStr>(
    line: usize,
    command: &str,
    text: &str,
    what: &str,
) -> Result<T, ScenarioError> {
    text.parse()
        .map_err(|_| bad(line, command, format!("{text:?} is not {what}")))
}

pub(super) fn duration(line: usize, command: &str, text: &str) -> Result<u64, ScenarioError> {
    parse_ms(text).map_err(|message| bad(line, command, message))
}

/// Parses a session type name (`practice`, `qualify`, …) or its ACC number.
pub(crate) fn session_type(text: &str) -> Option<SessionType> {
    let lower = text.to_ascii_lowercase();
    let found = match lower.as_str() {
        "practice" | "p" => SessionType::Practice,
        "qualify" | "qualifying" | "q" => SessionType::Qualify,
        "race" | "r" => SessionType::Race,
        "hotlap" => SessionType::Hotlap,
        "timeattack" => SessionType::TimeAttack,
        "drift" => SessionType::Drift,
        "drag" => SessionType::Drag,
        "hotstint" => SessionType::HotStint,
        "superpole" | "hotstintsuperpole" => SessionType::HotStintSuperpole,
        other => return other.parse::<i32>().ok().map(SessionType::from),
    };
    Some(found)
}

pub(super) fn last_time_mode(text: &str) -> Option<LastTimeMode> {
    let (name, count) = match text.split_once(':') {
        Some((name, n)) => (
            name,
            n.parse::<u32>().ok().filter(|&n| (1..=100).contains(&n))?,
        ),
        None => (text, 1),
    };
    Some(match name {
        "same" => LastTimeMode::Same,
        "late" => LastTimeMode::Late(count),
        "early" => LastTimeMode::Early(count),
        "mixed" => LastTimeMode::Mixed,
        _ => return None,
    })
}

pub(super) fn fraction(
    line: usize,
    command: &str,
    key: &str,
    text: &str,
) -> Result<f64, ScenarioError> {
    match text.parse::<f64>() {
        Ok(f) if f > 0.0 && f < 1.0 => Ok(f),
        _ => Err(bad(
            line,
            command,
            format!("{key}={text}: expected a fraction of the lap between 0 and 1, e.g. {key}=0.6"),
        )),
    }
}

pub(super) fn at_for(
    line: usize,
    command: &str,
    key: &str,
    text: &str,
) -> Result<(f64, u64), ScenarioError> {
    let (f, d) = text.split_once(':').ok_or_else(|| {
        bad(
            line,
            command,
            format!("{key}={text}: expected FRACTION:DURATION, e.g. {key}=0.5:3s"),
        )
    })?;
    Ok((
        fraction(line, command, key, f)?,
        duration(line, command, d)?,
    ))
}

impl Parser {
    pub(super) fn sectors(&self) -> u32 {
        self.current.as_ref().unwrap_or(&self.pending).sectors
    }

    pub(super) fn ensure_session(&mut self, line: usize) {
        if self.current.is_none() {
            self.start_session(line, SessionStart::First);
        }
    }

    pub(super) fn start_session(&mut self, line: usize, start: SessionStart) {
        let setup = self.pending.clone();
        self.current = Some(setup.clone());
        self.actions.push((
            line,
            Action::Session {
                start,
                setup: Arc::new(setup),
                in_box: false,
            },
        ));
    }

    pub(super) fn push(&mut self, line: usize, action: Action) {
        self.ensure_session(line);
        self.actions.push((line, action));
    }
}
