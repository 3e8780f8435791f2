//! The collector: the game's pages in, stored laps and live events out. A reading thread
//! (`reader`) runs the lap detector; this side stores each session and lap as it completes
//! (retrying until the store takes it: a completed lap is never dropped) and publishes live
//! events with personal-best and session-best flags and deltas.
//!
//! The detector's output passes [`pitwall_core::validate`] first, as every way into the
//! store does: a session or lap that fails is not stored (nor published) and is logged as
//! an error saying why; so is a lap the store refuses as a conflict (its number or id
//! already taken), which no retry would change.
//!
//! Across restarts (`resume`): a stopping collector ends the session in progress (its
//! checkpoint kept); a starting one offers the last checkpointed session to the detector,
//! which carries it on if the game is still in it.

mod reader;
mod resume;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pitwall_acc::Source;
use pitwall_core::Event;
use pitwall_core::format::{delta, lap_line};
use pitwall_core::model::{Conditions, EndReason, Lap, SessionInfo};
use pitwall_core::{names, validate};
use pitwall_live::{LapJson, LiveEvent, LiveHub, Reference, SessionJson};
use pitwall_store::{AnyStore, Reads as _, SessionWrites as _, Upload};
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

use crate::timing::Input;
use reader::Msg;

/// How the collector behaves.
#[derive(Clone, Debug)]
pub struct CollectorOptions {
    /// The running lap timer is published at most this often (ms).
    pub tick_every_ms: u64,
    /// The longest wait between retries of a failed store write: the bound on how long a
    /// lap waits after the store works again (a freed disk, a database back up).
    pub max_retry_delay: Duration,
    /// Queue every stored session and lap for upload (see [`crate::upload`]), and notify
    /// this when something was queued.
    pub upload: Option<Arc<Notify>>,
}

impl Default for CollectorOptions {
    fn default() -> Self {
        CollectorOptions {
            tick_every_ms: 100,
            max_retry_delay: Duration::from_secs(1),
            upload: None,
        }
    }
}

/// Reads a source into a store and a live hub.
#[derive(Debug)]
pub struct Collector {
    store: AnyStore,
    hub: LiveHub,
    options: CollectorOptions,
    session: Option<SessionInfo>,
    reference: Reference,
    session_best_ms: Option<u32>,
    running: Vec<Option<u32>>,
    /// The stored session offered to the detector to carry on, until a session starts.
    offered: Option<pitwall_core::SessionId>,
    /// The reader was told to stop: a session ending now ends because the tracker stops.
    stopping: bool,
}

impl Collector {
    /// A collector writing to `store` and publishing to `hub`.
    pub fn new(store: AnyStore, hub: LiveHub, options: CollectorOptions) -> Self {
        Collector {
            store,
            hub,
            options,
            session: None,
            reference: Reference::default(),
            session_best_ms: None,
            running: Vec::new(),
            offered: None,
            stopping: false,
        }
    }

    /// Reads `source` until it ends or `cancel` fires, then stores what is still pending and
    /// returns. Game restarts and exits are handled inside: it waits for the game again.
    pub async fn run(self, source: Box<dyn Source>, cancel: CancellationToken) {
        self.run_input(Input::Pages(source), cancel).await;
    }

    /// [`Collector::run`] over either kind of [`Input`]: the pages through the lap detector
    /// (and a stored session offered to carry on), or a timing source's events as they come.
    pub async fn run_input(mut self, input: Input, cancel: CancellationToken) {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let reading = cancel.clone();
        let thread = match input {
            Input::Pages(source) => {
                let tick = self.options.tick_every_ms;
                let resume = self.resume_offer().await;
                // Timer ticks only matter to someone watching: none are sent to an empty room.
                let hub = self.hub.clone();
                let watched = move || hub.subscribers() > 0;
                std::thread::Builder::new()
                    .name("acc-reader".into())
                    .spawn(move || reader::read(source, &tx, &reading, tick, resume, &watched))
            }
            Input::Timing(source) => std::thread::Builder::new()
                .name("timing-reader".into())
                .spawn(move || reader::read_timing(source, &tx, &reading)),
        };
        if let Err(e) = thread {
            tracing::error!("cannot start the reading thread: {e}");
            return;
        }
        // Ends when the reading thread has stopped and everything it sent is handled.
        while let Some(msg) = rx.recv().await {
            self.handle(msg, &cancel).await;
        }
    }

