//! The tracker's integration tests, one binary: the collector end to end, the one shutdown
//! path of `run`, and the uploader (retries, acknowledgements, a real ingest endpoint).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod collector;
mod run;
mod support;
mod timing_source;
mod upload;
mod upload_ack;
mod upload_to_ingest;
