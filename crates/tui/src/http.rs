//! A small HTTP/1.1 client for the live feed: one `GET` over TCP, or TLS (rustls with the web
//! PKI's roots) for `https://`, giving the response's status and its body as it arrives.
//! The TUI needs no more than that, and hyper's client half alone keeps every part of an
//! HTTP server's stack (tower, axum) out of the TUI.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt as _, Empty};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Where a request goes: scheme, host, port and path, from an `http://` or `https://` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    tls: bool,
    host: String,
    port: u16,
    path: String,
}

impl Target {
    /// The target of `url`, or `None` when it is not an `http://` or `https://` URL with a
    /// host (and, when given, a port).
    pub(crate) fn parse(url: &str) -> Option<Target> {
        let (tls, rest) = match (url.strip_prefix("http://"), url.strip_prefix("https://")) {
            (Some(rest), _) => (false, rest),
            (_, Some(rest)) => (true, rest),
            _ => return None,
        };
        let (authority, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
        let default_port = if tls { 443 } else { 80 };
        let port_of = |text: &str| match text {
            "" => Some(default_port),
            digits => digits.strip_prefix(':')?.parse().ok(),
        };
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']')?;
                (host, port_of(after)?)
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, port.parse().ok()?),
                None => (authority, default_port),
            },
        };
        if host.is_empty() || host.contains(['@', ' ']) {
            return None;
        }
        Some(Target {
            tls,
            host: host.to_owned(),
            port,
            path: path.to_owned(),
        })
    }

    /// The `Host` header: the host, and the port unless it is the scheme's own.
    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match (self.tls, self.port) {
            (false, 80) | (true, 443) => host,
            (_, port) => format!("{host}:{port}"),
        }
    }
}

/// Why a request got no response.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    /// No connection could be made (refused, no route, no such host) in time.
    #[error("nothing answers")]
    Unreachable(#[source] Option<std::io::Error>),
    /// The host name cannot be checked against a TLS certificate.
    #[error("{0} is not a host name TLS can check")]
    BadName(String),
    /// The TLS handshake failed.
    #[error("TLS with the server failed")]
    Tls(#[source] std::io::Error),
    /// HTTP went wrong (the server broke the protocol or the connection).
    #[error(transparent)]
    Http(#[from] hyper::Error),
    /// The request could not be made.
    #[error(transparent)]
    Request(#[from] hyper::http::Error),
}

/// A response whose body is still arriving.
#[derive(Debug)]
pub(crate) struct Response {
    /// The status the server answered.
    pub(crate) status: hyper::StatusCode,
    body: Incoming,
}

impl Response {
    /// The next piece of the body, `None` at its end.
    pub(crate) async fn chunk(&mut self) -> Option<Result<Bytes, hyper::Error>> {
        loop {
            match self.body.frame().await? {
                Err(e) => return Some(Err(e)),
                Ok(frame) => {
                    if let Ok(data) = frame.into_data() {
                        return Some(Ok(data));
                    }
                }
            }
        }
    }
}

/// `GET` of `target` with an `Accept` header, connecting within `connect_timeout`.
pub(crate) async fn get(
    target: &Target,
    accept: &str,
    connect_timeout: Duration,
) -> Result<Response, HttpError> {
    let connect = TcpStream::connect((target.host.as_str(), target.port));
    let tcp = match tokio::time::timeout(connect_timeout, connect).await {
        Err(_elapsed) => return Err(HttpError::Unreachable(None)),
        Ok(Err(e)) => return Err(HttpError::Unreachable(Some(e))),
        Ok(Ok(tcp)) => tcp,
    };
    // Small writes and reads both ways: no Nagle delay on the request.
    let _unsupported = tcp.set_nodelay(true);
    if !target.tls {
        return request(TokioIo::new(tcp), target, accept).await;
    }
    let name = rustls::pki_types::ServerName::try_from(target.host.clone())
        .map_err(|_| HttpError::BadName(target.host.clone()))?;
    let tls = tls_connector()
        .map_err(|e| HttpError::Tls(std::io::Error::other(e)))?
        .connect(name, tcp)
        .await
        .map_err(HttpError::Tls)?;
    request(TokioIo::new(tls), target, accept).await
}

/// Sends the request over a connected stream; the connection is driven by a task of its
/// own, which ends when the response's body is dropped or ends.
async fn request<T>(io: T, target: &Target, accept: &str) -> Result<Response, HttpError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await?;
    tokio::spawn(async move {
        // How the connection ended shows in the body (an error or its end).
        let _ended = connection.await;
    });
    let request = hyper::Request::get(target.path.as_str())
        .header(hyper::header::HOST, target.host_header())
        .header(hyper::header::ACCEPT, accept)
        .body(Empty::<Bytes>::new())?;
    let response = sender.send_request(request).await?;
    Ok(Response {
        status: response.status(),
        body: response.into_body(),
    })
}

/// A TLS connector trusting the web PKI's roots (Mozilla's list, built in).
fn tls_connector() -> Result<tokio_rustls::TlsConnector, rustls::Error> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> Option<(bool, String, u16, String, String)> {
        Target::parse(url).map(|t| {
            let host = t.host_header();
            (t.tls, t.host, t.port, t.path, host)
        })
    }

    #[test]
    fn urls_give_host_port_path_and_host_header() {
        let s = |v: &str| v.to_owned();
        assert_eq!(
            parts("http://127.0.0.1:8080/api/live"),
            Some((
                false,
                s("127.0.0.1"),
                8080,
                s("/api/live"),
                s("127.0.0.1:8080")
            ))
        );
        assert_eq!(
            parts("https://box/pitwall/api/live"),
            Some((true, s("box"), 443, s("/pitwall/api/live"), s("box")))
        );
        assert_eq!(
            parts("http://[::1]:9000/x"),
            Some((false, s("::1"), 9000, s("/x"), s("[::1]:9000")))
        );
        assert_eq!(
            parts("http://[::1]"),
            Some((false, s("::1"), 80, s("/"), s("[::1]")))
        );
        for bad in [
            "ftp://box",
            "http://",
            "http://:80/",
            "http://box:port/",
            "http://[::1/",
            "http://u@box/",
        ] {
            assert_eq!(parts(bad), None, "{bad}");
        }
    }
}
