//! Fills a store with the benchmark data set (100,000 laps in 5,000 sessions, the same data
//! as the store benchmark), for benchmarks of what reads it (`bench/api.sh`).
//!
//! `cargo run --release -p pitwall-store --example fill -- TARGET` where TARGET is a SQLite
//! file path or a `postgres://` URL (see `pitwall_store::open`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../benches/common/data.rs"]
mod data;

use pitwall_store::Store as _;

#[tokio::main]
async fn main() {
    let Some(target) = std::env::args().nth(1) else {
        eprintln!("usage: fill TARGET (a SQLite file or a postgres:// URL)");
        std::process::exit(2);
    };
    let store = pitwall_store::open(&target).await.unwrap();
    let started = std::time::Instant::now();
    data::fill(&store).await;
    store.close().await;
    println!(
        "filled {target} with {} laps in {} sessions in {:.1} s",
        data::SESSIONS * u64::from(data::LAPS_PER_SESSION),
        data::SESSIONS,
        started.elapsed().as_secs_f64()
    );
}
