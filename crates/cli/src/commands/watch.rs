//! `pitwall watch`: the decoded live state of the game's pages.

use crate::cli::WatchArgs;
use crate::stop::Stop;
use crate::watch::WatchOptions;
use crate::watch::{State, first_fresh, watch};
use anyhow::bail;
use std::time::Duration;

pub(crate) fn run(args: WatchArgs) -> anyhow::Result<()> {
    let mut source = super::live_source(&args.shm);
    let timeout = (args.timeout > 0.0)
        .then(|| Duration::try_from_secs_f64(args.timeout))
        .transpose()?;
    if args.once {
        return match first_fresh(source.as_mut(), timeout)? {
            Ok(snap) => {
                let state = State::of(&snap);
                println!(
                    "{}",
                    if args.json {
                        state.json()
                    } else {
                        state.line()
                    }
                );
                Ok(())
            }
            Err(Some(waiting)) => bail!("{waiting}"),
            Err(None) => bail!("no ACC pages at {}", source.describe()),
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
