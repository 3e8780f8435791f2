//! One session on every screen: the dashboard's session page, the live page's board (fed by
//! the events a `pitwall run` sends), the TUI's laps and live screens, and the CSV export
//! must read the same for every lap: the time's colour, the marks, the delta to the session
//! best and to the previous counting lap, and how many laps count.

use crate::common;

use common::{LIVE_SESSION, LIVE_URL, sessions};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pitwall_core::model::{Lap, SessionInfo};
use pitwall_live::{LapJson, LiveEvent, LiveHub, Reference, SessionJson};
use pitwall_store::Store as _;
use pitwall_tui::App;
use pitwall_tui::feed::FeedMsg;
use pitwall_tui::theme::Theme;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a screen says of one lap.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    number: u32,
    /// `session_best`, `personal_best`, `invalid` or `normal`.
    colour: String,
    marks: String,
    delta_best: String,
    delta_prev: String,
}

#[test]
fn every_screen_reads_the_same_laps_the_same() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (_dir, store) = common::seeded_store().await;
        let (info, laps, _) = sessions()
            .into_iter()
            .find(|(i, _, _)| i.id.0 == LIVE_SESSION)
            .unwrap();

        // The live feed as the collector sends it: the references from before the session,
        // then each lap as it completes.
        let prior = pitwall_store::prior::prior(&store, &info).await.unwrap();
        let events = live_events(&info, &laps, &prior);
        let hub = LiveHub::new();
        for event in &events {
            hub.publish(event.clone());
        }

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = pitwall_server::AppState::new(
            store.clone(),
            hub.clone(),
            pitwall_server::ServerConfig::default(),
        );
        let cancel = state.shutdown.clone();
        let server = tokio::spawn(pitwall_server::serve(
            listener,
            pitwall_server::router(state),
            cancel.clone(),
        ));
        let page = get(address, &format!("/sessions/{}", info.id)).await;
        let board = get(address, "/live/board").await;
        cancel.cancel();
        server.await.unwrap().unwrap();

        let mut csv = Vec::new();
        pitwall_store::export::export_csv(
            &store,
            &pitwall_store::export::SessionFilter::default(),
            &mut csv,
            |_| {},
        )
        .await
        .unwrap();
        let history = pitwall_tui::history::load(&store).await.unwrap();
        store.close().await;

        let web = html_rows(section(&page, "<tbody>", "</tbody>"));
        let mut live_web = html_rows(section(&board, "id=\"last-body\"", "</tbody>"));
        live_web.reverse();
        let csv = csv_rows(&String::from_utf8(csv).unwrap(), &info);

        let mut app = App::new(Theme::no_colour(), LIVE_URL);
        app.on_history(Ok(history));
        app.on_feed(FeedMsg::Connected);
        for event in events {
            app.on_feed(FeedMsg::Event(Box::new(event)));
        }
        let live_tui = tui_rows(&common::screen(&app, 120, 30));
        // The sessions list (newest first: the live session), then its laps.
        for code in [KeyCode::Char('2'), KeyCode::Enter] {
            app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
        }
        let laps_screen = common::screen(&app, 120, 30);
        let mut tui = tui_rows(&laps_screen);
        tui.sort_by_key(|s| s.number);
        let mut live_tui = live_tui;
        live_tui.sort_by_key(|s| s.number);

        assert_eq!(web.len(), laps.len(), "{page}");
        assert_eq!(web, live_web, "session page and live page");
        assert_eq!(web, tui, "session page and TUI laps screen");
        assert_eq!(web, live_tui, "session page and TUI live screen");
        assert_eq!(web, csv, "session page and CSV");

        // And what they agree on is what a racer expects of this session.
        let lap = |n: u32| web.iter().find(|s| s.number == n).unwrap();
        assert_eq!(lap(1).marks, "OUT");
        assert_eq!(
            lap(2).marks,
            "PB",
            "faster than the PB of the earlier session"
        );
        assert_eq!(lap(3).marks, "INVALID (S2)");
        assert_eq!(lap(3).colour, "invalid");
        assert_eq!(lap(2).delta_prev, "-", "the out-lap is no previous lap");
        assert_eq!(
            lap(4).delta_prev,
            "-0.343",
            "lap 4 against lap 2, not the invalid lap 3"
        );
        assert_eq!(lap(5).colour, "session_best");
        assert!(
            page.contains("3 counting"),
            "the session page counts 3 laps"
        );
        assert!(board.contains("3 counting"), "so does the live page");
        assert!(laps_screen.contains("5 laps (3 counting)"), "{laps_screen}");
    });
}

