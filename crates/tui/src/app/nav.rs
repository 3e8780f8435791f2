//! Navigation: which screen is shown, the selection in each list, and what each key does.
//! Pure state, no drawing and no I/O, so that every move is unit-tested.
//!
//! The screens: `Live`; `Sessions` → a session's `Laps` → one `Lap`; personal `Bests`.
//! Tab/Shift-Tab and 1–3 switch between the three top-level screens (each remembers where it
//! was); Enter goes down, Esc/Backspace/← up; ↑/↓ (or k/j), PgUp/PgDn and Home/End move
//! the selection (on a lap, to the previous or next lap).

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Rows a page key moves.
pub const PAGE: usize = 10;

/// The top-level screens, in tab order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Live timing.
    #[default]
    Live,
    /// Sessions, their laps and each lap.
    Sessions,
    /// Personal bests per track and car.
    Bests,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 3] = [Tab::Live, Tab::Sessions, Tab::Bests];

    /// The tab's name.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Live => "Live",
            Tab::Sessions => "Sessions",
            Tab::Bests => "Bests",
        }
    }

    fn index(self) -> usize {
        match self {
            Tab::Live => 0,
            Tab::Sessions => 1,
            Tab::Bests => 2,
        }
    }

    fn shifted(self, by: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        let i = (self.index() as isize + by).rem_euclid(n);
        Tab::ALL[i as usize]
    }
}

/// What is on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Live timing.
    Live,
    /// The list of sessions.
    Sessions,
    /// The laps of the selected session.
    Laps,
    /// The selected lap.
    Lap,
    /// Personal bests.
    Bests,
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Leave.
    Quit,
    /// The next top-level screen.
    NextTab,
    /// The previous top-level screen.
    PrevTab,
    /// A given top-level screen.
    Goto(Tab),
    /// Selection up one.
    Up,
    /// Selection down one.
    Down,
    /// Selection up a page.
    PageUp,
    /// Selection down a page.
    PageDown,
    /// First entry.
    Home,
    /// Last entry.
    End,
    /// Open the selected entry.
    Open,
    /// Back up one level (or close the help).
    Back,
    /// Show or hide the help.
    Help,
    /// Read the history again.
    Reload,
}

/// The command for a key press (`None` for keys that do nothing, and for releases).
pub fn command(key: KeyEvent) -> Option<Command> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Command::Quit,
        KeyCode::Char('q') => Command::Quit,
        KeyCode::Tab => Command::NextTab,
        KeyCode::BackTab => Command::PrevTab,
        KeyCode::Char('1') => Command::Goto(Tab::Live),
        KeyCode::Char('2') => Command::Goto(Tab::Sessions),
        KeyCode::Char('3') => Command::Goto(Tab::Bests),
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::PageUp => Command::PageUp,
        KeyCode::PageDown => Command::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Command::Home,
        KeyCode::End | KeyCode::Char('G') => Command::End,
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => Command::Open,
        KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => Command::Back,
        KeyCode::Char('?') => Command::Help,
        KeyCode::Char('r') => Command::Reload,
        _ => return None,
    })
}

/// A selection in a list of `len` entries, with the scroll offset the last drawing used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListNav {
    selected: usize,
    len: usize,
    offset: Cell<usize>,
}

impl ListNav {
    /// The selected entry (0 when the list is empty).
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sets the number of entries, keeping the selection inside.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// Selects entry `i` (clamped).
    pub fn select(&mut self, i: usize) {
        self.selected = i.min(self.len.saturating_sub(1));
    }

    /// Moves the selection by `by` entries, stopping at the ends.
    pub fn step(&mut self, by: isize) {
        let target = self.selected.saturating_add_signed(by);
        self.select(target);
    }

    /// The scroll offset of the last drawing.
    pub fn offset(&self) -> usize {
        self.offset.get()
    }

    /// Remembers the scroll offset a drawing used (so the view does not jump next time).
    pub fn set_offset(&self, offset: usize) {
        self.offset.set(offset);
    }
}

/// Where the user is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Nav {
    tab: Tab,
    /// 0: the sessions list, 1: a session's laps, 2: one lap.
    depth: u8,
    /// The sessions list.
    pub sessions: ListNav,
    /// The laps of the open session.
    pub laps: ListNav,
    /// The personal bests.
    pub bests: ListNav,
    help: bool,
}

