//! The connections the server holds, and the rules that keep a crowd of hostile ones from
//! starving everyone else: at most `max` open at once; a connection that has started a
//! request head must finish it within the header timeout (a connection that has never sent
//! a request too, from when it was accepted); a keep-alive connection waiting for its next
//! request is closed after the idle timeout. When the cap is reached, a new connection
//! takes the place of an idle one: the oldest that has never had a request answered
//! (silent or slow-header), else the keep-alive one idle the longest, else the oldest live
//! stream. Connections answering a request are never cut.
//!
//! [`Registry::sweep`] enforces the timeouts a few times a second; each connection's task
//! ([`super::accept`]) reports what it does through its [`Conn`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// The limits the registry enforces.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Connections open at once.
    pub(crate) max: usize,
    /// Time to receive a whole request head.
    pub(crate) header_timeout: Duration,
    /// Time a keep-alive connection may wait for its next request.
    pub(crate) idle_timeout: Duration,
}

/// One connection's state, shared by its task, its requests and the registry.
#[derive(Debug)]
pub(crate) struct Conn {
    /// Requests being answered (a response body not yet fully sent counts).
    busy: AtomicU32,
    /// Milliseconds (registry clock) of the last change: accepted, a request began or ended.
    activity: AtomicU64,
    /// Milliseconds + 1 when the first byte of the next request head arrived; 0: none yet.
    head_since: AtomicU64,
    /// Whether any request has been answered on this connection.
    served: AtomicBool,
    /// The response being sent is a live stream (`text/event-stream`).
    streaming: AtomicBool,
    /// Cancelled to close the connection at once.
    pub(crate) close: CancellationToken,
}

impl Conn {
    /// Whether a request is being answered.
    pub(crate) fn is_busy(&self) -> bool {
        self.busy.load(Ordering::Acquire) > 0
    }

    /// Notes that bytes of a request head arrived at `now_ms`.
    pub(crate) fn head_bytes(&self, clock: &Clock) {
        if !self.is_busy() && self.head_since.load(Ordering::Relaxed) == 0 {
            self.head_since.store(clock.now_ms() + 1, Ordering::Relaxed);
        }
    }

    /// A request began; the returned guard ends it when dropped (with the response body).
    pub(crate) fn begin(self: &Arc<Self>, clock: &Clock) -> Busy {
        self.busy.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(0, Ordering::Relaxed);
        self.activity.store(clock.now_ms(), Ordering::Relaxed);
        Busy {
            conn: self.clone(),
            clock: *clock,
        }
    }

    /// The response being sent is a live stream.
    pub(crate) fn mark_streaming(&self) {
        self.streaming.store(true, Ordering::Relaxed);
    }
}

