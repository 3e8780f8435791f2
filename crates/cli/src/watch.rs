//! Live timing as text: what `watch`, `replay` and `demo` print. A source's snapshots go
//! through the lap detector in the tracker's reading loop (`pitwall_tracker::poll`); each
//! session start and end, completed lap (time, sectors, validity, out/in tags) and abandoned
//! lap is a line. With `--raw`, also a line of decoded page state whenever something a
//! driver cares about changes.

use pitwall_acc::{Read, Snapshot, Source, Waiting};
use pitwall_core::Event;
use pitwall_core::format::{lap_line, lap_time};
use pitwall_tracker::poll::{Reading, Step};
use std::io::Write;
use std::time::{Duration, Instant};

/// The fields of a snapshot the watcher reports (`watch --once --json` writes them with
/// serde, so any name the game gives is escaped and a speed that is not a number is `null`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct State {
    pub(crate) status: String,
    pub(crate) session: String,
    pub(crate) track: String,
    pub(crate) car: String,
    pub(crate) driver: String,
    pub(crate) completed_laps: i32,
    #[serde(rename = "sectorIndex")]
    pub(crate) sector: i32,
    pub(crate) current_ms: i32,
    pub(crate) last_ms: Option<u32>,
    pub(crate) best_ms: Option<u32>,
    pub(crate) valid: bool,
    pub(crate) in_pit_lane: bool,
    pub(crate) in_pit: bool,
    pub(crate) speed_kmh: f32,
}

impl State {
    pub(crate) fn of(s: &Snapshot) -> Self {
        let g = &s.graphics;
        Self {
            status: g.status().to_string(),
            session: g.session_type().to_string(),
            track: s.statics.track_text(),
            car: s.statics.car_model_text(),
            driver: s.statics.player_name_text(),
            completed_laps: g.completed_laps.get(),
            sector: g.current_sector_index.get(),
            current_ms: g.i_current_time.get(),
            last_ms: g.last_lap_ms(),
            best_ms: g.best_lap_ms(),
            valid: g.is_valid_lap.get() != 0,
            in_pit_lane: g.is_in_pit_lane.get() != 0,
            in_pit: g.is_in_pit.get() != 0,
            speed_kmh: s.physics.speed_kmh.get(),
        }
    }

    /// What must change for a new line to be printed.
    fn key(&self) -> (&str, &str, &str, &str, i32, i32, bool, bool, bool) {
        (
            &self.status,
            &self.session,
            &self.track,
            &self.car,
            self.completed_laps,
            self.sector,
            self.valid,
            self.in_pit_lane,
            self.in_pit,
        )
    }

    pub(crate) fn line(&self) -> String {
        let mut flags = Vec::new();
        if self.in_pit {
            flags.push("pit box");
        } else if self.in_pit_lane {
            flags.push("pit lane");
        }
        if !self.valid {
            flags.push("invalid");
        }
        format!(
            "{} {} {} {} | laps {} S{} | current {} last {} best {} | {:.0} km/h{}{}",
            self.status,
            self.session,
            self.track,
            self.car,
            self.completed_laps,
            self.sector + 1,
            lap_time(u32::try_from(self.current_ms).ok()),
            lap_time(self.last_ms),
            lap_time(self.best_ms),
            self.speed_kmh,
            if flags.is_empty() { "" } else { " | " },
            flags.join(", ")
        )
    }

    /// One line of JSON.
    pub(crate) fn json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

/// What `watch` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WatchOptions {
    /// Also print a line of raw decoded state whenever it changes.
    pub(crate) raw: bool,
}

/// Runs a source through the lap detector and prints what happens (sessions, laps), until
/// the source ends, `stop` returns true, or `timeout` passes.
pub(crate) fn watch(
    source: &mut dyn Source,
    out: &mut dyn Write,
    stop: &dyn Fn() -> bool,
    timeout: Option<Duration>,
    options: WatchOptions,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut last: Option<State> = None;
    // The one reading loop of the tracker; times from the source's start (nothing is stored).
    let mut reading = Reading::new(0);
    while !stop() {
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            break;
        }
        let step = reading.step(source)?;
        match &step {
            Step::Fresh(_) => {
                if options.raw {
                    let state = State::of(reading.snapshot());
                    if last.as_ref().is_none_or(|l| l.key() != state.key()) {
                        writeln!(out, "{}", state.line())?;
                    }
                    last = Some(state);
                }
            }
            Step::Unchanged => {}
            Step::Waiting { waiting, new } => {
                if *new {
                    print_events(reading.events(), out)?;
                    writeln!(out, "{waiting}")?;
                }
            }
            Step::End => {
                print_events(reading.events(), out)?;
                break;
            }
        }
        if let Some(pause) = step.pause(source) {
            std::thread::sleep(pause);
        }
        print_events(reading.events(), out)?;
    }
    Ok(())
}

