//! `pitwall replay`: a recording played back, printed as decoded state or published as live
//! pages for a tracker.

use crate::cli::ReplayArgs;
use crate::stop::Stop;
use crate::watch::WatchOptions;
use pitwall_acc::{PageKind, Read, Snapshot, Source};
use pitwall_recording::{Pace, Replay};
use std::time::Duration;

pub(crate) fn run(args: ReplayArgs) -> anyhow::Result<()> {
    let pace = match (args.fast, args.speed) {
        (true, _) => Pace::Fast,
        (false, Some(speed)) => Pace::Speed(speed),
        (false, None) => Pace::RealTime,
    };
    let mut replay = Replay::open(&args.file, pace)?;
    let stop = Stop::install()?;
    if !args.publish {
        return crate::watch::watch(
            &mut replay,
            &mut std::io::stdout().lock(),
            &|| stop.requested(),
            None,
            WatchOptions { raw: args.raw },
        );
    }
    let mut sink = super::simulate::native_sink(&args.shm)?;
    eprintln!(
        "publishing {} into {}",
        args.file.display(),
        sink.describe()
    );
    let mut snap = Snapshot::default();
    let mut frames = 0u64;
    while !stop.requested() {
        match replay.read(&mut snap)? {
            Read::Fresh => {
                for kind in PageKind::ALL {
                    sink.write(kind, snap.page_bytes(kind))?;
                }
                frames += 1;
            }
            Read::End => break,
            Read::Unchanged | Read::Waiting(_) => {
                std::thread::sleep(replay.poll_interval().min(Duration::from_millis(5)));
            }
        }
    }
    eprintln!("published {frames} snapshots; the pages keep their last values");
    Ok(())
}
