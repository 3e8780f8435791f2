//! Recordings: pitwall's own compact, versioned, compressed capture format (placeholder).

/// A recording could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// I/O failure.
    #[error("recording I/O failed")]
    Io(#[from] std::io::Error),
}
