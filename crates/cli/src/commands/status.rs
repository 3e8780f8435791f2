//! `pitwall status`: what the store holds and what waits in the upload outbox, so a user can
//! see at a glance that laps are being kept and sent, and why queued items are not (the
//! reason of each session's last failed upload).

use std::time::{SystemTime, UNIX_EPOCH};

use pitwall_store::{Outbox as _, Reads as _, Store as _};

use crate::cli::StatusArgs;

/// Sessions whose last upload failure is shown.
const FAILURES_SHOWN: u32 = 10;

pub(crate) fn run(args: StatusArgs) -> anyhow::Result<()> {
    super::block_on(async move {
        let store = super::store::open_existing_store(&args.store).await?;
        let combos = store.tracks_and_cars(None).await?;
        let sessions: u64 = combos.iter().map(|c| c.sessions).sum();
        let laps: u64 = combos.iter().map(|c| c.laps).sum();
        println!("store: {}", store.location());
        println!(
            "stored: {sessions} sessions, {laps} laps on {} track and car combinations",
            combos.len()
        );
        let outbox = store.outbox_status().await?;
        match outbox.oldest_queued_at_ms {
            None => println!("upload outbox: empty (everything sent, or no --upload)"),
            Some(oldest) => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
                let age_s = now.saturating_sub(oldest) / 1000;
                println!(
                    "upload outbox: {} items waiting, the oldest for {}",
                    outbox.pending,
                    age(age_s)
                );
                for failure in store.upload_failures(FAILURES_SHOWN).await? {
                    println!(
                        "  session {} ({} items): last attempt failed {} ago: {}",
                        failure.session,
                        failure.items,
                        age(now.saturating_sub(failure.at_ms) / 1000),
                        failure.reason
                    );
                }
            }
        }
        store.close().await;
        Ok(())
    })
}

/// A duration in words: `42 s`, `5 min`, `3 h 20 min`.
fn age(s: u64) -> String {
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        _ => format!("{} h {} min", s / 3600, s / 60 % 60),
    }
}