    async fn handle(&mut self, msg: Msg, cancel: &CancellationToken) {
        match msg {
            Msg::Status(connected, message) => {
                self.hub.publish(LiveEvent::Status { connected, message });
            }
            Msg::Tick {
                current_ms,
                sector,
                valid,
                at_ms,
                conditions,
            } => {
                self.late_conditions(conditions, cancel).await;
                let lap_id = self.hub.running_lap_id();
                if let Some(lap_id) = lap_id {
                    self.hub.publish(LiveEvent::Tick {
                        lap_id,
                        current_ms,
                        sector,
                        valid,
                        at_ms,
                    });
                }
            }
            Msg::Events(events) => {
                for event in events {
                    self.event(event, cancel).await;
                }
            }
            Msg::Checkpoint(checkpoint) => self.checkpoint(&checkpoint).await,
            Msg::Stopping(events) => {
                self.stopping = true;
                for event in events {
                    self.event(event, cancel).await;
                }
            }
        }
    }

    async fn event(&mut self, event: Event, cancel: &CancellationToken) {
        match event {
            Event::SessionStarted(info) => self.session_started(info, cancel).await,
            Event::SessionEnded { id, at_ms, reason } => {
                let (store, queue) = (self.store.clone(), self.options.upload.is_some());
                self.retry("the end of a session", cancel, || async {
                    let upload = Upload::queue_if(queue, at_ms);
                    store.end_session(id, at_ms, upload).await
                })
                .await;
                self.queued();
                let reason = if self.stopping {
                    EndReason::TrackerStopped
                } else {
                    // The game ended it: nothing can carry it on.
                    self.forget_checkpoint(id).await;
                    reason
                };
                tracing::info!("session ended ({reason})");
                self.hub.publish(LiveEvent::SessionEnded {
                    session_id: id.to_string(),
                    at_ms,
                    reason,
                });
            }
            Event::LapStarted {
                id,
                number,
                at_ms,
                out_lap,
                partial,
                ..
            } => {
                self.running.clear();
                self.hub.publish(LiveEvent::LapStarted {
                    lap_id: id.to_string(),
                    number,
                    at_ms,
                    out_lap,
                    partial,
                });
            }
            Event::SectorCompleted {
                lap,
                sector,
                time_ms,
                valid,
                at_ms,
            } => {
                let i = usize::from(sector);
                if self.running.len() <= i {
                    self.running.resize(i + 1, None);
                }
                self.running[i] = time_ms;
                let delta_ms = self.reference.split_delta(&self.running[..=i]);
                self.hub.publish(LiveEvent::SectorCompleted {
                    lap_id: lap.to_string(),
                    sector,
                    time_ms,
                    valid,
                    at_ms,
                    delta_ms,
                });
            }
            Event::LapCompleted(lap) => self.lap_completed(lap, cancel).await,
            Event::LapAbandoned {
                id, reason, at_ms, ..
            } => {
                self.hub.publish(LiveEvent::LapAbandoned {
                    lap_id: id.to_string(),
                    reason,
                    at_ms,
                });
            }
        }
    }

