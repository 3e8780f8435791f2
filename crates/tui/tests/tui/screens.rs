//! Snapshots of every screen drawn on ratatui's `TestBackend`: wide with colours (the text,
//! then a map of which cells have which colour), narrow (40 columns) without colour as
//! `NO_COLOR` asks, and the screens the user sees before the data is there. Screens are
//! reached through key presses, as a user reaches them.

use crate::common;

use std::time::Duration;

use common::{LIVE_URL, has_colour, history, live_app, screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use pitwall_tui::App;
use pitwall_tui::feed::FeedMsg;
use pitwall_tui::theme::Theme;

fn press(app: &mut App, codes: &[KeyCode]) {
    for &code in codes {
        app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

/// Both sizes of one screen: wide in colour, narrow without.
fn both(name: &str, keys: &[KeyCode]) {
    let mut app = live_app(Theme::colour());
    press(&mut app, keys);
    assert_snapshot!(format!("{name}_100x30"), screen(&app, 100, 30));
    let mut app = live_app(Theme::no_colour());
    press(&mut app, keys);
    assert!(!has_colour(&app, 40, 30), "NO_COLOR: no colour at all");
    assert_snapshot!(format!("{name}_40x30_no_color"), screen(&app, 40, 30));
}

#[test]
fn live_timing() {
    both("live", &[]);
}

#[test]
fn sessions() {
    both("sessions", &[KeyCode::Char('2'), KeyCode::Down]);
}

#[test]
fn session_laps() {
    both(
        "laps",
        &[
            KeyCode::Char('2'),
            KeyCode::Enter,
            KeyCode::Down,
            KeyCode::Down,
        ],
    );
}

#[test]
fn one_lap() {
    // The invalid lap 3 of the latest session.
    both(
        "lap",
        &[
            KeyCode::Char('2'),
            KeyCode::Enter,
            KeyCode::Down,
            KeyCode::Down,
            KeyCode::Enter,
        ],
    );
}

#[test]
fn personal_bests() {
    both("bests", &[KeyCode::Char('3')]);
}

#[test]
fn help() {
    both("help", &[KeyCode::Char('?')]);
}

#[test]
fn no_pitwall_running_still_shows_history() {
    let mut app = App::new(Theme::colour(), LIVE_URL);
    app.on_history(Ok(history()));
    app.on_feed(FeedMsg::Down {
        reason: "nothing answers".into(),
        retry_in: Duration::from_secs(2),
    });
    assert_snapshot!("live_offline_100x30", screen(&app, 100, 30));
    press(&mut app, &[KeyCode::Tab]);
    let sessions = screen(&app, 100, 30);
    assert!(sessions.contains("Brands Hatch"), "{sessions}");
}

#[test]
fn before_anything_is_there() {
    let mut app = App::new(Theme::no_colour(), LIVE_URL);
    assert_snapshot!("live_connecting_60x12", screen(&app, 60, 12));
    press(&mut app, &[KeyCode::Char('2')]);
    assert_snapshot!("sessions_loading_60x12", screen(&app, 60, 12));
    app.on_history(Ok(Default::default()));
    assert_snapshot!("sessions_empty_60x12", screen(&app, 60, 12));
    app.on_history(Err("database error: unable to open database file".into()));
    let failed = screen(&app, 60, 12);
    assert!(
        failed.contains("Cannot read the store: database error"),
        "{failed}"
    );
}

#[test]
fn resizing_redraws_at_every_size() {
    let mut app = live_app(Theme::colour());
    let mut terminal = common::draw(&app, 120, 40);
    for view in [
        &[][..],
        &[KeyCode::Char('2')],
        &[KeyCode::Enter],
        &[KeyCode::Enter],
        &[KeyCode::Char('3')],
    ] {
        press(&mut app, view);
        for (w, h) in [
            (120, 40),
            (80, 24),
            (40, 30),
            (30, 10),
            (12, 4),
            (1, 1),
            (200, 60),
        ] {
            terminal.backend_mut().resize(w, h);
            terminal
                .draw(|frame| pitwall_tui::ui::render(frame, &app))
                .unwrap();
            let buffer = terminal.backend().buffer();
            assert_eq!((buffer.area.width, buffer.area.height), (w, h));
        }
    }
}
