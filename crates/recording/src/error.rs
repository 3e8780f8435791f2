//! What can go wrong writing or reading a recording, in words that tell the user what to do.
//!
//! Damage found while reading (a bad checksum, a block that does not decompress, a file cut
//! short) always names the byte offset where it starts; the reader has already produced every
//! frame before that offset.

use std::io;
use std::path::PathBuf;

/// A recording could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The output file could not be created.
    #[error(
        "could not create the recording {}: check that its folder exists and is writable",
        path.display()
    )]
    Create {
        /// The file we tried to create.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The recording file could not be opened.
    #[error("could not open the recording {}: check the path and its permissions", path.display())]
    Open {
        /// The file we tried to open.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// Writing to the output failed; the recording holds everything up to the last complete
    /// block.
    #[error(
        "writing the recording failed: check free disk space and that the drive is still there"
    )]
    Write(#[source] io::Error),
    /// zstd could not set up or compress a block (it only fails when memory runs out).
    #[error("compressing a block of the recording failed: the system may be out of memory")]
    Compress(#[source] io::Error),
    /// An earlier write failed, so the recorder refuses to append more (that would put good
    /// blocks after a damaged one).
    #[error("the recorder stopped after an earlier write error; start a new recording")]
    Stopped,
    /// Reading the file failed (not damage in the data: the device or the OS failed).
    #[error("reading the recording failed at byte {offset}")]
    Read {
        /// Where in the file the read was.
        offset: u64,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The file does not start with the pitwall recording magic bytes.
    #[error(
        "this is not a pitwall recording (wrong magic bytes at the start); pass a file written by `pitwall record`"
    )]
    NotARecording,
    /// The file was written in a format version this build cannot read.
    #[error(
        "the recording uses format version {found}, but this pitwall reads version {supported}; {}",
        if found > supported { "update pitwall to replay it" } else { "this file is damaged or from a pre-release build" }
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u16,
        /// The version this build reads.
        supported: u16,
    },
    /// The file records pages of a size this build does not use (a different ACC layout).
    #[error(
        "the recording stores the {page} page as {found} bytes, but this pitwall expects {expected}; replay it with the pitwall version that recorded it"
    )]
    UnsupportedLayout {
        /// The page's name (`acpmf_physics`, ...).
        page: &'static str,
        /// The size in the file.
        found: u16,
        /// The size this build uses.
        expected: u16,
    },
    /// The data is damaged from `offset` on; every frame before it was read.
    #[error(
        "the recording is damaged at byte {offset}: {reason}; the frames before that byte were read, the rest cannot be"
    )]
    Corrupt {
        /// Start of the damaged block (or header), in bytes from the start of the file.
        offset: u64,
        /// What is wrong there.
        reason: Damage,
    },
    /// The file ends at `offset`, before the recording's end marker: the recorder was killed,
    /// crashed or ran out of disk. Every frame of the complete blocks before it was read.
    #[error(
        "the recording is cut short at byte {offset} (the recorder stopped before finishing it); the frames before that byte were read"
    )]
    Truncated {
        /// Start of the incomplete block (or the file's length when it ends between blocks).
        offset: u64,
    },
    /// A replay speed that is not a positive number.
    #[error("replay speed {0} is not a positive number; pass for example 2 for double speed")]
    InvalidSpeed(f64),
}

/// Why a part of a recording is damaged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    /// The file header's checksum does not match its bytes.
    #[error("the file header's checksum does not match")]
    FileHeaderChecksum,
    /// Where a block should start there is no block marker.
    #[error("expected a block marker, found bytes {0:02x?}")]
    BadMarker([u8; 4]),
    /// The block header's checksum does not match its bytes.
    #[error("the block header's checksum does not match")]
    BlockHeaderChecksum,
    /// A block header claims more data than any recorder writes.
    #[error("a block claims {len} bytes, more than any recorder writes")]
    TooLarge {
        /// The claimed length.
        len: u64,
    },
    /// The compressed block is not valid zstd data.
    #[error("the compressed block does not decompress")]
    Decompress,
    /// The block decompressed to another size than its header says.
    #[error("the block decompressed to {found} bytes instead of {expected}")]
    SizeMismatch {
        /// The size in the header.
        expected: u64,
        /// The size obtained.
        found: u64,
    },
    /// The decompressed block does not match its checksum.
    #[error("the block's contents do not match their checksum")]
    PayloadChecksum,
    /// The block's contents contradict themselves (only possible with a matching checksum
    /// if the file was deliberately edited or written by a buggy recorder).
    #[error("the block's contents are inconsistent ({0})")]
    Malformed(&'static str),
    /// The end marker's frame count differs from the frames found.
    #[error("the end marker counts {expected} frames but the blocks hold {found}")]
    FrameCount {
        /// The count in the end marker.
        expected: u64,
        /// The frames read.
        found: u64,
    },
    /// Bytes follow the end marker.
    #[error("unexpected bytes after the end marker")]
    TrailingData,
}
