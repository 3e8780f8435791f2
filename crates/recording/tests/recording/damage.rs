//! Damaged recordings: every intact frame before the damage, then one error naming where it
//! starts; never a panic, never a wrong frame.

use pitwall_acc::{PageKind, Snapshot};
use pitwall_recording::{Damage, FORMAT_VERSION, MAGIC, Recorder, RecordingError, RecordingReader};
use proptest::prelude::*;
use std::time::Duration;

/// A small recording of three blocks (4, 5 and 3 frames): its bytes, its frames, the offset
/// where each block starts, and where the end marker starts.
struct Sample {
    bytes: Vec<u8>,
    frames: Vec<Snapshot>,
    /// `(offset, frames before it)` of each block, then of the end marker.
    starts: Vec<(u64, usize)>,
}

fn sample() -> Sample {
    let mut rec = Recorder::new(Vec::new()).unwrap();
    let mut s = Snapshot::default();
    let mut frames = Vec::new();
    let mut starts = vec![(rec.stats().bytes, 0)];
    for (block, n) in [4, 5, 3].into_iter().enumerate() {
        for i in 0..n {
            s.at = Duration::from_micros(2_500 * frames.len() as u64 + 17);
            s.physics.packet_id.set(frames.len() as i32);
            s.physics.speed_kmh.set(100.0 + frames.len() as f32 * 0.37);
            if i % 2 == 0 {
                s.graphics.i_current_time.set(1_000 * block as i32 + i);
            }
            rec.push(&s).unwrap();
            frames.push(s.clone());
        }
        rec.flush().unwrap();
        starts.push((rec.stats().bytes, frames.len()));
    }
    Sample {
        bytes: rec.finish().unwrap(),
        frames,
        starts,
    }
}

/// Reads `bytes` to the end: the frames, and the error if any (an error from the header
/// counts as reading no frame).
fn read(bytes: &[u8]) -> (Vec<Snapshot>, Option<RecordingError>) {
    let reader = match RecordingReader::new(bytes) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut frames = Vec::new();
    let mut error = None;
    for item in reader {
        assert!(error.is_none(), "nothing may follow the error");
        match item {
            Ok(s) => frames.push(s),
            Err(e) => error = Some(e),
        }
    }
    (frames, error)
}

fn offset_of(e: &RecordingError) -> u64 {
    match e {
        RecordingError::Truncated { offset } | RecordingError::Corrupt { offset, .. } => *offset,
        other => panic!("expected damage with an offset, got {other:?}"),
    }
}

#[test]
fn a_cut_at_every_byte_gives_the_complete_blocks_before_it_and_names_where_they_end() {
    let Sample {
        bytes,
        frames,
        starts,
    } = sample();
    let (all, error) = read(&bytes);
    assert_eq!(all, frames);
    assert!(error.is_none());
    for cut in 0..bytes.len() {
        let (got, error) = read(&bytes[..cut]);
        let error = error.unwrap_or_else(|| panic!("a cut at {cut} must be reported"));
        // The last boundary at or before the cut: the frames before it are all intact.
        let &(start, before) = starts
            .iter()
            .rev()
            .find(|(o, _)| *o <= cut as u64)
            .unwrap_or(&(0, 0));
        assert!(
            matches!(error, RecordingError::Truncated { .. }),
            "cut at {cut}: {error}"
        );
        assert_eq!(offset_of(&error), start, "cut at {cut}");
        assert_eq!(got, frames[..before], "cut at {cut}");
        assert!(error.to_string().contains(&format!("byte {start}")));
    }
}

#[test]
fn a_flipped_byte_in_the_middle_block_keeps_the_first_block_and_names_the_second() {
    let Sample {
        bytes,
        frames,
        starts,
    } = sample();
    let (start, before) = starts[1];
    let end = starts[2].0;
    for at in start..end {
        let mut damaged = bytes.clone();
        damaged[at as usize] ^= 0x5a;
        let (got, error) = read(&damaged);
        let error = error.unwrap_or_else(|| panic!("a flip at {at} must be reported"));
        assert!(
            matches!(error, RecordingError::Corrupt { offset, .. } if offset == start),
            "flip at {at}: {error}"
        );
        assert_eq!(got, frames[..before], "flip at {at}");
        assert!(
            error
                .to_string()
                .contains(&format!("damaged at byte {start}"))
        );
    }
}

#[test]
fn damage_to_the_end_marker_comes_after_every_frame() {
    let Sample {
        bytes,
        frames,
        starts,
    } = sample();
    let end = starts[3].0;
    let mut damaged = bytes.clone();
    damaged[end as usize + 5] ^= 1;
    let (got, error) = read(&damaged);
    assert_eq!(got, frames);
    assert!(matches!(
        error,
        Some(RecordingError::Corrupt { offset, reason: Damage::BlockHeaderChecksum }) if offset == end
    ));
    // Bytes after the end marker are damage too.
    let mut longer = bytes.clone();
    longer.push(0);
    let (got, error) = read(&longer);
    assert_eq!(got, frames);
    assert!(matches!(
        error,
        Some(RecordingError::Corrupt { offset, reason: Damage::TrailingData }) if offset == bytes.len() as u64
    ));
}

#[test]
fn other_files_are_not_recordings() {
    for bytes in [&b"PK\x03\x04 a zip file"[..], b"ACCTEST\0\x02\0\0\0", b"x"] {
        assert!(matches!(read(bytes).1, Some(RecordingError::NotARecording)));
    }
    let msg = read(b"hello world").1.unwrap().to_string();
    assert!(msg.contains("not a pitwall recording"), "{msg}");
    // An empty file, or a prefix of the magic, is a cut-short recording.
    assert!(matches!(
        read(b"").1,
        Some(RecordingError::Truncated { offset: 0 })
    ));
    assert!(matches!(
        read(&MAGIC[..5]).1,
        Some(RecordingError::Truncated { offset: 0 })
    ));
}

#[test]
fn a_newer_format_version_asks_for_a_newer_pitwall() {
    let mut bytes = sample().bytes;
    bytes[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let error = read(&bytes).1.unwrap();
    assert!(matches!(
        error,
        RecordingError::UnsupportedVersion { found, supported } if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION
    ));
    assert!(error.to_string().contains("update pitwall"), "{error}");
}

#[test]
fn header_damage_and_foreign_page_sizes_are_reported() {
    let bytes = sample().bytes;
    // A flipped byte in the creator string: the header checksum fails.
    let mut damaged = bytes.clone();
    damaged[30] ^= 1;
    assert!(matches!(
        read(&damaged).1,
        Some(RecordingError::Corrupt {
            offset: 0,
            reason: Damage::FileHeaderChecksum
        })
    ));
    // A consistent header declaring another physics page size.
    let mut other = bytes.clone();
    other[10..12].copy_from_slice(&804u16.to_le_bytes());
    let header_len = 29 + usize::from(other[28]);
    let crc = crc32fast::hash(&other[..header_len]);
    other[header_len..header_len + 4].copy_from_slice(&crc.to_le_bytes());
    assert!(matches!(
        read(&other).1,
        Some(RecordingError::UnsupportedLayout {
            page: "acpmf_physics",
            found: 804,
            expected: 800
        })
    ));
    assert_eq!(PageKind::Physics.size(), 800);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any damage: never a panic, only true frames, in order, and at most one error.
    #[test]
    fn random_damage_never_yields_a_wrong_frame(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let Sample { mut bytes, frames, .. } = sample();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let (got, _) = read(&bytes);
        prop_assert!(got.len() <= frames.len());
        prop_assert_eq!(&got[..], &frames[..got.len()]);
    }
}
