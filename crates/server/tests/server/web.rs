//! The dashboard through the router, as a browser would ask for it: every page rendered
//! against a seeded SQLite store (snapshots of the HTML), timing colours, escaping of
//! hostile strings, the strict-CSP rules (no inline script or style), the size of a 50-lap
//! session page, and the assets' caching headers.

use crate::support;

use axum::http::StatusCode;
use pitwall_acc::enums::SessionType;
use pitwall_live::{LapJson, LiveEvent, LiveHub, Reference, SessionJson};
use support::*;

/// Snapshots with the assets' content hashes masked, so style changes don't churn them.
macro_rules! snapshot {
    ($name:expr, $html:expr) => {
        insta::with_settings!({ filters => vec![(r"\?v=[0-9a-f]{16}", "?v=[hash]")] }, {
            insta::assert_snapshot!($name, lines(&$html));
        })
    };
}

async fn seeded() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    (dir, app(store, LiveHub::new()))
}

#[tokio::test]
async fn sessions_page_lists_sessions_newest_first_with_readable_names() {
    let (_dir, app) = seeded().await;
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers["content-type"].to_str().unwrap(),
        "text/html; charset=utf-8"
    );
    let body = &page.body;
    assert!(body.contains("Brands Hatch") && body.contains("McLaren 720S GT3 Evo"));
    assert!(body.contains("Porsche 911 GT3 R (992)") && body.contains("Qualifying"));
    // Newest first: Kai's session (day 4) before the practice (day 1).
    let kai = body.find("Kai").unwrap();
    let first = body.find(&format!("/sessions/{PRACTICE}")).unwrap();
    assert!(kai < first);
    // The practice's best counting lap: 1:24.855 (lap 3), not the faster invalid lap 4.
    assert!(body.contains("1:24.855"));
    snapshot!("sessions", page.body);
}

