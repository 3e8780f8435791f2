//! Fixtures shared by the tests: three stored sessions (two at Brands Hatch in the McLaren,
//! one at Monza in the Ferrari) in a temporary SQLite store, and a live session fed through
//! the same events a `pitwall run` sends.

#![allow(dead_code, unreachable_pub)]

use pitwall_acc::enums::SessionType;
use pitwall_core::model::{Lap, LapId, SessionId, SessionInfo};
use pitwall_live::{LapJson, LiveEvent, LiveState, Reference, SessionJson};
use pitwall_store::{SessionWrites as _, Store as _, Upload};
use pitwall_tui::App;
use pitwall_tui::feed::FeedMsg;
use pitwall_tui::history::{self, History};
use pitwall_tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

/// 2026-05-03 14:02 UTC.
pub const LATEST: u64 = 1_777_816_920_000;
/// 2026-05-02 09:15 UTC.
pub const MONZA: u64 = 1_777_713_300_000;
/// 2026-05-01 18:30 UTC.
pub const OLDER: u64 = 1_777_660_200_000;

pub const LIVE_URL: &str = "http://127.0.0.1:8080";

/// A lap's shape: (time, sectors, valid, invalid sector, out, in).
type Shape = (u32, [u32; 3], bool, Option<u8>, bool, bool);

const FLY: (bool, Option<u8>, bool, bool) = (true, None, false, false);

fn shape(time: u32, s: [u32; 3], kind: (bool, Option<u8>, bool, bool)) -> Shape {
    (time, s, kind.0, kind.1, kind.2, kind.3)
}

pub fn info(id: u64, track: &str, car: &str, kind: SessionType, start: u64) -> SessionInfo {
    SessionInfo {
        id: SessionId(id),
        track: track.into(),
        car: car.into(),
        session_type: kind,
        driver: "Margot Rossi".into(),
        sector_count: 3,
        session_index: 0,
        started_at_ms: start,
        sm_version: "1.9".into(),
        ac_version: "1.10".into(),
        online: false,
        joined_late: false,
        conditions: None,
    }
}

/// Laps one after the other from `start` (plus a 30 s wait in the pits).
fn laps(session: u64, first_id: u64, start: u64, shapes: &[Shape]) -> Vec<Lap> {
    let mut at = start + 30_000;
    shapes
        .iter()
        .enumerate()
        .map(
            |(i, &(time, sectors, valid, invalid_sector, out_lap, in_lap))| {
                let lap = Lap {
                    id: LapId(first_id + i as u64),
                    session: SessionId(session),
                    number: i as u32 + 1,
                    time_ms: time,
                    sectors: sectors.iter().map(|&s| Some(s)).collect(),
                    valid,
                    invalid_sector,
                    out_lap,
                    in_lap,
                    partial: false,
                    started_at_ms: at,
                    completed_at_ms: at + u64::from(time),
                    car: Default::default(),
                    driver: String::new(),
                };
                at += u64::from(time);
                lap
            },
        )
        .collect()
}

pub const LIVE_SESSION: u64 = 0xb0b0_0000_0000_0002;

/// Laps driven in `car` by the fixtures' one driver (the player's, as the tracker stores them).
fn driven(car: &str, mut laps: Vec<Lap>) -> Vec<Lap> {
    for lap in &mut laps {
        lap.car = pitwall_core::model::Car::new(0, car);
        lap.driver = "Margot Rossi".into();
    }
    laps
}

/// The sessions: the live one at Brands Hatch (latest), Monza, and an older Brands Hatch.
pub fn sessions() -> Vec<(SessionInfo, Vec<Lap>, Option<u64>)> {
    raw_sessions()
        .into_iter()
        .map(|(info, laps, end)| {
            let laps = driven(&info.car, laps);
            (info, laps, end)
        })
        .collect()
}

fn raw_sessions() -> Vec<(SessionInfo, Vec<Lap>, Option<u64>)> {
    let brands = "brands_hatch";
    let mclaren = "mclaren_720s_gt3_evo";
    let out = (true, None, true, false);
    let inn = (true, None, false, true);
    vec![
        (
            info(
                0xb0b0_0000_0000_0001,
                brands,
                mclaren,
                SessionType::Practice,
                OLDER,
            ),
            laps(
                0xb0b0_0000_0000_0001,
                100,
                OLDER,
                &[
                    shape(125_000, [51_000, 39_000, 35_000], out),
                    shape(107_900, [35_200, 37_500, 35_200], FLY),
                    shape(107_650, [35_100, 37_450, 35_100], FLY),
                    shape(115_000, [35_500, 37_500, 42_000], inn),
                ],
            ),
            Some(OLDER + 600_000),
        ),
        (
            info(
                0x3030_0000_0000_0003,
                "monza",
                "ferrari_296_gt3",
                SessionType::Qualify,
                MONZA,
            ),
            laps(
                0x3030_0000_0000_0003,
                200,
                MONZA,
                &[
                    shape(130_000, [55_000, 40_000, 35_000], out),
                    shape(108_512, [36_100, 37_212, 35_200], FLY),
                    shape(
                        108_200,
                        [36_000, 37_100, 35_100],
                        (false, Some(2), false, false),
                    ),
                ],
            ),
            Some(MONZA + 500_000),
        ),
        (
            info(LIVE_SESSION, brands, mclaren, SessionType::Practice, LATEST),
            live_laps(),
            None,
        ),
    ]
}

