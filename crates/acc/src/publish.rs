//! The writing side of the pages, for a simulator (`pitwall-sim`) that publishes them the way
//! the game does, so live sources are exercised exactly as with ACC.
//!
//! - [`write_frame`] writes one frame into a page another process reads, in the game's order
//!   (`packetId` first). Whoever maps the page (the simulator maps the Linux bridges' files
//!   itself) hands it over as a byte slice.
//! - `MappingWriter` (Windows only) creates ACC's named mappings `Local\acpmf_*` and writes
//!   frames into them; creating sections takes Win32 calls, whose `unsafe` stays in this
//!   crate's `shm` module beside the reader's.

#[cfg(windows)]
pub use crate::shm::windows::MappingWriter;
pub use crate::shm::write_frame;

/// Why ACC's named mappings could not be created for writing (Windows).
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
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
