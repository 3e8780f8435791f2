//! The shared logic of live sources: attach to the pages when they appear, copy them
//! consistently, check `smVersion`, tell fresh from unchanged data, and notice stale pages
//! left behind by a game that exited. Platform modules only say how to map the pages.

use super::{Read, Source, SourceError, Waiting};
use crate::decode::VersionError;
use crate::shm::RawPage;
use crate::shm::files::{FileError, MappedFile};
use crate::snapshot::{PageKind, Snapshot};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use zerocopy::IntoBytes;

/// Tuning of a live source.
#[derive(Clone, Copy, Debug)]
pub struct LiveOptions {
    /// No page changing for this long means the game left stale pages behind.
    pub stale_after: Duration,
    /// How often to try to attach while the game is not running.
    pub attach_every: Duration,
    /// How long to sleep between polls.
    pub poll_interval: Duration,
}

impl Default for LiveOptions {
    fn default() -> Self {
        Self {
            stale_after: Duration::from_secs(3),
            attach_every: Duration::from_millis(500),
            poll_interval: Duration::from_millis(2),
        }
    }
}

/// Three mapped pages of one platform.
pub(crate) trait Mapped: Send {
    /// The view of one page (at least the struct's size).
    fn page(&self, kind: PageKind) -> RawPage;
    /// False when the pages were replaced (a bridge recreated its files).
    fn is_current(&self) -> bool {
        true
    }
}

/// How a platform maps the pages.
pub(crate) trait Mapper: Send {
    type Pages: Mapped;
    /// Maps the pages; `Ok(None)` when they do not exist (the game is not running).
    fn attach(&mut self) -> Result<Option<Self::Pages>, SourceError>;
    /// Where the pages live, for messages.
    fn place(&self) -> String;
}

/// A live source over any platform's mapper.
pub(crate) struct LiveSource<M: Mapper> {
    mapper: M,
    options: LiveOptions,
    pages: Option<M::Pages>,
    started: Instant,
    last_attach_try: Option<Instant>,
    /// The pages of the last snapshot read; valid when `have_last`.
    last: Box<Snapshot>,
    have_last: bool,
    /// Why the current static page is not usable (`None`: it is ACC's).
    version: Option<Waiting>,
    last_change: Instant,
    last_replaced_check: Option<Instant>,
    /// We let go of the pages because they went stale (they may still exist).
    detached_stale: bool,
    scratch: Box<[u8]>,
}

impl<M: Mapper> LiveSource<M> {
    pub(crate) fn with_mapper(mapper: M, options: LiveOptions) -> Self {
        let now = Instant::now();
        Self {
            mapper,
            options,
            pages: None,
            started: now,
            last_attach_try: None,
            last: Box::default(),
            have_last: false,
            version: Some(Waiting::NotWritten),
            last_change: now,
            last_replaced_check: None,
            detached_stale: false,
            scratch: vec![0; PageKind::Static.size()].into_boxed_slice(),
        }
    }

    fn ensure_attached(&mut self, now: Instant) -> Result<bool, SourceError> {
        if self.pages.is_some() {
            return Ok(true);
        }
        if self
            .last_attach_try
            .is_some_and(|t| now.duration_since(t) < self.options.attach_every)
        {
            return Ok(false);
        }
        self.last_attach_try = Some(now);
        self.pages = self.mapper.attach()?;
        if self.pages.is_some() {
            tracing::debug!(place = %self.mapper.place(), "attached to the ACC pages");
        } else {
            // The pages are gone: the game (or bridge) really exited.
            self.detached_stale = false;
        }
        Ok(self.pages.is_some())
    }

    /// What to report while no pages are mapped: stale pages we let go of stay "stale" until
    /// they disappear or change, rather than flickering to "not running" between attempts.
    fn detached(&self, now: Instant) -> Read {
        if self.detached_stale {
            Read::Waiting(Waiting::Stale(now.duration_since(self.last_change)))
        } else {
            Read::Waiting(Waiting::NotRunning {
                place: self.mapper.place(),
            })
        }
    }
}

