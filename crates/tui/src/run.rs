//! The loop: terminal events, live feed messages and store readings in; a redraw when
//! something changed, at most one per [`MIN_FRAME`] (20 a second) and never without a
//! reason: between events the loop sleeps.

use std::io;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::{Stream, StreamExt as _};
use pitwall_store::Reads;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::app::{Action, App};
use crate::error::TuiError;
use crate::feed::{self, FeedMsg};
use crate::history;
use crate::theme::Theme;
use crate::ui;

/// The shortest time between two redraws.
pub const MIN_FRAME: Duration = Duration::from_millis(50);

/// What `pitwall tui` is given.
#[derive(Clone, Debug)]
pub struct Options {
    /// The pitwall to follow live: `http://HOST:PORT`.
    pub live_url: String,
    /// Colours or not (see [`Theme::from_env`]).
    pub theme: Theme,
}

/// Runs the terminal UI on this terminal until the user quits: history from `store`, live
/// timing from the pitwall at `options.live_url`.
pub async fn run<S>(store: S, options: Options) -> Result<(), TuiError>
where
    S: Reads + Clone + Send + Sync + 'static,
{
    let url = feed::feed_url(&options.live_url)?;
    let (tx, rx) = mpsc::channel(256);
    let follower = tokio::spawn(feed::follow(url, tx));
    let mut app = App::new(options.theme, options.live_url.trim_end_matches('/'));
    let mut terminal = ratatui::try_init().map_err(TuiError::Terminal)?;
    let result = drive(&mut terminal, EventStream::new(), rx, store, &mut app).await;
    let restored = ratatui::try_restore().map_err(TuiError::Terminal);
    follower.abort();
    result.map(|_| ()).and(restored)
}

/// What a run of the loop did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopStats {
    /// Frames drawn.
    pub draws: u64,
    /// Readings of the store started.
    pub loads: u64,
}

/// The loop, on any terminal and any stream of terminal events (tests drive it with a
/// `TestBackend` and made-up events): runs until a key quits, or the events end.
pub async fn drive<B, S>(
    terminal: &mut Terminal<B>,
    mut events: impl Stream<Item = io::Result<Event>> + Unpin,
    mut feed: mpsc::Receiver<FeedMsg>,
    store: S,
    app: &mut App,
) -> Result<LoopStats, TuiError>
where
    B: Backend,
    B::Error: std::fmt::Display,
    S: Reads + Clone + Send + Sync + 'static,
{
    let (history_tx, mut history_rx) = mpsc::channel(1);
    let mut stats = LoopStats::default();
    let mut loader: Option<tokio::task::JoinHandle<()>> = None;
    let mut reload = true;
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    let mut feed_open = true;
    let result = loop {
        if reload && loader.is_none() {
            let store = store.clone();
            let tx = history_tx.clone();
            loader = Some(tokio::spawn(async move {
                let result = history::load(&store).await.map_err(|e| error_text(&e));
                let _gone = tx.send(result).await;
            }));
            stats.loads += 1;
            reload = false;
        }
        let now = Instant::now();
        let due = last_draw.map_or(now, |t| t + MIN_FRAME);
        if dirty && now >= due {
            if let Err(e) = terminal.draw(|frame| ui::render(frame, app)) {
                break Err(TuiError::Terminal(io::Error::other(e.to_string())));
            }
            stats.draws += 1;
            last_draw = Some(now);
            dirty = false;
        }
        let wake = dirty.then_some(due);
        tokio::select! {
            event = events.next() => match event {
                None => break Ok(()),
                Some(Err(e)) => break Err(TuiError::Terminal(e)),
                Some(Ok(Event::Key(key))) => match app.on_key(key) {
                    Action::Quit => break Ok(()),
                    Action::Reload => {
                        reload = true;
                        dirty = true;
                    }
                    Action::Redraw => dirty = true,
                    Action::None => {}
                },
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
            },
            msg = feed.recv(), if feed_open => match msg {
                Some(msg) => {
                    reload |= app.on_feed(msg);
                    dirty = true;
                }
                None => feed_open = false,
            },
            Some(result) = history_rx.recv() => {
                app.on_history(result);
                loader = None;
                dirty = true;
            }
            () = sleep_until(wake), if wake.is_some() => {}
        }
    };
    if let Some(loader) = loader {
        loader.abort();
    }
    result.map(|()| stats)
}

async fn sleep_until(when: Option<Instant>) {
    if let Some(when) = when {
        tokio::time::sleep_until(when).await;
    }
}

/// An error and its causes, for the screen.
fn error_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
