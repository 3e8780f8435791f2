//! The byte layout of a recording's envelope: the file header, block headers, the end
//! marker, and the varints used inside blocks. `docs/recording-format.md` is the prose
//! version of this file; keep the two in step.

use super::error::{Damage, RecordingError};
use pitwall_acc::snapshot::PageKind;

/// The first eight bytes of every recording.
pub const MAGIC: [u8; 8] = *b"PWACCREC";

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u16 = 1;

/// Marker of a data block.
pub(crate) const BLOCK_MARKER: [u8; 4] = *b"BLK1";
/// Marker of the end record written by `Recorder::finish`.
pub(crate) const END_MARKER: [u8; 4] = *b"END1";
/// Size of a block header and of the end record (they share the first four bytes' role).
pub(crate) const BLOCK_HEADER_LEN: usize = 24;
/// No block is larger than this uncompressed; a header claiming more is damaged.
pub(crate) const MAX_BLOCK_BYTES: u32 = 64 << 20;
/// The fixed part of the file header, before the creator string and the checksum.
const HEADER_FIXED_LEN: usize = 29;

/// What the file header says about a recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingInfo {
    /// The format version of the file.
    pub version: u16,
    /// The program that wrote it, e.g. `pitwall-acc 0.1.0`.
    pub creator: String,
    /// When recording started, in microseconds since the Unix epoch (0 when unknown).
    pub created_unix_us: u64,
}

/// The file header's bytes.
pub(crate) fn encode_header(info: &RecordingInfo) -> Vec<u8> {
    let creator = truncate_utf8(&info.creator, u8::MAX as usize);
    let mut out = Vec::with_capacity(HEADER_FIXED_LEN + creator.len() + 4);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&info.version.to_le_bytes());
    for kind in PageKind::ALL {
        out.extend_from_slice(&page_size(kind).to_le_bytes());
    }
    out.extend_from_slice(&0u16.to_le_bytes()); // flags, none defined
    out.extend_from_slice(&0u16.to_le_bytes()); // reserved
    out.extend_from_slice(&info.created_unix_us.to_le_bytes());
    out.push(creator.len() as u8);
    out.extend_from_slice(creator.as_bytes());
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Reads and checks the file header. `read` fills a buffer from the file and returns
/// how many bytes it got (fewer only at end of file).
pub(crate) fn decode_header(
    mut read: impl FnMut(&mut [u8]) -> Result<usize, RecordingError>,
) -> Result<RecordingInfo, RecordingError> {
    let mut fixed = [0u8; HEADER_FIXED_LEN];
    let got = read(&mut fixed[..MAGIC.len()])?;
    if fixed[..got] != MAGIC[..got] {
        return Err(RecordingError::NotARecording);
    }
    if got < MAGIC.len() {
        return Err(RecordingError::Truncated { offset: 0 });
    }
    let got = read(&mut fixed[MAGIC.len()..MAGIC.len() + 2])?;
    if got < 2 {
        return Err(RecordingError::Truncated { offset: 0 });
    }
    let version = u16_at(&fixed, 8);
    if version != FORMAT_VERSION {
        return Err(RecordingError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if read(&mut fixed[10..])? < HEADER_FIXED_LEN - 10 {
        return Err(RecordingError::Truncated { offset: 0 });
    }
    let creator_len = usize::from(fixed[HEADER_FIXED_LEN - 1]);
    let mut rest = vec![0u8; creator_len + 4];
    if read(&mut rest)? < rest.len() {
        return Err(RecordingError::Truncated { offset: 0 });
    }
    let (creator, crc) = rest.split_at(creator_len);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&fixed);
    hasher.update(creator);
    if hasher.finalize() != u32_at(crc, 0) {
        return Err(RecordingError::Corrupt {
            offset: 0,
            reason: Damage::FileHeaderChecksum,
        });
    }
    for (i, kind) in PageKind::ALL.into_iter().enumerate() {
        let found = u16_at(&fixed, 10 + 2 * i);
        if found != page_size(kind) {
            return Err(RecordingError::UnsupportedLayout {
                page: kind.file_name(),
                found,
                expected: page_size(kind),
            });
        }
    }
    let info = RecordingInfo {
        version,
        creator: String::from_utf8_lossy(creator).into_owned(),
        created_unix_us: u64_at(&fixed, 20),
    };
    Ok(info)
}

/// The header in front of each compressed block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BlockHeader {
    /// Bytes of zstd data that follow the header.
    pub compressed_len: u32,
    /// Bytes of payload once decompressed.
    pub raw_len: u32,
    /// Frames in the block.
    pub frames: u32,
    /// CRC-32 of the decompressed payload.
    pub payload_crc: u32,
}

/// One 24-byte record between blocks: a block header, or the end marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Envelope {
    /// A data block follows.
    Block(BlockHeader),
    /// The recording ends here, having recorded this many frames in all.
    End {
        /// Frames in the whole recording.
        frames: u64,
    },
}

