//! [`Snapshot`]: one consistent copy of the three pages, the unit every source produces.

use crate::layout::{Graphics, Physics, Static};
use std::time::Duration;

/// Which of the three pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// `acpmf_physics`.
    Physics,
    /// `acpmf_graphics`.
    Graphics,
    /// `acpmf_static`.
    Static,
}

impl PageKind {
    /// All three, in the order ACC documents them.
    pub const ALL: [PageKind; 3] = [PageKind::Physics, PageKind::Graphics, PageKind::Static];

    /// The page's name without the `Local\` prefix: the Linux bridge file name.
    pub fn file_name(self) -> &'static str {
        match self {
            PageKind::Physics => "acpmf_physics",
            PageKind::Graphics => "acpmf_graphics",
            PageKind::Static => "acpmf_static",
        }
    }

    /// The size of the page's struct in bytes.
    pub fn size(self) -> usize {
        match self {
            PageKind::Physics => Physics::SIZE,
            PageKind::Graphics => Graphics::SIZE,
            PageKind::Static => Static::SIZE,
        }
    }
}

/// A consistent copy of the three pages, taken at `at` (monotonic time since the source
/// started, or the recorded time for a replay).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// When the copy was taken, relative to the start of the source.
    pub at: Duration,
    /// The physics page.
    pub physics: Physics,
    /// The graphics page.
    pub graphics: Graphics,
    /// The static page.
    pub statics: Static,
}

impl Snapshot {
    /// The bytes of one page.
    pub fn page_bytes(&self, kind: PageKind) -> &[u8] {
        use zerocopy::IntoBytes;
        match kind {
            PageKind::Physics => self.physics.as_bytes(),
            PageKind::Graphics => self.graphics.as_bytes(),
            PageKind::Static => self.statics.as_bytes(),
        }
    }

    /// The bytes of one page, writable.
    pub fn page_bytes_mut(&mut self, kind: PageKind) -> &mut [u8] {
        use zerocopy::IntoBytes;
        match kind {
            PageKind::Physics => self.physics.as_mut_bytes(),
            PageKind::Graphics => self.graphics.as_mut_bytes(),
            PageKind::Static => self.statics.as_mut_bytes(),
        }
    }

    /// Overwrites one page from `bytes`. A shorter slice (a truncated capture) fills the
    /// start and zeroes the rest; returns how many bytes were taken.
    pub fn set_page(&mut self, kind: PageKind, bytes: &[u8]) -> usize {
        let dst = self.page_bytes_mut(kind);
        let n = bytes.len().min(dst.len());
        dst[..n].copy_from_slice(&bytes[..n]);
        dst[n..].fill(0);
        n
    }
}
