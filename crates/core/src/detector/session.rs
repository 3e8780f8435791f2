//! One session in progress: when it ends (restart, next session, track or car change), and
//! the laps within it — line crossings, pit-lane crossings, returns to the pits, and the
//! wait for the game to publish a completed lap's time.

use super::DetectorConfig;
use super::lap::{LapRun, SectorDone};
use crate::frame::{Frame, StaticInfo};
use crate::model::{
    AbandonReason, Car, Checkpoint, EndReason, Event, Lap, SessionId, SessionInfo, stable_hash,
};
use pitwall_acc::decode::time_ms;

/// A drop of the lap timer smaller than this is jitter, not a reset (ms).
const RESET_SLACK_MS: i32 = 500;
/// A lap found running for longer than this when first seen is partial (ms).
const PARTIAL_AFTER_MS: i32 = 2_000;
/// `iLastTime` this far below the lap timer's peak cannot be this lap's time (ms).
const LAST_TIME_BELOW_PEAK_MS: u32 = 100;
/// An unchanged `iLastTime` may still be this lap's time (two laps of the very same time)
/// this far above the lap timer's peak, plus the time between the peak's reading and the
/// line's (ms).
const SAME_TIME_SLACK_MS: u32 = 250;

/// Where the car's current lap stands.
#[derive(Clone, Debug)]
enum LapState {
    /// No lap running: the car is in the pits (the session started there, or it went back
    /// mid-lap), and the timer counts pit time until the car crosses the line.
    InPits,
    /// A lap is running.
    Running(LapRun),
}

/// The lap completed at the last line crossing (`completedLaps` went up) while the game may
/// not have published its time yet. It overlaps the next lap, which runs meanwhile: a
/// session holds one beside its [`LapState`].
#[derive(Clone, Debug)]
struct AwaitingTime {
    run: LapRun,
    number: u32,
    in_lap: bool,
    completed_at_ms: u64,
}

#[derive(Clone, Debug)]
pub(super) struct Session {
    pub(super) info: SessionInfo,
    prev: Frame,
    lap: LapState,
    /// The previous lap, until its time is known.
    awaiting: Option<AwaitingTime>,
    attempts: u32,
    sectors: Vec<SectorDone>,
}

impl Session {
    pub(super) fn start(
        frame: &Frame,
        statics: &StaticInfo,
        joined_late: bool,
        out: &mut Vec<Event>,
    ) -> Session {
        let id = SessionId(stable_hash(&[
            statics.track.as_bytes(),
            statics.car.as_bytes(),
            statics.driver.as_bytes(),
            &i32::from(frame.session_type).to_le_bytes(),
            &frame.session_index.to_le_bytes(),
            &frame.at_ms.to_le_bytes(),
        ]));
        let info = SessionInfo {
            id,
            track: statics.track.clone(),
            car: statics.car.clone(),
            session_type: frame.session_type,
            driver: statics.driver.clone(),
            sector_count: statics.sector_count,
            session_index: frame.session_index,
            started_at_ms: frame.at_ms,
            sm_version: statics.sm_version.clone(),
            ac_version: statics.ac_version.clone(),
            online: statics.online,
            joined_late: joined_late && frame.completed_laps > 0,
            conditions: frame.conditions,
        };
        out.push(Event::SessionStarted(info.clone()));
        let mut session = Session {
            info,
            prev: *frame,
            lap: LapState::InPits,
            awaiting: None,
            attempts: 0,
            sectors: Vec::new(),
        };
        // Quirk Q9: in the box or the pit lane, the timer counts pit time: no lap until the
        // line.
        if !frame.in_pit && !frame.in_pit_lane {
            let partial = frame.current_ms > PARTIAL_AFTER_MS;
            session.start_run(frame, false, partial, out);
        }
        session
    }

    /// The last frame this session took.
    pub(super) fn last_frame(&self) -> &Frame {
        &self.prev
    }

    /// Carries on with a stored session (see [`super::Resume`]) from `frame`: reported as
    /// started again, with lap ids after its first `attempts`; the lap running now is
    /// partial, as for a tracker that joined late.
    pub(super) fn resume(
        frame: &Frame,
        info: SessionInfo,
        attempts: u32,
        out: &mut Vec<Event>,
    ) -> Session {
        out.push(Event::SessionStarted(info.clone()));
        let mut session = Session {
            info,
            prev: *frame,
            lap: LapState::InPits,
            awaiting: None,
            attempts,
            sectors: Vec::new(),
        };
        if !frame.in_pit && !frame.in_pit_lane {
            session.start_run(frame, false, frame.current_ms > PARTIAL_AFTER_MS, out);
        }
        session
    }

