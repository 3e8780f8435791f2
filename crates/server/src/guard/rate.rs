//! Per-client rate limits: each client address has a bucket of `per_minute` requests that
//! refills continuously (`per_minute` a minute); a request finding it empty gets 429 with
//! `Retry-After`. The client is the connection's peer address, or with `trust_proxy` the
//! first `X-Forwarded-For` entry (what a reverse proxy in front reports). Limit 0 turns
//! limiting off (the layer is then not installed at all).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::error::ApiError;

/// Buckets kept before idle ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The limiter shared by every request.
#[derive(Debug)]
pub(crate) struct Limiter {
    per_minute: u32,
    trust_proxy: bool,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    /// A limiter of `per_minute` requests per client (must be above 0).
    pub(crate) fn new(per_minute: u32, trust_proxy: bool) -> Self {
        Limiter {
            per_minute: per_minute.max(1),
            trust_proxy,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request of `client` at `now`: `Err(wait)` when its bucket is empty.
    pub(crate) fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            // A bucket idle for a minute is full again: forgetting it changes nothing.
            buckets.retain(|_, b| now.duration_since(b.at) < Duration::from_secs(60));
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            Err(Duration::try_from_secs_f64(wait).unwrap_or(Duration::from_secs(60)))
        }
    }

    /// Who sent `request`.
    fn client(&self, request: &Request) -> IpAddr {
        if self.trust_proxy
            && let Some(ip) = forwarded_for(request)
        {
            return ip;
        }
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
    }
}

/// The first `X-Forwarded-For` entry, if it is an address (`1.2.3.4`, `::1`, `[::1]:80`).
fn forwarded_for(request: &Request) -> Option<IpAddr> {
    let value = request.headers().get("x-forwarded-for")?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    first
        .parse::<IpAddr>()
        .ok()
        .or_else(|| first.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// Answers 429 to a client over its limit, otherwise passes the request on.
pub(crate) async fn limit(
    State(limiter): State<Arc<Limiter>>,
    request: Request,
    next: Next,
) -> Response {
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
        let limiter = Limiter::new(60, false);
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
    fn the_first_forwarded_address_is_the_client() {
        let request = Request::builder()
            .header("x-forwarded-for", " 203.0.113.9 , 10.0.0.1")
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(
            Limiter::new(1, true).client(&request),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            Limiter::new(1, false).client(&request),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }
}
