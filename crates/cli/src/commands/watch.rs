//! `pitwall watch`: the decoded live state of the game's pages. `--once` prints one line;
//! until the pages are live it says on stderr what it waits for, and gives up after
//! `--timeout` (30 s by default).

use crate::cli::WatchArgs;
use crate::stop::Stop;
use crate::watch::WatchOptions;
use crate::watch::{State, first_fresh, watch};
use anyhow::bail;
use std::time::Duration;

/// How long `watch --once` waits for the game by default, in seconds.
const ONCE_TIMEOUT_S: f64 = 30.0;

pub(crate) fn run(args: WatchArgs) -> anyhow::Result<()> {
    let mut source = super::tracker_source(&args.shm);
    // --once gives up after ONCE_TIMEOUT unless told otherwise; a plain watch never does.
    let seconds = args
        .timeout
        .unwrap_or(if args.once { ONCE_TIMEOUT_S } else { 0.0 });
    let timeout = (seconds > 0.0)
        .then(|| Duration::try_from_secs_f64(seconds))
        .transpose()
        .map_err(|_| anyhow::anyhow!("--timeout {seconds} is not a number of seconds"))?;
    if args.once {
        let limit = match timeout {
            Some(_) => format!("up to {seconds} s; --timeout SECONDS to change, 0 = forever"),
            None => "until Ctrl-C".to_owned(),
        };
        let place = source.describe();
        let mut on_wait = |w: &pitwall_acc::source::Waiting| {
            eprintln!("{w} (watching {place}, {limit})");
        };
        return match first_fresh(source.as_mut(), timeout, &mut on_wait)? {
            Ok(snap) => {
                let state = State::of(&snap);
                let line = if args.json {
                    state.json()?
                } else {
                    state.line()
                };
                println!("{line}");
                Ok(())
            }
            Err(Some(waiting)) => bail!(
                "gave up after {seconds} s — {waiting}; or wait longer with --timeout SECONDS \
                 (0 = forever)"
            ),
            Err(None) => bail!(
                "no ACC pages at {}: start the game (or check --shm-dir)",
                source.describe()
            ),
        };
    }
    let stop = Stop::install()?;
    eprintln!("watching {} (Ctrl-C to stop)", source.describe());
    watch(
        source.as_mut(),
        &mut std::io::stdout().lock(),
        &|| stop.requested(),
        timeout,
        WatchOptions { raw: args.raw },
    )
}