impl Nav {
    /// The current top-level screen.
    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// What is on screen.
    pub fn view(&self) -> View {
        match (self.tab, self.depth) {
            (Tab::Live, _) => View::Live,
            (Tab::Bests, _) => View::Bests,
            (Tab::Sessions, 0) => View::Sessions,
            (Tab::Sessions, 1) => View::Laps,
            (Tab::Sessions, _) => View::Lap,
        }
    }

    /// Whether a session is open (its laps or one of its laps), on screen or not.
    pub fn session_open(&self) -> bool {
        self.depth > 0
    }

    /// Whether the help is shown.
    pub fn help(&self) -> bool {
        self.help
    }

    /// Shows a lap: the sessions screen, session `session`, lap `lap`.
    pub fn show_lap(&mut self, session: usize, laps: usize, lap: usize) {
        self.tab = Tab::Sessions;
        self.sessions.select(session);
        self.laps.set_len(laps);
        self.laps.select(lap);
        self.depth = if self.laps.is_empty() { 1 } else { 2 };
    }

    /// Applies a command. `laps_of(i)` is the number of laps of session `i`. Returns whether
    /// anything changed. `Quit` and `Reload` are for the caller and change nothing here.
    pub fn apply(&mut self, command: Command, laps_of: impl Fn(usize) -> usize) -> bool {
        let before = self.clone();
        if self.help {
            if matches!(command, Command::Help | Command::Back) {
                self.help = false;
            }
            return *self != before;
        }
        match command {
            Command::Quit | Command::Reload => {}
            Command::Help => self.help = true,
            Command::NextTab => self.tab = self.tab.shifted(1),
            Command::PrevTab => self.tab = self.tab.shifted(-1),
            Command::Goto(tab) => self.tab = tab,
            Command::Up => self.step(-1, &laps_of),
            Command::Down => self.step(1, &laps_of),
            Command::PageUp => self.step(-(PAGE as isize), &laps_of),
            Command::PageDown => self.step(PAGE as isize, &laps_of),
            Command::Home => self.step(isize::MIN, &laps_of),
            Command::End => self.step(isize::MAX, &laps_of),
            Command::Open => self.open(&laps_of),
            Command::Back => self.depth = self.depth.saturating_sub(1),
        }
        *self != before
    }

    /// The list the arrows move in on the current screen.
    fn list(&mut self) -> Option<&mut ListNav> {
        match self.view() {
            View::Live => None,
            View::Sessions => Some(&mut self.sessions),
            View::Laps | View::Lap => Some(&mut self.laps),
            View::Bests => Some(&mut self.bests),
        }
    }

    fn step(&mut self, by: isize, laps_of: &impl Fn(usize) -> usize) {
        let session = self.sessions.selected();
        if let Some(list) = self.list() {
            list.step(by);
        }
        // A new session selected: its laps start at the top.
        if self.view() == View::Sessions && self.sessions.selected() != session {
            self.laps = ListNav::default();
            self.laps.set_len(laps_of(self.sessions.selected()));
        }
    }

