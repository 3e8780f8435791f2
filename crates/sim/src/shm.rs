//! The bridge files' writable mapping: the only module of `pitwall-sim` with `unsafe` code.
//!
//! The simulator writes the Linux bridges' page files through a mapping, as the bridges do,
//! so readers see each write land while they read. Mapping a file is `unsafe` (another
//! process may truncate it under us); the writes themselves go through
//! [`pitwall_acc::publish::write_frame`], which keeps the game's write order.
#![allow(unsafe_code)]

use memmap2::MmapMut;
use pitwall_acc::{BRIDGE_FILE_SIZE, FileError, PageKind};
use std::fs::OpenOptions;
use std::io;
use std::path::Path;

/// A writable mapping of one page file.
#[derive(Debug)]
pub(crate) struct WritableFile {
    map: MmapMut,
}

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
        // SAFETY: the mapping is owned by the returned value and only reached through its
        // `&mut self`, so nothing in this process aliases it; other processes only read the
        // file. The one hazard memmap2 leaves to its caller, the file being shortened while
        // a write lands in it (a fault), is excluded by the simulator owning its page files
        // as the bridges own theirs: nothing else truncates them while it writes.
        let map = unsafe { MmapMut::map_mut(&file) }.map_err(io_err)?;
        Ok(Self { map })
    }

    /// Writes one whole frame, `packetId` first. The mapping is at least
    /// [`BRIDGE_FILE_SIZE`] bytes, more than every page struct.
    pub(crate) fn write_frame(&mut self, bytes: &[u8]) {
        pitwall_acc::publish::write_frame(&mut self.map, bytes);
    }
}
