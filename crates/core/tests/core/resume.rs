//! Resuming a stored session after a tracker restart ([`Detector::resume`]): the simulator
//! drives a session; one detector reads it up to a moment (the tracker stopping or killed),
//! nothing reads it for a while, and a fresh detector offered the first one's checkpoint
//! and stored laps reads the rest. The same game session carries on (same session id, lap
//! numbers and ids continuing); a session restarted, another session, another car or a
//! clock that did not run on opens a new one.

use std::collections::HashSet;
use std::time::Duration;

use pitwall_acc::Snapshot;
use pitwall_core::{Checkpoint, Detector, Event, FrameDecoder, Lap, Resume, SessionInfo};
use pitwall_sim::{Scenario, SimOptions, Simulator, sample};

/// 20 Hz, a tracker's poll.
const POLL: Duration = Duration::from_millis(50);

fn snapshots(script: &str) -> Vec<Snapshot> {
    let sim = Simulator::new(Scenario::parse(script).unwrap(), SimOptions::default());
    sample(sim, POLL).collect()
}

/// One tracker's run over `snaps`: its events, and its checkpoint at the end (what it stored
/// last before it stopped).
fn track(snaps: &[Snapshot], resume: Option<Resume>) -> (Vec<Event>, Option<Checkpoint>) {
    let mut decoder = FrameDecoder::default();
    let mut detector = Detector::new();
    if let Some(r) = resume {
        detector.resume(r);
    }
    let mut out = Vec::new();
    for snap in snaps {
        let (frame, statics) = decoder.decode(snap, snap.at.as_millis() as u64);
        if let Some(info) = statics {
            detector.statics(info);
        }
        detector.push(&frame, &mut out);
    }
    (out, detector.checkpoint())
}

fn sessions(events: &[Event]) -> Vec<SessionInfo> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::SessionStarted(i) => Some(i.clone()),
            _ => None,
        })
        .collect()
}

fn laps(events: &[Event]) -> Vec<Lap> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::LapCompleted(l) => Some(l.clone()),
            _ => None,
        })
        .collect()
}

/// The script read by a tracker until `stop_s`, nobody until `restart_s`, then a restarted
/// tracker offered what the first stored (`edit` may change the offer).
fn restarted(
    script: &str,
    stop_s: u64,
    restart_s: u64,
    edit: impl FnOnce(&mut Resume),
) -> (Vec<Event>, Vec<Event>) {
    let snaps = snapshots(script);
    let at = |s: u64| {
        snaps
            .iter()
            .position(|x| x.at >= Duration::from_secs(s))
            .unwrap()
    };
    let (first, checkpoint) = track(&snaps[..at(stop_s)], None);
    let info = sessions(&first).pop().unwrap();
    let mut resume = Resume {
        info,
        checkpoint: checkpoint.unwrap(),
        lap_ids: laps(&first).iter().map(|l| l.id).collect(),
    };
    edit(&mut resume);
    let (second, _) = track(&snaps[at(restart_s)..], Some(resume));
    (first, second)
}

/// Out-lap, then laps of 20 s; the script then does `tail`.
fn script(duration: &str, tail: &str) -> String {
    format!(
        "track resume_test length=1000\ncar ferrari_296_gt3\nsession practice\ndriver Resume\n\
         duration {duration}\npitbox 1s\noutlap 20s\nlaps 6 20s\n{tail}exit\n"
    )
}

