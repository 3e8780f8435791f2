//! The `pitwall` binary's integration tests, one binary: the command line and its
//! configuration, the demo, `record`, `serve`, `service` and `sessions`, export and import,
//! and the faults a run must survive (a full disk, PostgreSQL going away, shrinking pages, a
//! starved reader, a failing upload).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod cli;
mod common;
mod config;
#[cfg(unix)]
mod demo;
#[cfg(unix)]
mod disk_full;
mod export_import;
#[cfg(unix)]
mod fault;
mod pg_faults;
#[cfg(unix)]
mod record;
mod serve;
#[cfg(unix)]
mod service;
#[cfg(unix)]
mod sessions;
#[cfg(unix)]
mod shrinking_pages;
#[cfg(unix)]
mod starve;
#[cfg(unix)]
mod upload_fault;
