//! Test support for the dashboard: a temporary SQLite store seeded with sessions of known
//! laps (hostile strings included), the router over it, and requests through
//! `tower::ServiceExt::oneshot`.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_live::LiveHub;
use pitwall_server::{AppState, ServerConfig};
use pitwall_store::{AnyStore, Durability, SessionWrites as _, SqliteOptions, SqliteStore, Upload};
use tower::ServiceExt as _;

/// A hostile track name: must be shown as text.
pub const HOSTILE_TRACK: &str = "<script>alert(1)</script>";
/// A hostile driver name: quotes, ampersands and markup.
pub const HOSTILE_DRIVER: &str = "O'Brien & \"Sons\" <b>bold</b>";

/// 2024-05-01 10:00:00 UTC.
pub const DAY1: u64 = 1_714_557_600_000;
pub const HOUR: u64 = 3_600_000;
pub const DAY: u64 = 24 * HOUR;

/// The ids of the seeded sessions.
pub const PRACTICE: SessionId = SessionId(0x1111_0000_0000_0001);
pub const QUALIFY: SessionId = SessionId(0x1111_0000_0000_0002);
pub const HOSTILE: SessionId = SessionId(0x1111_0000_0000_0003);
pub const MONZA: SessionId = SessionId(0x1111_0000_0000_0004);
pub const OTHER_DRIVER: SessionId = SessionId(0x1111_0000_0000_0005);

