//! ACC's shared memory, exactly: the three pages' layouts, their typed decoding, and the
//! live sources that read them (Windows named mappings, Linux/Proton bridge files).
//!
//! Pitwall's recordings are the `pitwall-recording` crate and the simulator that writes
//! ACC-shaped pages is `pitwall-sim`; both build on the types here, so a crate that only
//! decodes pages (the domain core) links neither.
//!
//! # Layout
//! - [`layout`]: the `#[repr(C)]` page structs, viewed zero-copy from bytes.
//! - [`decode`], [`enums`]: typed access (strings, enums, sentinels, `smVersion`).
//! - [`snapshot`]: [`Snapshot`], one consistent copy of the three pages.
//! - [`source`]: the [`Source`] trait and the live sources.
//! - [`publish`]: the writing side of shared pages, for a simulator: the game's write order,
//!   and on Windows the named mappings themselves.
//! - `shm` (private): the only `unsafe` code, the shared-memory mappings themselves.
//!
//! # Example
//! ```
//! use pitwall_acc::layout::Graphics;
//! use zerocopy::FromBytes;
//!
//! let bytes = vec![0u8; Graphics::SIZE];
//! let graphics = Graphics::ref_from_bytes(&bytes).expect("exact size");
//! assert_eq!(graphics.status(), pitwall_acc::enums::Status::Off);
//! assert_eq!(graphics.last_lap_ms(), None);
//! ```

pub mod decode;
pub mod enums;
pub mod layout;
pub mod publish;
pub mod snapshot;
pub mod source;

mod shm;

pub use shm::files::{BRIDGE_FILE_SIZE, FileError};
pub use shm::{TORN_RETRIES, Torn};
pub use snapshot::{PageKind, Snapshot};
pub use source::{Read, Source, SourceError, Waiting};
