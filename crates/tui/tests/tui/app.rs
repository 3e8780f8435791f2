//! The app's reactions: keys to actions, selections kept across readings of the store, a
//! personal best opened at its lap, and the running lap's invalid sector.

use crate::common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pitwall_core::model::SessionId;
use pitwall_live::LiveEvent;
use pitwall_tui::App;
use pitwall_tui::app::{Action, View};
use pitwall_tui::feed::FeedMsg;
use pitwall_tui::history::History;
use pitwall_tui::theme::Theme;

fn press(app: &mut App, code: KeyCode) -> Action {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The fixture's history with one more session on top (a copy of the latest, id `id`).
fn with_newer(history: &History, id: u64) -> History {
    let mut newer = history.clone();
    let mut session = newer.sessions[0].clone();
    session.info.id = SessionId(id);
    session.info.started_at_ms += 3_600_000;
    newer.sessions.insert(0, session);
    newer
}

#[test]
fn keys_quit_reload_and_redraw() {
    let mut app = App::new(Theme::colour(), common::LIVE_URL);
    assert_eq!(press(&mut app, KeyCode::Char('q')), Action::Quit);
    assert_eq!(press(&mut app, KeyCode::Char('r')), Action::Reload);
    assert_eq!(press(&mut app, KeyCode::Char('x')), Action::None);
    assert_eq!(press(&mut app, KeyCode::Tab), Action::Redraw);
    assert_eq!(press(&mut app, KeyCode::Char('?')), Action::Redraw);
    assert_eq!(
        press(&mut app, KeyCode::Char('q')),
        Action::None,
        "q does nothing behind the help"
    );
    assert_eq!(press(&mut app, KeyCode::Esc), Action::Redraw);
    assert_eq!(press(&mut app, KeyCode::Char('q')), Action::Quit);
}

#[test]
fn the_newest_session_stays_on_top_unless_another_was_picked() {
    let history = common::history();
    let mut app = App::new(Theme::colour(), common::LIVE_URL);
    app.on_history(Ok(history.clone()));
    press(&mut app, KeyCode::Char('2'));
    app.on_history(Ok(with_newer(&history, 1)));
    assert_eq!(
        app.selected_session_id(),
        Some(SessionId(1)),
        "on the newest"
    );

    // Picked: Monza (second of the fixture) stays selected when a newer session comes in.
    let mut app = App::new(Theme::colour(), common::LIVE_URL);
    app.on_history(Ok(history.clone()));
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Down);
    let monza = app.selected_session_id();
    app.on_history(Ok(with_newer(&history, 1)));
    assert_eq!(app.selected_session_id(), monza);
    assert_eq!(app.nav.sessions.selected(), 2);

    // Open: the session stays on screen.
    let mut app = App::new(Theme::colour(), common::LIVE_URL);
    app.on_history(Ok(history.clone()));
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    app.on_history(Ok(with_newer(&history, 1)));
    assert_eq!(app.nav.view(), View::Laps);
    assert_eq!(
        app.selected_session_id(),
        Some(SessionId(common::LIVE_SESSION))
    );
}

#[test]
fn a_personal_best_opens_at_its_lap() {
    let mut app = App::new(Theme::colour(), common::LIVE_URL);
    app.on_history(Ok(common::history()));
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.nav.view(), View::Lap);
    assert_eq!(
        app.selected_session_id(),
        Some(SessionId(common::LIVE_SESSION))
    );
    assert_eq!(app.nav.laps.selected(), 4, "lap 5, 1:46.871");
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let monza = app
        .history
        .position(app.selected_session_id().unwrap())
        .unwrap();
    assert_eq!(app.history.sessions[monza].info.track, "monza");
    assert_eq!(app.nav.laps.selected(), 1, "lap 2, 1:48.512");
}

#[test]
fn the_running_lap_remembers_where_it_was_invalidated() {
    let mut app = common::live_app(Theme::colour());
    assert_eq!(
        app.live.state.lap.as_ref().and_then(|l| l.invalid_sector),
        Some(1),
        "the tick in sector 2 said invalid"
    );
    app.on_feed(FeedMsg::Event(Box::new(LiveEvent::LapStarted {
        lap_id: "00000000000001fa".into(),
        number: 7,
        at_ms: 0,
        out_lap: false,
        partial: false,
    })));
    assert_eq!(
        app.live.state.lap.as_ref().and_then(|l| l.invalid_sector),
        None,
        "a new lap starts valid"
    );
    let stored = app.on_feed(FeedMsg::Event(Box::new(LiveEvent::SectorCompleted {
        lap_id: "00000000000001fa".into(),
        sector: 0,
        time_ms: Some(35_000),
        valid: false,
        at_ms: 35_000,
        delta_ms: None,
    })));
    assert!(!stored, "a sector is not a stored lap");
    assert_eq!(
        app.live.state.lap.as_ref().and_then(|l| l.invalid_sector),
        Some(0)
    );
    let lap = app.live.state.lap.clone().unwrap();
    assert_eq!(lap.sectors, [Some(35_000)]);
    assert_eq!(lap.invalid_sector, Some(0));
    assert!(!lap.valid);

    // The pitwall goes away: the running lap goes, the laps stay.
    app.on_feed(FeedMsg::Down {
        reason: "the connection was closed".into(),
        retry_in: std::time::Duration::from_millis(250),
    });
    assert!(app.live.state.lap.is_none());
    assert!(!app.live.state.laps.is_empty());
}

#[test]
fn history_reads_sessions_and_bests_from_the_store() {
    let history = common::history();
    let tracks: Vec<&str> = history
        .sessions
        .iter()
        .map(|s| s.info.track.as_str())
        .collect();
    assert_eq!(
        tracks,
        ["brands_hatch", "monza", "brands_hatch"],
        "newest first"
    );
    assert_eq!(history.sessions[0].laps.len(), 5);
    let bests: Vec<(&str, u32, Option<u32>)> = history
        .bests
        .iter()
        .map(|b| (b.record.track.as_str(), b.record.time_ms, b.theoretical_ms))
        .collect();
    assert_eq!(
        bests,
        [
            ("brands_hatch", 106_871, Some(35_001 + 36_900 + 34_951)),
            ("monza", 108_512, Some(108_512)),
        ]
    );
    let reference = history.reference(&history.sessions[2].info);
    assert_eq!(
        reference.pb_ms,
        Some(106_871),
        "all-time, later sessions included"
    );
    assert_eq!(
        reference.best_sectors,
        [Some(35_001), Some(36_900), Some(34_951)]
    );
}