    async fn session_started(&mut self, info: SessionInfo, cancel: &CancellationToken) {
        // Only the first session started may carry on the offered one; if it does not, the
        // offered session is over.
        let offered = self.offered.take();
        let resumed = offered == Some(info.id);
        if let Some(over) = offered.filter(|o| *o != info.id) {
            self.forget_checkpoint(over).await;
        }
        let (store, queue) = (self.store.clone(), self.options.upload.is_some());
        let stored = info.clone();
        if let Err(problem) = validate::session(&info, None, now_ms()) {
            tracing::error!("session not stored: {problem}; none of its laps will be stored");
        } else if resumed {
            self.retry("the re-opening of a session", cancel, || async {
                store
                    .reopen_session(stored.id, Upload::queue_if(queue, stored.started_at_ms))
                    .await
            })
            .await;
            self.queued();
        } else {
            self.retry("a new session", cancel, || async {
                let upload = Upload::queue_if(queue, stored.started_at_ms);
                store.upsert_session(&stored, upload).await
            })
            .await;
            self.queued();
        }
        tracing::info!(
            "session {}: {} at {} in {} (driver {})",
            if resumed {
                "carried on after a restart of the tracker"
            } else {
                "started"
            },
            names::session_type_name(info.session_type),
            names::track_name(&info.track),
            names::car_name(&info.car),
            if info.driver.is_empty() {
                "unknown"
            } else {
                &info.driver
            }
        );
        self.reference = self.load_reference(&info).await;
        self.session_best_ms = None;
        self.running.clear();
        self.hub.publish(LiveEvent::SessionStarted {
            session: SessionJson::of(&info, None),
            reference: Some(self.reference.clone()),
        });
        self.session = Some(info);
    }

    /// Stores the conditions of a session that started before the physics page was live.
    async fn late_conditions(
        &mut self,
        conditions: Option<Conditions>,
        cancel: &CancellationToken,
    ) {
        let Some(session) = self.session.as_mut().filter(|s| s.conditions.is_none()) else {
            return;
        };
        let Some(conditions) = conditions else {
            return;
        };
        session.conditions = Some(conditions);
        let id = session.id;
        let store = self.store.clone();
        self.retry("the conditions of a session", cancel, || {
            store.set_conditions(id, &conditions)
        })
        .await;
    }

    /// The driver's personal best and best sectors on the session's track and car (empty
    /// when unknown or the store cannot say).
    async fn load_reference(&self, info: &SessionInfo) -> Reference {
        let mut reference = Reference::default();
        let driver = Some(info.driver.as_str());
        match self.store.personal_bests(driver).await {
            Ok(records) => {
                if let Some(pb) = records
                    .iter()
                    .find(|r| r.track == info.track && r.car == info.car)
                {
                    reference.pb_ms = Some(pb.time_ms);
                    if let Ok(Some(session)) = self.store.session(pb.session).await {
                        reference.pb_sectors = session
                            .laps
                            .into_iter()
                            .find(|l| l.id == pb.lap)
                            .map(|l| l.sectors)
                            .unwrap_or_default();
                    }
                }
            }
            Err(e) => tracing::warn!("cannot read personal bests: {e}"),
        }
        match self
            .store
            .best_sectors(&info.track, &info.car, driver)
            .await
        {
            Ok(bests) => {
                reference.best_sectors = bests
                    .sectors
                    .iter()
                    .map(|s| s.as_ref().map(|b| b.time_ms))
                    .collect();
                reference.theoretical_best_ms = bests.theoretical_best_ms;
            }
            Err(e) => tracing::warn!("cannot read best sectors: {e}"),
        }
        reference
    }

