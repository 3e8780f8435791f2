//! The recording format's integration tests, one binary: damaged recordings, replay as a
//! source, and round trips.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod damage;
mod replay;
mod round_trip;
