//! Colours and marks. Timing colours are the web dashboard's (purple session best, green
//! personal best, red invalid) and every coloured time also carries a mark, so the screens
//! read the same without colour: `◆` session best, `▲` personal best, `✗` invalid.
//!
//! With `NO_COLOR` set (to anything but an empty string, see no-color.org) the theme uses no
//! colour at all; bold and reverse video remain, and so do the marks.

use pitwall_core::stats::TimingColour;
use ratatui::style::{Color, Modifier, Style};

/// The mark of a session best.
pub const SESSION_BEST: char = '◆';
/// The mark of a personal best.
pub const PERSONAL_BEST: char = '▲';
/// The mark of an invalid lap or sector.
pub const INVALID: char = '✗';

/// How things are drawn: with colour or without.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    colour: bool,
}

impl Theme {
    /// Colours on.
    pub const fn colour() -> Self {
        Theme { colour: true }
    }

    /// No colour at all (marks, bold and reverse video only).
    pub const fn no_colour() -> Self {
        Theme { colour: false }
    }

    /// [`Theme::no_colour`] when `NO_COLOR` is set and not empty, else [`Theme::colour`].
    pub fn from_env() -> Self {
        Self::for_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for a value of `NO_COLOR` (`None` when unset).
    pub fn for_no_color(value: Option<&std::ffi::OsStr>) -> Self {
        match value {
            Some(v) if !v.is_empty() => Self::no_colour(),
            _ => Self::colour(),
        }
    }

    /// Whether colours are used.
    pub const fn has_colour(self) -> bool {
        self.colour
    }

    fn fg(self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    /// A time of the given timing class.
    pub fn timing(self, class: TimingColour) -> Style {
        match class {
            TimingColour::SessionBest => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            TimingColour::PersonalBest => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            TimingColour::Invalid => self.fg(Color::Red),
            TimingColour::Normal => Style::new(),
        }
    }

    /// A delta: gaining (negative) green, losing red.
    pub fn delta(self, ms: Option<i64>) -> Style {
        match ms {
            Some(d) if d < 0 => self.fg(Color::Green),
            Some(d) if d > 0 => self.fg(Color::Red),
            _ => Style::new(),
        }
    }

    /// An out-lap tag.
    pub fn out_tag(self) -> Style {
        self.fg(Color::Blue)
    }

    /// An in-lap tag.
    pub fn in_tag(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Something that went wrong, or is missing (no `pitwall run`).
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Good news (live and connected).
    pub fn ok(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// Labels and secondary text.
    pub fn dim(self) -> Style {
        if self.colour {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    /// Headings and the running lap time.
    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The active tab and the selected row: reverse video, readable without colour.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// The mark shown before a time of the given class (a space when it has none).
pub fn mark(class: TimingColour) -> char {
    match class {
        TimingColour::SessionBest => SESSION_BEST,
        TimingColour::PersonalBest => PERSONAL_BEST,
        TimingColour::Invalid => INVALID,
        TimingColour::Normal => ' ',
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_turns_colours_off_but_not_marks() {
        assert!(Theme::for_no_color(None).has_colour());
        assert!(Theme::for_no_color(Some(OsStr::new(""))).has_colour());
        let plain = Theme::for_no_color(Some(OsStr::new("1")));
        assert!(!plain.has_colour());
        for class in [
            TimingColour::SessionBest,
            TimingColour::PersonalBest,
            TimingColour::Invalid,
        ] {
            assert_eq!(plain.timing(class).fg, None);
            assert_ne!(mark(class), ' ');
        }
        assert_eq!(
            Theme::colour().timing(TimingColour::SessionBest).fg,
            Some(Color::Magenta)
        );
    }
}
