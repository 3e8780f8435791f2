//! One lap in progress ([`LapRun`]): its sector splits as the game reports them
//! (cumulative `lastSectorTime`), its validity latch ([`Validity`]), and the timer's peak
//! (the fallback lap time). Nothing here looks at session boundaries: `session.rs` decides
//! when runs start and end.

use crate::frame::Frame;
use crate::model::{LapId, SessionId};

/// The most sectors a track may have (ACC tracks have 3).
pub(crate) const MAX_SECTORS: usize = 8;

/// A single invalid reading this early in a lap is the flag left over from the previous lap
/// or the one-frame flicker at the line, not a cut.
const FRESH_LAP_MS: i32 = 1_000;

/// Readings further apart than this are coarse samples: one invalid reading is trusted.
const COARSE_GAP_MS: u64 = 250;

/// A lap in progress.
#[derive(Clone, Debug)]
pub(crate) struct LapRun {
    pub(crate) id: LapId,
    pub(crate) number: u32,
    pub(crate) out_lap: bool,
    /// Already running when first seen.
    pub(crate) partial: bool,
    /// Cumulative splits at each sector line (index k: time at the end of sector k).
    pub(crate) splits: [Option<u32>; MAX_SECTORS],
    /// The sector the car is in.
    pub(crate) sector: usize,
    /// A sector line was crossed but `lastSectorTime` does not show it yet.
    pub(crate) awaiting_split: Option<usize>,
    /// The validity latch.
    validity: Validity,
    /// The highest `iCurrentTime` seen in this lap.
    pub(crate) peak_ms: u32,
    /// When (the caller's ms) the timer was last seen rising to `peak_ms`: the lap ended at
    /// most this long after, plus the peak.
    pub(crate) peak_at_ms: u64,
    /// `iLastTime` as it stood when this lap started (after the previous lap's time arrived):
    /// a change means the game published this lap's time.
    pub(crate) last_ms_at_start: i32,
}

/// A lap's validity latch: valid until a cut, then invalid for the rest of the lap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Validity {
    /// No cut so far. `streak` invalid readings in a row were seen just now (a one-frame
    /// flicker or the start of a cut), the last of them in HUD frame `packet` (a frame read
    /// twice counts once).
    Valid { streak: u8, packet: Option<i32> },
    /// Cut in `sector` (0-based): latched until the lap ends.
    Invalid { sector: Option<u8> },
}

/// A sector whose split became known (or was passed unseen), to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SectorDone {
    pub(crate) sector: u8,
    pub(crate) time_ms: Option<u32>,
}

impl LapRun {
    pub(crate) fn new(
        session: SessionId,
        attempt: u32,
        number: u32,
        frame: &Frame,
        out_lap: bool,
        partial: bool,
    ) -> Self {
        let id = LapId::of(session, attempt);
        let sector = usize::try_from(frame.sector_index)
            .unwrap_or(0)
            .min(MAX_SECTORS - 1);
        Self {
            id,
            number,
            out_lap,
            partial,
            splits: [None; MAX_SECTORS],
            sector: if partial { sector } else { 0 },
            // Joined mid-lap: the split of the last sector line passed is on the page.
            awaiting_split: if partial && sector > 0 {
                Some(sector - 1)
            } else {
                None
            },
            validity: Validity::Valid {
                streak: 0,
                packet: None,
            },
            peak_ms: u32::try_from(frame.current_ms).unwrap_or(0),
            peak_at_ms: frame.at_ms,
            last_ms_at_start: frame.last_ms,
        }
    }

    /// Takes one frame of this lap: sectors, validity, peak. Returns the sectors completed.
    pub(crate) fn observe(
        &mut self,
        frame: &Frame,
        prev_at_ms: u64,
        sector_count: usize,
        done: &mut Vec<SectorDone>,
    ) {
        let current = u32::try_from(frame.current_ms).unwrap_or(0);
        if current > self.peak_ms {
            self.peak_ms = current;
            self.peak_at_ms = frame.at_ms;
        }
        self.observe_validity(frame, prev_at_ms);
        self.observe_sectors(frame, sector_count, done);
    }

