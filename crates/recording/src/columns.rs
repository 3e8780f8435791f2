//! Column coding of the pages of one kind within a block.
//!
//! Every ACC field is a 4-byte `int32`/`float32` or a pair of UTF-16 units, so a page is read
//! as little-endian 32-bit words and each word position is a *column*. Within a block each
//! column picks the predictor whose residuals have the fewest significant bits in all:
//!
//! - `XOR`: the value XOR the previous value;
//! - `DELTA`: the wrapping integer difference from the previous value;
//! - `LINEAR`: the wrapping integer difference from the straight-line extrapolation
//!   `2·prev − prev2` (free for counters such as `packetId`, small for smooth floats);
//! - `QUADRATIC`: the difference from the parabola through the last three values,
//!   `3·prev − 3·prev2 + prev3` (smaller still for smoothly curving channels).
//!
//! Differences are zigzag coded so small negative numbers stay small. A column also stores
//! only as many low bytes of its residuals as the largest one needs (its *width*, 0 to 4), so
//! a column that does not change, or changes exactly as predicted, costs nothing. Residual
//! bytes are laid out in byte planes: first the most significant byte of every column that
//! has one, record after record, then the next byte, down to the least significant. That
//! gathers the mostly-zero high bytes in long runs that zstd all but erases.
//!
//! On disk, for `k` pages of `nw` words: `nw` code bytes (`predictor | width << 2`), then
//! plane 3 (columns of width 4, `k` bytes each, in column order), plane 2 (columns of width
//! 3 or more), plane 1, plane 0.

use super::error::Damage;

/// Columns are gathered from the row-major pages this many at a time (one cache line of
/// each page), so the gathering reads memory in order.
const TILE: usize = 16;

const XOR: u8 = 0;
const DELTA: u8 = 1;
const LINEAR: u8 = 2;
const QUADRATIC: u8 = 3;
const PREDICTORS: [u8; 4] = [XOR, DELTA, LINEAR, QUADRATIC];

fn significant_bits(x: u32) -> u32 {
    32 - x.leading_zeros()
}

/// About `significant_bits(r) - 1` (the exponent of `r / 2` as a float), which vectorises
/// where counting leading zeros does not.
fn approx_bits(r: u32) -> u32 {
    (((r >> 1) as i32 as f32).to_bits() >> 23).saturating_sub(126)
}

fn zz32(d: u32) -> u32 {
    let d = d as i32;
    ((d << 1) ^ (d >> 31)) as u32
}

fn unzz32(r: u32) -> u32 {
    (r >> 1) ^ (r & 1).wrapping_neg()
}

/// What `pred` expects next, given the history `h` (latest value first).
fn prediction(pred: u8, h: [u32; 3]) -> u32 {
    let [a, b, c] = h;
    match pred {
        XOR | DELTA => a,
        LINEAR => a.wrapping_mul(2).wrapping_sub(b),
        _ => a.wrapping_sub(b).wrapping_mul(3).wrapping_add(c),
    }
}

/// The residual of `cur` given the history `h` (latest value first).
fn residual(pred: u8, cur: u32, h: [u32; 3]) -> u32 {
    match pred {
        XOR => cur ^ h[0],
        _ => zz32(cur.wrapping_sub(prediction(pred, h))),
    }
}

/// The value back from its residual.
fn restore(pred: u8, r: u32, h: [u32; 3]) -> u32 {
    match pred {
        XOR => r ^ h[0],
        _ => prediction(pred, h).wrapping_add(unzz32(r)),
    }
}

/// The history after `cur`.
fn push(h: [u32; 3], cur: u32) -> [u32; 3] {
    [cur, h[0], h[1]]
}

/// Buffers the writer reuses from block to block, so that coding a block allocates nothing
/// once the buffers have grown.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scratch {
    residuals: Vec<u32>,
    tile: Vec<u32>,
    codes: Vec<u8>,
}

/// Copies columns `w0..w0 + tw` of `rows` into `tile`, column after column.
fn gather(rows: &[u32], nw: usize, k: usize, w0: usize, tw: usize, tile: &mut [u32]) {
    for (i, row) in rows.chunks_exact(nw).enumerate() {
        for (j, &v) in row[w0..w0 + tw].iter().enumerate() {
            tile[j * k + i] = v;
        }
    }
}

