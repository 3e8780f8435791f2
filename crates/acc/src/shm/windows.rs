//! Windows named file mappings `Local\acpmf_physics|graphics|static`: how ACC publishes its
//! pages on Windows (and inside a Wine/Proton prefix).
//!
//! Readers ([`WindowsSource`]) open the existing sections read-only with `OpenFileMappingW`
//! and never create them: if pitwall created a missing section, ACC, SimHub or CrewChief
//! would later open pitwall's section instead of the game's. A named section can be opened
//! by its name as long as any process holds a handle to it, readers included, and keeps
//! the game's last values. So every view and handle here is released on `Drop`: once the
//! game has exited and the live source detached on staleness, the section dies and the
//! next attach reports "not running".
//!
//! The simulator's side ([`MappingWriter`], which `pitwall-sim`'s `MappingSink` publishes
//! through) creates the three sections, pagefile-backed and 2048 bytes each like the Linux
//! bridges' files, and refuses to reuse existing ones (they belong to the running game or to
//! another simulator).

use super::{RawPage, RawPageMut};
use crate::publish::MappingError;
use crate::snapshot::PageKind;
use crate::source::SourceError;
use crate::source::live::{LiveOptions, LiveSource, Mapped, Mapper, delegate_source};
use std::ffi::c_void;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use windows_sys::Win32::Foundation::{
    ERROR_ALREADY_EXISTS, ERROR_FILE_NOT_FOUND, FALSE, GetLastError, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::System::Memory::{
    CreateFileMappingW, FILE_MAP_READ, FILE_MAP_WRITE, MEMORY_BASIC_INFORMATION,
    MEMORY_MAPPED_VIEW_ADDRESS, MapViewOfFile, OpenFileMappingW, PAGE_READWRITE, UnmapViewOfFile,
    VirtualQuery,
};

/// The size of the sections [`MappingWriter`] creates: the Linux bridges' file size, larger
/// than every page struct.
const SINK_SECTION_SIZE: u32 = 2048;

/// The mapping name of a page, e.g. `Local\acpmf_physics`.
fn mapping_name(kind: PageKind) -> String {
    format!("Local\\{}", kind.file_name())
}

/// `name` as a NUL-terminated UTF-16 string for the `W` functions.
fn wide(name: &str) -> Vec<u16> {
    name.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Where the pages live, for messages.
const PLACE: &str = "Local\\acpmf_{physics,graphics,static}";

/// A failed Win32 call: the function and `GetLastError()`.
#[derive(Clone, Copy, Debug)]
struct Win32Failure {
    call: &'static str,
    code: u32,
}

/// A mapped view of one section. Unmapped on drop, then the section handle is closed
/// (fields drop after `Drop::drop`).
#[derive(Debug)]
struct View {
    base: *mut c_void,
    /// The usable length of the view, from `VirtualQuery` (a multiple of the page size).
    len: usize,
    _section: OwnedHandle,
}

// SAFETY: `base` is the address of a view owned by this value and released only in its
// `Drop`; a view is valid process-wide, whichever thread uses or unmaps it. The memory is
// only accessed through `RawPage` (volatile/copy reads) and `RawPageMut` (which needs
// `&mut`), so moving the owner to another thread is sound.
unsafe impl Send for View {}

impl View {
    /// Maps the whole section `section` with `access` and measures the view.
    fn map(section: OwnedHandle, access: u32) -> Result<Self, Win32Failure> {
        // SAFETY: `section` is a valid section handle we own for the duration of the call;
        // offset 0 and length 0 map the whole section. No Rust memory is handed over.
        let (address, code) = unsafe {
            let address = MapViewOfFile(section.as_raw_handle(), access, 0, 0, 0);
            (address, GetLastError())
        };
        if address.Value.is_null() {
            return Err(Win32Failure {
                call: "MapViewOfFile",
                code,
            });
        }
        // From here on `view` owns the mapping: every early return unmaps it.
        let mut view = Self {
            base: address.Value,
            len: 0,
            _section: section,
        };
        // SAFETY: `MEMORY_BASIC_INFORMATION` is plain data (integers and raw pointers), for
        // which all-zero bytes are a valid value.
        let mut info: MEMORY_BASIC_INFORMATION = unsafe { std::mem::zeroed() };
        // SAFETY: `view.base` is the start of the view just mapped; `info` is a local,
        // writable `MEMORY_BASIC_INFORMATION` and its exact size is passed.
        let (written, code) = unsafe {
            let written = VirtualQuery(view.base, &mut info, size_of::<MEMORY_BASIC_INFORMATION>());
            (written, GetLastError())
        };
        if written == 0 {
            return Err(Win32Failure {
                call: "VirtualQuery",
                code,
            });
        }
        view.len = info.RegionSize;
        Ok(view)
    }

    /// A read-only view of the whole mapped view (`len` bytes).
    fn page(&self) -> RawPage {
        // SAFETY: `base` points to `len` mapped bytes that stay mapped until `self` drops,
        // and `WindowsPages`/`MappingWriter` only hand the `RawPage` out while they own
        // `self`. Reading is allowed for both the read and the read/write views.
        unsafe { RawPage::new(self.base.cast_const().cast::<u8>(), self.len) }
    }
}

impl Drop for View {
    fn drop(&mut self) {
        // SAFETY: `base` is a view mapped by `MapViewOfFile` and not unmapped before: this is
        // the only place that unmaps it, and nothing uses the pointer after `drop`.
        let ok = unsafe { UnmapViewOfFile(MEMORY_MAPPED_VIEW_ADDRESS { Value: self.base }) };
        if ok == FALSE {
            // SAFETY: no other call happened since `UnmapViewOfFile` on this thread.
            let code = unsafe { GetLastError() };
            tracing::warn!(code, "UnmapViewOfFile failed");
        }
    }
}

/// Takes ownership of a handle returned by a Win32 call, or `None` for the null handle
/// (the failure value of the `*FileMappingW` functions).
///
/// # Safety
/// `handle` must be null or an open handle that nothing else owns or closes.
unsafe fn own(handle: *mut c_void) -> Option<OwnedHandle> {
    if handle.is_null() {
        return None;
    }
    // SAFETY: per this function's contract the handle is open and ours alone;
    // `OwnedHandle` closes it exactly once, on drop.
    Some(unsafe { OwnedHandle::from_raw_handle(handle) })
}

/// Opens the existing section `kind` read-only and maps it; `Ok(None)` when it does not
/// exist.
fn open_page(kind: PageKind) -> Result<Option<View>, SourceError> {
    let name = mapping_name(kind);
    let wide_name = wide(&name);
    // SAFETY: `wide_name` is a NUL-terminated UTF-16 string that outlives the call.
    let (handle, code) = unsafe {
        let handle = OpenFileMappingW(FILE_MAP_READ, FALSE, wide_name.as_ptr());
        (handle, GetLastError())
    };
    // SAFETY: `OpenFileMappingW` returns null or a new handle that only we hold.
    let Some(section) = (unsafe { own(handle) }) else {
        if code == ERROR_FILE_NOT_FOUND {
            return Ok(None);
        }
        return Err(SourceError::Windows {
            call: "OpenFileMappingW",
            name,
            code,
        });
    };
    let view = View::map(section, FILE_MAP_READ).map_err(|f| SourceError::Windows {
        call: f.call,
        name: name.clone(),
        code: f.code,
    })?;
    // Views come in whole pages (4 KiB, more than any page struct), so a smaller section
    // still shows a 4 KiB view and this cannot trip on today's Windows; it keeps the length
    // promise that `RawPage` relies on explicit rather than assumed.
    let need = kind.size();
    if view.len < need {
        return Err(SourceError::ShortMapping {
            name,
            len: view.len,
            need,
        });
    }
    Ok(Some(view))
}

/// The three sections, mapped read-only, in [`PageKind`] order.
pub(crate) struct WindowsPages {
    /// Owns the mappings `pages` point into.
    _views: [View; 3],
    pages: [RawPage; 3],
}

// SAFETY: `pages` point into the views owned by the same value (a view's address does not
// change when the `View` moves), which are `Send`; the memory is only read through
// `RawPage`'s volatile/copy operations.
unsafe impl Send for WindowsPages {}

impl Mapped for WindowsPages {
    type Page = RawPage;
    fn page(&self, kind: PageKind) -> &RawPage {
        &self.pages[kind as usize]
    }
}

/// Opens `Local\acpmf_*` with `OpenFileMappingW`, never creating them.
pub(crate) struct WindowsMapper;

impl Mapper for WindowsMapper {
    type Pages = WindowsPages;

    fn attach(&mut self) -> Result<Option<WindowsPages>, SourceError> {
        // A missing page drops the ones already opened: the game creates all three at
        // start-up, so this only happens for a moment.
        let (Some(physics), Some(graphics), Some(statics)) = (
            open_page(PageKind::Physics)?,
            open_page(PageKind::Graphics)?,
            open_page(PageKind::Static)?,
        ) else {
            return Ok(None);
        };
        let pages = [physics.page(), graphics.page(), statics.page()];
        Ok(Some(WindowsPages {
            _views: [physics, graphics, statics],
            pages,
        }))
    }

    fn place(&self) -> String {
        PLACE.to_owned()
    }
}

/// Reads the pages from ACC's named mappings `Local\acpmf_physics|graphics|static`: the
/// native source on Windows.
///
/// The mappings are opened read-only and never created; while they do not exist the source
/// reports [`Waiting::NotRunning`](crate::source::Waiting::NotRunning). After the game exits
/// the pages go [stale](crate::source::Waiting::Stale): the source then closes its views and
/// handles, so the sections disappear and the next attach reports "not running" until the
/// game starts again.
pub struct WindowsSource(LiveSource<WindowsMapper>);

impl WindowsSource {
    /// A source over the game's mappings.
    pub fn new(options: LiveOptions) -> Self {
        Self(LiveSource::with_mapper(WindowsMapper, options))
    }
}

delegate_source!(WindowsSource);

/// Publishes pages as ACC does on Windows: it creates the named mappings
/// `Local\acpmf_physics|graphics|static` (2048 bytes each, backed by the paging file) and
/// writes whole frames into them, `packetId` first (see [`crate::publish::write_frame`]).
///
/// The sections exist while this value (or a reader's handle) lives; dropping it unmaps and
/// closes them.
#[derive(Debug)]
pub struct MappingWriter {
    /// Views in [`PageKind`] order; `pages[i]` points into `views[i]`.
    views: [View; 3],
    pages: [RawPageMut; 3],
}

// SAFETY: `pages` point into `views`, owned by the same value, and are only written through
// `&mut self`; see `View`'s `Send` for why the views may move between threads.
unsafe impl Send for MappingWriter {}

/// Creates the section `kind` and maps it writable. Fails with
/// [`MappingError::AlreadyExists`] when the name is taken.
fn create_page(kind: PageKind) -> Result<View, MappingError> {
    let name = mapping_name(kind);
    let wide_name = wide(&name);
    // SAFETY: `INVALID_HANDLE_VALUE` asks for a pagefile-backed section; null attributes
    // mean the default security descriptor and a non-inheritable handle; `wide_name` is a
    // NUL-terminated UTF-16 string that outlives the call. `GetLastError` is read at once
    // because it also reports `ERROR_ALREADY_EXISTS` on success.
    let (handle, code) = unsafe {
        let handle = CreateFileMappingW(
            INVALID_HANDLE_VALUE,
            std::ptr::null(),
            PAGE_READWRITE,
            0,
            SINK_SECTION_SIZE,
            wide_name.as_ptr(),
        );
        (handle, GetLastError())
    };
    // SAFETY: `CreateFileMappingW` returns null or a new handle that only we hold (also
    // when the section already existed).
    let Some(section) = (unsafe { own(handle) }) else {
        return Err(MappingError::Windows {
            call: "CreateFileMappingW",
            name,
            code,
        });
    };
    if code == ERROR_ALREADY_EXISTS {
        // `section` is a handle to someone else's section: closed on return.
        return Err(MappingError::AlreadyExists { name });
    }
    let view =
        View::map(section, FILE_MAP_WRITE | FILE_MAP_READ).map_err(|f| MappingError::Windows {
            call: f.call,
            name,
            code: f.code,
        })?;
    Ok(view)
}

impl MappingWriter {
    /// Creates the three mappings. Fails with [`MappingError::AlreadyExists`] when ACC or
    /// another simulator already publishes them.
    pub fn create() -> Result<Self, MappingError> {
        let views = [
            create_page(PageKind::Physics)?,
            create_page(PageKind::Graphics)?,
            create_page(PageKind::Static)?,
        ];
        let writable = |view: &View| {
            // SAFETY: the view was mapped with FILE_MAP_WRITE and holds `len` bytes; it lives
            // in `views` of the same `MappingWriter` as the returned `RawPageMut`, so it stays
            // mapped while the `RawPageMut` is used.
            unsafe { RawPageMut::new(view.base.cast::<u8>(), view.len) }
        };
        let pages = [
            writable(&views[0]),
            writable(&views[1]),
            writable(&views[2]),
        ];
        Ok(Self { views, pages })
    }

    /// Publishes one whole page (`bytes` is the page's struct, `packetId` first).
    pub fn write(&mut self, kind: PageKind, bytes: &[u8]) {
        debug_assert!(self.views[kind as usize].len >= bytes.len());
        self.pages[kind as usize].write_frame(bytes);
    }

    /// Where the pages go, for messages: the mapping names.
    pub fn describe(&self) -> String {
        PLACE.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use windows_sys::Win32::Foundation::ERROR_INVALID_HANDLE;
    use windows_sys::Win32::System::Memory::{MEM_COMMIT, MEM_FREE, MEM_MAPPED};
    use windows_sys::Win32::System::Threading::CreateEventW;

    #[test]
    fn names_are_the_games() {
        assert_eq!(mapping_name(PageKind::Physics), "Local\\acpmf_physics");
        assert_eq!(mapping_name(PageKind::Graphics), "Local\\acpmf_graphics");
        assert_eq!(mapping_name(PageKind::Static), "Local\\acpmf_static");
        assert_eq!(wide("Ab"), [u16::from(b'A'), u16::from(b'b'), 0]);
    }

    /// What the memory at `address` is.
    fn region(address: *const c_void) -> MEMORY_BASIC_INFORMATION {
        // SAFETY: plain data, all-zero is valid.
        let mut info: MEMORY_BASIC_INFORMATION = unsafe { std::mem::zeroed() };
        // SAFETY: VirtualQuery accepts any address and writes at most the size passed.
        let written =
            unsafe { VirtualQuery(address, &mut info, size_of::<MEMORY_BASIC_INFORMATION>()) };
        assert_ne!(written, 0, "VirtualQuery");
        info
    }

    #[test]
    fn a_view_is_page_sized_and_unmapped_on_drop() {
        // An unnamed section: no clash with the game's names or other tests.
        // SAFETY: pagefile-backed, default security, no name.
        let handle = unsafe {
            CreateFileMappingW(
                INVALID_HANDLE_VALUE,
                std::ptr::null(),
                PAGE_READWRITE,
                0,
                SINK_SECTION_SIZE,
                std::ptr::null(),
            )
        };
        // SAFETY: a new handle or null.
        let section = unsafe { own(handle) }.expect("CreateFileMappingW");
        let view = View::map(section, FILE_MAP_READ | FILE_MAP_WRITE).expect("map");
        // Views are whole pages: a 2048-byte section shows 4096 bytes.
        assert_eq!(view.len, 4096);
        let base = view.base.cast_const();
        let before = region(base);
        assert_eq!(before.State, MEM_COMMIT);
        assert_eq!(before.Type, MEM_MAPPED);
        assert_eq!(before.AllocationBase.cast_const(), base);
        drop(view);
        // Freed. Another test thread may already have taken the addresses for its own heap,
        // so "free" is: nothing free, or no longer a view starting there. (No other test of
        // this module maps views.)
        let after = region(base);
        assert!(
            after.State == MEM_FREE
                || after.Type != MEM_MAPPED
                || after.AllocationBase.cast_const() != base,
            "still mapped: state {:#x}, type {:#x}",
            after.State,
            after.Type
        );
    }

    #[test]
    fn a_name_taken_by_another_kind_of_object_is_an_error() {
        let name = wide(&mapping_name(PageKind::Physics));
        // SAFETY: default security, auto-reset, non-signalled; `name` outlives the call.
        let event = unsafe { CreateEventW(std::ptr::null(), FALSE, FALSE, name.as_ptr()) };
        // SAFETY: a new handle or null.
        let _event = unsafe { own(event) }.expect("CreateEventW");

        match WindowsMapper.attach() {
            Err(SourceError::Windows { call, name, code }) => {
                assert_eq!(call, "OpenFileMappingW");
                assert_eq!(name, "Local\\acpmf_physics");
                assert_eq!(code, ERROR_INVALID_HANDLE);
            }
            Err(e) => panic!("expected a Windows error, got {e}"),
            Ok(pages) => panic!("expected a Windows error, got pages: {}", pages.is_some()),
        }
        match MappingWriter::create() {
            Err(MappingError::Windows { call, name, code }) => {
                assert_eq!(call, "CreateFileMappingW");
                assert_eq!(name, "Local\\acpmf_physics");
                assert_eq!(code, ERROR_INVALID_HANDLE);
            }
            other => panic!("expected a Windows error, got {other:?}"),
        }
    }
}