/// The feed of the session: started with its references, then every lap.
fn live_events(
    info: &SessionInfo,
    laps: &[Lap],
    prior: &pitwall_core::stats::Prior,
) -> Vec<LiveEvent> {
    let reference = Reference {
        pb_ms: prior.pb_ms,
        pb_sectors: Vec::new(),
        best_sectors: prior.sectors.clone(),
        theoretical_best_ms: None,
    };
    let table = pitwall_core::stats::lap_table(laps, 3, prior);
    let mut events = vec![LiveEvent::SessionStarted {
        session: SessionJson::of(info, None),
        reference: Some(reference),
    }];
    for row in &table.rows {
        events.push(LiveEvent::LapCompleted {
            lap: LapJson::of(row.lap),
            personal_best: row.personal_best,
            session_best: table.best.is_some_and(|b| b.id == row.lap.id),
            delta_ms: None,
        });
    }
    events
}

/// A GET over a plain connection, the body.
async fn get(address: std::net::SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{path}: {response}");
    response
}

fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {text}"));
    let rest = &text[start..];
    &rest[..rest.find(to).unwrap()]
}

/// The text of some markup.
fn text(markup: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in markup.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The lap rows of a table rendered by `laprows`.
fn html_rows(body: &str) -> Vec<Seen> {
    body.split("<tr")
        .skip(1)
        .map(|tr| {
            let cells: Vec<&str> = tr.split("<td").skip(1).collect();
            let n = cells.len();
            let time = cells[n - 4];
            let colour = if time.contains("c-sb") {
                "session_best"
            } else if time.contains("c-pb") {
                "personal_best"
            } else if time.contains("c-inv") {
                "invalid"
            } else {
                "normal"
            };
            let marks: Vec<String> = cells[n - 1]
                .split("<span")
                .skip(1)
                .map(|s| text(&format!("<span{s}")))
                .collect();
            Seen {
                number: text(&format!("<td{}", cells[0])).parse().unwrap(),
                colour: colour.to_owned(),
                marks: marks.join(" "),
                delta_best: text(&format!("<td{}", cells[n - 3])),
                delta_prev: text(&format!("<td{}", cells[n - 2])),
            }
        })
        .collect()
}

/// The laps of `info` in the CSV export.
fn csv_rows(csv: &str, info: &SessionInfo) -> Vec<Seen> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let delta = |cell: &str| match cell.parse::<i64>() {
        Ok(ms) => pitwall_core::format::delta(Some(ms)),
        Err(_) => pitwall_core::format::delta(None),
    };
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[col("session_id")] == info.id.to_string())
        .map(|r| Seen {
            number: r[col("number")].parse().unwrap(),
            colour: r[col("time_colour")].to_owned(),
            marks: r[col("marks")].to_owned(),
            delta_best: delta(r[col("delta_best_ms")]),
            delta_prev: delta(r[col("delta_prev_ms")]),
        })
        .collect()
}

/// The lap rows of a TUI lap table (`Lap Time S1 S2 S3 Δ best Δ prev marks`).
fn tui_rows(screen: &str) -> Vec<Seen> {
    let text = screen.split("--- colours ---").next().unwrap();
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.trim_start().starts_with("Lap ") && line.contains("Δ prev") {
            in_table = true;
            continue;
        }
        let tokens: Vec<&str> = line
            .trim_start_matches(|c: char| c == '▶' || c.is_whitespace())
            .split_whitespace()
            .collect();
        let Some(number) = tokens.first().and_then(|t| t.parse::<u32>().ok()) else {
            if in_table && !rows.is_empty() {
                break;
            }
            continue;
        };
        if !in_table || tokens.len() < 7 {
            continue;
        }
        let colour = match tokens[1].chars().next() {
            Some('◆') => "session_best",
            Some('▲') => "personal_best",
            Some('✗') => "invalid",
            _ => "normal",
        };
        rows.push(Seen {
            number,
            colour: colour.to_owned(),
            delta_best: tokens[5].to_owned(),
            delta_prev: tokens[6].to_owned(),
            marks: tokens[7..].join(" "),
        });
    }
    rows
}
