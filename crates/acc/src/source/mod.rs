//! Live sources: where snapshots of the three pages come from.
//!
//! [`Source`] is the one interface the tracker reads: the Linux/Proton bridge files
//! ([`FileSource`]) and the Windows named mappings (`WindowsSource`, Windows only) implement
//! it here, a recording being replayed (`pitwall_recording::Replay`) outside; the simulator
//! (`pitwall-sim`) publishes pages as the game does and is read back by a live source,
//! exactly as the game is. Live sources share one private implementation, which handles attaching, "waiting
//! for ACC", the `smVersion` check, change detection and staleness after the game exits;
//! the platform part only maps pages.

pub(crate) mod live;

use crate::decode::VersionError;
use crate::shm::files::FileError;
use crate::snapshot::Snapshot;
use std::path::PathBuf;
use std::time::Duration;

#[cfg(windows)]
pub use live::WindowsSource;
pub use live::{FileSource, LiveOptions};

/// The outcome of one [`Source::read`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// `out` holds a snapshot in which at least one page changed since the last `Fresh`.
    Fresh,
    /// The game is running but nothing changed since the last read; `out` is untouched.
    Unchanged,
    /// No usable pages right now; `out` is untouched. Keep polling.
    Waiting(Waiting),
    /// The source has no more snapshots (end of a replay).
    End,
}

/// Why a source has nothing to give yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// The pages do not exist: ACC (or, on Linux, its bridge) is not running.
    NotRunning {
        /// Where we looked, for the user (a directory or the mapping names).
        place: String,
    },
    /// The pages exist but the game has not filled them in (all zeros, empty `smVersion`).
    NotWritten,
    /// The pages are another game's (original Assetto Corsa uses the same names).
    NotAcc(VersionError),
    /// No page has changed for this long: the game exited and left its last values behind
    /// (or froze).
    Stale(Duration),
    /// A page file is shorter than its page: truncated or shortened under the reader (a
    /// bridge restarting, `truncate -s 0 /dev/shm/acpmf_static`), or an old bridge. The
    /// source reads it again once it is whole.
    ShortFile {
        /// The file.
        path: PathBuf,
        /// Its length when last looked at.
        len: u64,
        /// The page's size.
        need: usize,
    },
}

impl Waiting {
    /// Whether `self` is the same kind of wait as `other` (their details, such as durations,
    /// may differ): a reader reports a wait once, not at every poll.
    pub fn same_kind(&self, other: &Waiting) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl std::fmt::Display for Waiting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Waiting::NotRunning { place } => {
                write!(
                    f,
                    "waiting for ACC: no shared memory at {place}; start the game"
                )
            }
            Waiting::NotWritten => f.write_str(
                "waiting for ACC: the pages exist but the game has not written them yet",
            ),
            Waiting::NotAcc(e) => write!(f, "waiting for ACC: {e}"),
            Waiting::Stale(d) => write!(
                f,
                "waiting for ACC: the pages have not changed for {:.0} s (the game exited or is frozen)",
                d.as_secs_f64()
            ),
            Waiting::ShortFile { path, len, need } => write!(
                f,
                "waiting for ACC: {} is {len} bytes, shorter than the {need}-byte page (its \
                 bridge is restarting, or something truncated it); reading resumes by itself \
                 once the file is whole again. If this lasts, restart the bridge \
                 (simshmbridge or shm-bridge), or update it if it is an old version",
                path.display()
            ),
        }
    }
}

/// A failure a source cannot wait out by itself.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A page file is unusable (too short, unreadable).
    #[error(transparent)]
    File(#[from] FileError),
    /// A Windows API call failed with something other than "not found".
    #[error("{call} failed for {name} (Windows error {code})")]
    Windows {
        /// The function.
        call: &'static str,
        /// The mapping name.
        name: String,
        /// `GetLastError()`.
        code: u32,
    },
    /// A mapping is smaller than the page's struct.
    #[error("the mapping {name} is {len} bytes, smaller than the {need}-byte ACC page")]
    ShortMapping {
        /// The mapping name.
        name: String,
        /// Its size.
        len: usize,
        /// The struct size needed.
        need: usize,
    },
    /// A source defined outside this crate failed: a recording being replayed
    /// (`pitwall_recording::RecordingError`, which converts into this variant).
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The shm directory itself is unusable.
    #[error("{} is not a directory; pass --shm-dir with the directory holding the acpmf_* files", .0.display())]
    NotADirectory(PathBuf),
}

/// A place snapshots of the three ACC pages come from.
pub trait Source: Send {
    /// Reads the current pages into `out` when there is something new.
    fn read(&mut self, out: &mut Snapshot) -> Result<Read, SourceError>;

    /// Where the source reads from, for log lines ("/dev/shm", "Local\\acpmf_*", a file).
    fn describe(&self) -> String;

    /// How long to wait before the next read when the last one returned `Unchanged` or
    /// `Waiting`: live sources poll, replays pace themselves.
    fn poll_interval(&self) -> Duration {
        Duration::from_millis(2)
    }
}
