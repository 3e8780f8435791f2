//! Upload to a hosted pitwall server (`pitwall run --upload URL --token TOKEN`): the
//! collector queues every stored session and lap in the store's outbox, in the same
//! transaction; the uploader sends them to `POST URL/api/ingest` and removes what the server
//! acknowledged: a 2xx whose body is ingest's outcome for all the laps sent (ingest answers
//! only once its transaction committed; any other 2xx keeps them queued). The server stores
//! each lap once by its id, so a resend after a lost answer or a restart of either side
//! changes nothing there.
//!
//! Failures: a network error, 429 or 5xx is retried with backoff (1 s doubling to a minute);
//! 401/403 (a wrong or revoked token, a session of another driver than the token's) is
//! retried slowly with an error that gives the server's reason (for a 403, both drivers) and
//! says what to do; every failure's reason is kept with the outbox items (`pitwall status`);
//! a 400 for one session (the server refused its data) is logged and that item dropped from
//! the outbox — the lap stays in the local store — so one bad lap never blocks the rest.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use pitwall_core::model::SessionId;
use pitwall_live::FullSessionJson;
use pitwall_store::{AnyStore, Outbox as _, PendingUpload, Reads as _, SessionWithLaps};
use serde_json::Value;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Where and how to upload. Its `Debug` shows neither the token nor a password in the URL.
#[derive(Clone)]
pub struct UploadOptions {
    /// The server's base URL (`https://laps.example.org`).
    pub url: String,
    /// The bearer token (`pitwall token create` on the server).
    pub token: String,
    /// The longest wait between retries.
    pub max_delay: Duration,
}

impl std::fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadOptions")
            .field("url", &pitwall_store::redact_url(&self.url))
            .field("token", &"***")
            .field("max_delay", &self.max_delay)
            .finish()
    }
}

/// Why a round of uploads stopped early.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The server could not be reached or failed; worth retrying soon.
    #[error("the server at {url} is unreachable or failing ({detail}); retrying")]
    Unavailable {
        /// The server.
        url: String,
        /// What happened.
        detail: String,
    },
    /// The token was refused (401), or may not upload this session (403).
    #[error("the server at {url} refused the upload ({status}): {reason}; {hint}")]
    Refused {
        /// The server.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Why, as the server said it (for a 403, the token's driver and the session's).
        reason: String,
        /// What to do.
        hint: &'static str,
    },
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] pitwall_store::StoreError),
}

/// Sends the outbox to a server until cancelled.
#[derive(Debug)]
pub struct Uploader {
    store: AnyStore,
    client: reqwest::Client,
    endpoint: String,
    options: UploadOptions,
    wake: Arc<Notify>,
}

impl Uploader {
    /// An uploader of `store`'s outbox; `wake` is notified when something was queued.
    pub fn new(store: AnyStore, options: UploadOptions, wake: Arc<Notify>) -> Self {
        let endpoint = format!("{}/api/ingest", options.url.trim_end_matches('/'));
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("pitwall/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Uploader {
            store,
            client,
            endpoint,
            options,
            wake,
        }
    }

    /// Uploads what is queued, then waits for more (or for the next retry), until `cancel`.
    pub async fn run(self, cancel: CancellationToken) {
        let first = Duration::from_secs(1);
        let mut delay = first;
        loop {
            let wait = match self.drain().await {
                Ok(()) => {
                    delay = first;
                    None
                }
                Err(e) => {
                    tracing::warn!("upload: {e}");
                    let wait = match e {
                        UploadError::Refused { .. } => self.options.max_delay,
                        _ => delay,
                    };
                    delay = (delay * 2).min(self.options.max_delay);
                    Some(wait)
                }
            };
            let wake = self.wake.notified();
            tokio::select! {
                () = cancel.cancelled() => return,
                () = wake, if wait.is_none() => {}
                () = tokio::time::sleep(wait.unwrap_or_default()), if wait.is_some() => {}
            }
        }
    }

    /// Sends every queued item, session by session, oldest first.
    pub async fn drain(&self) -> Result<(), UploadError> {
        loop {
            let pending = self.store.pending_uploads(500).await?;
            if pending.is_empty() {
                return Ok(());
            }
            let mut by_session: BTreeMap<SessionId, Vec<PendingUpload>> = BTreeMap::new();
            for item in pending {
                by_session.entry(item.session).or_default().push(item);
            }
            for (id, items) in by_session {
                self.send(id, &items).await?;
            }
        }
    }

