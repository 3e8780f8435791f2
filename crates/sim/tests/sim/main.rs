//! The simulator's integration tests, one binary: script parsing, the quirks it injects,
//! real-time runs, sampling at reader rates and scripted scenarios.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod parse;
mod quirks;
mod run;
mod sample;
mod scenarios;
