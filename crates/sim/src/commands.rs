//! The parser's handling of each command word: settings for the next session, quirk
//! settings, and the actions (`pitbox`, `lap`, `pause`, `restart`, `next`, `exit`, …).

use super::error::ScenarioError;
use super::model::{Action, LapKind, SessionStart};
use super::script::{Parser, bad, duration, last_time_mode, number, one, session_type};
use std::sync::Arc;

impl Parser {
    pub(super) fn line(
        &mut self,
        line: usize,
        command: &str,
        args: &[&str],
    ) -> Result<(), ScenarioError> {
        if self.exited {
            return Err(ScenarioError::NotHere {
                line,
                command: command.into(),
                reason: "the script already ended with `exit`; remove the lines after it".into(),
            });
        }
        match command {
            "track" => {
                let (name, options) = args
                    .split_first()
                    .ok_or_else(|| bad(line, command, "missing the track id, e.g. brands_hatch"))?;
                self.pending.track = (*name).to_string();
                self.pending.track_length_m = None;
                for option in options {
                    let value = option.strip_prefix("length=").ok_or_else(|| {
                        bad(
                            line,
                            command,
                            format!("unknown option {option:?}; the only option is length=METRES"),
                        )
                    })?;
                    let metres: f64 = number(line, command, value, "a length in metres")?;
                    if !(500.0..=30_000.0).contains(&metres) {
                        return Err(bad(
                            line,
                            command,
                            "length must be between 500 and 30000 metres",
                        ));
                    }
                    self.pending.track_length_m = Some(metres);
                }
            }
            "car" => self.pending.car = one(line, command, args, "the car model id")?.to_string(),
            "session" => {
                let text = one(line, command, args, "the session type")?;
                self.pending.session_type = session_type(text).ok_or_else(|| bad(line, command, format!("{text:?} is not a session type; use practice, qualify, race, hotlap, timeattack, drift, drag, hotstint, superpole or a number")))?;
            }
            "driver" => {
                let (name, rest) = args
                    .split_first()
                    .ok_or_else(|| bad(line, command, "missing the player's name"))?;
                self.pending.driver = (*name).to_string();
                if !rest.is_empty() {
                    self.pending.surname = rest.join(" ");
                }
            }
            "surname" => self.pending.surname = args.join(" "),
            "nick" => self.pending.nick = one(line, command, args, "the nickname")?.to_string(),
            "sectors" => {
                let n: u32 = number(
                    line,
                    command,
                    one(line, command, args, "a sector count")?,
                    "a sector count",
                )?;
                if !(1..=16).contains(&n) {
                    return Err(bad(
                        line,
                        command,
                        "a track has between 1 and 16 sectors (3 in ACC)",
                    ));
                }
                self.pending.sectors = n;
            }
            "duration" => {
                let text = one(line, command, args, "the session length or `none`")?;
                self.pending.duration_ms = if text == "none" {
                    None
                } else {
                    Some(duration(line, command, text)?)
                };
            }
            "cars" => {
                let n: u32 = number(
                    line,
                    command,
                    one(line, command, args, "a car count")?,
                    "a car count",
                )?;
                if !(1..=60).contains(&n) {
                    return Err(bad(
                        line,
                        command,
                        "the number of cars (player included) must be 1 to 60",
                    ));
                }
                self.pending.cars = n;
            }
            "online" => {
                self.pending.online = match one(line, command, args, "yes or no")? {
                    "yes" | "true" | "1" | "on" => true,
                    "no" | "false" | "0" | "off" => false,
                    other => return Err(bad(line, command, format!("{other:?}: write yes or no"))),
                }
            }
            "fuel" => {
                let litres: f32 = number(
                    line,
                    command,
                    one(line, command, args, "litres of fuel")?,
                    "litres",
                )?;
                if !(1.0..=200.0).contains(&litres) {
                    return Err(bad(line, command, "fuel must be between 1 and 200 litres"));
                }
                self.pending.fuel_l = litres;
            }
            "seed" => {
                self.seed = number(
                    line,
                    command,
                    one(line, command, args, "a number")?,
                    "a whole number",
                )?;
                self.rng = None;
            }
            "quirk" => self.quirk(line, args)?,
            "menu" => {
                let ms = duration(line, command, one(line, command, args, "how long")?)?;
                self.actions.push((line, Action::Menu(ms)));
            }
            "pitbox" => {
                let ms = duration(
                    line,
                    command,
                    one(line, command, args, "how long, e.g. 5s")?,
                )?;
                self.push(line, Action::PitBox(ms));
            }
            "pause" => {
                let ms = duration(
                    line,
                    command,
                    one(line, command, args, "how long, e.g. 3s")?,
                )?;
                self.push(line, Action::Pause(ms));
            }
            "replay" => {
                let ms = duration(
                    line,
                    command,
                    one(line, command, args, "how long, e.g. 10s")?,
                )?;
                self.push(line, Action::Replay(ms));
            }
            "stall" => {
                let ms = duration(
                    line,
                    command,
                    one(line, command, args, "how long, e.g. 350ms")?,
                )?;
                self.push(line, Action::Stall(ms));
            }
            "flicker" => {
                let (what, count) = match args {
                    [what] => (*what, 1),
                    [what, n] => (*what, number::<u32>(line, command, n, "a frame count")?),
                    _ => {
                        return Err(bad(
                            line,
                            command,
                            "write `flicker session N` or `flicker valid N`",
                        ));
                    }
                };
                let action = match what {
                    "session" => Action::FlickerSession(count),
                    "valid" => Action::FlickerValid(count),
                    other => {
                        return Err(bad(
                            line,
                            command,
                            format!("{other:?}: only `session` and `valid` can flicker"),
                        ));
                    }
                };
                self.push(line, action);
            }
            "lap" | "outlap" | "inlap" => {
                let kind = match command {
                    "outlap" => LapKind::Out,
                    "inlap" => LapKind::In,
                    _ => LapKind::Flying,
                };
                let (time, options) = args
                    .split_first()
                    .ok_or_else(|| bad(line, command, "missing the lap time, e.g. 1:47.345"))?;
                let spec = self.lap(line, command, kind, time, options)?;
                self.push(line, Action::Drive(Arc::new(spec)));
            }
            "laps" => self.laps(line, args)?,
            "restart" => {
                let after = menu_pause(line, command, args, 2000)?;
                if self.current.is_none() {
                    return Err(ScenarioError::NotHere {
                        line,
                        command: command.into(),
                        reason: "no session has started yet, so there is nothing to restart".into(),
                    });
                }
                self.pause_before_session(line, after);
                self.start_session(line, SessionStart::Restart);
            }
            "next" => {
                let (text, rest) = args.split_first().ok_or_else(|| {
                    bad(
                        line,
                        command,
                        "missing the next session's type, e.g. qualify",
                    )
                })?;
                let after = menu_pause(line, command, rest, 2000)?;
                self.pending.session_type = session_type(text).ok_or_else(|| bad(line, command, format!("{text:?} is not a session type; use practice, qualify, race, hotlap, hotstint, …")))?;
                let start = if self.current.is_none() {
                    SessionStart::First
                } else {
                    self.pause_before_session(line, after);
                    SessionStart::Next
                };
                self.start_session(line, start);
            }
            "exit" => {
                let after = menu_pause(line, command, args, 1000)?;
                self.exit(line, after);
            }
            other => {
                return Err(ScenarioError::UnknownCommand {
                    line,
                    word: other.into(),
                });
            }
        }
        Ok(())
    }

