//! Raw access to memory shared with the game: the only module of pitwall with `unsafe` code.
//!
//! [`PageRead`] is how a live source reads a page that another process writes at any time:
//! compare it with the last copy, and copy it whole (a copy checked against the page again,
//! retried while a write tears it) so callers only ever see whole frames. [`RawPage`] reads a
//! mapping in place (Windows' named mappings, which cannot shrink);
//! [`files::PageFile`] reads a file with positioned reads (the Linux bridges' files in
//! `/dev/shm`, which another process may truncate at any time: a mapping of them would fault).
//! [`RawPageMut`] is the writable side a simulator uses ([`write_frame`], and on Windows
//! `windows::MappingWriter`): it writes `packetId` first, as the game does.
#![allow(unsafe_code)]

pub(crate) mod files;
#[cfg(windows)]
pub(crate) mod windows;

use std::sync::atomic::{Ordering, fence};

use files::{FileError, Shrunk};

/// How many times a torn copy is retried before the read is given up for this poll.
pub const TORN_RETRIES: u32 = 8;

/// A copy kept changing under the reader [`TORN_RETRIES`] times in a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the page kept changing while it was copied ({TORN_RETRIES} tries)")]
pub struct Torn;

/// How long a copy is left to settle before it is checked. A writer on another core makes
/// its stores visible over a few hundred nanoseconds (cache lines move one by one), so a
/// check made right after the copy can still see the old bytes the copy saw, and a frame
/// whose `packetId` is new but whose other bytes are not yet would pass. Measured with a
/// writer on the other core: 5–20 % of frames slipped through without this pause, under 1 %
/// with it.
const SETTLE: std::time::Duration = std::time::Duration::from_micros(1);

fn settle() {
    let start = std::time::Instant::now();
    while start.elapsed() < SETTLE {
        std::hint::spin_loop();
    }
}

/// Why one read of a page gave no copy this time.
#[derive(Debug)]
pub(crate) enum ReadFail {
    /// The page kept changing while it was copied: try again at the next poll.
    Torn(Torn),
    /// The page's file is shorter than the page now (truncated under the reader).
    Shrunk(Shrunk),
    /// The page's file could not be read.
    Io(FileError),
}

/// A page a live source reads, written by another process at any time.
pub(crate) trait PageRead {
    /// True when the page equals `copy`, taken by an earlier call: the change check of an
    /// idle poll. `scratch` (at least `copy.len()` bytes) may hold a copy of the page.
    fn equals(&self, copy: &[u8], scratch: &mut [u8]) -> Result<bool, ReadFail>;

    /// Copies a page that starts with `packetId` into `dst` so that the copy is one whole
    /// frame, retrying while torn; returns the id of the copy. `scratch` is at least
    /// `dst.len()` bytes.
    fn read_consistent(&self, dst: &mut [u8], scratch: &mut [u8]) -> Result<i32, ReadFail>;

    /// Copies a page without `packetId` (static): two copies in a row must agree.
    fn read_stable(&self, dst: &mut [u8], scratch: &mut [u8]) -> Result<(), ReadFail>;
}

impl PageRead for RawPage {
    #[inline]
    fn equals(&self, copy: &[u8], _scratch: &mut [u8]) -> Result<bool, ReadFail> {
        Ok(RawPage::equals(self, copy))
    }
    #[inline]
    fn read_consistent(&self, dst: &mut [u8], _scratch: &mut [u8]) -> Result<i32, ReadFail> {
        RawPage::read_consistent(self, dst).map_err(ReadFail::Torn)
    }
    fn read_stable(&self, dst: &mut [u8], scratch: &mut [u8]) -> Result<(), ReadFail> {
        RawPage::read_stable(self, dst, &mut scratch[..dst.len()]).map_err(ReadFail::Torn)
    }
}

/// A read-only view of `len` bytes of shared memory, valid while its owner keeps the mapping.
/// Only for memory that cannot shrink under the reader (a Windows section): a mapped file
/// truncated by another process faults on the next access.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(windows), allow(dead_code))] // the Linux reader uses positioned reads
pub(crate) struct RawPage {
    ptr: *const u8,
    len: usize,
}

#[cfg_attr(not(windows), allow(dead_code))] // the Linux reader uses positioned reads
impl RawPage {
    /// # Safety
    /// `ptr` must point to `len` readable bytes that stay mapped for as long as the returned
    /// value (and copies of it) are used. The bytes may change concurrently.
    pub(crate) unsafe fn new(ptr: *const u8, len: usize) -> Self {
        Self { ptr, len }
    }