fn assert_carried_on(first: &[Event], second: &[Event]) {
    let (a, b) = (sessions(first), sessions(second));
    assert_eq!(b.len(), 1, "{second:#?}");
    assert_eq!(
        a[0], b[0],
        "the stored session is carried on as it was stored"
    );
    let all: Vec<Lap> = laps(first).into_iter().chain(laps(second)).collect();
    let numbers: Vec<u32> = all.iter().map(|l| l.number).collect();
    let ids: HashSet<_> = all.iter().map(|l| l.id).collect();
    assert_eq!(ids.len(), all.len(), "lap ids collide: {all:#?}");
    assert!(all.iter().all(|l| l.session == a[0].id));
    assert_eq!(numbers, (1..=6).collect::<Vec<_>>(), "{all:#?}");
    // Started ids too: a lap begun after the restart never reuses a stored lap's id.
    let started: Vec<_> = second
        .iter()
        .filter_map(|e| match e {
            Event::LapStarted { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert!(
        started
            .iter()
            .all(|id| !laps(first).iter().any(|l| l.id == *id))
    );
}

fn assert_new_session(first: &[Event], second: &[Event]) {
    let (a, b) = (sessions(first), sessions(second));
    assert!(!b.is_empty(), "{second:#?}");
    assert_ne!(a[0].id, b[0].id, "a new session, not the stored one");
}

#[test]
fn a_timed_session_carries_on_across_a_restart_of_the_tracker() {
    // Laps complete at 22.2 s, 42.2 s, 62.2 s… Stopped mid-lap 3 (at 45 s), back 7 s
    // later: lap 3 completes after the restart.
    let (first, second) = restarted(&script("30min", ""), 45, 52, |_| {});
    assert_carried_on(&first, &second);
    let resumed = laps(&second);
    assert!(
        resumed[0].partial,
        "the lap running across the gap is partial"
    );
    assert_eq!(resumed[0].time_ms, 20_000, "its time is the game's");
}

#[test]
fn an_untimed_session_carries_on_within_a_lap() {
    let (first, second) = restarted(&script("none", ""), 45, 52, |_| {});
    assert_carried_on(&first, &second);
}

#[test]
fn an_untimed_session_with_a_lap_unseen_is_a_new_session() {
    // A line crossed while nobody read: the lap timer no longer tells the gap.
    let (first, second) = restarted(&script("none", ""), 45, 70, |_| {});
    assert_new_session(&first, &second);
}

#[test]
fn lap_ids_continue_after_stored_laps_the_checkpoint_missed() {
    let (first, second) = restarted(&script("30min", ""), 45, 52, |r| {
        r.checkpoint.attempts = 1; // stored before the last laps began
    });
    assert_carried_on(&first, &second);
}

#[test]
fn a_session_restarted_in_the_game_while_nobody_read_is_a_new_session() {
    // The restart (after lap 7 at 142.2 s and 2 s in the pause menu) happens in the gap.
    let tail = "restart\nlaps 4 20s\n";
    let (first, second) = restarted(&script("30min", tail), 135, 160, |_| {});
    assert_new_session(&first, &second);
    let (first, second) = restarted(&script("none", tail), 135, 150, |_| {});
    assert_new_session(&first, &second);
}

#[test]
fn the_next_session_is_a_new_session() {
    let tail = "next qualify\nlaps 4 20s\n";
    let (first, second) = restarted(&script("30min", tail), 135, 160, |_| {});
    assert_new_session(&first, &second);
}

#[test]
fn another_track_car_driver_or_index_is_a_new_session() {
    let edits: [fn(&mut Resume); 4] = [
        |r| r.info.car = "mclaren_720s_gt3_evo".into(),
        |r| r.info.track = "monza".into(),
        |r| r.info.driver = "Someone Else".into(),
        |r| r.info.session_index = 1,
    ];
    for edit in edits {
        let (first, second) = restarted(&script("30min", ""), 45, 52, edit);
        assert_new_session(&first, &second);
    }
}

#[test]
fn a_clock_that_did_not_run_with_the_wall_clock_is_a_new_session() {
    // The checkpoint says 10 s later than it was: the game's clock ran 10 s less than
    // the gap (paused during it, or not the same session).
    let (first, second) = restarted(&script("30min", ""), 45, 52, |r| {
        r.checkpoint.at_ms -= 10_000;
    });
    assert_new_session(&first, &second);
    let (first, second) = restarted(&script("30min", ""), 45, 52, |r| {
        r.checkpoint.at_ms += 10_000;
    });
    assert_new_session(&first, &second);
}
