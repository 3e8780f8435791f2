//! [`ScenarioError`]: why a script was rejected, always with the line to fix.

/// A scenario script could not be parsed. Every variant names the 1-based line it is about.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The first word of a line is not a known command or setting.
    #[error(
        "line {line}: unknown command {word:?}; see docs/scenarios.md for the list \
         (e.g. track, car, session, pitbox, outlap, lap, inlap, pause, restart, next, exit)"
    )]
    UnknownCommand {
        /// The line.
        line: usize,
        /// The word found.
        word: String,
    },
    /// A command's argument or option is missing or malformed.
    #[error("line {line}: `{command}`: {message}")]
    BadArgument {
        /// The line.
        line: usize,
        /// The command whose argument is wrong.
        command: String,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// A well-formed command that cannot happen at this point of the script (e.g. `lap`
    /// while the car is in its pit box).
    #[error("line {line}: `{command}` is not possible here: {reason}")]
    NotHere {
        /// The line.
        line: usize,
        /// The command.
        command: String,
        /// Why, and what to do about it.
        reason: String,
    },
}

impl ScenarioError {
    /// The 1-based line of the script the error is about.
    pub fn line(&self) -> usize {
        match self {
            ScenarioError::UnknownCommand { line, .. }
            | ScenarioError::BadArgument { line, .. }
            | ScenarioError::NotHere { line, .. } => *line,
        }
    }
}
