//! The protections around every route: rate limits, CORS, security headers, private reads,
//! and one JSON error shape with a request id.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pitwall_server::{ServerConfig, TrustProxy};

use crate::harness::{Backend, TestApp, unlimited};

fn from(ip: &str) -> SocketAddr {
    format!("{ip}:50000").parse().unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let config = ServerConfig {
        rate_limit_per_minute: 3,
        ..ServerConfig::default()
    };
    let app = TestApp::new(Backend::Sqlite, config).await;
    for _ in 0..3 {
        let answer = app.send_from(get("/api/sessions"), from("10.0.0.1")).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let limited = app.send_from(get("/api/sessions"), from("10.0.0.1")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(limited.header("x-content-type-options"), Some("nosniff"));
    let other = app.send_from(get("/api/sessions"), from("10.0.0.2")).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "each client has its own limit"
    );

    // Without --trust-proxy, X-Forwarded-For cannot dodge the limit.
    let mut dodge = get("/api/sessions");
    dodge
        .headers_mut()
        .insert("x-forwarded-for", "203.0.113.7".parse().unwrap());
    let answer = app.send_from(dodge, from("10.0.0.1")).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_one_proxy_a_spoofed_forwarded_for_cannot_dodge_the_limit() {
    let config = ServerConfig {
        rate_limit_per_minute: 1,
        trust_proxy: TrustProxy::Hops(1),
        ..ServerConfig::default()
    };
    let app = TestApp::new(Backend::Sqlite, config).await;
    // What nginx sends on with `proxy_add_x_forwarded_for`: whatever the client wrote,
    // then the address nginx saw.
    let via_nginx = |spoofed: &str, real: &str| {
        let mut request = get("/api/sessions");
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("{spoofed}, {real}").parse().unwrap(),
        );
        request
    };
    let proxy = from("127.0.0.1");
    let attacker = "198.51.100.1";
    assert_eq!(
        app.send_from(via_nginx("203.0.113.1", attacker), proxy)
            .await
            .status,
        StatusCode::OK
    );
    for i in 2..6 {
        let spoofed = format!("203.0.113.{i}");
        assert_eq!(
            app.send_from(via_nginx(&spoofed, attacker), proxy)
                .await
                .status,
            StatusCode::TOO_MANY_REQUESTS,
            "a new spoofed first entry ({spoofed}) must not give a new limit"
        );
    }
    assert_eq!(
        app.send_from(via_nginx("203.0.113.1", "198.51.100.2"), proxy)
            .await
            .status,
        StatusCode::OK,
        "another real client has its own limit"
    );
}

#[tokio::test]
async fn listed_proxies_are_believed_and_no_one_else() {
    let config = ServerConfig {
        rate_limit_per_minute: 1,
        trust_proxy: "127.0.0.1, 10.0.0.0/8".parse().unwrap(),
        ..ServerConfig::default()
    };
    let app = TestApp::new(Backend::Sqlite, config).await;
    let forwarded = |xff: &str| {
        let mut request = get("/api/sessions");
        request
            .headers_mut()
            .insert("x-forwarded-for", xff.parse().unwrap());
        request
    };
    let proxy = from("127.0.0.1");
    // Two proxies (the inner one at 10.1.1.1): the client is the entry left of them.
    let status = |xff: &'static str, peer| {
        let app = &app;
        async move { app.send_from(forwarded(xff), peer).await.status }
    };
    assert_eq!(
        status("6.6.6.6, 198.51.100.3, 10.1.1.1", proxy).await,
        StatusCode::OK
    );
    assert_eq!(
        status("7.7.7.7, 198.51.100.3, 10.1.1.1", proxy).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A peer that is not a listed proxy is the client, whatever it writes.
    let direct = from("198.51.100.9");
    assert_eq!(status("8.8.8.8", direct).await, StatusCode::OK);
    assert_eq!(
        status("9.9.9.9", direct).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn dashboard_assets_are_served_after_the_api_limit_is_spent() {
    let config = ServerConfig {
        rate_limit_per_minute: 3,
        ..ServerConfig::default()
    };
    let app = TestApp::new(Backend::Sqlite, config).await;
    let client = from("10.0.0.1");
    for _ in 0..3 {
        assert_eq!(
            app.send_from(get("/api/sessions"), client).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(
        app.send_from(get("/api/sessions"), client).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    for asset in [
        "/assets/app.js",
        "/assets/app.css",
        "/assets/icon.svg",
        "/assets/app.js",
    ] {
        let answer = app.send_from(get(asset), client).await;
        assert_eq!(answer.status, StatusCode::OK, "{asset}");
    }
    assert_eq!(
        app.send_from(get("/api/sessions"), client).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the API limit still holds"
    );
}

#[tokio::test]
async fn rate_limit_zero_is_off() {
    let app = TestApp::new(Backend::Sqlite, unlimited()).await;
    for _ in 0..150 {
        assert_eq!(app.get("/api/openapi.json").await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn cors_preflight_allows_listed_origins_only() {
    let config = ServerConfig {
        cors_origins: vec![
            "https://laps.example".into(),
            "http://localhost:1313".into(),
        ],
        ..unlimited()
    };
    let app = TestApp::new(Backend::Sqlite, config).await;
    let preflight = |origin: &str, method: &str| {
        Request::options("/api/ingest")
            .header("origin", origin)
            .header("access-control-request-method", method)
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.send(preflight("https://laps.example", "POST")).await;
    assert!(allowed.status.is_success(), "{:?}", allowed.status);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://laps.example")
    );
    let methods = allowed.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let headers = allowed
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for h in ["origin", "content-type", "authorization"] {
        assert!(headers.contains(h), "{headers}");
    }
    assert_eq!(allowed.header("x-frame-options"), Some("DENY"));

    let denied = app.send(preflight("https://evil.example", "POST")).await;
    assert_eq!(denied.header("access-control-allow-origin"), None);

    let mut simple = get("/api/sessions");
    simple
        .headers_mut()
        .insert("origin", "http://localhost:1313".parse().unwrap());
    let answer = app.send(simple).await;
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://localhost:1313")
    );
}

#[tokio::test]
async fn without_origins_no_cors_headers_are_sent() {
    let app = TestApp::new(Backend::Sqlite, unlimited()).await;
    let mut request = get("/api/sessions");
    request
        .headers_mut()
        .insert("origin", "https://laps.example".parse().unwrap());
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::new(Backend::Sqlite, unlimited()).await;
    for uri in [
        "/api/sessions",
        "/api/openapi.json",
        "/api/nothing",
        "/",
        "/api/v1/sessions/zz",
    ] {
        let answer = app.get(uri).await;
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("no-referrer"),
            "{uri}"
        );
        assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(
            answer.header("content-security-policy"),
            Some(pitwall_server::CSP),
            "{uri}"
        );
        assert!(answer.header("x-request-id").is_some(), "{uri}");
    }
    assert!(pitwall_server::CSP.contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn errors_are_json_with_a_request_id() {
    let app = TestApp::new(Backend::Sqlite, unlimited()).await;
    let unknown = app.get("/api/nothing").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_code(), "not_found");
    assert_eq!(
        unknown.json()["error"]["request_id"].as_str(),
        unknown.header("x-request-id")
    );
    let wrong_method = app
        .send(
            Request::delete("/api/sessions")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.error_code(), "method_not_allowed");
    assert!(wrong_method.header("allow").unwrap().contains("GET"));
    assert_eq!(
        wrong_method.header("content-type"),
        Some("application/json")
    );
    let a = app.get("/api/nothing").await;
    assert_ne!(a.header("x-request-id"), unknown.header("x-request-id"));
}

#[tokio::test]
async fn private_reads_need_a_token() {
    let config = ServerConfig {
        private_reads: true,
        ..unlimited()
    };
    let app = TestApp::new(Backend::Sqlite, config).await;
    for uri in [
        "/api/sessions",
        "/api/v1/sessions",
        "/api/v1/laps",
        "/api/live",
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(answer.error_code(), "unauthorized");
    }
    assert_eq!(app.get("/api/openapi.json").await.status, StatusCode::OK);
    let token = app.token("Ann").await;
    let mut request = get("/api/sessions");
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    assert_eq!(app.send(request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unusable_config_values_are_refused() {
    let origin = |o: &str| ServerConfig {
        cors_origins: vec![o.into()],
        ..ServerConfig::default()
    };
    assert!(origin("https://laps.example").check().is_ok());
    assert!(origin("*").check().is_ok());
    assert!(origin("laps.example").check().is_err());
    assert!(origin("https://laps.example/page").check().is_err());
    let tiny = ServerConfig {
        body_limit_bytes: 10,
        ..ServerConfig::default()
    };
    assert!(tiny.check().is_err());
}