impl Envelope {
    /// The 24 bytes on disk: marker, three or two fields, CRC-32 of the first 20 bytes.
    pub(crate) fn encode(&self) -> [u8; BLOCK_HEADER_LEN] {
        let mut out = [0u8; BLOCK_HEADER_LEN];
        match *self {
            Envelope::Block(h) => {
                out[..4].copy_from_slice(&BLOCK_MARKER);
                out[4..8].copy_from_slice(&h.compressed_len.to_le_bytes());
                out[8..12].copy_from_slice(&h.raw_len.to_le_bytes());
                out[12..16].copy_from_slice(&h.frames.to_le_bytes());
                out[16..20].copy_from_slice(&h.payload_crc.to_le_bytes());
            }
            Envelope::End { frames } => {
                out[..4].copy_from_slice(&END_MARKER);
                out[4..12].copy_from_slice(&frames.to_le_bytes());
            }
        }
        let crc = crc32fast::hash(&out[..20]);
        out[20..].copy_from_slice(&crc.to_le_bytes());
        out
    }

    /// Parses and checks 24 bytes read where a block should start.
    pub(crate) fn decode(bytes: &[u8; BLOCK_HEADER_LEN]) -> Result<Self, Damage> {
        let marker = [bytes[0], bytes[1], bytes[2], bytes[3]];
        if marker != BLOCK_MARKER && marker != END_MARKER {
            return Err(Damage::BadMarker(marker));
        }
        if crc32fast::hash(&bytes[..20]) != u32_at(bytes, 20) {
            return Err(Damage::BlockHeaderChecksum);
        }
        if marker == END_MARKER {
            return Ok(Envelope::End {
                frames: u64_at(bytes, 4),
            });
        }
        let header = BlockHeader {
            compressed_len: u32_at(bytes, 4),
            raw_len: u32_at(bytes, 8),
            frames: u32_at(bytes, 12),
            payload_crc: u32_at(bytes, 16),
        };
        // zstd never expands data by more than a small fraction.
        let limit = u64::from(MAX_BLOCK_BYTES) + u64::from(MAX_BLOCK_BYTES / 64);
        for len in [header.raw_len, header.compressed_len] {
            if u64::from(len) > limit {
                return Err(Damage::TooLarge { len: len.into() });
            }
        }
        Ok(Envelope::Block(header))
    }
}

/// The page size as stored in the header.
fn page_size(kind: PageKind) -> u16 {
    // Page sizes are 800, 1588 and 820: they fit.
    u16::try_from(kind.size()).unwrap_or(u16::MAX)
}

fn truncate_utf8(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// Appends `v` as an unsigned LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads an unsigned LEB128 varint at `*pos`, advancing it; `None` when it runs off the end
/// or is longer than ten bytes.
pub(crate) fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Maps a signed number to an unsigned one with small magnitudes staying small.
pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub(crate) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overlong_input() {
        let values = [0, 1, 127, 128, 2_500, u64::from(u32::MAX), u64::MAX];
        let mut buf = Vec::new();
        for v in values {
            put_varint(&mut buf, v);
        }
        let mut pos = 0;
        for v in values {
            assert_eq!(get_varint(&buf, &mut pos), Some(v));
        }
        assert_eq!(pos, buf.len());
        assert_eq!(get_varint(&[0x80; 11], &mut 0), None);
        assert_eq!(get_varint(&[0x80], &mut 0), None);
    }

    #[test]
    fn zigzag_keeps_small_values_small() {
        for v in [0i64, -1, 1, -2_500, 2_500, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }

    #[test]
    fn envelope_round_trips_and_detects_a_flipped_bit() {
        let block = Envelope::Block(BlockHeader {
            compressed_len: 10,
            raw_len: 20,
            frames: 3,
            payload_crc: 0xdead_beef,
        });
        for env in [block, Envelope::End { frames: 42 }] {
            let mut bytes = env.encode();
            assert_eq!(Envelope::decode(&bytes), Ok(env));
            bytes[6] ^= 1;
            assert_eq!(Envelope::decode(&bytes), Err(Damage::BlockHeaderChecksum));
        }
    }

    #[test]
    fn header_round_trips() {
        let info = RecordingInfo {
            version: FORMAT_VERSION,
            creator: "pitwall-acc test".into(),
            created_unix_us: 1_700_000_000_000_000,
        };
        let bytes = encode_header(&info);
        let mut pos = 0;
        let read = |buf: &mut [u8]| {
            let n = buf.len().min(bytes.len() - pos);
            buf[..n].copy_from_slice(&bytes[pos..pos + n]);
            pos += n;
            Ok(n)
        };
        let back = decode_header(read).unwrap();
        assert_eq!(back, info);
        assert_eq!(pos, bytes.len());
    }
}
