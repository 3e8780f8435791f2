//! The parts of the parser that deal with laps (`lap`, `outlap`, `inlap` and their options,
//! `laps N` with jitter) and the final pass that places the car before each action and
//! rejects actions that cannot happen where it is.

use super::error::ScenarioError;
use super::model::{Action, Cut, LapKind, LapSpec, Place};
use super::rng::Rng;
use super::script::{Parser, Scenario, at_for, bad, fraction, last_time_mode, number};
use super::timefmt::parse_ms;
use std::sync::Arc;

/// The shortest lap a script may drive.
const MIN_LAP_MS: u64 = 5_000;

impl Parser {
    /// Parses one lap: its time and `key=value` options.
    pub(super) fn lap(
        &mut self,
        line: usize,
        command: &str,
        kind: LapKind,
        time: &str,
        options: &[&str],
    ) -> Result<LapSpec, ScenarioError> {
        let time_ms = parse_ms(time).map_err(|m| bad(line, command, m))?;
        if time_ms < MIN_LAP_MS {
            return Err(bad(
                line,
                command,
                format!("{time} is too short for a lap; write at least 5 s, e.g. 1:47.345"),
            ));
        }
        let time_ms =
            u32::try_from(time_ms).map_err(|_| bad(line, command, "the lap time is too long"))?;
        let mut spec = LapSpec {
            kind,
            time_ms,
            splits: None,
            cut: None,
            abandon: None,
            pauses: Vec::new(),
            stalls: Vec::new(),
            last_time: None,
        };
        let sectors = self.sectors();
        for option in options {
            let (key, value) = option.split_once('=').ok_or_else(|| {
                bad(line, command, format!("{option:?} is not an option; options look like key=value (splits=, cut=, abandon=, pause_at=, stall_at=, last_time=)"))
            })?;
            match key {
                "splits" => spec.splits = Some(splits(line, command, value, time_ms, sectors)?),
                "cut" => {
                    spec.cut = Some(if value.contains('.') {
                        Cut::At(fraction(line, command, key, value)?)
                    } else {
                        let s: u32 = number(line, command, value, "a sector number")?;
                        if !(1..=sectors).contains(&s) {
                            return Err(bad(
                                line,
                                command,
                                format!(
                                    "cut={s}: the track has sectors 1 to {sectors}; or give a fraction of the lap, e.g. cut=0.45"
                                ),
                            ));
                        }
                        Cut::Sector(s)
                    })
                }
                "abandon" => spec.abandon = Some(fraction(line, command, key, value)?),
                "pause_at" => spec.pauses.push(at_for(line, command, key, value)?),
                "stall_at" => spec.stalls.push(at_for(line, command, key, value)?),
                "last_time" => spec.last_time = Some(last_time_mode(value).ok_or_else(|| {
                    bad(
                        line,
                        command,
                        format!(
                            "last_time={value}: write same, late, late:N, early, early:N or mixed"
                        ),
                    )
                })?),
                _ => {
                    return Err(bad(
                        line,
                        command,
                        format!(
                            "unknown option {key:?}; use splits=, cut=, abandon=, pause_at=, stall_at= or last_time="
                        ),
                    ));
                }
            }
        }
        if let Some(abandon) = spec.abandon
            && spec
                .pauses
                .iter()
                .chain(&spec.stalls)
                .any(|&(f, _)| f >= abandon)
        {
            return Err(bad(
                line,
                command,
                "a pause_at/stall_at comes after the abandon point; move it before or drop it",
            ));
        }
        Ok(spec)
    }

    /// `laps N TIME [jitter=D] [lap options]`: N flying laps around TIME.
    pub(super) fn laps(&mut self, line: usize, args: &[&str]) -> Result<(), ScenarioError> {
        let command = "laps";
        let [count, time, options @ ..] = args else {
            return Err(bad(
                line,
                command,
                "write `laps N TIME`, e.g. laps 10 1:47.000 jitter=0.5s",
            ));
        };
        let count: u32 = number(line, command, count, "a lap count")?;
        if !(1..=100_000).contains(&count) {
            return Err(bad(line, command, "the lap count must be 1 to 100000"));
        }
        let mut jitter_ms = 0u64;
        let mut rest = Vec::new();
        for option in options {
            match option.strip_prefix("jitter=") {
                Some(value) => jitter_ms = parse_ms(value).map_err(|m| bad(line, command, m))?,
                None => rest.push(*option),
            }
        }
        let base = self.lap(line, command, LapKind::Flying, time, &rest)?;
        if jitter_ms > 0 && base.splits.is_some() {
            return Err(bad(
                line,
                command,
                "splits= and jitter= cannot be combined: the splits would not add up",
            ));
        }
        let seed = self.seed;
        let rng = self.rng.get_or_insert_with(|| Rng::new(seed));
        let mut laps = Vec::new();
        for _ in 0..count {
            let mut lap = base.clone();
            if jitter_ms > 0 {
                let delta = rng.noise(jitter_ms as f64).round() as i64;
                let t = (i64::from(base.time_ms) + delta).max(MIN_LAP_MS as i64);
                lap.time_ms = u32::try_from(t).unwrap_or(base.time_ms);
            }
            laps.push(Action::Drive(Arc::new(lap)));
        }
        for action in laps {
            self.push(line, action);
        }
        Ok(())
    }