    /// Reads the little-endian `i32` at offset 0 (`packetId`), volatile.
    #[inline]
    fn packet_id(&self) -> i32 {
        debug_assert!(self.len >= 4);
        // SAFETY: `new`'s contract guarantees `len` readable bytes, and every caller checked
        // `len >= size_of::<T>() >= 4`. The read is volatile and unaligned-safe because
        // another process writes the memory and the mapping gives no alignment promise
        // beyond the page start.
        let raw = unsafe { std::ptr::read_volatile(self.ptr.cast::<[u8; 4]>()) };
        i32::from_le_bytes(raw)
    }

    /// Copies the first `dst.len()` bytes without checking for tearing.
    #[inline]
    pub(crate) fn copy_to(&self, dst: &mut [u8]) {
        assert!(dst.len() <= self.len, "page view shorter than the struct");
        // SAFETY: `dst.len() <= self.len` readable bytes (checked above, `new`'s contract);
        // `dst` is a distinct, exclusively borrowed local buffer, so the ranges cannot
        // overlap. Concurrent writes by the game can tear the copy; callers that need a whole
        // frame use `read_consistent`, which detects that through `packetId`.
        unsafe { std::ptr::copy_nonoverlapping(self.ptr, dst.as_mut_ptr(), dst.len()) };
        fence(Ordering::Acquire);
    }

    /// True when the shared bytes equal `copy`, compared in place: the change check of an
    /// idle poll, against a copy taken by an earlier call.
    #[inline]
    pub(crate) fn equals(&self, copy: &[u8]) -> bool {
        assert!(copy.len() <= self.len, "page view shorter than the copy");
        fence(Ordering::Acquire);
        // SAFETY: `copy.len() <= self.len` readable bytes per `new`'s contract. The slice
        // lives only for this comparison; a concurrent write makes it unequal, which is what
        // the caller wants to detect.
        let shared = unsafe { std::slice::from_raw_parts(self.ptr, copy.len()) };
        shared == copy
    }

    /// True when the shared bytes still equal `copy`, just taken from them: every word is
    /// read again with a volatile load. A plain comparison right after the copy lets the
    /// compiler reuse what it just copied (measured: torn copies then passed), so the
    /// verification of a torn-read check must not be one.
    #[inline]
    fn still_equals(&self, copy: &[u8]) -> bool {
        assert!(copy.len() <= self.len, "page view shorter than the copy");
        fence(Ordering::Acquire);
        let mut start = 0;
        if self.ptr.align_offset(8) == 0 {
            // Mappings start on a page boundary: the usual path, 8 bytes a load.
            for (i, expected) in copy.chunks_exact(8).enumerate() {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(expected);
                // SAFETY: bytes `8i..8i+8` lie within `copy.len() <= self.len` readable bytes
                // (`new`'s contract) and `self.ptr + 8i` is 8-aligned (checked above).
                let shared = unsafe { std::ptr::read_volatile(self.ptr.add(8 * i).cast::<u64>()) };
                if shared != u64::from_ne_bytes(bytes) {
                    return false;
                }
            }
            start = copy.len() / 8 * 8;
        }
        (start..copy.len()).all(|i| {
            // SAFETY: `i < copy.len() <= self.len` readable bytes, per `new`'s contract.
            unsafe { std::ptr::read_volatile(self.ptr.add(i)) == copy[i] }
        })
    }

    /// Copies a page that starts with `packetId` into `dst` so that the copy is one whole
    /// frame: read the id, copy, read the id again, and verify the page still equals the copy.
    /// The id check alone misses a write that is under way for the whole copy (the game writes
    /// the id with the rest of the page); the verification catches it. Retries while torn.
    /// Returns the id of the copy.
    #[inline]
    pub(crate) fn read_consistent(&self, dst: &mut [u8]) -> Result<i32, Torn> {
        for _ in 0..TORN_RETRIES {
            let before = self.packet_id();
            fence(Ordering::Acquire);
            self.copy_to(dst);
            settle();
            let after = self.packet_id();
            let copied = i32::from_le_bytes([dst[0], dst[1], dst[2], dst[3]]);
            if before == after && copied == after && self.still_equals(dst) {
                return Ok(after);
            }
            std::hint::spin_loop();
        }
        Err(Torn)
    }

