//! Request ids: every request gets one, sent back as `X-Request-Id` and quoted in error
//! bodies and in the log, so a user's report can be matched to the logged cause.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The response header carrying the id.
pub(crate) const HEADER: &str = "x-request-id";

tokio::task_local! {
    /// The id of the request being handled by the current task.
    static CURRENT: HeaderValue;
}

/// The id of the request being handled, if called while handling one.
pub(crate) fn current() -> Option<String> {
    CURRENT
        .try_with(|id| id.to_str().map(str::to_owned).ok())
        .ok()
        .flatten()
}

/// Gives the request an id, handles it with the id current, and sends the id back.
pub(crate) async fn assign(request: Request, next: Next) -> Response {
    let id = next_id();
    let mut response = CURRENT.scope(id.clone(), next.run(request)).await;
    response.headers_mut().insert(HEADER, id);
    response
}

/// 16 hexadecimal digits: a random prefix per process, then a counter.
fn next_id() -> HeaderValue {
    static PREFIX: OnceLock<u32> = OnceLock::new();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let prefix = *PREFIX.get_or_init(|| {
        let mut bytes = [0_u8; 4];
        // Without randomness the ids are still unique within this process.
        let _ = getrandom::fill(&mut bytes);
        u32::from_le_bytes(bytes)
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let text = format!("{prefix:08x}{n:08x}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("0"))
}
