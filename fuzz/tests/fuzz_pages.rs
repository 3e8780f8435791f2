//! Fuzz target: page decoding. Arbitrary bytes in the three pages (the simulator's pages,
//! mutated) go through every typed accessor of `pitwall_acc` (layout, decode, snapshot) and
//! the core's `FrameDecoder`: each gives a value, never a panic.

use std::time::Duration;

use pitwall_acc::{PageKind, Snapshot};
use pitwall_core::FrameDecoder;
use pitwall_fuzz::{Fuzzer, seeds};

pitwall_fuzz::limit_memory!();

/// The three pages back to back, as one input.
fn pages_of(s: &Snapshot) -> Vec<u8> {
    PageKind::ALL
        .iter()
        .flat_map(|&k| s.page_bytes(k).to_vec())
        .collect()
}

/// Everything pitwall reads from the pages.
fn check(input: &[u8]) -> Result<bool, String> {
    let mut s = Snapshot::default();
    let mut rest = input;
    for kind in PageKind::ALL {
        let took = s.set_page(kind, rest);
        rest = &rest[took..];
        if s.page_bytes(kind).len() != kind.size() {
            return Err(format!("{kind:?} page is not {} bytes", kind.size()));
        }
    }
    let g = &s.graphics;
    let _ = (
        g.status(),
        g.session_type(),
        g.flag_kind(),
        g.penalty_kind(),
    );
    let _ = (g.grip(), g.rain(), g.last_lap_ms(), g.best_lap_ms());
    let _ = (
        g.tyre_compound_text(),
        g.player_slot(),
        s.physics.is_zeroed(),
    );
    let st = &s.statics;
    let _ = (
        st.sm_version_text(),
        st.ac_version_text(),
        st.check_version(),
    );
    let _ = (st.car_model_text(), st.track_text());
    let _ = (
        st.player_name_text(),
        st.player_surname_text(),
        st.player_nick_text(),
    );
    for raw in [
        g.i_current_time.get(),
        g.i_last_time.get(),
        g.i_best_time.get(),
    ] {
        if let Some(ms) = pitwall_acc::decode::time_ms(raw)
            && i64::from(ms) != i64::from(raw)
        {
            return Err(format!("time_ms({raw}) gave {ms}"));
        }
    }
    let mut decoder = FrameDecoder::default();
    let (frame, info) = decoder.decode(&s, 1_000);
    let Some(info) = info else {
        return Err("the first frame carries no static info".into());
    };
    if !(1..=8).contains(&info.sector_count) {
        return Err(format!("sector count {}", info.sector_count));
    }
    let (_, again) = decoder.decode(&s, 1_001);
    if again.is_some() {
        return Err("static info again although the page did not change".into());
    }
    let _ = format!("{frame:?} {info:?} {s:?}");
    Ok(info.is_complete())
}

#[test]
fn fuzz_pages() {
    let seeds: Vec<Vec<u8>> = seeds::snapshots(Duration::from_secs(5))
        .iter()
        .step_by(4)
        .map(pages_of)
        .collect();
    let size: usize = PageKind::ALL.iter().map(|k| k.size()).sum();
    let summary = Fuzzer::new("pages")
        .max_len(size + 64)
        .run(&seeds, |_, _| false, check);
    assert!(summary.inputs > seeds.len() as u64);
}
