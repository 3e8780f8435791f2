//! Import of RaceIQ's "ACCTEST" raw captures (version 2): so captures users already have
//! can be replayed through pitwall. Facts of the container, from its documentation:
//! optionally gzip-compressed; magic `ACCTEST\0`, u32 version, u32 record count (may be 0),
//! then records `u8 page type (0 physics, 1 graphics, 2 static), u32 length, bytes` until the
//! end, one (physics, graphics, static) triple per sample. Pages may be shorter than the
//! structs (early recorders cut graphics at 1320 and static at 688 bytes): the missing
//! bytes read as zero and each sample says how many were captured.

use super::error::RecordingError;
use pitwall_acc::snapshot::{PageKind, Snapshot};
use std::io::Read;
use std::time::Duration;

/// One captured sample: the three pages, with how many bytes of each were in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct AcctestSample {
    /// The pages; `at` is the sample index times [`ACCTEST_INTERVAL`] (the container has no
    /// time stamps).
    pub snapshot: Snapshot,
    /// Bytes of each page present in the capture (physics, graphics, static).
    pub captured: [usize; 3],
}

/// The time assumed between samples: the recorder sampled at about 62 Hz.
pub const ACCTEST_INTERVAL: Duration = Duration::from_millis(16);

/// The largest page a record may claim (a corrupt length must not allocate gigabytes).
const MAX_RECORD: usize = 1 << 16;

/// Reads a whole ACCTEST capture (gzip-compressed or not).
pub fn read_acctest(mut input: impl Read) -> Result<Vec<AcctestSample>, RecordingError> {
    let mut raw = Vec::new();
    input
        .read_to_end(&mut raw)
        .map_err(|source| RecordingError::Read { offset: 0, source })?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|source| RecordingError::Read { offset: 0, source })?;
        out
    } else {
        raw
    };
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Result<Vec<AcctestSample>, RecordingError> {
    if bytes.len() < 16 || &bytes[..8] != b"ACCTEST\0" {
        return Err(RecordingError::NotARecording);
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != 2 {
        return Err(RecordingError::UnsupportedVersion {
            found: u16::try_from(version).unwrap_or(u16::MAX),
            supported: 2,
        });
    }
    let corrupt = |offset: usize, what: &'static str| RecordingError::Corrupt {
        offset: offset as u64,
        reason: super::Damage::Malformed(what),
    };
    let mut samples = Vec::new();
    let mut current = Snapshot::default();
    let mut captured = [0usize; 3];
    let mut pos = 16;
    while pos < bytes.len() {
        let header = bytes
            .get(pos..pos + 5)
            .ok_or_else(|| corrupt(pos, "record header cut short"))?;
        let kind = match header[0] {
            0 => PageKind::Physics,
            1 => PageKind::Graphics,
            2 => PageKind::Static,
            _ => return Err(corrupt(pos, "unknown page type")),
        };
        let len = u32::from_le_bytes([header[1], header[2], header[3], header[4]]) as usize;
        if len > MAX_RECORD {
            return Err(corrupt(pos, "record length out of range"));
        }
        let page = bytes
            .get(pos + 5..pos + 5 + len)
            .ok_or_else(|| corrupt(pos, "record cut short"))?;
        captured[kind as usize] = current.set_page(kind, page);
        pos += 5 + len;
        if kind == PageKind::Static {
            current.at = ACCTEST_INTERVAL * u32::try_from(samples.len()).unwrap_or(u32::MAX);
            samples.push(AcctestSample {
                snapshot: current.clone(),
                captured,
            });
        }
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u8, bytes: &[u8]) -> Vec<u8> {
        let mut r = vec![kind];
        r.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        r.extend_from_slice(bytes);
        r
    }

    #[test]
    fn samples_are_triples_and_short_pages_are_padded() {
        let mut file = b"ACCTEST\0".to_vec();
        file.extend_from_slice(&2u32.to_le_bytes());
        file.extend_from_slice(&0u32.to_le_bytes());
        for id in [7u8, 8] {
            file.extend(record(0, &[id; 800]));
            file.extend(record(1, &[id; 1320]));
            file.extend(record(2, &[id; 688]));
        }
        let samples = parse(&file).unwrap();
        assert_eq!(samples.len(), 2);
        assert_eq!(samples[1].captured, [800, 1320, 688]);
        assert_eq!(
            samples[1].snapshot.physics.packet_id.get(),
            i32::from_le_bytes([8; 4])
        );
        assert_eq!(samples[1].snapshot.at, ACCTEST_INTERVAL);
        let g = samples[0].snapshot.page_bytes(PageKind::Graphics);
        assert!(g[..1320].iter().all(|&b| b == 7) && g[1320..].iter().all(|&b| b == 0));
        // Damage names the offset.
        let cut = &file[..file.len() - 10];
        match parse(cut) {
            Err(RecordingError::Corrupt { offset, .. }) => assert!(offset as usize > 16),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(b"nonsense-nonsense"),
            Err(RecordingError::NotARecording)
        ));
    }
}
