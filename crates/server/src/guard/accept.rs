//! The accept loop: every connection is admitted by the [`Registry`] (cap, shedding) and
//! served by hyper's HTTP/1.1 on its own task, which the registry can close at once. Running
//! out of descriptors (`EMFILE`) does not stop the loop: it sheds the longest-idle
//! connection and retries, and when nothing can be shed it waits a little instead of
//! spinning. At shutdown no new connection is taken, idle ones close at once, requests in
//! flight finish (live streams end through the application's own shutdown token), and the
//! loop returns when the last connection has closed.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, header};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

use super::connections::{Admission, Busy, Clock, Conn, Limits, Registry};

/// How long the loop waits when descriptors are exhausted and nothing can be shed.
const BACKOFF: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` within `limits` until `cancel` fires, then lets requests
/// in flight finish.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    cancel: CancellationToken,
) -> io::Result<()> {
    let registry = Arc::new(Registry::new(limits));
    let sweeper = tokio::spawn(sweep(registry.clone(), cancel.clone()));
    loop {
        let accepted = tokio::select! {
            biased;
            () = cancel.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => admit(&registry, &router, &cancel, stream, peer),
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                // Out of descriptors (EMFILE/ENFILE) or memory: make room, never give up.
                let shed = registry.shed_one();
                if registry.may_warn() {
                    tracing::warn!(
                        "cannot accept a connection: {e} ({} open); {}. Raise the descriptor \
                         limit (ulimit -n, LimitNOFILE=) or lower --max-connections",
                        registry.len(),
                        if shed {
                            "closed the longest-idle connection to make room"
                        } else {
                            "every connection is busy, retrying shortly"
                        }
                    );
                }
                if shed {
                    // Let the shed connection's task close its socket before retrying.
                    tokio::task::yield_now().await;
                } else {
                    tokio::select! {
                        () = cancel.cancelled() => break,
                        () = tokio::time::sleep(BACKOFF) => {}
                    }
                }
            }
        }
    }
    drop(listener);
    registry.close_idle();
    registry.emptied().await;
    sweeper.abort();
    Ok(())
}

/// Errors of one connection that came and went before it was accepted.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// Closes connections past their timeouts, a few times a second.
async fn sweep(registry: Arc<Registry>, cancel: CancellationToken) {
    let mut every = tokio::time::interval(registry.sweep_every());
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        registry.sweep();
        if cancel.is_cancelled() {
            // At shutdown, idle connections go at once; busy ones finish their request.
            registry.close_idle();
        }
    }
}

/// Admits one accepted connection and serves it on its own task, or closes it when the
/// cap is reached and nothing can be shed.
fn admit(
    registry: &Arc<Registry>,
    router: &Router,
    cancel: &CancellationToken,
    stream: TcpStream,
    peer: SocketAddr,
) {
    let (id, conn) = match registry.admit() {
        Admission::Admitted { id, conn } => (id, conn),
        Admission::Full => {
            if registry.may_warn() {
                tracing::warn!(
                    "{} connections open, all answering requests (--max-connections): \
                     refusing new ones until some finish",
                    registry.limits().max
                );
            }
            return;
        }
    };
    // Answers are written whole; waiting for more to coalesce only adds latency.
    let _ = stream.set_nodelay(true);
    let registry = registry.clone();
    let router = router.clone();
    let cancel = cancel.clone();
    tokio::spawn(async move {
        serve_connection(&registry, &conn, router, stream, peer, &cancel).await;
        registry.leave(id);
    });
}

async fn serve_connection(
    registry: &Registry,
    conn: &Arc<Conn>,
    router: Router,
    stream: TcpStream,
    peer: SocketAddr,
    cancel: &CancellationToken,
) {
    let clock = *registry.clock();
    let io = TokioIo::new(Watched {
        inner: stream,
        conn: conn.clone(),
        clock,
    });
    let service_conn = conn.clone();
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let busy = service_conn.begin(&clock);
        request.extensions_mut().insert(ConnectInfo(peer));
        let conn = service_conn.clone();
        let router = router.clone();
        async move {
            let response = router
                .oneshot(request)
                .await
                .unwrap_or_else(|never| match never {});
            Ok::<_, std::convert::Infallible>(guarded(response, &conn, busy))
        }
    });
    // The registry's sweep enforces the header timeout (hyper's own would also cut
    // keep-alive connections waiting between requests).
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .header_read_timeout(None)
        .serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!("connection from {peer} ended: {e}");
            }
            return;
        }
        () = conn.close.cancelled() => return,
        () = cancel.cancelled() => {}
    }
    connection.as_mut().graceful_shutdown();
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!("connection from {peer} ended at shutdown: {e}");
            }
        }
        () = conn.close.cancelled() => {}
    }
}

/// `response` with a body that keeps the connection marked busy until it is fully sent.
fn guarded(response: Response<Body>, conn: &Conn, busy: Busy) -> Response<Body> {
    let streaming = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if streaming {
        conn.mark_streaming();
    }
    response.map(|inner| Body::new(Guarded { inner, _busy: busy }))
}

/// A response body holding its connection's [`Busy`] guard.
struct Guarded {
    inner: Body,
    _busy: Busy,
}

impl HttpBody for Guarded {
    type Data = <Body as HttpBody>::Data;
    type Error = <Body as HttpBody>::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// The socket, noting when bytes of a request head arrive (for the header timeout).
struct Watched {
    inner: TcpStream,
    conn: Arc<Conn>,
    clock: Clock,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.conn.head_bytes(&self.clock);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// `wanted` connections, lowered so they fit the process's descriptor limit with room left
/// for the store, logs and outgoing connections (Linux; elsewhere `wanted`).
pub(crate) fn fit_descriptors(wanted: usize) -> usize {
    match descriptor_limit() {
        Some(limit) => {
            let reserve = (limit / 8).max(64);
            wanted.min(limit.saturating_sub(reserve).max(16))
        }
        None => wanted,
    }
}

/// The soft limit on open descriptors, from `/proc/self/limits`.
fn descriptor_limit() -> Option<usize> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cap_fits_the_descriptor_limit() {
        let limit = super::descriptor_limit();
        if cfg!(target_os = "linux") {
            let limit = limit.expect("the limit is readable on Linux");
            assert!(super::fit_descriptors(usize::MAX) < limit);
        }
        assert_eq!(super::fit_descriptors(1), 1);
    }
}
