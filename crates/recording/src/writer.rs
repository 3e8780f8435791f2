//! [`Recorder`]: turns a stream of snapshots into a recording.
//!
//! Each push compares the three pages with the previous push and keeps only the pages that
//! changed (all three the first time). Frames gather in an open block, which is coded and
//! compressed as one zstd frame when it spans [`RecorderOptions::block_time`] of recorded
//! time or holds [`RecorderOptions::block_frames`] frames, and then written and flushed to
//! the output. So a recorder that is killed loses at most the open block.

use super::codec::{self, BlockData, History, KINDS};
use super::columns::Scratch;
use super::error::RecordingError;
use super::format::{BlockHeader, Envelope, FORMAT_VERSION, RecordingInfo, encode_header};
use pitwall_acc::snapshot::{PageKind, Snapshot};
use std::io::Write;
use std::time::{Duration, SystemTime};

/// The most frames one block may hold, whatever the options say: keeps every block far below
/// the size a reader accepts.
const MAX_BLOCK_FRAMES: usize = 16_384;

/// How a [`Recorder`] cuts and compresses blocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecorderOptions {
    /// Close a block once it spans this much recorded time. Longer blocks compress a little
    /// better; a crash loses at most one block.
    pub block_time: Duration,
    /// Close a block once it holds this many frames (at most 16,384).
    pub block_frames: usize,
    /// zstd compression level, 1 (fastest) to 19 (smallest); out-of-range values are clamped.
    pub level: i32,
    /// Record a changed physics page only if at least this much time passed since the last
    /// recorded one. Zero (the default) records every change; `1/100 s` keeps physics at
    /// 100 Hz for a file about a third the size. Graphics and static are always recorded on
    /// every change: lap timing lives there.
    pub physics_every: Duration,
}

impl Default for RecorderOptions {
    fn default() -> Self {
        Self {
            block_time: Duration::from_secs(1),
            block_frames: 4_096,
            level: 3,
            physics_every: Duration::ZERO,
        }
    }
}

/// Counters of what a [`Recorder`] has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecorderStats {
    /// Frames recorded: pushes in which at least one page changed.
    pub frames: u64,
    /// Pages recorded over all frames (one to three per frame).
    pub records: u64,
    /// Uncompressed size of the recorded pages.
    pub page_bytes: u64,
    /// Bytes written to the output so far (the open block is not written yet).
    pub bytes: u64,
    /// Blocks written.
    pub blocks: u64,
}

/// Writes a recording: a header, then compressed blocks of changed pages, then an end marker
/// on [`Recorder::finish`].
pub struct Recorder<W: Write> {
    out: W,
    options: RecorderOptions,
    compressor: zstd::bulk::Compressor<'static>,
    /// The pages as of the last push, to tell which changed.
    last: [Vec<u8>; 3],
    /// When the last physics page was recorded, in microseconds.
    last_physics_us: Option<u64>,
    started: bool,
    block: BlockData,
    history: History,
    scratch: Scratch,
    payload: Vec<u8>,
    compressed: Vec<u8>,
    stats: RecorderStats,
    failed: bool,
}

impl<W: Write> Recorder<W> {
    /// Starts a recording on `out` with the default options, writing the file header.
    pub fn new(out: W) -> Result<Self, RecordingError> {
        Self::with_options(out, RecorderOptions::default())
    }

