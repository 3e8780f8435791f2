//! The live source and the one poll policy: every live reader of the game's pages (`run`,
//! `demo`, `serve` when it collects, the service, `watch`) builds its source here, so they
//! all poll at [`POLL`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use pitwall_acc::Source;
use pitwall_acc::source::LiveOptions;

/// How often a live reader polls the pages: about every HUD frame at ACC's usual 60 fps.
/// The lap detector takes lap times from the game and is exact at far lower rates (tested
/// down to 1 Hz); polling less often costs the game nothing.
pub const POLL: Duration = Duration::from_millis(15);

/// Where the pages are on Linux (and wherever `--shm-dir` is not given): the bridge's files
/// in /dev/shm.
pub const DEFAULT_SHM_DIR: &str = "/dev/shm";

/// The page directory: `shm_dir`, else [`DEFAULT_SHM_DIR`].
pub fn shm_dir(shm_dir: Option<&Path>) -> PathBuf {
    shm_dir.map_or_else(|| PathBuf::from(DEFAULT_SHM_DIR), Path::to_path_buf)
}

/// The game's pages polled at [`POLL`]: named mappings on Windows (unless `shm_dir` is
/// given), files in `shm_dir` (default /dev/shm) elsewhere.
pub fn live(shm_dir: Option<&Path>) -> Box<dyn Source> {
    live_with(
        shm_dir,
        LiveOptions {
            poll_interval: POLL,
            ..LiveOptions::default()
        },
    )
}

/// The game's pages in the files of `dir` (a bridge's or a simulator's), polled at [`POLL`].
pub fn files(dir: &Path) -> Box<dyn Source> {
    Box::new(pitwall_acc::source::FileSource::new(
        dir,
        LiveOptions {
            poll_interval: POLL,
            ..LiveOptions::default()
        },
    ))
}

/// [`live`] with other tuning: for readers that are not trackers (`pitwall record` keeps
/// every page change, at the reader's own default rate).
pub fn live_with(shm_dir: Option<&Path>, options: LiveOptions) -> Box<dyn Source> {
    #[cfg(windows)]
    if shm_dir.is_none() {
        return Box::new(pitwall_acc::source::WindowsSource::new(options));
    }
    Box::new(pitwall_acc::source::FileSource::new(
        self::shm_dir(shm_dir),
        options,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_source_polls_at_the_one_tracker_rate() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(live(Some(dir.path())).poll_interval(), POLL);
        assert_eq!(files(dir.path()).poll_interval(), POLL);
        assert!(
            live(Some(dir.path()))
                .describe()
                .contains(&*dir.path().to_string_lossy())
        );
    }

    #[test]
    fn the_page_directory_defaults_to_dev_shm() {
        assert_eq!(shm_dir(None), PathBuf::from("/dev/shm"));
        assert_eq!(shm_dir(Some(Path::new("/x"))), PathBuf::from("/x"));
    }
}
