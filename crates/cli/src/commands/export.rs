//! `pitwall export`: the stored sessions (all, or those the filters take) as pitwall's JSON
//! or as CSV, to a file or stdout, with a summary on stderr.

use super::{block_on, progress, store::open_existing_store};
use crate::cli::{ExportArgs, FilterArgs};
use anyhow::Context as _;
use pitwall_store::Store as _;
use pitwall_store::export::{self, ExportFormat, SessionFilter};
use std::io::{BufWriter, Write as _};

pub(crate) fn run(args: ExportArgs) -> anyhow::Result<()> {
    block_on(export(args))
}

async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let store = open_existing_store(&args.store).await?;
    let format = ExportFormat::from(args.format);
    let filter = session_filter(args.filter);
    let bar = progress::bar("sessions read");
    if !bar.is_hidden() {
        let sessions = export::count_sessions(&store).await?;
        bar.set_length(sessions * format.passes());
    }
    let now = now_ms();
    let report = |done| bar.set_position(done);
    let summary = match &args.out {
        Some(path) => {
            // Written beside the target and renamed into place once complete, so a failed
            // export never leaves half a file (or clobbers an earlier one).
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let temp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot write into {}", dir.display()))?;
            let mut out = BufWriter::new(temp);
            let summary = export::export(&store, format, &filter, &mut out, now, report).await?;
            let temp = out.into_inner().map_err(|e| e.into_error())?;
            temp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            summary
        }
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            let summary = export::export(&store, format, &filter, &mut out, now, report).await?;
            out.flush().context("cannot write to stdout")?;
            summary
        }
    };
    bar.finish_and_clear();
    store.close().await;
    match &args.out {
        Some(path) => eprintln!("{summary} to {}", path.display()),
        None => eprintln!("{summary}"),
    }
    Ok(())
}

/// The store's filter from the flags.
fn session_filter(args: FilterArgs) -> SessionFilter {
    SessionFilter {
        track: args.track,
        car: args.car,
        driver: args.driver,
        session_type: args.session_type,
        from_ms: args.from,
        to_ms: args.to,
    }
}

/// Now, in ms since 1970 (0 if the clock is before 1970).
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