    /// Fills in where each session starts, places the car before each action and returns
    /// the scenario, or the first action that cannot happen.
    pub(super) fn finish(mut self, lines: usize) -> Result<Scenario, ScenarioError> {
        if !self.exited {
            self.exit(lines + 1, 1000);
        }
        // A session starts in the pit box when its first driving action leaves the box.
        for i in 0..self.actions.len() {
            if !matches!(self.actions[i].1, Action::Session { .. }) {
                continue;
            }
            let first_drive = self.actions[i + 1..].iter().find_map(|(_, a)| match a {
                Action::PitBox(_) => Some(true),
                Action::Drive(lap) => Some(lap.kind == LapKind::Out),
                Action::Session { .. } => Some(false),
                _ => None,
            });
            if let Action::Session { in_box, .. } = &mut self.actions[i].1 {
                *in_box = first_drive.unwrap_or(false);
            }
        }
        let mut place = Place::NoSession;
        let mut in_menu = false;
        for (line, action) in &self.actions {
            let name = action_name(action);
            if in_menu
                && place != Place::NoSession
                && matches!(
                    action,
                    Action::PitBox(_) | Action::Drive(_) | Action::Pause(_) | Action::Replay(_)
                )
            {
                return Err(ScenarioError::NotHere {
                    line: *line,
                    command: name.into(),
                    reason: "the game is in its menus after `menu`: start a session with `next` or `restart` first".into(),
                });
            }
            match action {
                Action::Menu(_) => in_menu = true,
                Action::Session { .. } => in_menu = false,
                _ => {}
            }
            place = place
                .after(action)
                .map_err(|reason| ScenarioError::NotHere {
                    line: *line,
                    command: name.into(),
                    reason,
                })?;
        }
        Ok(Scenario {
            actions: self.actions,
            endless: None,
        })
    }
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Session { .. } => "session",
        Action::Menu(_) => "menu",
        Action::PitBox(_) => "pitbox",
        Action::Drive(lap) => match lap.kind {
            LapKind::Flying => "lap",
            LapKind::Out => "outlap",
            LapKind::In => "inlap",
        },
        Action::Pause(_) => "pause",
        Action::Replay(_) => "replay",
        Action::FlickerSession(_) | Action::FlickerValid(_) => "flicker",
        Action::Stall(_) => "stall",
        Action::Quirks(_) => "quirk",
        Action::Exit => "exit",
    }
}

/// `splits=a,b[,c]`: all sector times, or all but the last (which is what remains).
fn splits(
    line: usize,
    command: &str,
    value: &str,
    time_ms: u32,
    sectors: u32,
) -> Result<Vec<u32>, ScenarioError> {
    let mut times = Vec::new();
    for part in value.split(',') {
        let ms = parse_ms(part).map_err(|m| bad(line, command, format!("splits: {m}")))?;
        let ms =
            u32::try_from(ms).map_err(|_| bad(line, command, "splits: a sector is too long"))?;
        if ms == 0 {
            return Err(bad(line, command, "splits: a sector cannot take 0 ms"));
        }
        times.push(ms);
    }
    let n = sectors as usize;
    let sum: u64 = times.iter().map(|&t| u64::from(t)).sum();
    if times.len() + 1 == n {
        if sum >= u64::from(time_ms) {
            return Err(bad(
                line,
                command,
                format!(
                    "splits add up to {sum} ms, leaving nothing for the last sector of this {time_ms} ms lap"
                ),
            ));
        }
        times.push(time_ms - sum as u32);
    } else if times.len() == n {
        if sum != u64::from(time_ms) {
            return Err(bad(
                line,
                command,
                format!(
                    "splits add up to {sum} ms but the lap is {time_ms} ms; fix them or leave out the last one"
                ),
            ));
        }
    } else {
        return Err(bad(
            line,
            command,
            format!(
                "{} splits given for {n} sectors; give {n} (or {} and the last is what remains)",
                times.len(),
                n - 1
            ),
        ));
    }
    Ok(times)
}
