//! The shared logic of live sources: attach to the pages when they appear, copy them
//! consistently, check `smVersion`, tell fresh from unchanged data, notice stale pages left
//! behind by a game that exited, and wait out page files that shrink or vanish (a bridge
//! restarting) until they are whole again. Platform modules only say how to open the pages.

use super::{Read, Source, SourceError, Waiting};
use crate::decode::VersionError;
use crate::shm::files::{FileError, PageFile, Shrunk};
use crate::shm::{PageRead, ReadFail};
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

/// Three opened pages of one platform.
pub(crate) trait Mapped: Send {
    /// How one page is read.
    type Page: PageRead;
    /// One page (at least the struct's size when it was opened).
    fn page(&self, kind: PageKind) -> &Self::Page;
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
    /// We let go of the pages, or could not open them, because a file is shorter than its
    /// page: what to report until it is whole again (or gone).
    detached_short: Option<Waiting>,
    /// A private copy of one page (the largest), for comparisons and verifications.
    scratch: Box<[u8]>,
}

/// The largest page's size: the scratch buffer holds any page.
fn largest_page() -> usize {
    PageKind::ALL.iter().map(|k| k.size()).max().unwrap_or(0)
}

/// What a shrunk page file is reported as.
fn short_file(s: Shrunk) -> Waiting {
    Waiting::ShortFile {
        path: s.path,
        len: s.len,
        need: s.need,
    }
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
            detached_short: None,
            scratch: vec![0; largest_page()].into_boxed_slice(),
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
        self.pages = match self.mapper.attach() {
            Ok(pages) => pages,
            // Quirk: a bridge restarting recreates its files empty and then sizes them; a
            // file shorter than its page is waited for (reported once), not an error.
            Err(SourceError::File(FileError::Short { path, len, need })) => {
                self.detached_stale = false;
                self.detached_short = Some(Waiting::ShortFile { path, len, need });
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        self.detached_short = None;
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
        if let Some(short) = &self.detached_short {
            Read::Waiting(short.clone())
        } else if self.detached_stale {
            Read::Waiting(Waiting::Stale(now.duration_since(self.last_change)))
        } else {
            Read::Waiting(Waiting::NotRunning {
                place: self.mapper.place(),
            })
        }
    }
}

impl<M: Mapper> LiveSource<M> {
    /// One poll of attached pages; `Err` when a page could not be read.
    fn poll(&mut self, now: Instant, out: &mut Snapshot) -> Result<Read, ReadFail> {
        let Some(pages) = self.pages.as_ref() else {
            return Ok(self.detached(now));
        };
        let (physics, graphics, statics) = (
            pages.page(PageKind::Physics),
            pages.page(PageKind::Graphics),
            pages.page(PageKind::Static),
        );
        let last = &mut self.last;
        let scratch = &mut self.scratch;

        // The common poll: nothing moved. Compare the shared pages with our last copy (one
        // pass each). Whole pages, not only packetIds, so a frame the game finished writing
        // after we copied it under the same id still comes through.
        if self.have_last
            && physics.equals(last.physics.as_bytes(), scratch)?
            && graphics.equals(last.graphics.as_bytes(), scratch)?
            && statics.equals(last.statics.as_bytes(), scratch)?
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
        physics.read_consistent(last.physics.as_mut_bytes(), scratch)?;
        graphics.read_consistent(last.graphics.as_mut_bytes(), scratch)?;
        let static_changed = !statics.equals(last.statics.as_bytes(), scratch)?;
        if static_changed {
            statics.read_stable(last.statics.as_mut_bytes(), scratch)?;
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
}

impl<M: Mapper> Source for LiveSource<M> {
    fn read(&mut self, out: &mut Snapshot) -> Result<Read, SourceError> {
        let now = Instant::now();
        if !self.ensure_attached(now)? {
            return Ok(self.detached(now));
        }
        match self.poll(now, out) {
            Ok(read) => Ok(read),
            // Torn TORN_RETRIES times in a row: skip this poll, the next one will do.
            Err(ReadFail::Torn(_)) => {
                self.have_last = false;
                Ok(Read::Unchanged)
            }
            // A file shrank under us (a bridge restarting, a `truncate`): let go of the
            // pages and wait, reporting it, until the files are whole again.
            Err(ReadFail::Shrunk(shrunk)) => {
                self.pages = None;
                self.have_last = false;
                self.detached_stale = false;
                self.last_attach_try = Some(now);
                let waiting = short_file(shrunk);
                self.detached_short = Some(waiting.clone());
                Ok(Read::Waiting(waiting))
            }
            Err(ReadFail::Io(e)) => {
                self.pages = None;
                self.have_last = false;
                Err(SourceError::File(e))
            }
        }
    }

    fn describe(&self) -> String {
        self.mapper.place()
    }

    fn poll_interval(&self) -> Duration {
        self.options.poll_interval
    }
}

/// The three bridge files, opened.
pub(crate) struct FilePages {
    dir: PathBuf,
    files: [PageFile; 3],
}

impl Mapped for FilePages {
    type Page = PageFile;
    fn page(&self, kind: PageKind) -> &PageFile {
        &self.files[kind as usize]
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
        let open = |kind| match PageFile::open(&self.dir, kind) {
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
/// never created; files longer than the page (the bridges use 2048 bytes) are fine. Files
/// are read with positioned reads, not mapped: a file truncated or shortened under the
/// reader is [`Waiting::ShortFile`] until it is whole again, never a crash.
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
