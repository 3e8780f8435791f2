//! Structure-aware mutation of recordings (`docs/recording-format.md`): a block's payload is
//! decompressed, mutated and compressed again, or a header field changed, and the lengths and
//! CRC-32s are made to match, so the damage reaches the column decoder behind the checksums
//! instead of being caught by them.

use crate::{Rng, mutate_bytes};

/// The file header's fixed part; the creator's length is its last byte.
const HEADER_FIXED_LEN: usize = 29;
/// A block header or end record.
const RECORD_LEN: usize = 24;

/// One block's place in the file: where its header starts, and its compressed length.
struct Block {
    at: usize,
    compressed_len: usize,
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&data[at..at + 4]);
    u32::from_le_bytes(b)
}

/// The blocks of an intact recording, in order (stops at the first thing that is not one).
fn blocks(data: &[u8]) -> Vec<Block> {
    let mut out = Vec::new();
    let Some(&creator_len) = data.get(HEADER_FIXED_LEN - 1) else {
        return out;
    };
    let mut at = HEADER_FIXED_LEN + usize::from(creator_len) + 4;
    while at + RECORD_LEN <= data.len() && &data[at..at + 4] == b"BLK1" {
        let compressed_len = u32_at(data, at + 4) as usize;
        if at + RECORD_LEN + compressed_len > data.len() {
            break;
        }
        out.push(Block { at, compressed_len });
        at += RECORD_LEN + compressed_len;
    }
    out
}

/// Rewrites the CRC-32 of the 24-byte record at `at`.
fn seal(data: &mut [u8], at: usize) {
    let crc = crc(&data[at..at + 20]);
    data[at + 20..at + 24].copy_from_slice(&crc.to_le_bytes());
}

/// CRC-32 (IEEE), as the format uses.
fn crc(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// Mutates one block of a recording behind its checksums; false when `data` has no block.
pub fn mutate(rng: &mut Rng, data: &mut Vec<u8>) -> bool {
    let blocks = blocks(data);
    if blocks.is_empty() || rng.one_in(4) {
        return false;
    }
    let block = &blocks[rng.below(blocks.len())];
    let body = block.at + RECORD_LEN;
    if rng.one_in(3) {
        // A header field (lengths, frame count) set to another value, header CRC fixed.
        let field = block.at + 4 + 4 * rng.below(4);
        let value: u32 = match rng.below(4) {
            0 => 0,
            1 => u32::MAX,
            2 => (rng.next_u64() % 100_000) as u32,
            _ => u32_at(data, field).wrapping_add(1),
        };
        data[field..field + 4].copy_from_slice(&value.to_le_bytes());
        seal(data, block.at);
        return true;
    }
    let raw_len = u32_at(data, block.at + 8) as usize;
    if raw_len > 1 << 20 {
        // A length mutated before: decompressing would allocate it all.
        return false;
    }
    let Ok(mut payload) = zstd::bulk::decompress(&data[body..body + block.compressed_len], raw_len)
    else {
        return false;
    };
    for _ in 0..1 + rng.below(3) {
        mutate_bytes(rng, &mut payload, &[], 1 << 20);
    }
    let Ok(compressed) = zstd::bulk::compress(&payload, 1) else {
        return false;
    };
    data[block.at + 4..block.at + 8].copy_from_slice(&(compressed.len() as u32).to_le_bytes());
    data[block.at + 8..block.at + 12].copy_from_slice(&(payload.len() as u32).to_le_bytes());
    if rng.one_in(4) {
        let frames = (rng.next_u64() % 64) as u32;
        data[block.at + 12..block.at + 16].copy_from_slice(&frames.to_le_bytes());
    }
    data[block.at + 16..block.at + 20].copy_from_slice(&crc(&payload).to_le_bytes());
    seal(data, block.at);
    data.splice(body..body + block.compressed_len, compressed);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc(b"123456789"), 0xCBF4_3926);
    }
}
