//! Decoded live state as text: what `watch`, `replay` and `demo` print until the lap tracker
//! takes over. One line whenever something a driver cares about changes (status, session,
//! lap, sector, pit lane, validity), and a line per completed lap with the game's times.

use pitwall_acc::enums::Status;
use pitwall_acc::{Read, Snapshot, Source, Waiting};
use std::io::Write;
use std::time::{Duration, Instant};

/// m:ss.mmm, or `-` for no time.
pub(crate) fn lap_time(ms: Option<u32>) -> String {
    match ms {
        Some(ms) => format!("{}:{:02}.{:03}", ms / 60_000, ms / 1000 % 60, ms % 1000),
        None => "-".to_owned(),
    }
}

/// The fields of a snapshot the watcher reports.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct State {
    pub(crate) status: String,
    pub(crate) session: String,
    pub(crate) track: String,
    pub(crate) car: String,
    pub(crate) driver: String,
    pub(crate) completed_laps: i32,
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

    pub(crate) fn json(&self) -> String {
        let opt = |v: Option<u32>| v.map_or("null".to_owned(), |v| v.to_string());
        format!(
            concat!(
                "{{\"status\":{:?},\"session\":{:?},\"track\":{:?},\"car\":{:?},\"driver\":{:?},",
                "\"completedLaps\":{},\"sectorIndex\":{},\"currentMs\":{},\"lastMs\":{},",
                "\"bestMs\":{},\"valid\":{},\"inPitLane\":{},\"inPit\":{},\"speedKmh\":{}}}"
            ),
            self.status,
            self.session,
            self.track,
            self.car,
            self.driver,
            self.completed_laps,
            self.sector,
            self.current_ms,
            opt(self.last_ms),
            opt(self.best_ms),
            self.valid,
            self.in_pit_lane,
            self.in_pit,
            self.speed_kmh
        )
    }
}

/// Prints state changes of a source until it ends, `stop` returns true, or `timeout` passes.
pub(crate) fn watch(
    source: &mut dyn Source,
    out: &mut dyn Write,
    stop: &dyn Fn() -> bool,
    timeout: Option<Duration>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut snap = Snapshot::default();
    let mut last: Option<State> = None;
    let mut last_waiting: Option<Waiting> = None;
    // A lap whose completion was seen (completedLaps went up) but whose time the game has not
    // published yet: ACC may update iLastTime a frame or more after the line.
    let mut pending: Option<PendingLap> = None;
    while !stop() {
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            break;
        }
        match source.read(&mut snap)? {
            Read::Fresh => {
                last_waiting = None;
                let state = State::of(&snap);
                if let Some(prev) = &last
                    && state.status != Status::Replay.to_string()
                    && state.completed_laps == prev.completed_laps + 1
                {
                    pending = Some(PendingLap {
                        number: state.completed_laps,
                        previous_last: prev.last_ms,
                        seen: Instant::now(),
                    });
                }
                if let Some(p) = &pending
                    && (state.last_ms != p.previous_last
                        || p.seen.elapsed() >= Duration::from_secs(1))
                {
                    writeln!(
                        out,
                        "lap {} completed: {} (the game's time; best {})",
                        p.number,
                        lap_time(state.last_ms.filter(|_| state.last_ms != p.previous_last)),
                        lap_time(state.best_ms)
                    )?;
                    pending = None;
                }
                if last.as_ref().is_none_or(|l| l.key() != state.key()) {
                    writeln!(out, "{}", state.line())?;
                }
                last = Some(state);
            }
            Read::Unchanged => std::thread::sleep(source.poll_interval()),
            Read::Waiting(w) => {
                if !same_kind(last_waiting.as_ref(), &w) {
                    writeln!(out, "{w}")?;
                    last_waiting = Some(w);
                }
                std::thread::sleep(source.poll_interval().max(Duration::from_millis(50)));
            }
            Read::End => break,
        }
    }
    Ok(())
}

fn same_kind(a: Option<&Waiting>, b: &Waiting) -> bool {
    a.is_some_and(|a| std::mem::discriminant(a) == std::mem::discriminant(b))
}

struct PendingLap {
    number: i32,
    previous_last: Option<u32>,
    seen: Instant,
}

/// Waits for the first fresh snapshot.
pub(crate) fn first_fresh(
    source: &mut dyn Source,
    timeout: Option<Duration>,
) -> anyhow::Result<Result<Snapshot, Option<Waiting>>> {
    let started = Instant::now();
    let mut snap = Snapshot::default();
    let mut waiting = None;
    loop {
        match source.read(&mut snap)? {
            Read::Fresh => return Ok(Ok(snap)),
            Read::End => return Ok(Err(waiting)),
            Read::Unchanged => std::thread::sleep(source.poll_interval()),
            Read::Waiting(w) => {
                waiting = Some(w);
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            return Ok(Err(waiting));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lap_times_format_as_racers_write_them() {
        assert_eq!(lap_time(Some(107_345)), "1:47.345");
        assert_eq!(lap_time(Some(59_001)), "0:59.001");
        assert_eq!(lap_time(None), "-");
    }
}
