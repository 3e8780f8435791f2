//! The core's integration tests, one binary: garbage input, properties, quirks, real
//! captures, resuming, scenarios and statistics. `memory.rs` stays its own binary: it installs
//! `dhat` as the global allocator, which must not count (or slow down) the other tests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;
mod garbage;
mod properties;
mod quirks;
mod real_data;
mod resume;
mod scenarios;
mod stats;
mod stats_colours;
mod stats_props;
mod stats_support;