impl<M: Mapper> Source for LiveSource<M> {
    fn read(&mut self, out: &mut Snapshot) -> Result<Read, SourceError> {
        let now = Instant::now();
        if !self.ensure_attached(now)? {
            return Ok(self.detached(now));
        }
        let Some(pages) = self.pages.as_ref() else {
            return Ok(self.detached(now));
        };
        let (physics, graphics, statics) = (
            pages.page(PageKind::Physics),
            pages.page(PageKind::Graphics),
            pages.page(PageKind::Static),
        );
        let last = &mut self.last;

        // The common poll: nothing moved. Compare the shared pages with our last copy in
        // place (one pass, no copy). Whole pages, not only packetIds, so a frame the game
        // finished writing after we copied it under the same id still comes through.
        if self.have_last
            && physics.equals(last.physics.as_bytes())
            && graphics.equals(last.graphics.as_bytes())
            && statics.equals(last.statics.as_bytes())
        {
            let quiet = now.duration_since(self.last_change);
            if quiet >= self.options.stale_after {
                // Drop our mapping so a Windows section can die with the game, and re-attach
                // later to notice a new game.
                self.pages = None;
                self.detached_stale = true;
                return Ok(Read::Waiting(Waiting::Stale(quiet)));
            }
            // Quiet for a moment: were the pages replaced (a bridge recreating its files for a
            // new game)? Checked at most every `attach_every`, never on the hot path.
            if quiet >= self.options.attach_every
                && self
                    .last_replaced_check
                    .is_none_or(|t| now.duration_since(t) >= self.options.attach_every)
            {
                self.last_replaced_check = Some(now);
                if !pages.is_current() {
                    self.pages = None;
                }
            }
            return Ok(Read::Unchanged);
        }

        // Something changed: take consistent copies.
        self.have_last = false;
        if physics
            .read_consistent(last.physics.as_mut_bytes())
            .is_err()
            || graphics
                .read_consistent(last.graphics.as_mut_bytes())
                .is_err()
        {
            // Torn TORN_RETRIES times in a row: skip this poll, the next one will do.
            return Ok(Read::Unchanged);
        }
        let static_changed = !statics.equals(last.statics.as_bytes());
        if static_changed {
            if statics
                .read_stable(last.statics.as_mut_bytes(), &mut self.scratch)
                .is_err()
            {
                return Ok(Read::Unchanged);
            }
            self.version = match last.statics.check_version() {
                Ok(_) => None,
                Err(VersionError::Empty) => Some(Waiting::NotWritten),
                Err(e) => Some(Waiting::NotAcc(e)),
            };
        }
        self.have_last = true;
        self.detached_stale = false;
        last.at = now.duration_since(self.started);
        self.last_change = now;

        if let Some(waiting) = &self.version {
            return Ok(Read::Waiting(waiting.clone()));
        }
        out.clone_from(last);
        Ok(Read::Fresh)
    }

    fn describe(&self) -> String {
        self.mapper.place()
    }

    fn poll_interval(&self) -> Duration {
        self.options.poll_interval
    }
}

/// The three bridge files, mapped.
pub(crate) struct FilePages {
    dir: PathBuf,
    files: [MappedFile; 3],
}

impl Mapped for FilePages {
    fn page(&self, kind: PageKind) -> RawPage {
        self.files[kind as usize].page()
    }
    fn is_current(&self) -> bool {
        PageKind::ALL
            .iter()
            .all(|&k| self.files[k as usize].is_current(&self.dir, k))
    }
}

/// Maps `acpmf_*` files in a directory.
pub(crate) struct FileMapper {
    dir: PathBuf,
}

impl Mapper for FileMapper {
    type Pages = FilePages;
    fn attach(&mut self) -> Result<Option<FilePages>, SourceError> {
        if !self.dir.is_dir() {
            return Err(SourceError::NotADirectory(self.dir.clone()));
        }
        let open = |kind| match MappedFile::open(&self.dir, kind) {
            Ok(f) => Ok(Some(f)),
            Err(FileError::Missing { .. }) => Ok(None),
            Err(e) => Err(SourceError::File(e)),
        };
        let (Some(p), Some(g), Some(s)) = (
            open(PageKind::Physics)?,
            open(PageKind::Graphics)?,
            open(PageKind::Static)?,
        ) else {
            return Ok(None);
        };
        Ok(Some(FilePages {
            dir: self.dir.clone(),
            files: [p, g, s],
        }))
    }
    fn place(&self) -> String {
        format!("{}/acpmf_{{physics,graphics,static}}", self.dir.display())
    }
}

/// Reads the pages from `acpmf_physics|graphics|static` files in a directory: how the
/// Linux/Proton bridges expose ACC (default `/dev/shm`). Files are opened read-only and
/// never created; files longer than the page (the bridges use 2048 bytes) are fine.
pub struct FileSource(LiveSource<FileMapper>);

impl FileSource {
    /// A source over the page files in `dir`.
    pub fn new(dir: impl AsRef<Path>, options: LiveOptions) -> Self {
        Self(LiveSource::with_mapper(
            FileMapper {
                dir: dir.as_ref().to_path_buf(),
            },
            options,
        ))
    }
}

/// Implements [`Source`] for a newtype over [`LiveSource`].
macro_rules! delegate_source {
    ($t:ty) => {
        impl $crate::source::Source for $t {
            fn read(
                &mut self,
                out: &mut $crate::snapshot::Snapshot,
            ) -> Result<$crate::source::Read, $crate::source::SourceError> {
                self.0.read(out)
            }
            fn describe(&self) -> String {
                self.0.describe()
            }
            fn poll_interval(&self) -> std::time::Duration {
                self.0.poll_interval()
            }
        }
    };
}
#[cfg(windows)]
pub(crate) use delegate_source;
delegate_source!(FileSource);

#[cfg(windows)]
pub use crate::shm::windows::WindowsSource;