#[tokio::test]
async fn session_page_colours_laps_as_racers_expect() {
    let (_dir, app) = seeded().await;
    let page = get(&app, &format!("/sessions/{QUALIFY}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows: Vec<&str> = page.body.split("<tr").skip(2).collect();
    // Out-lap, 4 flying laps (one invalid), header excluded, theoretical row last.
    assert_eq!(rows.len(), 7, "{rows:#?}");
    assert!(rows[0].contains("class=\"pit\"") && rows[0].contains(">OUT<"));
    // Lap 2 (1:24.850) beats the practice PB (1:24.855): green, and tagged PB.
    assert!(rows[1].contains("num lt c-pb") && rows[1].contains(">PB<"));
    // Lap 3 (1:24.500): a PB again, green; later beaten in the session.
    assert!(rows[2].contains("num lt c-pb") && rows[2].contains(">PB<"));
    // Lap 4, the fastest but invalid: red, struck through, tagged with its sector.
    assert!(rows[3].contains("class=\"inv\"") && rows[3].contains("INVALID (S3)"));
    assert!(rows[3].contains("num lt c-inv"));
    // Lap 5 (1:24.470): the session best, purple (and a PB).
    assert!(rows[4].contains("num lt c-sb") && rows[4].contains(">PB<"));
    // Lap 6 (1:24.665): neither.
    assert!(rows[5].contains("class=\"num lt\"") && !rows[5].contains(">PB<"));
    // Deltas to the session best and the previous lap.
    assert!(rows[5].contains("+0.195") && rows[5].contains("+0.195"));
    // Theoretical best: the best valid flying sectors 27.950 + 21.820 + 34.650.
    assert!(rows[6].contains("Theor.") && rows[6].contains("1:24.420"));
    assert!(page.body.contains("<svg class=\"chart\""));
    snapshot!("session", page.body);
}

#[tokio::test]
async fn bests_page_has_pbs_per_driver_progression_and_consistency() {
    let (_dir, app) = seeded().await;
    let page = get(&app, "/bests").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // Brands Hatch: Margot's 1:24.470 and Kai's 1:25.550, one section, two charts.
    assert!(body.contains("1:24.470") && body.contains("1:25.550"));
    assert_eq!(body.matches("<section class=\"combo\"").count(), 3);
    assert_eq!(body.matches("<figure class=\"progression\"").count(), 4);
    assert!(body.contains("PB progression · Margot · 5 personal bests set"));
    assert!(body.contains("Date (UTC)") && body.contains("Lap time (m:ss.mmm)"));
    snapshot!("bests", page.body);
}

#[tokio::test]
async fn live_page_renders_the_current_state_and_loads_its_script() {
    let dir = tempfile::tempdir().unwrap();
    let hub = LiveHub::new();
    let app = app(empty_store(dir.path()).await, hub.clone());
    let empty = get(&app, "/live").await;
    assert!(empty.body.contains("No session yet"));
    assert!(empty.body.contains("/assets/live.js?v="));

    let mut info = session(
        QUALIFY,
        "spa",
        "bmw_m4_gt3",
        "Margot",
        SessionType::Qualify,
        DAY1,
    );
    info.sector_count = 3;
    hub.publish(LiveEvent::SessionStarted {
        session: SessionJson::of(&info, None),
        reference: Some(Reference {
            pb_ms: Some(137_000),
            pb_sectors: vec![Some(42_000), Some(60_000), Some(35_000)],
            best_sectors: vec![Some(41_900), Some(59_800), Some(34_900)],
            theoretical_best_ms: Some(136_600),
        }),
    });
    let done = laps(&info, &[([42_100, 59_700, 35_050], FLYING)]);
    hub.publish(LiveEvent::LapCompleted {
        lap: LapJson::of(&done[0]),
        personal_best: false,
        session_best: true,
        delta_ms: Some(-150),
    });
    hub.publish(LiveEvent::LapStarted {
        lap_id: "00000000000000aa".into(),
        number: 2,
        at_ms: DAY1 + 200_000,
        out_lap: false,
        partial: false,
    });
    hub.publish(LiveEvent::SectorCompleted {
        lap_id: "00000000000000aa".into(),
        sector: 0,
        time_ms: Some(41_800),
        valid: true,
        at_ms: DAY1 + 241_800,
        delta_ms: Some(-200),
    });
    hub.publish(LiveEvent::Tick {
        lap_id: "00000000000000aa".into(),
        current_ms: 50_123,
        sector: 1,
        valid: true,
        at_ms: DAY1 + 250_123,
    });
    let page = get(&app, "/live").await;
    let body = &page.body;
    assert!(body.contains("Spa-Francorchamps · BMW M4 GT3"));
    assert!(body.contains(">0:50.123<") && body.contains(">-0.200<"));
    assert!(body.contains(">41.800<") && body.contains(">2:16.850<"));
    snapshot!("live", page.body);
}

#[tokio::test]
async fn hostile_strings_are_shown_as_text_on_every_page() {
    let (_dir, app) = seeded().await;
    for uri in ["/", &format!("/sessions/{HOSTILE}"), "/bests"] {
        let body = get(&app, uri).await.body;
        assert!(!body.contains("<script>alert"), "{uri}: raw script");
        assert!(!body.contains("<b>bold"), "{uri}: raw markup");
        assert!(
            body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{uri}: track shown escaped"
        );
        assert!(
            body.contains("O'Brien &amp; &quot;Sons&quot; &lt;b&gt;bold&lt;/b&gt;"),
            "{uri}: driver shown escaped"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let hub = LiveHub::new();
    let live = app_with_hostile_session(&hub, dir.path()).await;
    let body = get(&live, "/live").await.body;
    assert!(!body.contains("<script>alert") && !body.contains("<b>bold"));
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    hub.publish(LiveEvent::Status {
        connected: true,
        message: "<img src=x onerror=alert(2)>".into(),
    });
    let body = get(&live, "/live").await.body;
    assert!(body.contains("&lt;img src=x onerror=alert(2)&gt;"));
}

async fn app_with_hostile_session(hub: &LiveHub, dir: &std::path::Path) -> axum::Router {
    let info = session(
        HOSTILE,
        HOSTILE_TRACK,
        "ferrari_296_gt3",
        HOSTILE_DRIVER,
        SessionType::Race,
        DAY1,
    );
    hub.publish(LiveEvent::SessionStarted {
        session: SessionJson::of(&info, None),
        reference: None,
    });
    app(empty_store(dir).await, hub.clone())
}

/// Every start tag of a page.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter_map(|t| t.split('>').next())
        .filter(|t| !t.starts_with('/') && !t.starts_with('!'))
}

#[tokio::test]
async fn pages_keep_to_a_strict_content_security_policy() {
    let (_dir, app) = seeded().await;
    for uri in [
        "/",
        &format!("/sessions/{QUALIFY}"),
        "/bests",
        "/live",
        "/sessions/ffff",
    ] {
        let body = get(&app, uri).await.body;
        let mut scripts = 0;
        for tag in tags(&body) {
            let name = tag.split_whitespace().next().unwrap_or("");
            if name == "script" {
                scripts += 1;
                assert!(
                    tag.contains(" src=\"/assets/"),
                    "{uri}: inline script {tag}"
                );
            }
            assert!(!tag.contains(" style="), "{uri}: inline style {tag}");
            let handler = tag
                .split_whitespace()
                .skip(1)
                .any(|attr| attr.starts_with("on") && attr.contains('='));
            assert!(!handler, "{uri}: event handler attribute {tag}");
            for attr in ["href=\"", "src=\""] {
                if let Some(rest) = tag.split(attr).nth(1) {
                    assert!(rest.starts_with('/'), "{uri}: off-site resource {tag}");
                }
            }
        }
        assert!(scripts >= 1, "{uri}: app.js");
        assert!(!body.contains("<style"), "{uri}: style element");
    }
}

#[tokio::test]
async fn a_fifty_lap_session_page_stays_under_100_kb() {
    let dir = tempfile::tempdir().unwrap();
    let store = empty_store(dir.path()).await;
    let info = session(
        PRACTICE,
        "nurburgring",
        "porsche_992_gt3_r",
        "Margot",
        SessionType::Race,
        DAY1,
    );
    let spec: Vec<([u32; 3], Kind)> = (0..50u32)
        .map(|i| {
            let kind = match i {
                0 => OUT,
                49 => IN,
                i if i % 7 == 3 => cut(1),
                _ => FLYING,
            };
            let j = (i * 37) % 23;
            ([37_000 + j * 13, 41_000 + j * 29, 35_500 + j * 7], kind)
        })
        .collect();
    put(&store, &info, &laps(&info, &spec)).await;
    let app = app(store, LiveHub::new());
    let page = get(&app, &format!("/sessions/{PRACTICE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<tr").count(), 1 + 50 + 1);
    assert_eq!(page.body.matches("<circle").count(), 48, "flying laps only");
    let kb = page.body.len() as f64 / 1024.0;
    println!("50-lap session page: {kb:.1} KiB");
    assert!(page.body.len() <= 100 * 1024, "{kb:.1} KiB");
}

#[tokio::test]
async fn unknown_and_malformed_session_ids_are_not_found() {
    let (_dir, app) = seeded().await;
    for uri in [
        "/sessions/ffff",
        "/sessions/not-hex",
        "/sessions/00000000000000000001",
    ] {
        let page = get(&app, uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("There is no session with that id."));
    }
}

#[tokio::test]
async fn assets_are_cached_by_content_hash_and_revalidated_by_etag() {
    let (_dir, app) = seeded().await;
    let home = get(&app, "/").await.body;
    let css_url = home
        .split("href=\"")
        .map(|s| s.split('"').next().unwrap_or(""))
        .find(|s| s.starts_with("/assets/app.css?v="))
        .unwrap()
        .to_owned();
    let css = get(&app, &css_url).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(
        css.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(css.body.contains("--purple"));
    let etag = css.headers["etag"].to_str().unwrap().to_owned();

    let stale = get(&app, "/assets/app.css?v=old").await;
    assert_eq!(stale.headers["cache-control"], "no-cache");
    let again = get_with(&app, "/assets/app.css", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    for (name, kind) in [
        ("app.js", "text/javascript; charset=utf-8"),
        ("live.js", "text/javascript; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
        ("names.json", "application/json"),
    ] {
        let got = get(&app, &format!("/assets/{name}")).await;
        assert_eq!(got.status, StatusCode::OK, "{name}");
        assert_eq!(got.headers["content-type"], kind, "{name}");
    }
    let names: serde_json::Value =
        serde_json::from_str(&get(&app, "/assets/names.json").await.body).unwrap();
    assert_eq!(names["tracks"]["brands_hatch"], "Brands Hatch");
    assert_eq!(names["cars"]["bmw_m2_cs_racing"], "BMW M2 CS Racing");
    assert_eq!(names["session_types"]["QUALIFY"], "Qualifying");
    assert_eq!(
        get(&app, "/assets/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
}
