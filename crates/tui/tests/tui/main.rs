//! The TUI's integration tests, one binary: the app's keys and state, following a live
//! feed, one source of truth for laps, and the screens (insta snapshots in `snapshots/`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod app;
mod common;
mod live;
mod one_truth;
mod screens;