    /// Copies a page without `packetId` (static): two copies in a row must agree.
    pub(crate) fn read_stable(&self, dst: &mut [u8], scratch: &mut [u8]) -> Result<(), Torn> {
        self.copy_to(dst);
        for _ in 0..TORN_RETRIES {
            self.copy_to(scratch);
            if scratch == dst {
                return Ok(());
            }
            dst.copy_from_slice(scratch);
        }
        Err(Torn)
    }
}

/// Writes `frame` at the start of `page`, a page other processes read while it changes:
/// `packetId` (bytes 0..4) first and the rest right after, as a game copying its whole struct
/// does, so a reader's double read with its verification pass never takes a frame that is
/// half written for a whole one. `page` is the caller's mapping of the page (the simulator
/// maps the bridges' files itself).
///
/// # Panics
/// When `frame` is shorter than `packetId` or longer than `page`.
pub fn write_frame(page: &mut [u8], frame: &[u8]) {
    // SAFETY: `page` is an exclusive borrow of `page.len()` writable bytes, valid for this
    // whole call, which is all the view is used for.
    let mut view = unsafe { RawPageMut::new(page.as_mut_ptr(), page.len()) };
    view.write_frame(frame);
}

/// A writable view of shared memory (the simulator's side).
#[derive(Debug)]
pub(crate) struct RawPageMut {
    ptr: *mut u8,
    len: usize,
}

impl RawPageMut {
    /// # Safety
    /// `ptr` must point to `len` writable bytes that stay mapped while the value is used.
    pub(crate) unsafe fn new(ptr: *mut u8, len: usize) -> Self {
        Self { ptr, len }
    }

    /// Writes `bytes` at the start of the page, `packetId` (bytes 0..4) first and the rest
    /// right after, as a game copying its whole struct does. A reader's double-read then sees
    /// either the old id with the old page, or the new id while the rest is still being
    /// written, which its verification pass catches; writing the id last would leave a
    /// window in which a complete new page carries the old id, undetectably.
    pub(crate) fn write_frame(&mut self, bytes: &[u8]) {
        assert!(
            bytes.len() <= self.len && bytes.len() >= 4,
            "frame larger than the page"
        );
        // SAFETY: 4 of the `self.len` writable bytes guaranteed by `new`'s contract, written
        // volatile so the store is neither merged nor reordered by the compiler.
        unsafe {
            std::ptr::write_volatile(
                self.ptr.cast::<[u8; 4]>(),
                [bytes[0], bytes[1], bytes[2], bytes[3]],
            )
        };
        fence(Ordering::Release);
        // SAFETY: `bytes.len() <= self.len` writable bytes per `new`'s contract; `bytes` is
        // ordinary process memory, distinct from the shared mapping, so no overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr().add(4), self.ptr.add(4), bytes.len() - 4);
        }
        fence(Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page over a local buffer, written through a raw pointer like another process would.
    struct Shared(Box<[u8]>);

    impl Shared {
        fn page(&mut self) -> RawPage {
            // SAFETY: the buffer outlives every use of the view within each test.
            unsafe { RawPage::new(self.0.as_mut_ptr(), self.0.len()) }
        }
        fn poke(&mut self, at: usize, value: u8) {
            let ptr = self.0.as_mut_ptr();
            // SAFETY: `at` is within the buffer; volatile, as a foreign write.
            unsafe { std::ptr::write_volatile(ptr.add(at), value) };
        }
    }

    #[test]
    fn verification_sees_a_write_after_the_copy() {
        // The verification must read the memory again, not trust the copy just taken from it.
        let mut shared = Shared(vec![7u8; 800].into_boxed_slice());
        let page = shared.page();
        let mut copy = vec![0u8; 800];
        page.copy_to(&mut copy);
        assert!(page.still_equals(&copy) && page.equals(&copy));
        shared.poke(400, 8);
        assert!(
            !page.still_equals(&copy),
            "a write after the copy must be seen"
        );
        assert!(!page.equals(&copy));
    }

    #[test]
    fn consistent_read_returns_the_page_and_its_id() {
        let mut shared = Shared(vec![0u8; 1588].into_boxed_slice());
        shared.poke(0, 42);
        shared.poke(1000, 9);
        let page = shared.page();
        let mut copy = vec![0u8; 1588];
        assert_eq!(page.read_consistent(&mut copy), Ok(42));
        assert_eq!(copy[1000], 9);
        let mut scratch = vec![0u8; 1588];
        assert_eq!(page.read_stable(&mut copy, &mut scratch), Ok(()));
    }
}
