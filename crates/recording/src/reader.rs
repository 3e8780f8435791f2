//! [`RecordingReader`]: reads a recording back, snapshot by snapshot.
//!
//! Blocks are read one at a time: the header is checked, the zstd frame decompressed and its
//! CRC-32 compared before any of its frames is given out, so a damaged block never yields
//! wrong pages. Reading stops at the first damage with one error naming the block's offset.
//! A block cut short (the recorder was killed while writing it) is lost as a whole: its
//! columns are stored one after the other, so no complete page can be rebuilt from its start.

use super::codec::{self, BlockData, History, KINDS, words_of};
use super::error::{Damage, RecordingError};
use super::format::{BLOCK_HEADER_LEN, Envelope, RecordingInfo, decode_header};
use pitwall_acc::snapshot::Snapshot;
use std::io::{ErrorKind, Read};
use std::time::Duration;

/// Reads a recording: an iterator over the recorded snapshots, in order.
///
/// Each item is the full three-page state after one recorded change, with `at` as recorded.
/// After the last intact frame, a damaged or cut-short file yields one `Err` naming the byte
/// offset where the damage starts; then the iterator ends.
pub struct RecordingReader<R: Read> {
    inner: R,
    /// Bytes consumed from `inner`.
    offset: u64,
    info: RecordingInfo,
    history: History,
    decompressor: zstd::bulk::Decompressor<'static>,
    compressed: Vec<u8>,
    payload: Vec<u8>,
    block: BlockData,
    /// The next frame of `block` to give out, and the next page of each kind.
    next_frame: usize,
    next_row: [usize; 3],
    state: Snapshot,
    frames_read: u64,
    done: bool,
}

impl<R: Read> RecordingReader<R> {
    /// Reads and checks the file header; the frames follow through the iterator.
    pub fn new(mut inner: R) -> Result<Self, RecordingError> {
        let mut offset = 0u64;
        let info = decode_header(|buf| {
            let got = read_full(&mut inner, buf, offset)?;
            offset += got as u64;
            Ok(got)
        })?;
        let decompressor = zstd::bulk::Decompressor::new().map_err(RecordingError::Compress)?;
        Ok(Self {
            inner,
            offset,
            info,
            history: History::default(),
            decompressor,
            compressed: Vec::new(),
            payload: Vec::new(),
            block: BlockData::default(),
            next_frame: 0,
            next_row: [0; 3],
            state: Snapshot::default(),
            frames_read: 0,
            done: false,
        })
    }

    /// What the file header says: format version, creator and creation time.
    pub fn info(&self) -> &RecordingInfo {
        &self.info
    }

    /// Bytes of the file read so far (a whole block at a time).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Frames given out so far.
    pub fn frames_read(&self) -> u64 {
        self.frames_read
    }

    /// Reads the next block. `Ok(false)` at a valid end marker.
    fn read_block(&mut self) -> Result<bool, RecordingError> {
        let start = self.offset;
        let mut header = [0u8; BLOCK_HEADER_LEN];
        let got = read_full(&mut self.inner, &mut header, start)?;
        self.offset += got as u64;
        if got < BLOCK_HEADER_LEN {
            return Err(RecordingError::Truncated { offset: start });
        }
        let corrupt = |reason| RecordingError::Corrupt {
            offset: start,
            reason,
        };
        let block = match Envelope::decode(&header).map_err(corrupt)? {
            Envelope::End { frames } => {
                if frames != self.frames_read {
                    return Err(corrupt(Damage::FrameCount {
                        expected: frames,
                        found: self.frames_read,
                    }));
                }
                let mut probe = [0u8; 1];
                if read_full(&mut self.inner, &mut probe, self.offset)? > 0 {
                    return Err(RecordingError::Corrupt {
                        offset: self.offset,
                        reason: Damage::TrailingData,
                    });
                }
                return Ok(false);
            }
            Envelope::Block(block) => block,
        };
        // A frame takes at least a one-byte time stamp and a one-byte mask.
        if block.frames == 0 || u64::from(block.frames) * 2 > u64::from(block.raw_len) {
            return Err(corrupt(Damage::Malformed(
                "frame count does not fit the block",
            )));
        }
        self.compressed.clear();
        let want = u64::from(block.compressed_len);
        let got = (&mut self.inner)
            .take(want)
            .read_to_end(&mut self.compressed)
            .map_err(|source| RecordingError::Read {
                offset: self.offset,
                source,
            })?;
        self.offset += got as u64;
        if (got as u64) < want {
            return Err(RecordingError::Truncated { offset: start });
        }
        let raw_len = block.raw_len as usize;
        self.payload.clear();
        self.payload.reserve(raw_len);
        self.decompressor
            .decompress_to_buffer(&self.compressed, &mut self.payload)
            .map_err(|_| corrupt(Damage::Decompress))?;
        if self.payload.len() != raw_len {
            return Err(corrupt(Damage::SizeMismatch {
                expected: raw_len as u64,
                found: self.payload.len() as u64,
            }));
        }
        if crc32fast::hash(&self.payload) != block.payload_crc {
            return Err(corrupt(Damage::PayloadChecksum));
        }
        codec::decode(
            &self.payload,
            block.frames as usize,
            &mut self.history,
            &mut self.block,
        )
        .map_err(corrupt)?;
        self.next_frame = 0;
        self.next_row = [0; 3];
        Ok(true)
    }

    /// Applies the next frame of the current block to `state`; false when there is none.
    fn apply_next_frame(&mut self) -> bool {
        let j = self.next_frame;
        let (Some(&at), Some(&mask)) = (self.block.times.get(j), self.block.masks.get(j)) else {
            return false;
        };
        for (i, kind) in KINDS.into_iter().enumerate() {
            if mask & (1 << i) == 0 {
                continue;
            }
            let nw = words_of(kind);
            let row = self.next_row[i];
            self.next_row[i] += 1;
            let words = self.block.rows[i]
                .get(row * nw..(row + 1) * nw)
                .unwrap_or(&[]);
            let page = self.state.page_bytes_mut(kind);
            for (dst, w) in page.chunks_exact_mut(4).zip(words) {
                dst.copy_from_slice(&w.to_le_bytes());
            }
        }
        self.state.at = Duration::from_micros(at);
        self.next_frame += 1;
        self.frames_read += 1;
        true
    }
}

impl<R: Read> Iterator for RecordingReader<R> {
    type Item = Result<Snapshot, RecordingError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            if self.apply_next_frame() {
                return Some(Ok(self.state.clone()));
            }
            match self.read_block() {
                Ok(true) => {}
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

impl<R: Read> std::fmt::Debug for RecordingReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingReader")
            .field("info", &self.info)
            .field("offset", &self.offset)
            .field("frames_read", &self.frames_read)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Fills `buf` from `r` as far as the data goes; returns the bytes read (fewer only at the
/// end of the file).
fn read_full(r: &mut impl Read, buf: &mut [u8], offset: u64) -> Result<usize, RecordingError> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(source) => {
                return Err(RecordingError::Read {
                    offset: offset + filled as u64,
                    source,
                });
            }
        }
    }
    Ok(filled)
}
