//! End-to-end: `pitwall demo` as a newcomer runs it. The simulator drives, the tracker stores
//! laps and serves the live feed: a completed lap arrives on `/api/live` within seconds, the
//! process stops cleanly on SIGINT, and the laps are in the named database afterwards.

// The demo is stopped with SIGINT as a user's Ctrl-C would: Unix only.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{interrupt, pitwall, stored_sessions};

#[test]
fn demo_serves_live_laps_and_stores_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = pitwall()
        .env("PITWALL_LOG", "warn")
        .args([
            "demo",
            "--speed",
            "30",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(demo.stdout.take().unwrap());
    let mut addr = None;
    for _ in 0..5 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            addr = rest.split('/').next().map(str::to_owned);
            break;
        }
    }
    let addr = addr.expect("demo prints the dashboard address");

    let mut feed = TcpStream::connect(&addr).unwrap();
    feed.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        feed,
        "GET /api/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let started = Instant::now();
    let mut seen = String::new();
    let mut buf = [0_u8; 4096];
    while !seen.contains("\"type\":\"lap_completed\"") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no lap within 60 s: {seen}"
        );
        let n = feed.read(&mut buf).unwrap();
        assert!(n > 0, "the live feed closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("text/event-stream"));
    assert!(
        seen.contains("\"type\":\"snapshot\""),
        "a snapshot comes first"
    );

    // SIGINT, as Ctrl-C: a clean stop.
    let status = interrupt(&mut demo);
    assert!(status.success(), "demo exits cleanly: {status}");

    let sessions = stored_sessions(dir.path());
    assert_eq!(sessions.len(), 1);
    assert!(!sessions[0].laps.is_empty(), "the live lap was stored");
}
