//! Pages as files in a directory: how the Linux/Proton bridges (simshmbridge, shm-bridge)
//! expose ACC's mappings, by default in `/dev/shm`. Readers open them read-only and never
//! create them; the simulator creates them at the bridges' size (2048 bytes).

use super::{RawPage, RawPageMut};
use crate::snapshot::PageKind;
use memmap2::{Mmap, MmapMut};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The size the Linux bridges give each page file.
pub const BRIDGE_FILE_SIZE: u64 = 2048;

/// Why a page file could not be mapped.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file does not exist (the game or its bridge is not running).
    #[error("{} does not exist", path.display())]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// The file is shorter than the page's struct.
    #[error(
        "{} is {len} bytes, shorter than the {need}-byte ACC page; is the bridge an old \
         version (update simshmbridge or shm-bridge), or is this another game's file?",
        path.display()
    )]
    Short {
        /// The file.
        path: PathBuf,
        /// Its length.
        len: u64,
        /// The struct size needed.
        need: usize,
    },
    /// Any other I/O failure.
    #[error("cannot map {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// A read-only mapping of one page file.
#[derive(Debug)]
pub(crate) struct MappedFile {
    _map: Mmap,
    page: RawPage,
    dev_ino: (u64, u64),
}

// SAFETY: `page` points into `_map`, which is owned by the same value and moves with it
// (the mapping's address does not change when the `Mmap` handle moves); the memory is only
// read through volatile/copy operations, so sending it to another thread is sound.
unsafe impl Send for MappedFile {}

impl MappedFile {
    /// Opens `dir/<page file>` read-only (never creating it) and maps it.
    pub(crate) fn open(dir: &Path, kind: PageKind) -> Result<Self, FileError> {
        let path = dir.join(kind.file_name());
        let io_err = |source: io::Error| FileError::Io {
            path: path.clone(),
            source,
        };
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(FileError::Missing { path });
            }
            Err(e) => return Err(io_err(e)),
        };
        let meta = file.metadata().map_err(io_err)?;
        let need = kind.size();
        if meta.len() < need as u64 {
            return Err(FileError::Short {
                path,
                len: meta.len(),
                need,
            });
        }
        // SAFETY: the file is opened read-only and only read through `RawPage`, which copies
        // with volatile/nonoverlapping reads and tolerates concurrent writers. Another
        // process truncating the file under us would fault; the bridges never truncate
        // (they keep or delete the files, and deletion keeps our mapping valid).
        let map = unsafe { Mmap::map(&file) }.map_err(io_err)?;
        // SAFETY: `map` holds at least `need` bytes (checked above) and lives in the same
        // struct as `page` for as long as `page` is used.
        let page = unsafe { RawPage::new(map.as_ptr(), map.len()) };
        Ok(Self {
            _map: map,
            page,
            dev_ino: dev_ino(&meta),
        })
    }

    pub(crate) fn page(&self) -> RawPage {
        self.page
    }

    /// Whether `dir/<page file>` is still the file this mapping shows (a bridge restarted
    /// with the game deletes and recreates its files).
    pub(crate) fn is_current(&self, dir: &Path, kind: PageKind) -> bool {
        std::fs::metadata(dir.join(kind.file_name()))
            .map(|m| dev_ino(&m) == self.dev_ino)
            .unwrap_or(false)
    }
}

#[cfg(unix)]
fn dev_ino(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn dev_ino(meta: &std::fs::Metadata) -> (u64, u64) {
    (meta.len(), 0)
}

/// A writable mapping of one page file (simulator).
#[derive(Debug)]
pub(crate) struct WritableFile {
    _map: MmapMut,
    page: RawPageMut,
}

// SAFETY: as for `MappedFile`: the pointer targets the mapping owned by the same value.
unsafe impl Send for WritableFile {}

impl WritableFile {
    /// Creates (or reuses) `dir/<page file>` at the bridges' size and maps it writable.
    pub(crate) fn create(dir: &Path, kind: PageKind) -> Result<Self, FileError> {
        let path = dir.join(kind.file_name());
        let io_err = |source: io::Error| FileError::Io {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        let len = file.metadata().map_err(io_err)?.len();
        if len < BRIDGE_FILE_SIZE {
            file.set_len(BRIDGE_FILE_SIZE).map_err(io_err)?;
        }
        // SAFETY: we own the file for writing; other processes only read it.
        let mut map = unsafe { MmapMut::map_mut(&file) }.map_err(io_err)?;
        // SAFETY: the mapping is at least BRIDGE_FILE_SIZE >= every struct size and lives in
        // the same struct as `page`.
        let page = unsafe { RawPageMut::new(map.as_mut_ptr(), map.len()) };
        Ok(Self { _map: map, page })
    }

    pub(crate) fn write_frame(&mut self, bytes: &[u8]) {
        self.page.write_frame(bytes);
    }
}