/// Appends the coded columns of `rows` (`k` pages of `nw` words, one after the other) to
/// `out`, advancing each column's history `prev` (latest value first).
pub(crate) fn encode(
    rows: &[u32],
    nw: usize,
    prev: &mut [[u32; 3]],
    scratch: &mut Scratch,
    out: &mut Vec<u8>,
) {
    let k = rows.len() / nw;
    // Residuals, column after column, and each column's code.
    let Scratch {
        residuals,
        tile,
        codes,
    } = scratch;
    residuals.resize(nw * k, 0);
    tile.resize(TILE * k, 0);
    codes.clear();
    codes.resize(nw, 0);
    let mut in_plane = [0usize; 4];
    for w0 in (0..nw).step_by(TILE) {
        let tw = TILE.min(nw - w0);
        gather(rows, nw, k, w0, tw, tile);
        for (j, column) in tile.chunks_exact(k.max(1)).take(tw).enumerate() {
            let w = w0 + j;
            let width = encode_column(
                column,
                &mut prev[w],
                &mut codes[w],
                residuals[w * k..(w + 1) * k].as_mut(),
            );
            for plane in in_plane.iter_mut().take(usize::from(width)) {
                *plane += 1;
            }
        }
    }
    out.extend_from_slice(codes);
    for plane in (0..4).rev() {
        let start = out.len();
        out.resize(start + in_plane[plane] * k, 0);
        let mut chunks = out[start..].chunks_exact_mut(k.max(1));
        for (w, &code) in codes.iter().enumerate() {
            if usize::from(code >> 2) > plane
                && let Some(chunk) = chunks.next()
            {
                for (dst, r) in chunk.iter_mut().zip(&residuals[w * k..(w + 1) * k]) {
                    *dst = (r >> (8 * plane)) as u8;
                }
            }
        }
    }
}

/// Chooses the predictor of one column, writes its residuals and code, advances its
/// history, and returns its width in bytes.
fn encode_column(column: &[u32], prev: &mut [u32; 3], code: &mut u8, residuals: &mut [u32]) -> u8 {
    let start = *prev;
    let mut h = start;
    // Total significant bits (a close stand-in for the compressed size) and the OR of the
    // residuals (whose highest bit gives the width).
    let mut cost = [0u32; 4];
    let mut any = [0u32; 4];
    for &cur in column {
        for p in PREDICTORS {
            let r = residual(p, cur, h);
            cost[p as usize] += approx_bits(r);
            any[p as usize] |= r;
        }
        h = push(h, cur);
    }
    *prev = h;
    let best = PREDICTORS
        .into_iter()
        .min_by_key(|&p| (cost[p as usize], p))
        .unwrap_or(XOR);
    let width = significant_bits(any[best as usize]).div_ceil(8) as u8;
    *code = best | width << 2;
    if width > 0 {
        let mut h = start;
        for (dst, &cur) in residuals.iter_mut().zip(column) {
            *dst = residual(best, cur, h);
            h = push(h, cur);
        }
    }
    width
}

/// The number of bytes [`decode`] will take for `k` pages of `nw` words, read from the
/// column codes at the start of `bytes`.
pub(crate) fn coded_len(bytes: &[u8], nw: usize, k: usize) -> Result<usize, Damage> {
    let codes = bytes
        .get(..nw)
        .ok_or(Damage::Malformed("column codes missing"))?;
    let mut len = nw;
    for &code in codes {
        let (pred, width) = (code & 3, code >> 2);
        if pred > QUADRATIC || width > 4 {
            return Err(Damage::Malformed("unknown column code"));
        }
        len += usize::from(width) * k;
    }
    Ok(len)
}

