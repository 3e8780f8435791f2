//! The live feed: a task that follows `GET /api/live` of a running `pitwall run` and passes
//! every [`LiveEvent`] on, reconnecting with backoff when the server is not there or goes
//! away. It reports its own state too ([`FeedMsg`]), so the screen can say "no pitwall run at
//! …" and keep showing history.
//!
//! `http://` and `https://` (see `crate::http`).

use std::time::Duration;

use pitwall_live::LiveEvent;
use tokio::sync::mpsc;

use crate::error::TuiError;
use crate::http::{self, Target};
use crate::sse::{SseMessage, SseParser, live_event};

/// The path of the live feed on a pitwall server.
pub const LIVE_PATH: &str = "/api/live";

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The server sends a keep-alive every 15 s: after this long without a byte the connection is
/// taken as dead and made again.
const SILENCE: Duration = Duration::from_secs(40);

/// What the feed reports.
#[derive(Clone, Debug, PartialEq)]
pub enum FeedMsg {
    /// Connected; events follow (a `snapshot` first).
    Connected,
    /// An event.
    Event(Box<LiveEvent>),
    /// Not connected (never was, or the connection ended); trying again after `retry_in`.
    Down {
        /// What went wrong, in words.
        reason: String,
        /// When the next attempt is made.
        retry_in: Duration,
    },
}

/// The waits between attempts: doubling from 250 ms up to 5 s, back to the start after a
/// connection that worked.
#[derive(Clone, Debug)]
pub struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(250);
    const MAX: Duration = Duration::from_secs(5);

    /// A backoff at its first (shortest) wait.
    pub fn new() -> Self {
        Backoff { next: Self::FIRST }
    }

    /// The wait before the next attempt; each call doubles the one after, up to 5 s.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(Self::MAX);
        wait
    }

    /// Starts again from the shortest wait.
    pub fn reset(&mut self) {
        self.next = Self::FIRST;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

/// The feed URL of a pitwall at `base` (`http://HOST:PORT` or `https://…`, with or without a
/// path prefix).
pub fn feed_url(base: &str) -> Result<String, TuiError> {
    if Target::parse(base).is_none() {
        return Err(TuiError::LiveUrl {
            url: base.to_owned(),
        });
    }
    Ok(format!("{}{LIVE_PATH}", base.trim_end_matches('/')))
}

/// Follows the feed at `url` (from [`feed_url`]) and sends what happens to `tx`, until `tx`
/// is closed.
pub async fn follow(url: String, tx: mpsc::Sender<FeedMsg>) {
    let Some(target) = Target::parse(&url) else {
        let reason = format!("{url} is not an http:// or https:// URL");
        let _closed = tx
            .send(FeedMsg::Down {
                reason,
                retry_in: Duration::MAX,
            })
            .await;
        return;
    };
    let mut backoff = Backoff::new();
    loop {
        let reason = match connect(&target, &url, &tx, &mut backoff).await {
            Ok(reason) => reason,
            Err(Closed) => return,
        };
        let retry_in = backoff.next_wait();
        if tx.send(FeedMsg::Down { reason, retry_in }).await.is_err() {
            return;
        }
        tokio::time::sleep(retry_in).await;
    }
}

/// The receiver is gone: stop.
struct Closed;

/// One connection: reads until it ends; returns why it ended.
async fn connect(
    target: &Target,
    url: &str,
    tx: &mpsc::Sender<FeedMsg>,
    backoff: &mut Backoff,
) -> Result<String, Closed> {
    let mut response = match http::get(target, "text/event-stream", CONNECT_TIMEOUT).await {
        Ok(r) if r.status.is_success() => r,
        Ok(r) => return Ok(format!("{url} answered {}", r.status)),
        Err(e @ http::HttpError::Unreachable(_)) => return Ok(e.to_string()),
        Err(e) => return Ok(error_chain(&e)),
    };
    send(tx, FeedMsg::Connected).await?;
    backoff.reset();
    let mut parser = SseParser::new();
    let mut messages: Vec<SseMessage> = Vec::new();
    loop {
        let chunk = match tokio::time::timeout(SILENCE, response.chunk()).await {
            Err(_) => return Ok(format!("no data for {} s", SILENCE.as_secs())),
            Ok(None) => return Ok("the connection was closed".to_owned()),
            Ok(Some(Err(e))) => return Ok(error_chain(&e)),
            Ok(Some(Ok(chunk))) => chunk,
        };
        parser.push(&chunk, &mut messages);
        for message in messages.drain(..) {
            match live_event(&message) {
                Some(Ok(event)) => send(tx, FeedMsg::Event(Box::new(event))).await?,
                Some(Err(e)) => {
                    tracing::debug!("skipping a live event this version cannot read: {e}")
                }
                None => {}
            }
        }
    }
}

async fn send(tx: &mpsc::Sender<FeedMsg>, msg: FeedMsg) -> Result<(), Closed> {
    tx.send(msg).await.map_err(|_| Closed)
}

/// An error with its causes, `: `-separated.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_five_seconds_and_resets() {
        let mut b = Backoff::new();
        let waits: Vec<u64> = (0..7).map(|_| b.next_wait().as_millis() as u64).collect();
        assert_eq!(waits, [250, 500, 1000, 2000, 4000, 5000, 5000]);
        b.reset();
        assert_eq!(b.next_wait(), Duration::from_millis(250));
    }

    #[test]
    fn feed_urls_are_plain_http() {
        assert_eq!(
            feed_url("http://127.0.0.1:8080").ok(),
            Some("http://127.0.0.1:8080/api/live".to_owned())
        );
        assert_eq!(
            feed_url("http://box:9000/pitwall/").ok(),
            Some("http://box:9000/pitwall/api/live".to_owned())
        );
        assert_eq!(
            feed_url("https://box").ok(),
            Some("https://box/api/live".to_owned())
        );
        assert!(feed_url("ftp://box").is_err());
        assert!(feed_url("127.0.0.1:8080").is_err());
        assert!(feed_url("http://").is_err());
    }
}