/// A session's identity.
pub fn session(
    id: SessionId,
    track: &str,
    car: &str,
    driver: &str,
    session_type: SessionType,
    started_at_ms: u64,
) -> SessionInfo {
    SessionInfo {
        id,
        track: track.into(),
        car: car.into(),
        session_type,
        driver: driver.into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms,
        sm_version: "1.9".into(),
        ac_version: "1.8".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

/// How a lap was driven.
#[derive(Clone, Copy, Debug, Default)]
pub struct Kind {
    pub out_lap: bool,
    pub in_lap: bool,
    /// Invalidated in this 0-based sector.
    pub cut: Option<u8>,
}

pub const FLYING: Kind = Kind {
    out_lap: false,
    in_lap: false,
    cut: None,
};
pub const OUT: Kind = Kind {
    out_lap: true,
    in_lap: false,
    cut: None,
};
pub const IN: Kind = Kind {
    out_lap: false,
    in_lap: true,
    cut: None,
};
pub const fn cut(sector: u8) -> Kind {
    Kind {
        out_lap: false,
        in_lap: false,
        cut: Some(sector),
    }
}

/// The laps of `info` from `(sectors, kind)`, back to back from the session's start.
pub fn laps(info: &SessionInfo, spec: &[([u32; 3], Kind)]) -> Vec<Lap> {
    let mut at = info.started_at_ms + 60_000;
    spec.iter()
        .zip(1..)
        .map(|((sectors, kind), number)| {
            let time_ms: u32 = sectors.iter().sum();
            let started_at_ms = at;
            at += u64::from(time_ms);
            Lap {
                id: LapId(info.id.0.wrapping_mul(1000) + u64::from(number)),
                session: info.id,
                number,
                time_ms,
                sectors: sectors.iter().map(|&s| Some(s)).collect(),
                valid: kind.cut.is_none(),
                invalid_sector: kind.cut,
                out_lap: kind.out_lap,
                in_lap: kind.in_lap,
                partial: false,
                started_at_ms,
                completed_at_ms: at,
                car: pitwall_core::model::Car::new(0, info.car.clone()),
                driver: info.driver.clone(),
            }
        })
        .collect()
}

/// Stores a session, its laps and its end.
pub async fn put(store: &AnyStore, info: &SessionInfo, laps: &[Lap]) {
    store.upsert_session(info, Upload::Skip).await.unwrap();
    for lap in laps {
        store.upsert_lap(lap, Upload::Skip).await.unwrap();
    }
    let end = laps
        .last()
        .map_or(info.started_at_ms, |l| l.completed_at_ms)
        + 30_000;
    store.end_session(info.id, end, Upload::Skip).await.unwrap();
}

/// An empty store in `dir`.
pub async fn empty_store(dir: &Path) -> AnyStore {
    let options = SqliteOptions {
        durability: Durability::Normal,
        ..SqliteOptions::default()
    };
    AnyStore::Sqlite(
        SqliteStore::open_with(dir.join("pitwall.db"), &options)
            .await
            .unwrap(),
    )
}

/// A store with five sessions: two at Brands Hatch (practice then qualifying, with a PB
/// in each), one with hostile strings, one at Monza, and another driver at Brands Hatch.
pub async fn seeded_store(dir: &Path) -> AnyStore {
    let store = empty_store(dir).await;
    let mclaren = "mclaren_720s_gt3_evo";
    let practice = session(
        PRACTICE,
        "brands_hatch",
        mclaren,
        "Margot",
        SessionType::Practice,
        DAY1,
    );
    let p = laps(
        &practice,
        &[
            ([40_100, 30_200, 35_700], OUT),
            ([28_310, 21_950, 34_900], FLYING),
            ([28_105, 21_990, 34_760], FLYING),
            ([27_990, 21_700, 34_500], cut(1)),
            ([28_200, 21_880, 34_800], FLYING),
            ([28_400, 22_100, 38_900], IN),
        ],
    );
    put(&store, &practice, &p).await;

    let qualify = session(
        QUALIFY,
        "brands_hatch",
        mclaren,
        "Margot",
        SessionType::Qualify,
        DAY1 + DAY + 8 * HOUR,
    );
    let q = laps(
        &qualify,
        &[
            ([39_800, 30_000, 35_200], OUT),
            ([28_150, 21_900, 34_800], FLYING),
            ([27_950, 21_850, 34_700], FLYING),
            ([27_500, 21_400, 34_100], cut(2)),
            ([28_000, 21_820, 34_650], FLYING),
            ([28_050, 21_905, 34_710], FLYING),
        ],
    );
    put(&store, &qualify, &q).await;

    let hostile = session(
        HOSTILE,
        HOSTILE_TRACK,
        "ferrari_296_gt3",
        HOSTILE_DRIVER,
        SessionType::Race,
        DAY1 + 2 * DAY,
    );
    let h = laps(
        &hostile,
        &[
            ([30_000, 30_000, 30_000], FLYING),
            ([29_900, 30_100, 29_950], FLYING),
        ],
    );
    put(&store, &hostile, &h).await;

    let monza = session(
        MONZA,
        "monza",
        "porsche_992_gt3_r",
        "Margot",
        SessionType::Practice,
        DAY1 + 3 * DAY,
    );
    let m = laps(
        &monza,
        &[
            ([37_000, 38_500, 31_200], FLYING),
            ([36_800, 38_300, 31_000], FLYING),
        ],
    );
    put(&store, &monza, &m).await;

    let other = session(
        OTHER_DRIVER,
        "brands_hatch",
        mclaren,
        "Kai",
        SessionType::Practice,
        DAY1 + 3 * DAY + 2 * HOUR,
    );
    let o = laps(
        &other,
        &[
            ([28_600, 22_300, 35_100], FLYING),
            ([28_450, 22_100, 35_000], FLYING),
        ],
    );
    put(&store, &other, &o).await;
    store
}

/// The whole router over `store` and `hub`.
pub fn app(store: AnyStore, hub: LiveHub) -> Router {
    // Every request of a test comes from one client: no rate limit.
    let config = ServerConfig {
        rate_limit_per_minute: 0,
        ..ServerConfig::default()
    };
    pitwall_server::router(AppState::new(store, hub, config))
}

/// A response, its headers and its body as text.
pub struct Got {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// `GET uri` with extra headers.
pub async fn get_with(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Got {
    let mut request = Request::get(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    Got {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// `GET uri`.
pub async fn get(router: &Router, uri: &str) -> Got {
    get_with(router, uri, &[]).await
}

/// HTML with one tag per line, for readable snapshots and diffs.
pub fn lines(html: &str) -> String {
    html.replace("><", ">\n<")
}
