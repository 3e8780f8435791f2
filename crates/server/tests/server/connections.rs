//! The connection limits over real sockets: a small cap and short timeouts, hostile idle
//! and slow-header connections beyond the cap, a normal client that must still be
//! answered, the timeouts closing what they should, the live stream's keep-alive, and a
//! graceful shutdown that ends live streams.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use pitwall_live::LiveHub;
use pitwall_server::{AppState, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

struct Server {
    address: SocketAddr,
    stop: CancellationToken,
    served: JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

async fn start(config: ServerConfig) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = pitwall_store::open(dir.path().join("p.db").to_str().unwrap())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = AppState::new(store, LiveHub::new(), config.clone());
    let stop = state.shutdown.clone();
    let router = pitwall_server::router(state);
    let cancel = stop.clone();
    let served =
        tokio::spawn(
            async move { pitwall_server::serve_with(listener, router, &config, cancel).await },
        );
    Server {
        address,
        stop,
        served,
        _dir: dir,
    }
}

fn limits(max: usize, header_ms: u64, idle_ms: u64) -> ServerConfig {
    ServerConfig {
        rate_limit_per_minute: 0,
        max_connections: max,
        header_timeout: Duration::from_millis(header_ms),
        idle_timeout: Duration::from_millis(idle_ms),
        ..ServerConfig::default()
    }
}

/// One `GET path` on a new connection: the status code, within `timeout`.
async fn get(address: SocketAddr, path: &str, timeout: Duration) -> Result<u16, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(address)
            .await
            .map_err(|e| e.to_string())?;
        stream
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .await
            .map_err(|e| e.to_string())?;
        let mut response = Vec::new();
        stream
            .read_to_end(&mut response)
            .await
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&response);
        text.split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("no status line in {text:?}"))
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {timeout:?}"))?
}

/// Whether the server closed `stream` within `within` (reading whatever it sent first).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) => return true,
            Ok(Ok(_)) => continue,
            Ok(Err(e)) if e.kind() == ErrorKind::ConnectionReset => return true,
            Ok(Err(e)) => panic!("reading: {e}"),
        }
    }
}

async fn slow_header(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /api/sessions HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        .await
        .unwrap();
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_a_normal_client_is_still_answered() {
    // Timeouts far longer than the test: only the cap and shedding are at work.
    let server = start(limits(8, 60_000, 60_000)).await;
    let mut hostile = Vec::new();
    for _ in 0..12 {
        hostile.push(TcpStream::connect(server.address).await.unwrap());
        hostile.push(slow_header(server.address).await);
    }
    for round in 0..5 {
        let status = get(server.address, "/api/sessions", Duration::from_secs(2)).await;
        assert_eq!(status, Ok(200), "round {round}");
    }
    // To make room, the server shed the hostile connections that came first.
    let mut shed = 0;
    for stream in &mut hostile[..8] {
        if closed_within(stream, Duration::from_millis(500)).await {
            shed += 1;
        }
    }
    assert!(
        shed >= 6,
        "only {shed} of the first 8 hostile connections were shed"
    );
    server.stop.cancel();
    drop(hostile);
    server.served.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_and_idle_keep_alive_connections_are_closed_by_their_timeouts() {
    let server = start(limits(64, 300, 900)).await;
    let started = Instant::now();
    let mut slow = slow_header(server.address).await;
    let mut silent = TcpStream::connect(server.address).await.unwrap();
    // A keep-alive connection that made one request, then waits.
    let mut kept = TcpStream::connect(server.address).await.unwrap();
    kept.write_all(b"GET /api/openapi.json HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    assert!(
        closed_within(&mut slow, Duration::from_secs(2)).await,
        "a slow-header connection is still open after {:?} (header timeout 300 ms)",
        started.elapsed()
    );
    assert!(
        closed_within(&mut silent, Duration::from_secs(2)).await,
        "a connection that never sent a request is still open after {:?}",
        started.elapsed()
    );
    let slow_closed = started.elapsed();
    assert!(slow_closed >= Duration::from_millis(250), "{slow_closed:?}");
    assert!(
        closed_within(&mut kept, Duration::from_secs(3)).await,
        "an idle keep-alive connection is still open after {:?} (idle timeout 900 ms)",
        started.elapsed()
    );
    assert!(
        started.elapsed() >= Duration::from_millis(850),
        "closed too early"
    );
    server.stop.cancel();
    server.served.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_streams_keep_alive_and_end_at_shutdown() {
    let config = ServerConfig {
        live_keepalive: Duration::from_millis(200),
        ..limits(64, 300, 60_000)
    };
    let server = start(config).await;
    let mut live = TcpStream::connect(server.address).await.unwrap();
    live.write_all(b"GET /api/live HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    // The snapshot, then keep-alive comments: the stream outlives the header timeout.
    let mut seen = String::new();
    let opened = Instant::now();
    let deadline = opened + Duration::from_secs(3);
    while !(seen.contains("event-stream") && seen.matches("\n:").count() >= 2) {
        assert!(
            Instant::now() < deadline,
            "no keep-alive comments: {seen:?}"
        );
        let mut buf = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(3), live.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "stream closed: {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        opened.elapsed() >= Duration::from_millis(350),
        "two keep-alives 200 ms apart came after {:?}",
        opened.elapsed()
    );
    let mut idle = TcpStream::connect(server.address).await.unwrap();
    server.stop.cancel();
    let returned = tokio::time::timeout(Duration::from_secs(3), server.served).await;
    assert!(
        returned.is_ok(),
        "serve did not return within 3 s of the shutdown"
    );
    returned.unwrap().unwrap().unwrap();
    assert!(closed_within(&mut live, Duration::from_secs(1)).await);
    assert!(closed_within(&mut idle, Duration::from_secs(1)).await);
}
