//! What can stop the terminal UI. Problems the UI can live with (no `pitwall run` to connect
//! to, a store that fails a read) are shown on screen instead and never end it.

/// Everything that ends [`run`](crate::run) with an error.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be set up, read or drawn to: run `pitwall tui` in an interactive
    /// terminal (not with its output redirected).
    #[error("the terminal failed; run pitwall tui in an interactive terminal")]
    Terminal(#[source] std::io::Error),
    /// The live URL is not an `http://` or `https://` URL.
    #[error("the live URL {url} is not supported: give http://HOST:PORT of a pitwall run")]
    LiveUrl {
        /// The URL given.
        url: String,
    },
}
