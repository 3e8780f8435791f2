//! The collector's reading thread: polls a [`Source`] with the one reading loop
//! ([`crate::poll`]: the lap detector runs on each fresh snapshot) and sends what happened to
//! the async side. It never touches the store, so a slow disk or network never makes it miss
//! a frame. When a session starts and after each lap it sends the session's checkpoint; when
//! told to stop it ends the session in progress. A [`TimingSource`] is read the same way
//! (`read_timing`), without the detector: its events go to the async side as they come.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pitwall_acc::Source;
use pitwall_core::{Checkpoint, Conditions, Event, Resume};
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use crate::poll::{Reading, Step};
use crate::timing::{Timing, TimingSource};

/// What the reading thread tells the async side.
#[derive(Debug)]
pub(super) enum Msg {
    /// The detector's events, in order.
    Events(Vec<Event>),
    /// The running lap timer (throttled).
    Tick {
        current_ms: u32,
        sector: u8,
        valid: bool,
        at_ms: u64,
        conditions: Option<Conditions>,
    },
    /// The game's pages are (`true`) or are not being read, and why.
    Status(bool, String),
    /// Where the session in progress stands (sent when it starts and after each lap).
    Checkpoint(Checkpoint),
    /// The reader was told to stop: the last events, ending the session in progress (whose
    /// checkpoint was sent just before).
    Stopping(Vec<Event>),
}

/// Reads `source` until it ends or `cancel` fires. Times are wall-clock ms: the source's
/// relative time plus the wall clock when reading began. The lap timer is sent every
/// `tick_every_ms` while `watched()` says someone follows the live feed. `resume` is a stored
/// session the first session may carry on (see [`Detector::resume`]).
pub(super) fn read(
    mut source: Box<dyn Source>,
    tx: &UnboundedSender<Msg>,
    cancel: &CancellationToken,
    tick_every_ms: u64,
    resume: Option<Resume>,
    watched: &dyn Fn() -> bool,
) {
    let mut reading = Reading::new(now_ms());
    if let Some(resume) = resume {
        reading.resume(resume);
    }
    let mut connected: Option<bool> = None;
    let mut last_tick = 0_u64;
    let send = |msg| tx.send(msg).is_ok();
    while !cancel.is_cancelled() {
        let pause = match reading.step(source.as_mut()) {
            Ok(step @ Step::Fresh(frame)) => {
                if connected != Some(true) {
                    connected = Some(true);
                    let what = format!("reading ACC from {}", source.describe());
                    tracing::info!("{what}");
                    send(Msg::Status(true, what));
                }
                let running = frame.status == pitwall_acc::enums::Status::Live;
                if running && frame.at_ms >= last_tick.saturating_add(tick_every_ms) && watched() {
                    last_tick = frame.at_ms;
                    if let Ok(current_ms) = u32::try_from(frame.current_ms) {
                        send(Msg::Tick {
                            current_ms,
                            sector: u8::try_from(frame.sector_index).unwrap_or(0),
                            valid: frame.valid,
                            at_ms: frame.at_ms,
                            conditions: frame.conditions,
                        });
                    }
                }
                step.pause(source.as_ref())
            }
            Ok(step @ Step::Unchanged) => step.pause(source.as_ref()),
            Ok(Step::Waiting { waiting, new }) => {
                if new {
                    tracing::info!("{waiting}");
                    connected = Some(false);
                    send(Msg::Status(false, waiting.to_string()));
                }
                Step::Waiting { waiting, new }.pause(source.as_ref())
            }
            Ok(Step::End) => {
                let events = reading.take_events();
                if !events.is_empty() {
                    send(Msg::Events(events));
                }
                send(Msg::Status(false, "the source ended".into()));
                return;
            }
            Err(e) => {
                let what = format!("cannot read the game's pages: {e}");
                tracing::warn!("{what}; retrying in 1 s");
                connected = Some(false);
                send(Msg::Status(false, what));
                Some(Duration::from_secs(1))
            }
        };
        let events = reading.take_events();
        let progress = events
            .iter()
            .any(|e| matches!(e, Event::SessionStarted(_) | Event::LapCompleted(_)));
        if !events.is_empty() && !send(Msg::Events(events)) {
            return; // the async side is gone
        }
        if let Some(checkpoint) = reading.checkpoint().filter(|_| progress) {
            send(Msg::Checkpoint(checkpoint));
        }
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
    }
    // Stopping: the session in progress ends now; its checkpoint is kept, so that a tracker
    // started again while the game is still in it carries it on.
    if let Some(checkpoint) = reading.checkpoint() {
        send(Msg::Checkpoint(checkpoint));
    }
    reading.stop(now_ms());
    send(Msg::Stopping(reading.take_events()));
}

/// Reads a timing source until it ends or `cancel` fires; then sends what it gives to end
/// the session in progress.
pub(super) fn read_timing(
    mut source: Box<dyn TimingSource>,
    tx: &UnboundedSender<Msg>,
    cancel: &CancellationToken,
) {
    let what = format!("reading timing from {}", source.describe());
    tracing::info!("{what}");
    let send = |msg| tx.send(msg).is_ok();
    send(Msg::Status(true, what));
    while !cancel.is_cancelled() {
        match source.read() {
            Ok(Timing::Events(events)) => {
                if !events.is_empty() && !send(Msg::Events(events)) {
                    return; // the async side is gone
                }
            }
            Ok(Timing::Idle(pause)) => std::thread::sleep(pause),
            Ok(Timing::End) => {
                send(Msg::Status(false, "the source ended".into()));
                return;
            }
            Err(e) => {
                let what = format!("cannot read timing: {e}");
                tracing::warn!("{what}; retrying in 1 s");
                send(Msg::Status(false, what));
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
    send(Msg::Stopping(source.stop(now_ms())));
}

/// The wall clock in ms since the Unix epoch.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
