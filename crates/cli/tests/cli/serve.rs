//! End-to-end: `pitwall token create | revoke` and `pitwall serve` as separate processes, as
//! a user runs them: a token is printed once and only its hash is stored; the server, on an
//! ephemeral port, says where it listens, answers `/api/sessions`, takes an upload with the
//! token, and stops cleanly on SIGTERM.
// The server test needs SIGTERM, so its helpers go unused elsewhere.
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{Proc, address, pitwall, send_signal, serve_cmd, wait_within};

fn token_create(dir: &Path, driver: &str) -> Output {
    pitwall()
        .args(["token", "create", "--driver", driver, "--data-dir"])
        .arg(dir)
        .output()
        .unwrap()
}

#[test]
fn token_create_prints_a_token_once_and_revoke_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = token_create(dir.path(), "Ann");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the token on stdout: {stdout:?}");
    let token = lines[0];
    assert!(token.starts_with("pw_") && token.len() == 67, "{token}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not shown again"));
    let second = token_create(dir.path(), "Ann");
    assert_ne!(String::from_utf8(second.stdout).unwrap().trim(), token);

    // The database holds the hash, never the token.
    let mut db = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        db.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let needle = &token.as_bytes()[3..];
    assert!(
        !db.windows(needle.len()).any(|w| w == needle),
        "token stored in clear"
    );

    let revoke = |t: &str| {
        pitwall()
            .args(["token", "revoke", t, "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    assert!(revoke(token).status.success());
    let again = revoke(token);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no active token"));
    let bad = revoke("hunter2");
    assert!(!bad.status.success());
}

/// A server process (killed when dropped) and the address it said it serves on.
struct Server {
    proc: Proc,
    address: String,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut proc = Proc::spawn(serve_cmd(dir));
        let line = proc.wait_for("pitwall serving on http://", Duration::from_secs(30));
        assert!(line.ends_with("(dashboard and API)"), "{line}");
        Server {
            address: address(&line),
            proc,
        }
    }

    /// One HTTP/1.1 request; the status and the body.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.address,
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, body.to_owned())
    }
}

#[cfg(unix)]
#[test]
fn serve_on_an_ephemeral_port_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let token = String::from_utf8(token_create(dir.path(), "Ann").stdout).unwrap();
    let token = token.trim();
    let server = Server::start(dir.path());
    assert!(!server.address.ends_with(":0"), "{}", server.address);

    let (status, body) = server.request("GET", "/api/sessions", &[], "");
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"sessions": [], "total": 0, "cached": false})
    );

    let upload = serde_json::json!({
        "session": {
            "id": "00000000000000a1", "track": "monza", "car": "ferrari_296_gt3",
            "session_type": 0, "session_type_label": "PRACTICE", "driver": "Ann",
            "sector_count": 3, "session_index": 0, "started_at_ms": 1_717_149_600_000_u64,
            "sm_version": "1.9", "ac_version": "1.10.2", "online": false,
            "joined_late": false, "conditions": null
        },
        "ended_at_ms": null,
        "laps": [{
            "id": "000000000000a101", "session_id": "00000000000000a1", "number": 1,
            "time_ms": 107_345, "sectors": [35_000, 36_000, 36_345], "valid": true,
            "invalid_sector": null, "out_lap": false, "in_lap": false, "partial": false,
            "started_at_ms": 1_717_149_700_000_u64, "completed_at_ms": 1_717_149_807_345_u64
        }]
    });
    let auth = format!("Bearer {token}");
    let headers = [
        ("Content-Type", "application/json"),
        ("Authorization", auth.as_str()),
    ];
    let (status, body) = server.request("POST", "/api/ingest", &headers, &upload.to_string());
    assert_eq!(status, 200, "{body}");
    let (_, body) = server.request("GET", "/api/sessions", &[], "");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["sessions"][0]["laps"][0]["lapTime"], 107_345);
    assert_eq!(json["sessions"][0]["id"], "20240531T100000Z");

    let mut server = server;
    send_signal(&server.proc.child, "-TERM");
    let status = wait_within(&mut server.proc.child, Duration::from_secs(20), "SIGTERM");
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = server.proc.log.try_iter().map(|(_, line)| line).collect();
    assert!(
        rest.iter().any(|l| l.contains("pitwall stopped")),
        "{rest:?}"
    );
}
