//! TLS to PostgreSQL, as libpq's `sslmode` documents it: `require` and `prefer` encrypt
//! (checked in `pg_stat_ssl` for the store's own backends, found by a unique
//! `application_name`), `verify-full` refuses a certificate it cannot trust, and against a
//! throw-away server with a CA made here, `verify-ca` passes with that CA whatever the host
//! name, `verify-full` only with a name the certificate lists. `prefer` falls back to plain
//! text when the handshake fails, `allow` to TLS when the server refuses plain text.
//!
//! Also: a store's `Debug` and `location` never show the URL's password.
//!
//! Needs `PITWALL_TEST_POSTGRES_URL` (a server with `ssl = on`, as Debian's cluster is): every
//! test is ignored unless run with `--include-ignored`, and then fails without it. The
//! throw-away server also needs PostgreSQL's binaries, `openssl`, `runuser` and root; the
//! parts using it are skipped with a note when those are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use pitwall_store::{PgOptions, PgStore, StoreError};

/// The shared PostgreSQL server's URL (panics, saying what to set, when it is unset).
fn shared_url() -> String {
    pitwall_test_support::postgres_url()
}

/// A name no other test uses, for a schema or an `application_name`.
use pitwall_test_support::unique_name as unique;

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

/// Runs one statement over a plain connection.
async fn execute(url: &str, sql: &str) {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(&with_params(url, "sslmode=disable"))
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

/// Whether each backend named `app` is encrypted, as the server sees it (asked over a
/// plain connection to `url`).
async fn ssl_of(url: &str, app: &str) -> Vec<bool> {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let rows: Vec<(bool,)> = sqlx::query_as(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
         WHERE a.application_name = $1",
    )
    .bind(app)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    rows.into_iter().map(|(ssl,)| ssl).collect()
}

/// Opens a store on the shared server with `params` (in a schema of its own) and returns
/// whether its backends are encrypted.
async fn shared_store_ssl(url: &str, params: &str) -> Vec<bool> {
    let schema = unique("pitwall_tls");
    let app = unique("pitwall_tls_app");
    execute(url, &format!("CREATE SCHEMA {schema}")).await;
    let options = PgOptions {
        schema: Some(schema.clone()),
        ..PgOptions::default()
    };
    let target = with_params(url, &format!("{params}&application_name={app}"));
    let store = PgStore::connect_with(&target, &options).await;
    let ssl = match &store {
        Ok(_) => ssl_of(&with_params(url, "sslmode=disable"), &app).await,
        Err(_) => Vec::new(),
    };
    if let Ok(store) = store {
        pitwall_store::Store::close(&store).await;
    }
    execute(url, &format!("DROP SCHEMA {schema} CASCADE")).await;
    ssl
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn require_and_prefer_connect_encrypted_and_disable_in_plain_text() {
    let url = shared_url();
    for mode in ["require", "prefer"] {
        let ssl = shared_store_ssl(&url, &format!("sslmode={mode}")).await;
        assert!(
            !ssl.is_empty() && ssl.iter().all(|&s| s),
            "sslmode={mode}: backends' ssl {ssl:?}"
        );
    }
    let ssl = shared_store_ssl(&url, "sslmode=disable").await;
    assert!(
        !ssl.is_empty() && ssl.iter().all(|&s| !s),
        "sslmode=disable: backends' ssl {ssl:?}"
    );
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn verify_full_refuses_a_certificate_without_its_ca_and_says_what_to_do() {
    let url = shared_url();
    let err = PgStore::connect(&with_params(&url, "sslmode=verify-full"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Tls { .. }), "{err:?}");
    assert!(
        text.contains("verify-full") && text.contains("sslrootcert="),
        "{text}"
    );
}

/// A PostgreSQL server of this test's own, with TLS from a CA made here; stopped on drop.
struct OwnServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl OwnServer {
    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn url(&self, host: &str, params: &str) -> String {
        format!("postgres://postgres@{host}:{}/postgres?{params}", self.port)
    }

    /// Makes a CA and a certificate for `localhost` only, initdb's a cluster and starts it
    /// with `settings` (`-c` options) added and, when given, `hba` as its `pg_hba.conf`, or
    /// `None` (with a note) when something it needs is missing.
    fn start(settings: &str, hba: Option<&str>) -> Option<OwnServer> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .find(|b| b.join("initdb").exists());
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let (Some(bin), true, true, true) = (
            bin,
            root,
            Path::new("/usr/sbin/runuser").exists() || Path::new("/sbin/runuser").exists(),
            Command::new("openssl").arg("version").output().is_ok(),
        ) else {
            eprintln!(
                "note: PostgreSQL binaries, openssl, runuser or root missing: own-CA TLS test skipped"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_path_buf();
        let sh = |script: &str| {
            let out = Command::new("sh")
                .arg("-c")
                .arg(script)
                .current_dir(&d)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{script}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        sh(
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
            -subj /CN=pitwall-test-ca -addext basicConstraints=critical,CA:TRUE \
            -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null",
        );
        sh(
            "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
            -subj /CN=localhost 2>/dev/null",
        );
        std::fs::write(
            d.join("ext.cnf"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
             extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n",
        )
        .unwrap();
        sh(
            "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out server.pem -days 2 -extfile ext.cnf 2>/dev/null",
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        sh("mkdir data && chown -R postgres: . && chmod 700 . && chmod 600 server.key");
        let initdb = bin.join("initdb");
        sh(&format!(
            "runuser -u postgres -- {} -D data --auth=trust -U postgres >/dev/null",
            initdb.display()
        ));
        if let Some(hba) = hba {
            std::fs::write(d.join("data/pg_hba.conf"), hba).unwrap();
        }
        let pg_ctl = bin.join("pg_ctl");
        let server = OwnServer { dir, bin, port };
        let d = server.dir.path().display().to_string();
        sh(&format!(
            "runuser -u postgres -- {} -D data -w -t 60 -l server.log \
             -o \"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={d} \
             -c ssl=on -c ssl_cert_file={d}/server.pem -c ssl_key_file={d}/server.key \
             {settings}\" start >/dev/null",
            pg_ctl.display()
        ));
        Some(server)
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn verify_ca_and_verify_full_check_the_chain_and_the_host_name() {
    // With the other PostgreSQL tests: run when they are, failing when the variable is not.
    let _ = shared_url();
    let Some(server) = OwnServer::start("", None) else {
        return;
    };
    let ca = server.ca();
    let ca = ca.display();
    // The certificate names `localhost` only: connecting by 127.0.0.1 is the wrong name,
    // which verify-ca does not check and verify-full refuses.
    let ok = [
        server.url("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")),
        server.url(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        ),
        server.url("localhost", &format!("sslmode=verify-ca&sslrootcert={ca}")),
        server.url("localhost", &format!("sslmode=require&sslrootcert={ca}")),
        server.url("127.0.0.1", "sslmode=require"),
    ];
    for url in ok {
        let store = PgStore::connect(&url).await;
        assert!(store.is_ok(), "{url}: {:?}", store.err());
        pitwall_store::Store::close(&store.unwrap()).await;
    }
    let snakeoil = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
    let refused = [
        (
            server.url(
                "127.0.0.1",
                &format!("sslmode=verify-full&sslrootcert={ca}"),
            ),
            "verify-full",
        ),
        (
            server.url("localhost", "sslmode=verify-full"),
            "verify-full",
        ),
        (server.url("localhost", "sslmode=verify-ca"), "verify-ca"),
        // As libpq: `require` with a root certificate verifies the chain.
        (
            server.url(
                "localhost",
                &format!("sslmode=require&sslrootcert={snakeoil}"),
            ),
            "verify-ca",
        ),
    ];
    for (url, mode) in refused {
        if url.contains(snakeoil) && !Path::new(snakeoil).exists() {
            continue;
        }
        let err = PgStore::connect(&url).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, StoreError::Tls { .. }), "{url}: {err:?}");
        assert!(text.contains(&format!("sslmode={mode}")), "{url}: {text}");
        let wrong_name = url.contains("127.0.0.1") && url.contains(&format!("sslrootcert={ca}"));
        assert!(!wrong_name || mode == "verify-full", "{url}");
        let says = if wrong_name {
            "does not name the host"
        } else {
            "sslrootcert=FILE"
        };
        assert!(text.contains(says), "{url}: {text}");
    }
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn prefer_connects_in_plain_text_when_the_tls_handshake_fails() {
    // With the other PostgreSQL tests: run when they are, failing when the variable is not.
    let _ = shared_url();
    // The server offers TLS but only with a cipher suite rustls does not implement, so every
    // handshake fails (as with a server whose TLS is broken or too old).
    let Some(server) = OwnServer::start(
        "-c ssl_max_protocol_version=TLSv1.2 -c ssl_ciphers=AES128-SHA",
        None,
    ) else {
        return;
    };
    let err = PgStore::connect(&server.url("localhost", "sslmode=require"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Tls { .. }), "require: {err:?}");
    let app = unique("pitwall_prefer");
    let store = PgStore::connect(&server.url(
        "localhost",
        &format!("sslmode=prefer&application_name={app}"),
    ))
    .await;
    let ssl = ssl_of(&server.url("localhost", "sslmode=disable"), &app).await;
    pitwall_store::Store::close(&store.unwrap()).await;
    assert!(
        !ssl.is_empty() && ssl.iter().all(|&s| !s),
        "prefer: {ssl:?}"
    );
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn allow_connects_in_plain_text_unless_the_server_insists_on_tls() {
    let url = shared_url();
    let ssl = shared_store_ssl(&url, "sslmode=allow").await;
    assert!(!ssl.is_empty() && ssl.iter().all(|&s| !s), "allow: {ssl:?}");
    // A server that takes encrypted connections only: allow tries plain text, is refused,
    // and connects with TLS; disable is refused.
    let Some(server) = OwnServer::start(
        "",
        Some("local all all trust\nhostssl all all 127.0.0.1/32 trust\n"),
    ) else {
        return;
    };
    let err = PgStore::connect(&server.url("localhost", "sslmode=disable"))
        .await
        .unwrap_err();
    let cause = std::error::Error::source(&err).map(ToString::to_string);
    assert!(
        cause
            .as_deref()
            .unwrap_or_default()
            .contains("no encryption"),
        "disable: {err:?}"
    );
    let app = unique("pitwall_allow");
    let store = PgStore::connect(&server.url(
        "localhost",
        &format!("sslmode=allow&application_name={app}"),
    ))
    .await;
    let ssl = ssl_of(&server.url("localhost", "sslmode=require"), &app).await;
    pitwall_store::Store::close(&store.unwrap()).await;
    assert!(!ssl.is_empty() && ssl.iter().all(|&s| s), "allow: {ssl:?}");
}

#[tokio::test]
#[ignore = pitwall_test_support::needs_postgres!()]
async fn a_store_never_shows_the_password_of_its_url() {
    let url = shared_url();
    // The shared server trusts local connections: the password is sent nowhere, but it is
    // in the URL the store was given.
    let Some(rest) = url.strip_prefix("postgres://") else {
        return;
    };
    let Some((user, host)) = rest.split_once('@') else {
        return;
    };
    let user = user.split(':').next().unwrap_or(user);
    let schema = unique("pitwall_secret");
    execute(&url, &format!("CREATE SCHEMA {schema}")).await;
    let options = PgOptions {
        schema: Some(schema.clone()),
        ..PgOptions::default()
    };
    let with_password = format!("postgres://{user}:hunter2-pw@{host}");
    let store = PgStore::connect_with(&with_password, &options).await;
    let shown = store
        .as_ref()
        .map(|s| format!("{s:?} {}", s.location()))
        .map_err(|e| format!("{e:?}"));
    if let Ok(store) = store {
        pitwall_store::Store::close(&store).await;
    }
    execute(&url, &format!("DROP SCHEMA {schema} CASCADE")).await;
    let shown = shown.unwrap();
    assert!(!shown.contains("hunter2"), "{shown}");
    let any = pitwall_store::redact_url(&with_password);
    assert!(!any.contains("hunter2"), "{any}");
}