    /// Publishes a completed lap at once (the live feed shows it without waiting for the
    /// disk), then stores it, retrying until the store has it, and only then logs it: a
    /// logged lap is a stored lap.
    async fn lap_completed(&mut self, lap: Lap, cancel: &CancellationToken) {
        if let Some(problem) = self.refusal(&lap) {
            tracing::error!("lap {} not stored: {problem}", lap.number);
            self.running.clear();
            return;
        }
        let counts = lap.counts();
        // The reference is the session's driver's: another car's lap is measured against
        // nothing (a timing source may give every car on track).
        let own = self
            .session
            .as_ref()
            .is_some_and(|s| s.driver == lap.driver && s.car == lap.car.model);
        let previous_pb = self.reference.pb_ms.filter(|_| own);
        let personal_best = own && counts && previous_pb.is_none_or(|pb| lap.time_ms < pb);
        let session_best = counts && self.session_best_ms.is_none_or(|b| lap.time_ms < b);
        let delta_ms = previous_pb.map(|pb| i64::from(lap.time_ms) - i64::from(pb));
        if session_best {
            self.session_best_ms = Some(lap.time_ms);
        }
        let json = LapJson::of(&lap);
        if counts && own {
            self.reference.add(&json, personal_best);
        }
        self.running.clear();
        self.hub.publish(LiveEvent::LapCompleted {
            lap: json,
            personal_best,
            session_best,
            delta_ms,
        });
        let (store, queue) = (self.store.clone(), self.options.upload.is_some());
        let refused = AtomicBool::new(false);
        self.retry("a completed lap", cancel, || async {
            let upload = Upload::queue_if(queue, lap.completed_at_ms);
            let written = store.upsert_lap(&lap, upload).await;
            match written {
                Err(e) if e.is_conflict() => {
                    tracing::error!("lap {} not stored: {e}", lap.number);
                    refused.store(true, Ordering::Relaxed);
                    Ok(false)
                }
                other => other,
            }
        })
        .await;
        if refused.load(Ordering::Relaxed) {
            return;
        }
        self.queued();
        let mut line = lap_line(&lap);
        if delta_ms.is_some() && counts {
            line.push_str(&format!("  ({} to PB)", delta(delta_ms)));
        }
        if personal_best {
            line.push_str("  personal best!");
        }
        tracing::info!("{line}");
    }

    /// Why the detector's `lap` must not be stored, if it must not: it or its session fails
    /// [`pitwall_core::validate`].
    fn refusal(&self, lap: &Lap) -> Option<String> {
        let info = self.session.as_ref().filter(|s| s.id == lap.session)?;
        let now = now_ms();
        match validate::session(info, None, now) {
            Err(problem) => Some(format!("its session was not stored ({problem})")),
            Ok(()) => validate::lap(info, lap, now).err().map(|p| p.to_string()),
        }
    }

    /// Tells the uploader, if any, that something was queued.
    fn queued(&self) {
        if let Some(wake) = &self.options.upload {
            wake.notify_one();
        }
    }

    /// Runs a store write until it succeeds, waiting longer after each failure (up to
    /// `max_retry_delay`). What comes after it (the next lap, the next event) waits, so
    /// writes are stored in order and the one held here is never dropped; the store rolls a
    /// failed write back, so a retry stores it once. Once `cancel` fires, gives up after a
    /// few more tries and says what was not stored.
    async fn retry<T, F, Fut>(&self, what: &str, cancel: &CancellationToken, mut write: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = pitwall_store::Result<T>>,
    {
        let mut wait = Duration::from_millis(100);
        let mut tries_after_cancel = 0;
        let mut failures = 0_u32;
        loop {
            match write().await {
                Ok(_) => {
                    if failures > 0 {
                        tracing::info!(
                            "stored {what} after {failures} failed tries: the store works again"
                        );
                    }
                    return;
                }
                Err(e) => {
                    failures += 1;
                    if cancel.is_cancelled() {
                        tries_after_cancel += 1;
                        if tries_after_cancel > 3 {
                            tracing::error!("gave up storing {what} while stopping: {e}");
                            return;
                        }
                    }
                    tracing::warn!(
                        "cannot store {what}: {e}; retrying in {:.1} s",
                        wait.as_secs_f64()
                    );
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(self.options.max_retry_delay);
                }
            }
        }
    }
}

/// The wall clock (ms since 1970), which the detector's timestamps follow.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