    /// The game exits after `after_ms` in the pause menu (when a session runs).
    pub(super) fn exit(&mut self, line: usize, after_ms: u64) {
        if self.current.is_some() {
            self.pause_before_session(line, after_ms);
        }
        self.actions.push((line, Action::Exit));
        self.exited = true;
    }

    /// The player goes through the pause menu before a restart, session change or exit (not
    /// when the game is already in its menus).
    fn pause_before_session(&mut self, line: usize, ms: u64) {
        let in_menu = matches!(self.actions.last(), Some((_, Action::Menu(_))));
        if ms > 0 && !in_menu {
            self.actions.push((line, Action::Pause(ms)));
        }
    }

    fn quirk(&mut self, line: usize, args: &[&str]) -> Result<(), ScenarioError> {
        let command = "quirk";
        let usage = "write `quirk last_time same|late[:N]|early[:N]|mixed`, `quirk valid_flicker on|off`, `quirk physics_warmup DURATION` or `quirk track_delay DURATION`";
        let (name, value) = match args {
            [name, value] => (*name, *value),
            _ => return Err(bad(line, command, usage)),
        };
        match name {
            "last_time" => {
                self.quirks.last_time = last_time_mode(value)
                    .ok_or_else(|| bad(line, command, format!("{value:?}: {usage}")))?;
            }
            "valid_flicker" => {
                self.quirks.valid_flicker = match value {
                    "on" | "yes" | "1" => true,
                    "off" | "no" | "0" => false,
                    _ => return Err(bad(line, command, format!("{value:?}: {usage}"))),
                }
            }
            "physics_warmup" => self.quirks.physics_warmup_ms = duration(line, command, value)?,
            "track_delay" => self.quirks.track_delay_ms = duration(line, command, value)?,
            _ => {
                return Err(bad(
                    line,
                    command,
                    format!("unknown quirk {name:?}; {usage}"),
                ));
            }
        }
        self.actions.push((line, Action::Quirks(self.quirks)));
        Ok(())
    }
}

/// The optional `after=DURATION` of `restart`, `next` and `exit`: how long the game sits in
/// the pause menu before the new session or the exit.
fn menu_pause(
    line: usize,
    command: &str,
    args: &[&str],
    default_ms: u64,
) -> Result<u64, ScenarioError> {
    match args {
        [] => Ok(default_ms),
        [option] => match option.strip_prefix("after=") {
            Some(value) => duration(line, command, value),
            None => Err(bad(
                line,
                command,
                format!(
                    "unknown option {option:?}; the only option is after=DURATION (time in the pause menu, default 2s)"
                ),
            )),
        },
        _ => Err(bad(
            line,
            command,
            "too many arguments; the only option is after=DURATION",
        )),
    }
}
