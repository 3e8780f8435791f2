//! What pitwall's tests need from outside the repository, in one place, and the fixtures
//! several crates' tests share ([`unique_name`], [`Tmpfs`], and with feature `postgres` the
//! `pg` module's statements and schema clean-up).
//!
//! Two kinds of test need more than a checkout: those against a PostgreSQL server
//! (`PITWALL_TEST_POSTGRES_URL`) and those on the real ACC capture (`PITWALL_REAL_DATA`).
//! Each is marked `#[ignore = needs_postgres!()]` or `#[ignore = needs_real_data!()]`, so a
//! plain `cargo test --workspace` lists it as ignored rather than passing it unseen. Run with
//! `-- --include-ignored`, the test asks [`postgres_url`] or [`real_data_dir`], which panic with
//! what to set when the variable is missing: a test that was asked to run never skips quietly.
//!
//! A test file marks such a test `#[test]` `#[ignore = pitwall_test_support::needs_postgres!()]`
//! and starts it with:
//!
//! ```no_run
//! let url = pitwall_test_support::postgres_url();
//! // … connect to `url`, in a schema of the test's own
//! # let _ = url;
//! ```

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

#[cfg(feature = "postgres")]
pub mod pg;
mod tmpfs;

pub use tmpfs::Tmpfs;

/// The variable naming the PostgreSQL server the tests may use (each test makes a schema or
/// a database of its own there and drops it afterwards).
pub const POSTGRES_URL_VAR: &str = "PITWALL_TEST_POSTGRES_URL";

/// The variable naming the directory of real captures (`shm/…acctest.gz`).
pub const REAL_DATA_VAR: &str = "PITWALL_REAL_DATA";

/// The ignore reason of a test that needs PostgreSQL: `#[ignore = needs_postgres!()]`.
///
/// A macro rather than a constant because `#[ignore = …]` takes a literal.
#[macro_export]
macro_rules! needs_postgres {
    () => {
        "needs PITWALL_TEST_POSTGRES_URL (a PostgreSQL URL)"
    };
}

/// The ignore reason of a test that needs the real capture: `#[ignore = needs_real_data!()]`.
///
/// A macro rather than a constant because `#[ignore = …]` takes a literal.
#[macro_export]
macro_rules! needs_real_data {
    () => {
        "needs PITWALL_REAL_DATA (the directory of real captures)"
    };
}

/// The PostgreSQL URL of `PITWALL_TEST_POSTGRES_URL`.
///
/// # Panics
///
/// When the variable is unset or not Unicode, saying what to set: the test was asked to run
/// (`--include-ignored`) and cannot.
#[must_use]
pub fn postgres_url() -> String {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "this test needs PostgreSQL: set {POSTGRES_URL_VAR} to a server's URL, e.g. \
             postgres://postgres@127.0.0.1:5432/test"
        ),
    }
}

/// The directory of `PITWALL_REAL_DATA`.
///
/// # Panics
///
/// When the variable is unset, saying what to set: the test was asked to run
/// (`--include-ignored`) and cannot.
#[must_use]
pub fn real_data_dir() -> PathBuf {
    match std::env::var_os(REAL_DATA_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => panic!(
            "this test needs the real captures: set {REAL_DATA_VAR} to their directory \
             (the shared real-data directory, with shm/ in it)"
        ),
    }
}

/// A name no other test uses (in this run or a parallel one): `prefix`, the process id, a
/// counter and the time's nanoseconds. For schemas, databases and `application_name`s.
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn ignore_reasons_name_their_variables() {
        assert!(needs_postgres!().starts_with(&format!("needs {}", super::POSTGRES_URL_VAR)));
        assert!(needs_real_data!().starts_with(&format!("needs {}", super::REAL_DATA_VAR)));
    }
}