    /// Not invalidated so far.
    pub(crate) fn is_valid(&self) -> bool {
        matches!(self.validity, Validity::Valid { .. })
    }

    /// The sector (0-based) in which the lap was invalidated.
    pub(crate) fn invalid_sector(&self) -> Option<u8> {
        match self.validity {
            Validity::Valid { .. } => None,
            Validity::Invalid { sector } => sector,
        }
    }

    fn observe_validity(&mut self, frame: &Frame, prev_at_ms: u64) {
        let Validity::Valid { streak, packet } = &mut self.validity else {
            return; // latched: nothing undoes a cut
        };
        if frame.valid {
            *streak = 0;
            *packet = None;
            return;
        }
        if *packet == Some(frame.graphics_packet) {
            return; // the same HUD frame read again by a fast poller
        }
        *packet = Some(frame.graphics_packet);
        *streak = streak.saturating_add(1);
        let coarse = frame.at_ms.saturating_sub(prev_at_ms) > COARSE_GAP_MS;
        let fresh = frame.current_ms < FRESH_LAP_MS;
        // Quirk Q14: isValidLap flickers to 0 for one frame (at the line, in pit-lane
        // transitions); a cut latches it for the rest of the lap. Two readings in a row, or
        // one coarse sample away from the lap's start (Quirk Q17), mean a cut.
        if *streak >= 2 || (coarse && !fresh) {
            self.validity = Validity::Invalid {
                sector: u8::try_from(self.sector).ok(),
            };
        }
    }

    fn observe_sectors(&mut self, frame: &Frame, sector_count: usize, done: &mut Vec<SectorDone>) {
        let last = sector_count.clamp(1, MAX_SECTORS) - 1;
        let index = usize::try_from(frame.sector_index).unwrap_or(0).min(last);
        // Quirk Q15: the index may drop back to 0 just before the lap completes; ignore drops
        // (the lap's end is decided by completedLaps).
        if index > self.sector {
            // Quirk Q17: sectors passed between two readings (coarse sampling, a stall): their splits were
            // never on the page, so their times cannot be known.
            for skipped in self.sector..index.saturating_sub(1) {
                done.push(SectorDone {
                    sector: skipped as u8,
                    time_ms: None,
                });
            }
            self.awaiting_split = Some(index - 1);
            self.sector = index;
        }
        // Quirk Q16: lastSectorTime is cumulative and may lag the index change by a frame; take
        // it once it is past the previous split and not beyond the running timer.
        if let Some(k) = self.awaiting_split {
            let Ok(split) = u32::try_from(frame.last_sector_ms) else {
                return;
            };
            let previous = if k == 0 { Some(0) } else { self.splits[k - 1] };
            let floor = previous.unwrap_or(0);
            let current = u32::try_from(frame.current_ms).unwrap_or(0);
            if split > floor && split <= current.saturating_add(50) {
                self.splits[k] = Some(split);
                self.awaiting_split = None;
                let time_ms = previous.map(|p| split - p);
                done.push(SectorDone {
                    sector: k as u8,
                    time_ms,
                });
            }
        }
    }

    /// Sector times of the completed lap of `time_ms`: each split difference, the last
    /// sector as lap time minus the last split; `None` where a split was not seen.
    pub(crate) fn sector_times(&self, time_ms: u32, sector_count: usize) -> Vec<Option<u32>> {
        let n = sector_count.clamp(1, MAX_SECTORS);
        (0..n)
            .map(|k| {
                let end = if k + 1 == n {
                    Some(time_ms)
                } else {
                    self.splits[k]
                };
                let start = if k == 0 { Some(0) } else { self.splits[k - 1] };
                match (start, end) {
                    (Some(s), Some(e)) if e > s => Some(e - s),
                    _ => None,
                }
            })
            .collect()
    }
}
