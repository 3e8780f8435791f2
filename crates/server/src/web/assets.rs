//! The dashboard's own stylesheet, scripts and icon (files under `crates/server/assets/`,
//! compiled into the binary) and `names.json` (the readable car, track and session-type
//! names of [`pitwall_core::names`], for the live page's script), served at `/assets/NAME`.
//!
//! Pages link each asset as `/assets/NAME?v=HASH` ([`url`]). A request with the current hash
//! may be cached for a year (the URL changes with the content); any other request gets the
//! ETag and revalidates, answered by `304 Not Modified` when nothing changed.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pitwall_acc::enums::SessionType;
use pitwall_core::names;
use serde::Deserialize;

/// A file served under `/assets/`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const FILES: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/app.js"),
    },
    Asset {
        name: "live.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/live.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../assets/icon.svg"),
    },
];

const NAMES_JSON: &str = "names.json";

/// `names.json`, built once.
static NAMES: LazyLock<Vec<u8>> = LazyLock::new(names_json);

/// Each asset's content hash.
static VERSIONS: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|a| (a.name, hash(a.body)))
        .chain(std::iter::once((NAMES_JSON, hash(&NAMES))))
        .collect()
});

/// The URL of asset `name` with its content hash, for links in pages.
pub(crate) fn url(name: &str) -> String {
    match VERSIONS.get(name) {
        Some(v) => format!("/assets/{name}?v={v}"),
        None => format!("/assets/{name}"),
    }
}

/// The query of an asset request.
#[derive(Debug, Deserialize)]
pub(crate) struct Version {
    v: Option<String>,
}

/// `GET /assets/{name}`.
pub(crate) async fn serve(
    Path(name): Path<String>,
    Query(query): Query<Version>,
    headers: HeaderMap,
) -> Response {
    let found = FILES
        .iter()
        .find(|a| a.name == name)
        .map(|a| (a.content_type, a.body))
        .or_else(|| (name == NAMES_JSON).then_some(("application/json", NAMES.as_slice())));
    let (Some((content_type, body)), Some(version)) = (found, VERSIONS.get(name.as_str())) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let etag = format!("\"{version}\"");
    let cache = if query.v.as_deref() == Some(version.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    response
}

/// `{"cars": {id: name}, "tracks": {id: name}, "session_types": {label: name}}`.
fn names_json() -> Vec<u8> {
    let map = |pairs: Vec<(String, String)>| {
        serde_json::Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect(),
        )
    };
    let cars = names::CARS
        .iter()
        .map(|c| (c.id.to_owned(), c.name.to_owned()))
        .collect();
    let tracks = names::TRACKS
        .iter()
        .map(|t| (t.id.to_owned(), t.name.to_owned()))
        .collect();
    let types = SessionType::ALL
        .iter()
        .map(|&t| {
            (
                t.label().into_owned(),
                names::session_type_name(t).into_owned(),
            )
        })
        .collect();
    let json = serde_json::json!({
        "cars": map(cars),
        "tracks": map(tracks),
        "session_types": map(types),
    });
    serde_json::to_vec(&json).unwrap_or_default()
}

/// FNV-1a, 64 bits, as hex: a content hash for cache busting, not for security.
fn hash(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{h:016x}")
}