/// Prints and drains the detector's events.
fn print_events(events: &mut Vec<Event>, out: &mut dyn Write) -> std::io::Result<()> {
    for event in events.drain(..) {
        match event {
            Event::SessionStarted(info) => writeln!(
                out,
                "session started: {} at {} in {} (driver {}){}",
                info.session_type,
                info.track,
                info.car,
                if info.driver.is_empty() {
                    "unknown"
                } else {
                    &info.driver
                },
                if info.joined_late {
                    ", already running"
                } else {
                    ""
                }
            )?,
            Event::SessionEnded { reason, .. } => writeln!(out, "session ended ({reason})")?,
            Event::LapStarted {
                number,
                out_lap: true,
                ..
            } => {
                writeln!(out, "lap {number} started: out-lap")?;
            }
            Event::LapStarted { .. } | Event::SectorCompleted { .. } => {}
            Event::LapCompleted(lap) => writeln!(out, "{}", lap_line(&lap))?,
            // A lap begun at the line just as the session ended: nothing was driven.
            Event::LapAbandoned { driven_ms, .. } if driven_ms < 1_000 => {}
            Event::LapAbandoned {
                driven_ms, reason, ..
            } => {
                writeln!(
                    out,
                    "lap abandoned after {} ({reason})",
                    lap_time(Some(driven_ms))
                )?;
            }
        }
    }
    Ok(())
}

/// Waits for the first fresh snapshot; `on_wait` hears each new kind of wait as it starts,
/// and the current one again every [`REMIND`] while it lasts.
pub(crate) fn first_fresh(
    source: &mut dyn Source,
    timeout: Option<Duration>,
    on_wait: &mut dyn FnMut(&Waiting),
) -> anyhow::Result<Result<Snapshot, Option<Waiting>>> {
    let started = Instant::now();
    let mut snap = Snapshot::default();
    let mut waiting: Option<Waiting> = None;
    let mut said_at = started;
    loop {
        match source.read(&mut snap)? {
            Read::Fresh => return Ok(Ok(snap)),
            Read::End => return Ok(Err(waiting)),
            Read::Unchanged => std::thread::sleep(source.poll_interval()),
            Read::Waiting(w) => {
                let new_kind = !waiting.as_ref().is_some_and(|l| l.same_kind(&w));
                if new_kind || said_at.elapsed() >= REMIND {
                    on_wait(&w);
                    said_at = Instant::now();
                }
                waiting = Some(w);
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            return Ok(Err(waiting));
        }
    }
}

/// How often `watch --once` repeats what it still waits for.
pub(crate) const REMIND: Duration = Duration::from_secs(30);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_line_stays_json_whatever_the_game_writes() {
        let state = State {
            status: "LIVE".into(),
            session: "PRACTICE".into(),
            track: "monza".into(),
            car: "ferrari_296_gt3".into(),
            driver: "A \"Quick\" \\ Driver\u{1b}[31m\u{7f}é".into(),
            completed_laps: 3,
            sector: 1,
            current_ms: 61_234,
            last_ms: Some(107_345),
            best_ms: None,
            valid: false,
            in_pit_lane: false,
            in_pit: false,
            speed_kmh: f32::NAN,
        };
        let line = state.json().unwrap();
        assert!(!line.contains('\n'), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["driver"], "A \"Quick\" \\ Driver\u{1b}[31m\u{7f}é");
        assert_eq!(back["sectorIndex"], 1);
        assert_eq!(back["completedLaps"], 3);
        assert_eq!(back["lastMs"], 107_345);
        assert!(back["bestMs"].is_null());
        assert!(back["speedKmh"].is_null());
        let keys: Vec<&str> = back
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 14);
    }
}
