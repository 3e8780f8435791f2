//! Page sinks: where the simulator writes pages, through the same mechanisms the game (and
//! the Linux bridges) use, so readers are exercised exactly as with ACC.

use crate::shm::files::{FileError, WritableFile};
use crate::snapshot::PageKind;
use std::path::{Path, PathBuf};

#[cfg(windows)]
pub use crate::shm::windows::MappingSink;

/// A failure to publish pages.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// A page file could not be created or mapped.
    #[error(transparent)]
    File(#[from] FileError),
    /// A Windows API call failed.
    #[error("{call} failed for {name} (Windows error {code})")]
    Windows {
        /// The function.
        call: &'static str,
        /// The mapping name.
        name: String,
        /// `GetLastError()`.
        code: u32,
    },
    /// The mappings already exist: ACC (or another simulator) is running.
    #[error(
        "the mapping {name} already exists: is ACC or another simulator running? Close it first"
    )]
    AlreadyExists {
        /// The mapping name.
        name: String,
    },
}

/// Something pages can be published to.
pub trait PageSink: Send {
    /// Publishes one whole page (`bytes` is the page's struct, `packetId` first).
    fn write(&mut self, kind: PageKind, bytes: &[u8]) -> Result<(), SinkError>;
    /// Where the pages go, for messages.
    fn describe(&self) -> String;
}

/// Writes `acpmf_*` files in a directory, as the Linux bridges do (2048-byte files).
#[derive(Debug)]
pub struct FileSink {
    dir: PathBuf,
    files: [WritableFile; 3],
}

impl FileSink {
    /// Creates (or reuses) the three files in `dir`.
    pub fn create(dir: impl AsRef<Path>) -> Result<Self, SinkError> {
        let dir = dir.as_ref().to_path_buf();
        let files = [
            WritableFile::create(&dir, PageKind::Physics)?,
            WritableFile::create(&dir, PageKind::Graphics)?,
            WritableFile::create(&dir, PageKind::Static)?,
        ];
        Ok(Self { dir, files })
    }
}

impl PageSink for FileSink {
    fn write(&mut self, kind: PageKind, bytes: &[u8]) -> Result<(), SinkError> {
        self.files[kind as usize].write_frame(bytes);
        Ok(())
    }
    fn describe(&self) -> String {
        format!("{}/acpmf_{{physics,graphics,static}}", self.dir.display())
    }
}

/// The platform's native sink: named mappings on Windows, files in `shm_dir` elsewhere.
pub fn native_sink(shm_dir: &Path) -> Result<Box<dyn PageSink>, SinkError> {
    #[cfg(windows)]
    {
        let _ = shm_dir;
        Ok(Box::new(MappingSink::create()?))
    }
    #[cfg(not(windows))]
    {
        Ok(Box::new(FileSink::create(shm_dir)?))
    }
}
