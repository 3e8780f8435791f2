//! [`run`]: publishes a simulator's pages to a [`PageSink`] in real time (or scaled), the way
//! the game would: sleeping until the next update is due, writing each changed page once per
//! batch of updates that fall in the same millisecond, never busy-waiting.

use super::Simulator;
use crate::sink::{PageSink, SinkError};
use pitwall_acc::snapshot::PageKind;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why [`run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunEnd {
    /// The script ended (`exit`, or its last line); the pages stay as last written.
    ScriptEnded,
    /// `stop` was set.
    Stopped,
}

/// The longest single sleep, so `stop` is noticed promptly.
const MAX_SLEEP: Duration = Duration::from_millis(20);

/// Publishes to `sink` in real time (`speed` 1.0 = real time, higher = faster; a speed that
/// is not a positive number counts as 1.0) until the script ends or `stop` is set. After the
/// script's `exit` the pages are left as they were (stale), as the game leaves them.
pub fn run(
    sim: &mut Simulator,
    sink: &mut dyn PageSink,
    speed: f64,
    stop: &AtomicBool,
) -> Result<RunEnd, SinkError> {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    let start = Instant::now();
    let Some(base) = sim.next_at() else {
        return Ok(RunEnd::ScriptEnded);
    };
    // Simulated time reached after `wall` of real time.
    let sim_at =
        |wall: Duration| base + Duration::from_nanos((wall.as_nanos() as f64 * speed) as u64);
    // Real time at which simulated time `at` is due.
    let wall_at =
        |at: Duration| Duration::from_nanos(((at - base).as_nanos() as f64 / speed) as u64);
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(RunEnd::Stopped);
        }
        let Some(next) = sim.next_at() else {
            return Ok(RunEnd::ScriptEnded);
        };
        let elapsed = start.elapsed();
        let due = wall_at(next);
        if due > elapsed {
            std::thread::sleep((due - elapsed).min(MAX_SLEEP));
            continue;
        }
        // Everything due within this millisecond of real time, written once.
        let horizon = sim_at(elapsed + Duration::from_millis(1));
        let mut changed = [false; 3];
        while let Some(at) = sim.next_at() {
            if at > horizon {
                break;
            }
            let Some(step) = sim.step() else { break };
            changed[0] |= step.statics;
            changed[1] |= step.physics;
            changed[2] |= step.graphics;
        }
        let order = [PageKind::Static, PageKind::Physics, PageKind::Graphics];
        for (kind, dirty) in order.into_iter().zip(changed) {
            if dirty {
                sink.write(kind, sim.snapshot().page_bytes(kind))?;
            }
        }
    }
}
