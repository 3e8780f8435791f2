//! The contents of one block before compression: each frame's time stamp and change mask,
//! then the changed pages of each kind, coded column by column (see `columns`). The
//! predictors' history (the last three values of every column, the last time stamp) carries
//! over from block to block, in the writer and in the reader alike.

use super::columns;
use super::error::Damage;
use super::format::{get_varint, put_varint, unzigzag, zigzag};
use pitwall_acc::snapshot::PageKind;

/// Kinds in their on-disk order; bit `i` of a frame's mask is `KINDS[i]`.
pub(crate) const KINDS: [PageKind; 3] = PageKind::ALL;

/// The number of 32-bit words of a page.
pub(crate) fn words_of(kind: PageKind) -> usize {
    kind.size() / 4
}

/// Frames of one block, uncompressed: absolute times, change masks, changed pages.
#[derive(Clone, Debug, Default)]
pub(crate) struct BlockData {
    /// Each frame's time in microseconds.
    pub times: Vec<u64>,
    /// Each frame's mask: bit `i` set when page `KINDS[i]` is recorded in this frame.
    pub masks: Vec<u8>,
    /// Per kind, the recorded pages as words, one page after the other.
    pub rows: [Vec<u32>; 3],
}

impl BlockData {
    /// Empties the block, keeping its allocations.
    pub(crate) fn clear(&mut self) {
        self.times.clear();
        self.masks.clear();
        self.rows.iter_mut().for_each(Vec::clear);
    }
}

/// The last three recorded values of every column of every page, shared by both ends.
#[derive(Clone, Debug)]
pub(crate) struct History {
    /// Time of the last frame before the block, in microseconds.
    pub last_time: u64,
    /// Per kind and column: the latest value, the one before, and the one before that.
    prev: [Vec<[u32; 3]>; 3],
}

impl Default for History {
    fn default() -> Self {
        Self {
            last_time: 0,
            prev: KINDS.map(|k| vec![[0u32; 3]; words_of(k)]),
        }
    }
}

/// Appends the block's payload to `out` and advances `hist` past it.
pub(crate) fn encode(
    block: &BlockData,
    hist: &mut History,
    scratch: &mut columns::Scratch,
    out: &mut Vec<u8>,
) {
    let mut last = hist.last_time;
    for &t in &block.times {
        put_varint(out, zigzag(t.wrapping_sub(last) as i64));
        last = t;
    }
    hist.last_time = last;
    out.extend_from_slice(&block.masks);
    for (i, kind) in KINDS.into_iter().enumerate() {
        let nw = words_of(kind);
        let rows = &block.rows[i];
        if !rows.is_empty() {
            columns::encode(rows, nw, &mut hist.prev[i], scratch, out);
        }
    }
}

/// Decodes a payload of `frames` frames into `block`, advancing `hist`.
pub(crate) fn decode(
    payload: &[u8],
    frames: usize,
    hist: &mut History,
    block: &mut BlockData,
) -> Result<(), Damage> {
    block.clear();
    let mut pos = 0;
    let mut last = hist.last_time;
    for _ in 0..frames {
        let dt = get_varint(payload, &mut pos).ok_or(Damage::Malformed("bad time stamp"))?;
        last = last
            .checked_add_signed(unzigzag(dt))
            .ok_or(Damage::Malformed("time stamp out of range"))?;
        block.times.push(last);
    }
    let masks = payload
        .get(pos..pos + frames)
        .ok_or(Damage::Malformed("frame masks missing"))?;
    if masks.iter().any(|&m| m == 0 || m >= 1 << KINDS.len()) {
        return Err(Damage::Malformed("bad frame mask"));
    }
    block.masks.extend_from_slice(masks);
    pos += frames;
    for (i, kind) in KINDS.into_iter().enumerate() {
        let k = masks.iter().filter(|&&m| m & (1 << i) != 0).count();
        if k == 0 {
            continue;
        }
        let nw = words_of(kind);
        let rest = payload.get(pos..).unwrap_or(&[]);
        let len = columns::coded_len(rest, nw, k)?;
        let bytes = rest
            .get(..len)
            .ok_or(Damage::Malformed("page data missing"))?;
        pos += len;
        columns::decode(bytes, nw, k, &mut hist.prev[i], &mut block.rows[i])?;
    }
    if pos != payload.len() {
        return Err(Damage::Malformed("unexpected bytes after the page data"));
    }
    hist.last_time = last;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_round_trips_with_history_across_blocks() {
        let mut enc = History::default();
        let mut dec = History::default();
        for round in 0..3u32 {
            let mut block = BlockData::default();
            for f in 0..5u32 {
                block.times.push(u64::from(round * 100 + f * 3));
                let mask = [1u8, 3, 7, 1, 2][f as usize];
                block.masks.push(mask);
                for (i, kind) in KINDS.into_iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        let n = words_of(kind) as u32;
                        block.rows[i]
                            .extend((0..n).map(|w| w.wrapping_mul(f + round) ^ 0x4000_0000));
                    }
                }
            }
            let mut payload = Vec::new();
            encode(
                &block,
                &mut enc,
                &mut columns::Scratch::default(),
                &mut payload,
            );
            let mut back = BlockData::default();
            decode(&payload, 5, &mut dec, &mut back).unwrap();
            assert_eq!(back.times, block.times);
            assert_eq!(back.masks, block.masks);
            assert_eq!(back.rows, block.rows);
            // A truncated payload is an error, never a panic.
            for cut in 0..payload.len() {
                let mut h = dec.clone();
                assert!(decode(&payload[..cut], 5, &mut h, &mut back).is_err());
            }
        }
    }
}
