//! Page sinks: where the simulator writes pages, through the same mechanisms the game (and
//! the Linux bridges) use, so readers are exercised exactly as with ACC: bridge-style files
//! mapped by this crate ([`FileSink`]), or on Windows the named mappings that
//! `pitwall_acc::publish::MappingWriter` creates (`MappingSink`).

use crate::shm::WritableFile;
use pitwall_acc::FileError;
use pitwall_acc::publish::MappingError;
use pitwall_acc::snapshot::PageKind;
use std::path::{Path, PathBuf};

/// A failure to publish pages.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// A page file could not be created or mapped.
    #[error(transparent)]
    File(#[from] FileError),
    /// The named mappings could not be created (Windows): a Windows API call failed, or ACC
    /// (or another simulator) already publishes them.
    #[error(transparent)]
    Mapping(#[from] MappingError),
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

/// Publishes pages as ACC does on Windows, into the named mappings
/// `Local\acpmf_physics|graphics|static` it creates (see
/// [`MappingWriter`](pitwall_acc::publish::MappingWriter)). The sections exist while this
/// value (or a reader's handle) lives.
#[cfg(windows)]
#[derive(Debug)]
pub struct MappingSink(pitwall_acc::publish::MappingWriter);

#[cfg(windows)]
impl MappingSink {
    /// Creates the three mappings. Fails with [`MappingError::AlreadyExists`] when ACC or
    /// another simulator already publishes them.
    pub fn create() -> Result<Self, SinkError> {
        Ok(Self(pitwall_acc::publish::MappingWriter::create()?))
    }
}

#[cfg(windows)]
impl PageSink for MappingSink {
    fn write(&mut self, kind: PageKind, bytes: &[u8]) -> Result<(), SinkError> {
        self.0.write(kind, bytes);
        Ok(())
    }
    fn describe(&self) -> String {
        self.0.describe()
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
