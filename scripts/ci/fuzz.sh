#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (crate pitwall-fuzz) for a bounded time: page decoding, the
# recording reader, export import, and ingest over SQLite and PostgreSQL.
#
# The targets are mutation-based fuzzers on stable Rust (seeded, time-bounded, structure-
# aware mutations; see fuzz/src/lib.rs), not cargo-fuzz: they are ordinary test binaries of
# the workspace, already built by the `cargo test --workspace` step, so this step builds
# nothing more. cargo-fuzz would need a second build of the whole dependency tree (sqlx,
# axum, tokio, zstd's C code) with the nightly toolchain and sanitizer instrumentation,
# which on 2 cores alone takes most of this step's 8-minute budget.
#
# PITWALL_FUZZ_SECONDS: each target's budget (default 60); PITWALL_FUZZ_SEED: a fixed seed
# (default: a new one each run, printed). PITWALL_TEST_POSTGRES_URL: the PostgreSQL server
# for ingest (the PostgreSQL target is ignored without it, run with it). A failing input is saved under
# target/fuzz-failures/ and the message says how to reproduce it.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PITWALL_FUZZ_SECONDS=${PITWALL_FUZZ_SECONDS:-60}
started=$SECONDS
# --workspace, so features resolve as in the test step and nothing is rebuilt; --nocapture,
# so each target's seed and input counts show in the CI log.
# The PostgreSQL target is #[ignore]d unless asked for: asked for when its server is named.
include=()
[ -z "${PITWALL_TEST_POSTGRES_URL:-}" ] || include=(--include-ignored)
cargo test --workspace --locked --test fuzz_pages --test fuzz_recording --test fuzz_import \
    --test fuzz_ingest -- --nocapture "${include[@]}"
echo "fuzz.sh: every target ran ${PITWALL_FUZZ_SECONDS} s without a failure ($((SECONDS - started)) s in all)"
