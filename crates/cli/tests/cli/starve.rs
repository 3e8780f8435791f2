//! Starvation, end to end: `pitwall serve` run under a small descriptor limit (`ulimit -n`)
//! while hostile clients hold more idle and slow-header connections than it has
//! descriptors. A normal client must still be answered, and a connection that sends its
//! headers slowly must be closed once the header timeout (here from `PITWALL_HEADER_TIMEOUT`)
//! has passed.

use crate::common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Proc, address, serve_cmd};

/// Descriptors the server may hold: far fewer than the hostile connections below.
const FD_LIMIT: u32 = 96;
const IDLE: usize = 150;
const SLOW: usize = 40;

/// `cmd` run by `sh` under a descriptor limit of `limit` (`ulimit -n`), same environment.
fn with_fd_limit(cmd: &Command, limit: u32) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (name, value) in cmd.get_envs() {
        match value {
            Some(value) => sh.env(name, value),
            None => sh.env_remove(name),
        };
    }
    sh
}

/// The server, its stderr read on a thread, and the address it said it serves on.
struct Server {
    _proc: Proc,
    address: String,
}

fn start(dir: &Path) -> Server {
    let mut serve = serve_cmd(dir);
    serve
        .args(["--rate-limit", "0"])
        .env("PITWALL_HEADER_TIMEOUT", "1");
    let mut proc = Proc::spawn(with_fd_limit(&serve, FD_LIMIT));
    let line = proc.wait_for("pitwall serving on http://", Duration::from_secs(30));
    Server {
        address: address(&line),
        _proc: proc,
    }
}

/// `GET /api/sessions` on a new connection: the status line, or why there was none.
fn normal_request(address: &str, timeout: Duration) -> Result<String, String> {
    let started = Instant::now();
    let mut stream = TcpStream::connect_timeout(&address.parse().unwrap(), timeout)
        .map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream
        .write_all(b"GET /api/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    match stream.read_to_end(&mut response) {
        Ok(_) => {}
        Err(e) => return Err(format!("no answer after {:?}: {e}", started.elapsed())),
    }
    let text = String::from_utf8_lossy(&response);
    text.lines().next().map(str::to_owned).ok_or_else(|| {
        format!(
            "connection closed without an answer after {:?}",
            started.elapsed()
        )
    })
}

#[test]
fn a_normal_client_is_answered_past_the_descriptor_limit_and_slow_headers_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());

    let mut idle = Vec::new();
    for _ in 0..IDLE {
        idle.push(TcpStream::connect(&server.address).unwrap());
    }
    let mut slow = Vec::new();
    for _ in 0..SLOW {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        stream
            .write_all(b"GET /api/sessions HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
        slow.push(stream);
    }
    let hostile_opened = Instant::now();

    for round in 0..3 {
        let status = normal_request(&server.address, Duration::from_secs(3))
            .unwrap_or_else(|e| panic!("round {round}: a normal client was not answered: {e}"));
        assert!(
            status.starts_with("HTTP/1.1 200"),
            "round {round}: {status}"
        );
    }

    // Every slow-header connection still held by the server is closed by the header
    // timeout (1 s); those the server shed earlier are closed already.
    let deadline = hostile_opened + Duration::from_secs(6);
    for (i, stream) in slow.iter_mut().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        let mut buf = [0u8; 512];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                // A 408 or similar answer before the close is fine too.
                Ok(_) => continue,
                Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset) => break,
                Err(e) => panic!(
                    "slow-header connection {i} still open {:?} after it started \
                     (header timeout 1 s): {e}",
                    hostile_opened.elapsed()
                ),
            }
        }
    }
    drop(idle);
}
