//! Progress bars on stderr for long commands, drawn only when stderr is a terminal, so
//! pipes, logs and tests stay clean.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A bar counting `what` (e.g. "sessions"), hidden unless stderr is a terminal. Its length
/// is unknown (a spinner) until [`ProgressBar::set_length`].
pub(crate) fn bar(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::no_length();
    let template = format!("{{spinner}} {{bar:40}} {{pos}}/{{len}} {what} ({{eta}} left)");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
