//! Per-client rate limits: each client has a bucket of `per_minute` requests that refills
//! continuously (`per_minute` a minute); a request finding it empty gets 429 with
//! `Retry-After`. The client is the connection's peer address, or with `--trust-proxy` the
//! address the proxies in front report ([`TrustProxy`]); IPv6 clients are counted per /64
//! network (what one subscriber usually holds). The dashboard's own files (`/assets/…`) are
//! not counted. Limit 0 turns limiting off (the layer is then not installed at all).
//!
//! The buckets live in a table of fixed capacity, so a flood of distinct (or spoofed)
//! addresses cannot grow memory or slow anyone down: an address hashes (with a key random
//! per process) to one set of [`WAYS`] slots inside one of [`SHARDS`] separately locked
//! shards; a new address takes a free slot of its set, or the one seen the longest ago,
//! which then starts again with a full bucket. Every request costs one hash, one shard lock
//! and a look at [`WAYS`] slots, however many addresses there are.

use std::hash::BuildHasher as _;
use std::hash::RandomState;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::proxy::{TrustProxy, canonical};
use crate::api::error::ApiError;

/// Slots of one set: an address can only live in its own set.
const WAYS: usize = 8;
/// Separately locked parts of the table.
const SHARDS: usize = 64;
/// Buckets the server keeps (48 bytes each: 3 MB).
pub(crate) const DEFAULT_CAPACITY: usize = 65_536;

/// The limiter shared by every request.
#[derive(Debug)]
pub(crate) struct Limiter {
    per_minute: u32,
    trust_proxy: TrustProxy,
    hasher: RandomState,
    sets_per_shard: usize,
    shards: Box<[Mutex<Shard>]>,
    started: Instant,
}

/// One lock's part of the table.
#[derive(Debug)]
struct Shard {
    /// Counts the shard's requests: the order in which slots were last used.
    uses: u64,
    slots: Box<[Slot]>,
}

/// One bucket; `key` 0 is an empty slot (keys are never 0, see [`key`]).
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u128,
    tokens: f64,
    /// When last refilled, in ms since the limiter started.
    at_ms: u64,
    /// The shard's use count when last used (0: never).
    used: u64,
}

impl Limiter {
    /// A limiter of `per_minute` requests per client (must be above 0) holding at most
    /// `capacity` clients (rounded up to a whole number of sets in every shard).
    pub(crate) fn new(per_minute: u32, trust_proxy: TrustProxy, capacity: usize) -> Self {
        let sets_per_shard = capacity.div_ceil(SHARDS * WAYS).max(1);
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Shard {
                    uses: 0,
                    slots: vec![Slot::default(); sets_per_shard * WAYS].into_boxed_slice(),
                })
            })
            .collect();
        Limiter {
            per_minute: per_minute.max(1),
            trust_proxy,
            hasher: RandomState::new(),
            sets_per_shard,
            shards,
            started: Instant::now(),
        }
    }

    /// Buckets the table can hold.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        SHARDS * self.sets_per_shard * WAYS
    }

    /// Buckets in use.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                let shard = s.lock().unwrap_or_else(PoisonError::into_inner);
                shard.slots.iter().filter(|slot| slot.key != 0).count()
            })
            .sum()
    }

    /// Takes one request of `client` at `now`: `Err(wait)` when its bucket is empty.
    pub(crate) fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_ms = capacity / 60_000.0;
        let now_ms = u64::try_from(now.saturating_duration_since(self.started).as_millis())
            .unwrap_or(u64::MAX);
        let key = key(client);
        let hash = self.hasher.hash_one(key);
        let shard = (hash % SHARDS as u64) as usize;
        let set = ((hash / SHARDS as u64) % self.sets_per_shard as u64) as usize;
        let mut shard = self.shards[shard]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shard.uses += 1;
        let uses = shard.uses;
        let ways = &mut shard.slots[set * WAYS..(set + 1) * WAYS];
        let index = match ways.iter().position(|s| s.key == key) {
            Some(i) => i,
            None => {
                // A free slot (used 0), or the one used the longest ago (a bucket unseen
                // for a minute is full again: forgetting it changes nothing).
                let i = ways
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, s)| s.used)
                    .map_or(0, |(i, _)| i);
                ways[i] = Slot {
                    key,
                    tokens: capacity,
                    at_ms: now_ms,
                    used: uses,
                };
                i
            }
        };
        let bucket = &mut ways[index];
        bucket.used = uses;
        let refill = now_ms.saturating_sub(bucket.at_ms) as f64 * per_ms;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at_ms = bucket.at_ms.max(now_ms);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait_ms = (1.0 - bucket.tokens) / per_ms;
            Err(Duration::try_from_secs_f64(wait_ms / 1000.0).unwrap_or(Duration::from_secs(60)))
        }
    }

    /// Who sent `request`.
    fn client(&self, request: &Request) -> IpAddr {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        self.trust_proxy.client(canonical(peer), forwarded)
    }
}

