//! Serialized answers kept until the store changes: `GET /api/sessions` is the page every
//! client of the original tracker polls, and building it reads every lap of 20 sessions.
//! An entry is keyed by the request's parameters and remembers the store's change count
//! ([`Reads::changes`](pitwall_store::Reads::changes)) read *before* the store was queried,
//! so a write that commits while the answer is being built makes the entry stale at once:
//! a new lap shows on the very next request. Entries also expire after `max_age`, which
//! bounds how late writes by other processes sharing the database show.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;

/// Entries kept; more distinct parameters than this empty the cache.
const MAX_ENTRIES: usize = 64;

/// The parameters an answer depends on.
pub(crate) type Key = (u32, u32);

/// The cache; see the module docs.
#[derive(Debug)]
pub(crate) struct BodyCache {
    max_age: Duration,
    entries: RwLock<HashMap<Key, Entry>>,
    /// Held while an answer is built, so a burst of requests after a write builds it once.
    pub(crate) filling: tokio::sync::Mutex<()>,
}

/// What [`BodyCache::lookup`] found.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// An answer to send.
    Fresh(Bytes),
    /// An answer built before any write this process made since, but older than the
    /// maximum age: it misses only writes by other processes. Sent while another request
    /// rebuilds it, so requests do not queue behind each periodic rebuild.
    Old(Bytes),
    /// Nothing usable: the store changed, or nothing was built yet.
    Missing,
}

#[derive(Clone, Debug)]
struct Entry {
    changes: u64,
    built: Instant,
    body: Bytes,
}

impl BodyCache {
    /// A cache whose entries live at most `max_age_ms` (0: a cache that keeps nothing).
    pub(crate) fn new(max_age_ms: u64) -> Self {
        BodyCache {
            max_age: Duration::from_millis(max_age_ms),
            entries: RwLock::new(HashMap::new()),
            filling: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether the cache keeps anything.
    pub(crate) fn enabled(&self) -> bool {
        !self.max_age.is_zero()
    }

    /// The answer for `key`, if built at store change count `changes` and young enough.
    pub(crate) fn get(&self, key: Key, changes: u64, now: Instant) -> Option<Bytes> {
        match self.lookup(key, changes, now) {
            Lookup::Fresh(body) => Some(body),
            Lookup::Old(_) | Lookup::Missing => None,
        }
    }

    /// What the cache holds for `key` at store change count `changes`.
    pub(crate) fn lookup(&self, key: Key, changes: u64, now: Instant) -> Lookup {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        match entries.get(&key) {
            Some(e) if e.changes == changes && now.duration_since(e.built) < self.max_age => {
                Lookup::Fresh(e.body.clone())
            }
            Some(e) if e.changes == changes => Lookup::Old(e.body.clone()),
            _ => Lookup::Missing,
        }
    }

    /// Keeps `body`, built from the store at change count `changes`, started at `built`.
    pub(crate) fn put(&self, key: Key, changes: u64, built: Instant, body: Bytes) {
        if !self.enabled() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                changes,
                built,
                body,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_stale_after_a_write_or_their_age() {
        let cache = BodyCache::new(1_000);
        let t0 = Instant::now();
        cache.put((20, 0), 7, t0, Bytes::from_static(b"a"));
        assert_eq!(cache.get((20, 0), 7, t0).as_deref(), Some(&b"a"[..]));
        assert_eq!(cache.get((20, 0), 8, t0), None, "the store changed");
        assert_eq!(cache.get((10, 0), 7, t0), None, "other parameters");
        assert_eq!(
            cache.get((20, 0), 7, t0 + Duration::from_secs(1)),
            None,
            "too old"
        );
        let later = t0 + Duration::from_secs(1);
        assert!(
            matches!(cache.lookup((20, 0), 7, later), Lookup::Old(_)),
            "only too old"
        );
        assert!(
            matches!(cache.lookup((20, 0), 8, later), Lookup::Missing),
            "changed"
        );
        let off = BodyCache::new(0);
        off.put((20, 0), 7, t0, Bytes::from_static(b"a"));
        assert_eq!(off.get((20, 0), 7, t0), None);
    }
}
