//! Pages as files in a directory: how the Linux/Proton bridges (simshmbridge, shm-bridge)
//! expose ACC's mappings, by default in `/dev/shm`. Readers open them read-only, never
//! create them, and read them with positioned reads so a file truncated under them is a
//! short read, not a fault. The simulator (`pitwall-sim`) creates them at the bridges' size,
//! [`BRIDGE_FILE_SIZE`], and writes through a mapping, as the bridges do.

use super::{ReadFail, TORN_RETRIES, Torn};
use crate::snapshot::PageKind;
use std::fs::File;
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

/// One page file opened read-only, read with positioned reads (`pread`) into the
/// reader's own buffers rather than mapped.
///
/// A mapping of a file faults (SIGBUS, killing the process) when another process truncates
/// the file under it: a bridge restarting, or `truncate -s 0 /dev/shm/acpmf_static`. A
/// positioned read of a truncated file returns fewer bytes instead, which
/// [`PageFile::read_at`] reports as [`Shrunk`]; there is no window between a size check and
/// the read for a truncation to slip into. It costs one system call per page per poll.
#[derive(Debug)]
pub(crate) struct PageFile {
    file: File,
    path: PathBuf,
    need: usize,
    dev_ino: (u64, u64),
}

/// A page file is shorter than its page: it was truncated (or is being recreated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Shrunk {
    /// The file.
    pub(crate) path: PathBuf,
    /// Its length now.
    pub(crate) len: u64,
    /// The struct size needed.
    pub(crate) need: usize,
}

impl PageFile {
    /// Opens `dir/<page file>` read-only (never creating it).
    pub(crate) fn open(dir: &Path, kind: PageKind) -> Result<Self, FileError> {
        let path = dir.join(kind.file_name());
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(FileError::Missing { path });
            }
            Err(source) => return Err(FileError::Io { path, source }),
        };
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(source) => return Err(FileError::Io { path, source }),
        };
        let need = kind.size();
        if meta.len() < need as u64 {
            return Err(FileError::Short {
                path,
                len: meta.len(),
                need,
            });
        }
        Ok(Self {
            file,
            path,
            need,
            dev_ino: dev_ino(&meta),
        })
    }

    /// Copies the page (its first `dst.len()` bytes) into `dst` with positioned reads.
    /// A file shorter than that is [`ReadFail::Shrunk`], with its length now.
    #[inline]
    pub(crate) fn read_at(&self, dst: &mut [u8]) -> Result<(), ReadFail> {
        let mut filled = 0;
        while filled < dst.len() {
            match read_at(&self.file, &mut dst[filled..], filled as u64) {
                Ok(0) => return Err(ReadFail::Shrunk(self.shrunk())),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(ReadFail::Io(FileError::Io {
                        path: self.path.clone(),
                        source,
                    }));
                }
            }
        }
        Ok(())
    }

    /// What a short read found: the file and its length now.
    fn shrunk(&self) -> Shrunk {
        Shrunk {
            path: self.path.clone(),
            len: self.file.metadata().map_or(0, |m| m.len()),
            need: self.need,
        }
    }

    /// Whether `dir/<page file>` is still the file this handle reads (a bridge restarted
    /// with the game deletes and recreates its files).
    pub(crate) fn is_current(&self, dir: &Path, kind: PageKind) -> bool {
        std::fs::metadata(dir.join(kind.file_name()))
            .map(|m| dev_ino(&m) == self.dev_ino)
            .unwrap_or(false)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
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

impl super::PageRead for PageFile {
    #[inline]
    fn equals(&self, copy: &[u8], scratch: &mut [u8]) -> Result<bool, ReadFail> {
        let scratch = &mut scratch[..copy.len()];
        self.read_at(scratch)?;
        Ok(scratch == copy)
    }

    /// Two positioned reads in a row, a moment apart, must agree (the writer writes through
    /// its mapping while the kernel copies; a write under way shows as a difference).
    #[inline]
    fn read_consistent(&self, dst: &mut [u8], scratch: &mut [u8]) -> Result<i32, ReadFail> {
        self.read_stable(dst, scratch)?;
        Ok(i32::from_le_bytes([dst[0], dst[1], dst[2], dst[3]]))
    }

    fn read_stable(&self, dst: &mut [u8], scratch: &mut [u8]) -> Result<(), ReadFail> {
        let scratch = &mut scratch[..dst.len()];
        self.read_at(dst)?;
        for _ in 0..TORN_RETRIES {
            super::settle();
            self.read_at(scratch)?;
            if scratch == dst {
                return Ok(());
            }
            dst.copy_from_slice(scratch);
        }
        Err(ReadFail::Torn(Torn))
    }
}