    fn open(&mut self, laps_of: &impl Fn(usize) -> usize) {
        match self.view() {
            View::Sessions if !self.sessions.is_empty() => {
                self.laps.set_len(laps_of(self.sessions.selected()));
                self.depth = 1;
            }
            View::Laps if !self.laps.is_empty() => self.depth = 2,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn nav(sessions: usize, bests: usize) -> Nav {
        let mut nav = Nav::default();
        nav.sessions.set_len(sessions);
        nav.bests.set_len(bests);
        nav
    }

    fn press(nav: &mut Nav, codes: &[KeyCode]) {
        for &code in codes {
            if let Some(c) = command(key(code)) {
                nav.apply(c, |i| i + 3);
            }
        }
    }

    #[test]
    fn tabs_cycle_both_ways_and_by_number() {
        let mut nav = nav(2, 2);
        assert_eq!(nav.view(), View::Live);
        press(&mut nav, &[KeyCode::Tab]);
        assert_eq!(nav.view(), View::Sessions);
        press(&mut nav, &[KeyCode::Tab, KeyCode::Tab]);
        assert_eq!(nav.view(), View::Live);
        press(&mut nav, &[KeyCode::BackTab]);
        assert_eq!(nav.view(), View::Bests);
        press(&mut nav, &[KeyCode::Char('2')]);
        assert_eq!(nav.tab(), Tab::Sessions);
        press(&mut nav, &[KeyCode::Char('1')]);
        assert_eq!(nav.tab(), Tab::Live);
    }

    #[test]
    fn sessions_open_into_laps_then_a_lap_and_back() {
        let mut nav = nav(5, 0);
        press(
            &mut nav,
            &[KeyCode::Char('2'), KeyCode::Down, KeyCode::Down],
        );
        assert_eq!(nav.sessions.selected(), 2);
        press(&mut nav, &[KeyCode::Enter]);
        assert_eq!(nav.view(), View::Laps);
        assert_eq!(nav.laps.len(), 5, "session 2 has 2 + 3 laps");
        press(&mut nav, &[KeyCode::End, KeyCode::Enter]);
        assert_eq!(nav.view(), View::Lap);
        assert_eq!(nav.laps.selected(), 4);
        // On a lap, the arrows go to the previous and next lap, stopping at the ends.
        press(&mut nav, &[KeyCode::Up, KeyCode::Up]);
        assert_eq!((nav.view(), nav.laps.selected()), (View::Lap, 2));
        press(&mut nav, &[KeyCode::Down, KeyCode::Down, KeyCode::Down]);
        assert_eq!(nav.laps.selected(), 4);
        // Another tab and back: still on the lap.
        press(&mut nav, &[KeyCode::Char('1'), KeyCode::Char('2')]);
        assert_eq!(nav.view(), View::Lap);
        press(&mut nav, &[KeyCode::Esc]);
        assert_eq!(nav.view(), View::Laps);
        press(&mut nav, &[KeyCode::Backspace, KeyCode::Esc]);
        assert_eq!(nav.view(), View::Sessions);
        assert_eq!(nav.sessions.selected(), 2);
    }

    #[test]
    fn selections_stop_at_the_ends_and_page() {
        let mut nav = nav(25, 3);
        press(&mut nav, &[KeyCode::Char('2'), KeyCode::Up]);
        assert_eq!(nav.sessions.selected(), 0);
        press(
            &mut nav,
            &[KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageDown],
        );
        assert_eq!(nav.sessions.selected(), 24);
        press(&mut nav, &[KeyCode::PageUp]);
        assert_eq!(nav.sessions.selected(), 14);
        press(&mut nav, &[KeyCode::Home]);
        assert_eq!(nav.sessions.selected(), 0);
        press(
            &mut nav,
            &[KeyCode::Char('j'), KeyCode::Char('j'), KeyCode::Char('k')],
        );
        assert_eq!(nav.sessions.selected(), 1);
        press(&mut nav, &[KeyCode::Char('3'), KeyCode::End]);
        assert_eq!(nav.bests.selected(), 2);
        assert_eq!(
            nav.sessions.selected(),
            1,
            "each list keeps its own selection"
        );
    }

    #[test]
    fn empty_lists_open_nothing() {
        let mut nav = nav(0, 0);
        press(
            &mut nav,
            &[KeyCode::Char('2'), KeyCode::Down, KeyCode::Enter],
        );
        assert_eq!(nav.view(), View::Sessions);
        let mut nav = Nav::default();
        nav.sessions.set_len(1);
        press(&mut nav, &[KeyCode::Char('2')]);
        nav.apply(Command::Open, |_| 0);
        assert_eq!(nav.view(), View::Laps);
        nav.apply(Command::Open, |_| 0);
        assert_eq!(nav.view(), View::Laps, "no lap to open");
    }

    #[test]
    fn help_takes_the_keys_until_closed() {
        let mut nav = nav(3, 0);
        press(&mut nav, &[KeyCode::Char('?')]);
        assert!(nav.help());
        press(&mut nav, &[KeyCode::Tab, KeyCode::Down]);
        assert_eq!(nav.view(), View::Live, "keys behind the help do nothing");
        press(&mut nav, &[KeyCode::Esc]);
        assert!(!nav.help());
        press(&mut nav, &[KeyCode::Char('?'), KeyCode::Char('?')]);
        assert!(!nav.help());
    }

    #[test]
    fn keys_map_to_commands() {
        assert_eq!(command(key(KeyCode::Char('q'))), Some(Command::Quit));
        assert_eq!(
            command(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(command(key(KeyCode::Char('r'))), Some(Command::Reload));
        assert_eq!(command(key(KeyCode::Char('x'))), None);
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(command(release), None);
    }

    #[test]
    fn changing_session_resets_the_laps() {
        let mut nav = nav(3, 0);
        press(
            &mut nav,
            &[KeyCode::Char('2'), KeyCode::Enter, KeyCode::End],
        );
        assert_eq!(nav.laps.selected(), 2);
        press(&mut nav, &[KeyCode::Esc, KeyCode::Down]);
        assert_eq!(nav.laps.selected(), 0);
        assert_eq!(nav.laps.len(), 4);
    }
}