    /// Starts a recording on `out` with the given options, writing the file header.
    pub fn with_options(out: W, options: RecorderOptions) -> Result<Self, RecordingError> {
        let level = options.level.clamp(1, 19);
        let options = RecorderOptions {
            block_frames: options.block_frames.clamp(1, MAX_BLOCK_FRAMES),
            level,
            ..options
        };
        let compressor = zstd::bulk::Compressor::new(level).map_err(RecordingError::Compress)?;
        let created_unix_us = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, micros);
        let header = encode_header(&RecordingInfo {
            version: FORMAT_VERSION,
            // The name recordings have carried since the format's first version, when the
            // recorder was part of `pitwall-acc`; kept so files stay the same.
            creator: concat!("pitwall-acc ", env!("CARGO_PKG_VERSION")).to_owned(),
            created_unix_us,
        });
        let mut recorder = Self {
            out,
            options,
            compressor,
            last: KINDS.map(|k| vec![0; k.size()]),
            last_physics_us: None,
            started: false,
            block: BlockData::default(),
            history: History::default(),
            scratch: Scratch::default(),
            payload: Vec::new(),
            compressed: Vec::new(),
            stats: RecorderStats::default(),
            failed: false,
        };
        recorder.write(&header)?;
        Ok(recorder)
    }

    /// Records the pages of `snap` that changed since the previous push (all three on the
    /// first push), stamped with `snap.at` in whole microseconds. A push in which nothing
    /// changed records nothing.
    pub fn push(&mut self, snap: &Snapshot) -> Result<(), RecordingError> {
        if self.failed {
            return Err(RecordingError::Stopped);
        }
        let mut mask = 0u8;
        let at = micros(snap.at);
        for (i, kind) in KINDS.into_iter().enumerate() {
            let bytes = snap.page_bytes(kind);
            if self.started && self.last[i] == bytes {
                continue;
            }
            if kind == PageKind::Physics && self.started {
                let every = micros(self.options.physics_every);
                if self
                    .last_physics_us
                    .is_some_and(|last| at.saturating_sub(last) < every)
                {
                    continue;
                }
                self.last_physics_us = Some(at);
            }
            mask |= 1 << i;
            self.last[i].copy_from_slice(bytes);
            self.block.rows[i].extend(
                bytes
                    .chunks_exact(4)
                    .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])),
            );
            self.stats.records += 1;
            self.stats.page_bytes += bytes.len() as u64;
        }
        if mask == 0 {
            return Ok(());
        }
        if !self.started {
            self.last_physics_us = Some(at);
        }
        self.started = true;
        self.block.times.push(at);
        self.block.masks.push(mask);
        self.stats.frames += 1;
        let first = self.block.times.first().copied().unwrap_or(at);
        if self.block.times.len() >= self.options.block_frames
            || at.saturating_sub(first) >= micros(self.options.block_time)
        {
            self.close_block()?;
        }
        Ok(())
    }

    /// Closes the open block and flushes the output, so that everything pushed so far can be
    /// read back (a reader then reports the missing end marker after the last frame).
    pub fn flush(&mut self) -> Result<(), RecordingError> {
        if self.failed {
            return Err(RecordingError::Stopped);
        }
        self.close_block()?;
        self.flush_out()
    }

    /// Writes the open block and the end marker, flushes, and hands the output back.
    pub fn finish(mut self) -> Result<W, RecordingError> {
        self.flush()?;
        let end = Envelope::End {
            frames: self.stats.frames,
        };
        self.write(&end.encode())?;
        self.flush_out()?;
        Ok(self.out)
    }

    /// What has been recorded so far.
    pub fn stats(&self) -> RecorderStats {
        self.stats
    }

    /// The output, as written so far (the open block is not in it yet).
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The options in use (after clamping).
    pub fn options(&self) -> RecorderOptions {
        self.options
    }

    fn close_block(&mut self) -> Result<(), RecordingError> {
        let frames = self.block.times.len();
        if frames == 0 {
            return Ok(());
        }
        self.payload.clear();
        codec::encode(
            &self.block,
            &mut self.history,
            &mut self.scratch,
            &mut self.payload,
        );
        self.block.clear();
        self.compressed.clear();
        self.compressed
            .reserve(zstd::zstd_safe::compress_bound(self.payload.len()));
        self.compressor
            .compress_to_buffer(&self.payload, &mut self.compressed)
            .map_err(RecordingError::Compress)?;
        // Both lengths are below 64 MiB: blocks hold at most 16,384 frames of 3.2 KB.
        let header = Envelope::Block(BlockHeader {
            compressed_len: u32::try_from(self.compressed.len()).unwrap_or(u32::MAX),
            raw_len: u32::try_from(self.payload.len()).unwrap_or(u32::MAX),
            frames: u32::try_from(frames).unwrap_or(u32::MAX),
            payload_crc: crc32fast::hash(&self.payload),
        });
        self.write(&header.encode())?;
        let compressed = std::mem::take(&mut self.compressed);
        let written = self.write(&compressed);
        self.compressed = compressed;
        written?;
        self.stats.blocks += 1;
        self.flush_out()
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), RecordingError> {
        match self.out.write_all(bytes) {
            Ok(()) => {
                self.stats.bytes += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.failed = true;
                Err(RecordingError::Write(e))
            }
        }
    }

    fn flush_out(&mut self) -> Result<(), RecordingError> {
        self.out.flush().map_err(|e| {
            self.failed = true;
            RecordingError::Write(e)
        })
    }
}

impl<W: Write> std::fmt::Debug for Recorder<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("options", &self.options)
            .field("stats", &self.stats)
            .field("open_block_frames", &self.block.times.len())
            .finish_non_exhaustive()
    }
}

/// Whole microseconds, saturating at `i64::MAX` so differences always fit an `i64`.
pub(crate) fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros().min(i64::MAX as u128)).unwrap_or(i64::MAX as u64)
}
