//! `GET /api/live` as Server-Sent Events: a `snapshot` of the current state first, then every
//! event as it is published, each as one JSON `data:` line tagged by `type`. A client that
//! falls behind gets a fresh snapshot in place of what it missed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use futures::StreamExt as _;
use pitwall_live::{LiveEvent, LiveHub};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_util::sync::CancellationToken;

/// The SSE response for one subscriber of `hub`, ending when `shutdown` fires (so a
/// graceful shutdown is not held up by open feeds), with a keep-alive comment after every
/// `keepalive` without an event.
pub(crate) fn response(
    hub: &LiveHub,
    shutdown: CancellationToken,
    keepalive: Duration,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let (state, rx) = hub.subscribe();
    let first = futures::stream::once(std::future::ready(LiveEvent::Snapshot {
        state: Box::new(state),
    }));
    let resync = hub.clone();
    let rest = BroadcastStream::new(rx).map(move |item| match item {
        Ok(event) => event,
        Err(BroadcastStreamRecvError::Lagged(_)) => Arc::new(LiveEvent::Snapshot {
            state: Box::new(resync.state()),
        }),
    });
    let events = first
        .map(Arc::new)
        .chain(rest)
        .map(|event| Ok(to_sse(&event)))
        .take_until(shutdown.cancelled_owned());
    Sse::new(events).keep_alive(KeepAlive::new().interval(keepalive))
}

/// One event as an SSE message.
fn to_sse(event: &LiveEvent) -> Event {
    match serde_json::to_string(event) {
        Ok(json) => Event::default().data(json),
        // Unreachable for these types; say so rather than drop the connection.
        Err(e) => Event::default().event("error").data(e.to_string()),
    }
}