/// Decodes `k` pages of `nw` words from exactly `coded_len` bytes into `rows`, advancing the
/// history.
pub(crate) fn decode(
    bytes: &[u8],
    nw: usize,
    k: usize,
    prev: &mut [[u32; 3]],
    rows: &mut Vec<u32>,
) -> Result<(), Damage> {
    if coded_len(bytes, nw, k)? != bytes.len() {
        return Err(Damage::Malformed("column data has the wrong length"));
    }
    let (codes, planes) = bytes.split_at(nw);
    // Where each plane starts, and how far each has been consumed.
    let mut cursor = [0usize; 4];
    let mut at = 0;
    for plane in (0..4).rev() {
        cursor[plane] = at;
        at += codes
            .iter()
            .filter(|&&c| usize::from(c >> 2) > plane)
            .count()
            * k;
    }
    rows.clear();
    rows.resize(nw * k, 0);
    let mut residuals = vec![0u32; k];
    let mut tile = vec![0u32; TILE * k];
    for w0 in (0..nw).step_by(TILE) {
        let tw = TILE.min(nw - w0);
        for (j, column) in tile.chunks_exact_mut(k.max(1)).take(tw).enumerate() {
            let w = w0 + j;
            let (pred, width) = (codes[w] & 3, usize::from(codes[w] >> 2));
            residuals.fill(0);
            for (plane, pos) in cursor.iter_mut().enumerate().take(width) {
                let bytes = planes
                    .get(*pos..*pos + k)
                    .ok_or(Damage::Malformed("column data missing"))?;
                *pos += k;
                for (r, &byte) in residuals.iter_mut().zip(bytes) {
                    *r |= u32::from(byte) << (8 * plane);
                }
            }
            let mut h = prev[w];
            for (slot, &r) in column.iter_mut().zip(&residuals) {
                let cur = restore(pred, r, h);
                *slot = cur;
                h = push(h, cur);
            }
            prev[w] = h;
        }
        for (i, row) in rows.chunks_exact_mut(nw).enumerate() {
            for (j, dst) in row[w0..w0 + tw].iter_mut().enumerate() {
                *dst = tile[j * k + i];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_predictor_inverts() {
        let values = [0u32, 1, u32::MAX, 0x3f80_0000, 0xbf80_0000, 12345];
        for pred in PREDICTORS {
            for &cur in &values {
                for &a in &values {
                    for &b in &values {
                        for &c in &values {
                            let h = [a, b, c];
                            assert_eq!(restore(pred, residual(pred, cur, h), h), cur);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn counters_and_constants_cost_only_their_code_byte() {
        // Column 0 counts up by one, column 1 never changes.
        let rows: Vec<u32> = (0..50u32).flat_map(|i| [100 + i, 7]).collect();
        let mut prev = vec![[99, 98, 97], [7, 7, 7]];
        let mut out = Vec::new();
        encode(&rows, 2, &mut prev, &mut Scratch::default(), &mut out);
        assert_eq!(out, [LINEAR, XOR]);
        assert_eq!(prev, [[149, 148, 147], [7, 7, 7]]);
    }

    #[test]
    fn parabolas_cost_only_their_code_byte() {
        // i² continues the parabola through its history exactly: QUADRATIC, width 0.
        let rows: Vec<u32> = (3..40u32).map(|i| i * i).collect();
        let mut prev = vec![[4, 1, 0]];
        let mut out = Vec::new();
        encode(&rows, 1, &mut prev, &mut Scratch::default(), &mut out);
        assert_eq!(out, [QUADRATIC]);
    }

    #[test]
    fn columns_round_trip_with_mixed_widths() {
        let nw = 4;
        let rows: Vec<u32> = (0..37u32)
            .flat_map(|i| {
                [
                    i * i * i,
                    0x8000_0000 ^ (i % 2),
                    5,
                    i.wrapping_mul(0x9e37_79b9),
                ]
            })
            .collect();
        let mut enc = vec![[1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 0]];
        let mut dec = enc.clone();
        let mut out = Vec::new();
        encode(&rows, nw, &mut enc, &mut Scratch::default(), &mut out);
        assert_eq!(coded_len(&out, nw, 37), Ok(out.len()));
        let mut back = Vec::new();
        decode(&out, nw, 37, &mut dec, &mut back).unwrap();
        assert_eq!(back, rows);
        assert_eq!(dec, enc);
        // Wrong lengths and unknown codes are errors, not panics.
        let fresh = || vec![[0u32; 3]; 4];
        assert!(decode(&out[..out.len() - 1], nw, 37, &mut fresh(), &mut back).is_err());
        let mut bad = out.clone();
        bad[0] = 5 << 2; // width 5
        assert!(decode(&bad, nw, 37, &mut fresh(), &mut back).is_err());
    }
}