    /// Sends one session with its queued laps.
    async fn send(&self, id: SessionId, items: &[PendingUpload]) -> Result<(), UploadError> {
        let Some(mut session) = self.store.session(id).await? else {
            tracing::warn!("upload: session {id} is queued but not stored; dropping it");
            self.store.finish_uploads(items, true).await?;
            return Ok(());
        };
        session
            .laps
            .retain(|lap| items.iter().any(|i| i.lap == Some(lap.id)));
        let unavailable = |detail: String| UploadError::Unavailable {
            url: self.options.url.clone(),
            detail,
        };
        let response = self
            .client
            .post(&self.endpoint)
            .bearer_auth(&self.options.token)
            .json(&body(&session))
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()));
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                self.store
                    .fail_uploads(items, &e.to_string(), now_ms())
                    .await?;
                return Err(e);
            }
        };
        let status = response.status();
        let text = response.text().await;
        if status.is_success() {
            // Removed from the outbox only on the server's word that it stored them all.
            let verdict = match &text {
                Ok(answer) => acknowledges(answer, session.laps.len()),
                Err(e) => Err(format!("its answer was lost ({e})")),
            };
            if let Err(why) = verdict {
                self.store.finish_uploads(items, false).await?;
                return Err(unavailable(format!(
                    "{status}, but {why}; the laps stay queued: is --upload the address of \
                     a pitwall server?"
                )));
            }
            self.store.finish_uploads(items, true).await?;
            tracing::debug!("uploaded session {id} with {} laps", session.laps.len());
            return Ok(());
        }
        let text = text.unwrap_or_default();
        let reason = server_reason(&text, status);
        self.store
            .fail_uploads(items, &format!("{}: {reason}", status.as_u16()), now_ms())
            .await?;
        match status.as_u16() {
            401 => Err(UploadError::Refused {
                url: self.options.url.clone(),
                status: 401,
                reason,
                hint: "check --token / PITWALL_UPLOAD_TOKEN (create one on the server with \
                       `pitwall token create --driver NAME`)",
            }),
            403 => Err(UploadError::Refused {
                url: self.options.url.clone(),
                status: 403,
                reason: format!("session {id}: {reason}"),
                hint: "upload with a token of the session's driver (`pitwall token create \
                       --driver NAME` on the server), or drive under the token's name in the game",
            }),
            400 | 409 | 413 | 415 | 422 => {
                tracing::error!(
                    "upload: the server refused session {id} ({status}): {text}; \
                     its laps stay in the local store and are not sent again"
                );
                self.store.finish_uploads(items, true).await?;
                Ok(())
            }
            _ => Err(unavailable(format!("{status}: {text}"))),
        }
    }
}

/// Whether an ingest answer says the server stored all `sent` laps of the upload: the
/// outcome ingest answers once its transaction committed (`laps_received`, `laps_new`),
/// not just any 2xx (a proxy's page, another site at the configured address).
fn acknowledges(answer: &str, sent: usize) -> Result<(), String> {
    let not_ingest = || "its answer is not an ingest result".to_string();
    let value: Value = serde_json::from_str(answer).map_err(|_| not_ingest())?;
    let received = value.get("laps_received").and_then(Value::as_u64);
    if value.get("laps_new").and_then(Value::as_u64).is_none() {
        return Err(not_ingest());
    }
    match received {
        Some(n) if usize::try_from(n) == Ok(sent) => Ok(()),
        Some(n) => Err(format!("it says it received {n} of the {sent} laps sent")),
        None => Err(not_ingest()),
    }
}

/// What the server said about a refusal: the message of its JSON error, else its body (cut
/// short), else the status's name.
fn server_reason(body: &str, status: reqwest::StatusCode) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let message = parsed
        .as_ref()
        .and_then(|v| v.pointer("/error/message"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let text = message.unwrap_or_else(|| body.trim().chars().take(300).collect());
    if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("no reason given")
            .to_owned()
    } else {
        text
    }
}

/// The wall clock in ms since the Unix epoch.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The ingest body: the session's fields, its end and its laps beside it.
fn body(session: &SessionWithLaps) -> Value {
    let mut value = serde_json::to_value(FullSessionJson::from(session)).unwrap_or(Value::Null);
    let (ended, laps) = match value.as_object_mut() {
        Some(fields) => (
            fields.remove("ended_at_ms").unwrap_or(Value::Null),
            fields.remove("laps").unwrap_or(Value::Array(Vec::new())),
        ),
        None => (Value::Null, Value::Array(Vec::new())),
    };
    serde_json::json!({ "session": value, "ended_at_ms": ended, "laps": laps })
}

#[cfg(test)]
mod redaction_tests {
    use super::*;

    #[test]
    fn debug_of_the_options_shows_no_secret() {
        let options = UploadOptions {
            url: "https://me:hunter2@laps.example.org".into(),
            token: "pw_0123456789abcdef".into(),
            max_delay: Duration::from_secs(60),
        };
        let text = format!("{options:?}");
        assert!(!text.contains("pw_0123456789abcdef"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("laps.example.org"), "{text}");
    }
}