    /// Where the session stands as of the last frame.
    pub(super) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            session: self.info.id,
            at_ms: self.prev.at_ms,
            completed_laps: self.prev.completed_laps,
            current_ms: self.prev.current_ms,
            time_left_ms: self.prev.time_left_ms,
            distance_m: self.prev.distance_m,
            attempts: self.attempts,
        }
    }

    /// Whether `frame` belongs to another session than this one.
    pub(super) fn boundary(
        &self,
        frame: &Frame,
        statics_changed: bool,
        config: &DetectorConfig,
    ) -> Option<EndReason> {
        let prev = &self.prev;
        if statics_changed {
            return Some(EndReason::TrackOrCarChanged);
        }
        if frame.session_index != self.info.session_index
            || frame.session_type != self.info.session_type
        {
            return Some(EndReason::NextSession);
        }
        // Quirk Q8: a restart keeps sessionIndex; it shows as the lap count dropping, or, before
        // the first lap completes, as the distance or the time left jumping back.
        if frame.completed_laps < prev.completed_laps {
            return Some(EndReason::Restart);
        }
        if prev.distance_m - frame.distance_m > config.restart_distance_drop_m {
            return Some(EndReason::Restart);
        }
        let timed = prev.time_left_ms.is_finite() && prev.time_left_ms > 0.0;
        if timed
            && frame.time_left_ms.is_finite()
            && frame.time_left_ms - prev.time_left_ms > config.restart_time_left_rise_ms
        {
            return Some(EndReason::Restart);
        }
        None
    }

    /// A paused frame (Quirk Q4): timers are frozen, but the frame that brings up the pause menu may
    /// be the one in which the car crossed the line, and the game may publish `iLastTime`
    /// while the menu is up.
    pub(super) fn paused(&mut self, frame: &Frame, config: &DetectorConfig, out: &mut Vec<Event>) {
        let prev = self.prev;
        if frame.completed_laps > prev.completed_laps {
            self.line_crossed(frame, &prev, config, out);
            self.prev = *frame;
        } else {
            self.resolve_awaiting(frame, config, false, out);
        }
    }

    pub(super) fn push(&mut self, frame: &Frame, config: &DetectorConfig, out: &mut Vec<Event>) {
        let prev = self.prev;
        self.resolve_awaiting(frame, config, false, out);
        if frame.completed_laps > prev.completed_laps {
            self.line_crossed(frame, &prev, config, out);
        } else if frame.current_ms.saturating_add(RESET_SLACK_MS) < prev.current_ms {
            // Quirk Q9, Q10: the lap timer reset without a completed lap.
            if prev.in_pit || prev.in_pit_lane {
                // Leaving the pits across the line in the pit lane: what came before was pit
                // time, not a lap; the out-lap starts here. Unless the car went straight
                // from its box to the track: it did not drive out, it was put at the line
                // (a restart the pages cannot show: untimed, nothing driven yet), and the
                // lap is a flying one.
                let out_lap = frame.in_pit_lane || !prev.in_pit;
                self.abandon(frame.at_ms, AbandonReason::ReturnedToPits, out);
                self.start_run(frame, out_lap, false, out);
            } else {
                // Back to the pits mid-lap ("return to pits"): the lap is dropped; the next
                // one starts when the car crosses the line again.
                self.abandon(frame.at_ms, AbandonReason::ReturnedToPits, out);
            }
        }
        if let LapState::Running(run) = &mut self.lap {
            self.sectors.clear();
            run.observe(
                frame,
                prev.at_ms,
                usize::from(self.info.sector_count),
                &mut self.sectors,
            );
            for done in &self.sectors {
                out.push(Event::SectorCompleted {
                    lap: run.id,
                    sector: done.sector,
                    time_ms: done.time_ms,
                    valid: run.is_valid(),
                    at_ms: frame.at_ms,
                });
            }
        }
        self.prev = *frame;
    }

    /// `completedLaps` went up: the running lap is complete (its time may follow), a new
    /// one starts.
    fn line_crossed(
        &mut self,
        frame: &Frame,
        prev: &Frame,
        config: &DetectorConfig,
        out: &mut Vec<Event>,
    ) {
        // A previous lap still awaiting its time gets the fallback now.
        self.resolve_awaiting(frame, config, true, out);
        let number = u32::try_from(frame.completed_laps).unwrap_or(0);
        let run = match std::mem::replace(&mut self.lap, LapState::InPits) {
            LapState::Running(run) => run,
            // Quirk Q17: a lap completed that we never saw start (coarse sampling out of the
            // pits):
            // known only by the game's time.
            LapState::InPits => {
                let mut run = self.new_run(prev, false, true);
                run.number = number;
                run
            }
        };
        // Quirk Q11: in-laps and out-laps by the pit lane, which `isInPit` does not cover.
        // Quirk Q12: the lap awaits its time while the next one runs.
        self.awaiting = Some(AwaitingTime {
            run,
            number,
            in_lap: prev.in_pit_lane || frame.in_pit_lane,
            completed_at_ms: frame.at_ms,
        });
        let out_lap = prev.in_pit_lane || frame.in_pit_lane;
        self.start_run(frame, out_lap, false, out);
        // Quirk Q12: iLastTime may have changed a frame before the line, or in the same frame.
        self.resolve_awaiting(frame, config, false, out);
    }

    fn new_run(&mut self, frame: &Frame, out_lap: bool, partial: bool) -> LapRun {
        self.attempts += 1;
        let number = u32::try_from(frame.completed_laps).unwrap_or(0) + 1;
        LapRun::new(self.info.id, self.attempts, number, frame, out_lap, partial)
    }

    fn start_run(&mut self, frame: &Frame, out_lap: bool, partial: bool, out: &mut Vec<Event>) {
        let run = self.new_run(frame, out_lap, partial);
        out.push(Event::LapStarted {
            id: run.id,
            session: self.info.id,
            number: run.number,
            at_ms: frame.at_ms,
            out_lap,
            partial,
        });
        self.lap = LapState::Running(run);
    }

    fn abandon(&mut self, at_ms: u64, reason: AbandonReason, out: &mut Vec<Event>) {
        if let LapState::Running(run) = std::mem::replace(&mut self.lap, LapState::InPits) {
            out.push(Event::LapAbandoned {
                id: run.id,
                session: self.info.id,
                at_ms,
                driven_ms: run.peak_ms,
                reason,
            });
        }
    }

    /// Completes the lap awaiting its time once the time is known: a fresh `iLastTime`, or after the
    /// wait (or when `force`d) the fallback.
    fn resolve_awaiting(
        &mut self,
        frame: &Frame,
        config: &DetectorConfig,
        force: bool,
        out: &mut Vec<Event>,
    ) {
        let Some(p) = &self.awaiting else { return };
        // Quirk Q12: a changed iLastTime, not well below the timer's peak, is the lap's time.
        let published = time_ms(frame.last_ms)
            .filter(|_| frame.last_ms != p.run.last_ms_at_start)
            .filter(|&t| t.saturating_add(LAST_TIME_BELOW_PEAK_MS) >= p.run.peak_ms);
        let waited = frame.at_ms.saturating_sub(p.completed_at_ms) >= config.last_time_wait_ms;
        let time = match published {
            Some(t) => t,
            None if force || waited => {
                // Quirk Q13: iLastTime did not move. Two laps of the very same time leave it
                // unchanged; otherwise the lap timer's peak is the best we know. The lap
                // ended between the peak's reading and the line's (the reading itself a HUD
                // frame old): with coarse sampling (Quirk Q17) that is far more than a fixed slack.
                let unseen = p.completed_at_ms.saturating_sub(p.run.peak_at_ms);
                let slack = u32::try_from(unseen)
                    .unwrap_or(u32::MAX)
                    .saturating_add(SAME_TIME_SLACK_MS);
                match time_ms(p.run.last_ms_at_start) {
                    Some(same) if same >= p.run.peak_ms && same - p.run.peak_ms <= slack => same,
                    _ => p.run.peak_ms,
                }
            }
            None => return,
        };
        let Some(p) = self.awaiting.take() else {
            return;
        };
        if let LapState::Running(run) = &mut self.lap
            && run.number == p.number + 1
        {
            run.last_ms_at_start = frame.last_ms;
        }
        let n = usize::from(self.info.sector_count);
        let sectors = p.run.sector_times(time, n);
        // The last sector ends at the line: report it now that the lap time is known.
        if let Some(&last) = sectors.last() {
            out.push(Event::SectorCompleted {
                lap: p.run.id,
                sector: u8::try_from(n - 1).unwrap_or(0),
                time_ms: last,
                valid: p.run.is_valid(),
                at_ms: frame.at_ms,
            });
        }
        out.push(Event::LapCompleted(Lap {
            id: p.run.id,
            session: self.info.id,
            number: p.number,
            time_ms: time,
            sectors,
            valid: p.run.is_valid(),
            invalid_sector: p.run.invalid_sector(),
            out_lap: p.run.out_lap,
            in_lap: p.in_lap,
            partial: p.run.partial,
            started_at_ms: p.completed_at_ms.saturating_sub(u64::from(time)),
            completed_at_ms: p.completed_at_ms,
            car: Car::new(frame.player_car, self.info.car.clone()),
            driver: self.info.driver.clone(),
        }));
    }

    /// Ends the session: a lap waiting for its time gets the fallback, a lap in progress is
    /// abandoned.
    pub(super) fn end(mut self, at_ms: u64, reason: EndReason, out: &mut Vec<Event>) {
        let last = self.prev;
        self.resolve_awaiting(&last, &DetectorConfig::default(), true, out);
        let abandon = match reason {
            EndReason::Restart => AbandonReason::Restart,
            _ => AbandonReason::SessionEnded,
        };
        self.abandon(at_ms, abandon, out);
        out.push(Event::SessionEnded {
            id: self.info.id,
            at_ms,
            reason,
        });
    }
}