/// A request being answered; dropping it (with the response body) ends it.
#[derive(Debug)]
pub(crate) struct Busy {
    conn: Arc<Conn>,
    clock: Clock,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn
            .activity
            .store(self.clock.now_ms(), Ordering::Relaxed);
        self.conn.served.store(true, Ordering::Relaxed);
        self.conn.streaming.store(false, Ordering::Relaxed);
        self.conn.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Milliseconds since the registry was made.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock(Instant);

impl Clock {
    pub(crate) fn now_ms(&self) -> u64 {
        u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// Every open connection.
#[derive(Debug)]
pub(crate) struct Registry {
    limits: Limits,
    clock: Clock,
    inner: Mutex<Inner>,
    /// Notified whenever a connection leaves and none are left.
    emptied: Notify,
    /// When a warning about the cap or descriptors was last logged (ms + 1; 0: never).
    warned_at: AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    conns: HashMap<u64, Arc<Conn>>,
}

/// What [`Registry::admit`] decided.
pub(crate) enum Admission {
    /// The connection may be served; `id` leaves with [`Registry::leave`].
    Admitted { id: u64, conn: Arc<Conn> },
    /// The cap is reached and every connection is answering a request.
    Full,
}

impl Registry {
    /// An empty registry enforcing `limits`.
    pub(crate) fn new(limits: Limits) -> Self {
        Registry {
            limits,
            clock: Clock(Instant::now()),
            inner: Mutex::new(Inner::default()),
            emptied: Notify::new(),
            warned_at: AtomicU64::new(0),
        }
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Open connections.
    pub(crate) fn len(&self) -> usize {
        self.lock().conns.len()
    }

    /// Takes a new connection, shedding the longest-idle one when the cap is reached.
    pub(crate) fn admit(&self) -> Admission {
        let mut inner = self.lock();
        if inner.conns.len() >= self.limits.max && !shed(&mut inner) {
            return Admission::Full;
        }
        let id = inner.next_id;
        inner.next_id += 1;
        let conn = Arc::new(Conn {
            busy: AtomicU32::new(0),
            activity: AtomicU64::new(self.clock.now_ms()),
            head_since: AtomicU64::new(0),
            served: AtomicBool::new(false),
            streaming: AtomicBool::new(false),
            close: CancellationToken::new(),
        });
        inner.conns.insert(id, conn.clone());
        Admission::Admitted { id, conn }
    }

    /// Closes the longest-idle connection (or the oldest live stream); false if every
    /// connection is answering a request.
    pub(crate) fn shed_one(&self) -> bool {
        shed(&mut self.lock())
    }

    /// The connection `id` has closed.
    pub(crate) fn leave(&self, id: u64) {
        let mut inner = self.lock();
        inner.conns.remove(&id);
        if inner.conns.is_empty() {
            self.emptied.notify_waiters();
        }
    }

    /// Closes at once every connection not answering a request (at shutdown).
    pub(crate) fn close_idle(&self) {
        let mut inner = self.lock();
        inner.conns.retain(|_, conn| {
            let keep = conn.is_busy();
            if !keep {
                conn.close.cancel();
            }
            keep
        });
        if inner.conns.is_empty() {
            self.emptied.notify_waiters();
        }
    }

    /// Waits until no connection is left.
    pub(crate) async fn emptied(&self) {
        loop {
            let notified = self.emptied.notified();
            if self.len() == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Closes connections past their header or idle timeout; returns how many.
    pub(crate) fn sweep(&self) -> usize {
        let now = self.clock.now_ms();
        let header = millis(self.limits.header_timeout);
        let idle = millis(self.limits.idle_timeout);
        let mut closed = 0;
        let mut inner = self.lock();
        inner.conns.retain(|_, conn| {
            if conn.is_busy() {
                return true;
            }
            let head_since = conn.head_since.load(Ordering::Relaxed);
            let since_activity = now.saturating_sub(conn.activity.load(Ordering::Relaxed));
            let expired = if head_since != 0 {
                now.saturating_sub(head_since - 1) >= header
            } else if conn.served.load(Ordering::Relaxed) {
                since_activity >= idle
            } else {
                // Never sent a request: it has had the header timeout since it was accepted.
                since_activity >= header
            };
            if expired {
                conn.close.cancel();
                closed += 1;
            }
            !expired
        });
        if inner.conns.is_empty() {
            self.emptied.notify_waiters();
        }
        closed
    }

    /// How often [`Registry::sweep`] should run: a tenth of the shorter timeout, within
    /// 10 ms and 1 s.
    pub(crate) fn sweep_every(&self) -> Duration {
        (self.limits.header_timeout.min(self.limits.idle_timeout) / 10)
            .clamp(Duration::from_millis(10), Duration::from_secs(1))
    }

    /// Whether a warning may be logged now (at most one every 10 s).
    pub(crate) fn may_warn(&self) -> bool {
        let now = self.clock.now_ms() + 1;
        let last = self.warned_at.load(Ordering::Relaxed);
        (last == 0 || now.saturating_sub(last) >= 10_000)
            && self
                .warned_at
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }
}

/// Removes and closes, oldest first: a connection that has not had a request answered yet
/// (silent, or still sending its first headers), else a keep-alive connection waiting for
/// its next request, else the live stream open the longest; false when every connection
/// is answering an ordinary request. Clients that made a request recently are thus the
/// last to go, even when the server is too busy to read their next request at once.
fn shed(inner: &mut Inner) -> bool {
    let mut unserved: Option<(u64, u64)> = None;
    let mut idle: Option<(u64, u64)> = None;
    let mut stream: Option<(u64, u64)> = None;
    for (&id, conn) in &inner.conns {
        let at = conn.activity.load(Ordering::Relaxed);
        let slot = if conn.is_busy() {
            if !conn.streaming.load(Ordering::Relaxed) {
                continue;
            }
            &mut stream
        } else if conn.served.load(Ordering::Relaxed) {
            &mut idle
        } else {
            &mut unserved
        };
        if slot.is_none_or(|(_, oldest)| at < oldest) {
            *slot = Some((id, at));
        }
    }
    match unserved.or(idle).or(stream) {
        Some((id, _)) => {
            if let Some(conn) = inner.conns.remove(&id) {
                conn.close.cancel();
            }
            true
        }
        None => false,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(max: usize) -> Registry {
        Registry::new(Limits {
            max,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        })
    }

    fn admitted(registry: &Registry) -> Arc<Conn> {
        match registry.admit() {
            Admission::Admitted { conn, .. } => conn,
            Admission::Full => panic!("refused"),
        }
    }

    #[test]
    fn at_the_cap_the_longest_idle_is_shed_and_busy_ones_never() {
        let registry = registry(2);
        let first = admitted(&registry);
        std::thread::sleep(Duration::from_millis(5));
        let second = admitted(&registry);
        let _busy = second.begin(registry.clock());
        let third = admitted(&registry);
        assert!(first.close.is_cancelled(), "the idle one makes room");
        assert!(!second.close.is_cancelled());
        assert_eq!(registry.len(), 2);
        let _busy_too = third.begin(registry.clock());
        assert!(matches!(registry.admit(), Admission::Full));
    }

    #[test]
    fn connections_never_answered_go_before_waiting_keep_alive_ones() {
        let registry = registry(2);
        let client = admitted(&registry);
        drop(client.begin(registry.clock()));
        std::thread::sleep(Duration::from_millis(5));
        let silent = admitted(&registry);
        let _newer = admitted(&registry);
        assert!(
            silent.close.is_cancelled(),
            "the never-answered one goes first"
        );
        assert!(
            !client.close.is_cancelled(),
            "though the client's was idle longer"
        );
    }

    #[test]
    fn a_live_stream_is_shed_before_a_new_connection_is_refused() {
        let registry = registry(1);
        let streaming = admitted(&registry);
        let _busy = streaming.begin(registry.clock());
        streaming.mark_streaming();
        let _next = admitted(&registry);
        assert!(streaming.close.is_cancelled());
    }
}