/// The live session's completed laps.
pub fn live_laps() -> Vec<Lap> {
    let laps = laps(
        LIVE_SESSION,
        300,
        LATEST,
        &[
            shape(124_512, [50_000, 39_412, 35_100], (true, None, true, false)),
            shape(107_345, [35_001, 37_002, 35_342], FLY),
            shape(
                106_901,
                [34_950, 36_800, 35_151],
                (false, Some(1), false, false),
            ),
            shape(107_002, [35_050, 36_950, 35_002], FLY),
            shape(106_871, [35_020, 36_900, 34_951], FLY),
        ],
    );
    driven("mclaren_720s_gt3_evo", laps)
}

/// A temporary SQLite store holding [`sessions`] (gone with the directory).
pub async fn seeded_store() -> (tempfile::TempDir, pitwall_store::AnyStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = pitwall_store::open(dir.path().join("p.db").to_str().unwrap())
        .await
        .unwrap();
    for (info, laps, ended) in sessions() {
        store.upsert_session(&info, Upload::Skip).await.unwrap();
        for lap in &laps {
            store.upsert_lap(lap, Upload::Skip).await.unwrap();
        }
        if let Some(at) = ended {
            store.end_session(info.id, at, Upload::Skip).await.unwrap();
        }
    }
    (dir, store)
}

/// The history of [`sessions`] as read back from a temporary SQLite store.
pub fn history() -> History {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (_dir, store) = seeded_store().await;
        let history = history::load(&store).await.unwrap();
        store.close().await;
        history
    })
}

/// The events of the live session so far: a snapshot taken after the out-lap, the laps since,
/// and lap 6 running, its first sector done (a session best) and invalidated in sector 2.
pub fn live_events() -> Vec<LiveEvent> {
    let (info, _, _) = sessions().pop().unwrap();
    let laps = live_laps();
    let older_best = [Some(35_100), Some(37_450), Some(35_100)];
    let before = Reference {
        pb_ms: Some(107_650),
        pb_sectors: older_best.to_vec(),
        best_sectors: older_best.to_vec(),
        theoretical_best_ms: Some(107_650),
    };
    let mut events = vec![LiveEvent::Snapshot {
        state: Box::new(LiveState {
            connected: true,
            message: "reading ACC from /dev/shm".into(),
            session: Some(SessionJson::of(&info, None)),
            reference: Some(before.clone()),
            prior: Some(before),
            lap: None,
            laps: vec![LapJson::of(&laps[0])],
            session_best_ms: None,
        }),
    }];
    let mut pb = 107_650;
    let mut best: Option<u32> = None;
    for lap in &laps[1..] {
        let counts = lap.valid && !lap.out_lap && !lap.in_lap;
        let personal_best = counts && lap.time_ms < pb;
        let session_best = counts && best.is_none_or(|b| lap.time_ms < b);
        let delta_ms = Some(i64::from(lap.time_ms) - i64::from(pb));
        if personal_best {
            pb = lap.time_ms;
        }
        if session_best {
            best = Some(lap.time_ms);
        }
        events.push(LiveEvent::LapStarted {
            lap_id: LapJson::of(lap).id,
            number: lap.number,
            at_ms: lap.started_at_ms,
            out_lap: false,
            partial: false,
        });
        events.push(LiveEvent::LapCompleted {
            lap: LapJson::of(lap),
            personal_best,
            session_best,
            delta_ms,
        });
    }
    let running = "00000000000001f9".to_owned();
    let start = laps.last().unwrap().completed_at_ms;
    events.extend([
        LiveEvent::LapStarted {
            lap_id: running.clone(),
            number: 6,
            at_ms: start,
            out_lap: false,
            partial: false,
        },
        LiveEvent::SectorCompleted {
            lap_id: running.clone(),
            sector: 0,
            time_ms: Some(34_990),
            valid: true,
            at_ms: start + 34_990,
            delta_ms: Some(-30),
        },
        LiveEvent::Tick {
            lap_id: running.clone(),
            current_ms: 52_345,
            sector: 1,
            valid: false,
            at_ms: start + 52_345,
        },
    ]);
    events
}

/// An app with the history loaded and the live feed connected and played up to now.
pub fn live_app(theme: Theme) -> App {
    let mut app = App::new(theme, LIVE_URL);
    app.on_history(Ok(history()));
    app.on_feed(FeedMsg::Connected);
    for event in live_events() {
        app.on_feed(FeedMsg::Event(Box::new(event)));
    }
    app
}

/// The screen as text, one line per row, trailing spaces cut.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| pitwall_tui::ui::render(frame, app))
        .unwrap();
    terminal
}

/// The screen's text, and under it which cells are coloured: `M` magenta (session best),
/// `G` green, `R` red, `Y` yellow, `B` blue, `.` dark grey, space for none.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut text = Vec::new();
    let mut colours = Vec::new();
    for y in 0..height {
        let mut line = String::new();
        let mut colour = String::new();
        for x in 0..width {
            let cell = &buffer[(x, y)];
            line.push_str(cell.symbol());
            colour.push(match cell.fg {
                Color::Magenta => 'M',
                Color::Green => 'G',
                Color::Red => 'R',
                Color::Yellow => 'Y',
                Color::Blue => 'B',
                Color::DarkGray => '.',
                Color::Reset => ' ',
                _ => '?',
            });
        }
        text.push(line.trim_end().to_owned());
        colours.push(colour.trim_end().to_owned());
    }
    if colours.iter().all(String::is_empty) {
        return text.join("\n");
    }
    format!(
        "{}\n--- colours ---\n{}",
        text.join("\n"),
        colours.join("\n")
    )
}

/// Whether any cell of the screen has a colour.
pub fn has_colour(app: &App, width: u16, height: u16) -> bool {
    let terminal = draw(app, width, height);
    terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .any(|c| c.fg != Color::Reset || c.bg != Color::Reset)
}
