//! Fuzz target: the recording reader. Arbitrary and mutated recordings (a simulator
//! session, damaged byte by byte, and behind its checksums: a block's payload changed and
//! the lengths and CRC-32s made to match) must give errors, never a panic, a hang or an
//! allocation without bound (the target runs under `limit_memory!`).

use pitwall_fuzz::{Fuzzer, seeds};
use pitwall_recording::RecordingReader;

pitwall_fuzz::limit_memory!();

/// Reads the whole recording; at most one error, and nothing after it.
fn check(input: &[u8]) -> Result<bool, String> {
    let reader = match RecordingReader::new(input) {
        Ok(reader) => reader,
        Err(e) => {
            let _ = e.to_string();
            return Ok(false);
        }
    };
    let mut frames = 0u64;
    let mut failed = false;
    for item in reader {
        if failed {
            return Err("an item after the error".into());
        }
        match item {
            Ok(_) => frames += 1,
            Err(e) => {
                let _ = e.to_string();
                failed = true;
            }
        }
        // A frame takes at least two bytes of payload, and a payload at most what zstd
        // expands a byte to: far fewer frames than this come out of a valid input.
        if frames > 64 * (input.len() as u64 + 1) * 1024 {
            return Err(format!("{frames} frames from {} bytes", input.len()));
        }
    }
    Ok(!failed)
}

#[test]
fn fuzz_recording() {
    let whole = seeds::recording();
    let seeds = vec![whole.clone(), whole[..whole.len() / 2].to_vec()];
    assert_eq!(check(&whole), Ok(true), "the seed recording reads back");
    let summary = Fuzzer::new("recording").max_len(whole.len() * 2).run(
        &seeds,
        pitwall_fuzz::recording::mutate,
        check,
    );
    assert!(summary.inputs > seeds.len() as u64);
}
