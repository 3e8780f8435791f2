//! `pitwall import`: a JSON export (a file or stdin) into the store, session by session and
//! idempotently, with a summary of what was new on stderr.

use super::{block_on, progress, store::open_store};
use crate::cli::ImportArgs;
use anyhow::Context as _;
use pitwall_store::Store as _;
use pitwall_store::export;
use std::io::Read as _;

pub(crate) fn run(args: ImportArgs) -> anyhow::Result<()> {
    block_on(import(args))
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let from_stdin = args.file.as_os_str() == "-";
    let name = if from_stdin {
        "stdin".to_owned()
    } else {
        args.file.display().to_string()
    };
    let bytes = if from_stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
        bytes
    } else {
        std::fs::read(&args.file).with_context(|| format!("cannot read {name}"))?
    };
    // Everything is checked before the store is opened: a bad file changes nothing.
    let parsed = export::parse_json(&bytes).with_context(|| format!("cannot import {name}"))?;
    drop(bytes);
    let store = open_store(&args.store).await?;
    let bar = progress::bar("sessions imported");
    bar.set_length(parsed.sessions.len() as u64);
    let summary = export::import(&store, &parsed.sessions, |done| bar.set_position(done))
        .await
        .with_context(|| format!("importing {name} stopped (what was imported is kept)"))?;
    bar.finish_and_clear();
    store.close().await;
    eprintln!("{summary}");
    Ok(())
}