/// The table key of a client: IPv4 addresses as themselves (tagged so none is 0), IPv6
/// addresses by their /64 network.
fn key(client: IpAddr) -> u128 {
    match canonical(client) {
        IpAddr::V4(v4) => (1 << 64) | u128::from(u32::from(v4)),
        IpAddr::V6(v6) => (u128::from(v6) & !u128::from(u64::MAX)) | 2,
    }
}

/// Whether `path` is one of the dashboard's own files, never counted.
fn is_asset(path: &str) -> bool {
    path.starts_with("/assets/")
}

/// Answers 429 to a client over its limit, otherwise passes the request on.
pub(crate) async fn limit(
    State(limiter): State<Arc<Limiter>>,
    request: Request,
    next: Next,
) -> Response {
    if is_asset(request.uri().path()) {
        return next.run(request).await;
    }
    let client = limiter.client(&request);
    match limiter.take(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::rate_limited(seconds.max(1)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_and_refills_at_the_rate() {
        let limiter = Limiter::new(60, TrustProxy::Off, DEFAULT_CAPACITY);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..60 {
            limiter.take(ip, t0).unwrap();
        }
        let wait = limiter.take(ip, t0).unwrap_err();
        assert!((0.99..=1.01).contains(&wait.as_secs_f64()), "{wait:?}");
        limiter.take(other, t0).unwrap();
        limiter.take(ip, t0 + Duration::from_secs(1)).unwrap();
        assert!(limiter.take(ip, t0 + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn the_table_holds_at_most_its_capacity_of_buckets() {
        let limiter = Limiter::new(100, TrustProxy::Off, DEFAULT_CAPACITY);
        assert_eq!(limiter.capacity(), DEFAULT_CAPACITY);
        let t0 = Instant::now();
        for i in 0..100_000u32 {
            let ip = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            limiter.take(ip, t0).unwrap();
        }
        let held = limiter.len();
        assert!(held <= DEFAULT_CAPACITY, "{held} buckets");
        assert!(held > DEFAULT_CAPACITY / 2, "the table is used: {held}");
        // A client seen all along keeps its (emptied) bucket through the flood.
        let small = Limiter::new(2, TrustProxy::Off, 1024);
        let steady: IpAddr = "192.0.2.1".parse().unwrap();
        small.take(steady, t0).unwrap();
        small.take(steady, t0).unwrap();
        for i in 0..100_000u32 {
            let t = t0 + Duration::from_millis(u64::from(i / 1000));
            small
                .take(IpAddr::V4(Ipv4Addr::from(0x0b00_0000 + i)), t)
                .unwrap();
            if i % 100 == 0 {
                assert!(small.take(steady, t).is_err(), "flooded out at {i}");
            }
        }
        assert!(small.len() <= small.capacity());
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let limiter = Limiter::new(1, TrustProxy::Off, 1024);
        let t0 = Instant::now();
        limiter
            .take("2001:db8:1:2::1".parse().unwrap(), t0)
            .unwrap();
        assert!(
            limiter
                .take("2001:db8:1:2::ffff".parse().unwrap(), t0)
                .is_err()
        );
        limiter
            .take("2001:db8:1:3::1".parse().unwrap(), t0)
            .unwrap();
        assert!(limiter.take("::ffff:10.0.0.1".parse().unwrap(), t0).is_ok());
        assert!(limiter.take("10.0.0.1".parse().unwrap(), t0).is_err());
    }
}
