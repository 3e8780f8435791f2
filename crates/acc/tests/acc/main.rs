//! The ACC reader's integration tests, one binary: the file source, page offsets, real
//! captures, shrinking files and torn reads. `windows_shm.rs` stays its own binary: it runs
//! itself as a child process by test name (`writer_process --exact`) and
//! `scripts/ci/wine.sh` runs it by name (`--test windows_shm`) under Wine.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod file_source;
mod offsets;
mod real_data;
#[cfg(unix)]
mod shrinking_files;
mod torn_reads;
