//! ACC's shared memory, exactly: the three pages' layouts, live sources (Windows named
//! mappings, Linux/Proton bridge files), pitwall's own recordings, and a simulator that
//! writes ACC-shaped pages so everything runs and is tested without the game.
//!
//! # Layout
//! - [`layout`]: the `#[repr(C)]` page structs, viewed zero-copy from bytes.
//! - [`decode`], [`enums`]: typed access (strings, enums, sentinels, `smVersion`).
//! - [`snapshot`]: [`Snapshot`], one consistent copy of the three pages.
//! - [`source`]: the [`Source`] trait and the live sources.
//! - [`sink`]: where the simulator publishes pages.
//! - [`recording`]: record and replay.
//! - [`sim`]: the scenario-driven simulator.
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
pub mod recording;
pub mod sim;
pub mod sink;
pub mod snapshot;
pub mod source;

mod shm;

pub use shm::files::{BRIDGE_FILE_SIZE, FileError};
pub use shm::{TORN_RETRIES, Torn};
pub use snapshot::{PageKind, Snapshot};
pub use source::{Read, Source, SourceError, Waiting};
