//! `pitwall record`: every page change of the live game, timestamped, into a recording.

use crate::cli::RecordArgs;
use crate::stop::Stop;
use anyhow::Context;
use pitwall_acc::{Read, Snapshot, Waiting};
use pitwall_recording::{Recorder, RecorderOptions};
use std::time::{Duration, Instant};

pub(crate) fn run(args: RecordArgs) -> anyhow::Result<()> {
    let duration = args
        .duration
        .map(Duration::try_from_secs_f64)
        .transpose()
        .context("--duration")?;
    let mut source = super::live_source(&args.shm);
    let options = RecorderOptions {
        physics_every: match args.physics_hz {
            0 => Duration::ZERO,
            hz => Duration::from_secs(1) / hz,
        },
        ..RecorderOptions::default()
    };
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("cannot create the recording {}", args.out.display()))?;
    let mut recorder = Recorder::with_options(std::io::BufWriter::new(file), options)?;
    let stop = Stop::install()?;
    eprintln!(
        "recording {} into {} (Ctrl-C to stop)",
        source.describe(),
        args.out.display()
    );

    let started = Instant::now();
    let mut snap = Snapshot::default();
    let mut last_waiting: Option<Waiting> = None;
    let mut last_flush = Instant::now();
    while !stop.requested() && duration.is_none_or(|d| started.elapsed() < d) {
        match source.read(&mut snap)? {
            Read::Fresh => {
                last_waiting = None;
                recorder.push(&snap)?;
            }
            Read::Unchanged => std::thread::sleep(source.poll_interval()),
            Read::Waiting(w) => {
                if !last_waiting.as_ref().is_some_and(|l| l.same_kind(&w)) {
                    eprintln!("{w}");
                    last_waiting = Some(w);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Read::End => break,
        }
        if last_flush.elapsed() >= Duration::from_secs(1) {
            recorder.flush()?;
            last_flush = Instant::now();
        }
    }
    let stats = recorder.stats();
    recorder.finish()?;
    eprintln!(
        "recorded {} snapshots, {} bytes, in {:.1} s",
        stats.frames,
        stats.bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
