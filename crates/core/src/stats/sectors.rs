//! Best sectors and the theoretical best: per sector index, the fastest known time among
//! counting laps, remembering the lap it came from; the theoretical best is their sum.

use super::{counts, known, takes_record};
use crate::model::{Lap, LapId};

/// The best time of one sector and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BestSector {
    /// The sector's own time (ms).
    pub time_ms: u32,
    /// The lap it was set on.
    pub lap: LapId,
    /// That lap's number in its session.
    pub lap_number: u32,
    /// When that lap was completed (ms), which decides ties.
    pub completed_at_ms: u64,
}

/// Best sector times, one slot per sector index; a slot is `None` while no counting lap has
/// a known time for that sector. Build it with [`BestSectors::from_laps`], or feed laps one at
/// a time with [`BestSectors::add`] as they complete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BestSectors {
    sectors: Vec<Option<BestSector>>,
}

impl BestSectors {
    /// No bests yet, with `sector_count` empty slots, so that the theoretical best stays
    /// `None` until every one of the track's sectors has a best (pass
    /// [`SessionInfo::sector_count`](crate::model::SessionInfo::sector_count)).
    pub fn new(sector_count: usize) -> Self {
        BestSectors {
            sectors: vec![None; sector_count],
        }
    }

    /// The best sectors of `laps`; as many slots as the longest `sectors` of a counting lap.
    pub fn from_laps<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Self {
        let mut bests = BestSectors::default();
        for lap in laps {
            bests.add(lap);
        }
        bests
    }

    /// Takes a lap into account: ignored unless it counts (valid, flying, timed); each known
    /// sector time replaces the best when faster, or as fast and completed earlier. Slots are
    /// added when the lap has more sectors than seen so far.
    pub fn add(&mut self, lap: &Lap) {
        if !counts(lap) {
            return;
        }
        if self.sectors.len() < lap.sectors.len() {
            self.sectors.resize(lap.sectors.len(), None);
        }
        for (slot, time) in self.sectors.iter_mut().zip(&lap.sectors) {
            let Some(time_ms) = known(*time) else {
                continue;
            };
            let better = slot.is_none_or(|best| {
                takes_record(
                    time_ms,
                    lap.completed_at_ms,
                    best.time_ms,
                    best.completed_at_ms,
                )
            });
            if better {
                *slot = Some(BestSector {
                    time_ms,
                    lap: lap.id,
                    lap_number: lap.number,
                    completed_at_ms: lap.completed_at_ms,
                });
            }
        }
    }

    /// One slot per sector index.
    pub fn sectors(&self) -> &[Option<BestSector>] {
        &self.sectors
    }

    /// The best of sector `index` (0-based), if any.
    pub fn get(&self, index: usize) -> Option<BestSector> {
        self.sectors.get(index).copied().flatten()
    }

    /// Just the times, one per sector index, as [`colour_laps`](super::colour_laps) takes
    /// them for all-time references.
    pub fn times(&self) -> Vec<Option<u32>> {
        self.sectors.iter().map(|s| s.map(|b| b.time_ms)).collect()
    }

    /// The theoretical best: the sum of the best sectors; `None` when there are no slots, when
    /// some sector has no best, or if the sum overflowed `u32`.
    pub fn theoretical_best_ms(&self) -> Option<u32> {
        if self.sectors.is_empty() {
            return None;
        }
        self.sectors
            .iter()
            .try_fold(0u32, |sum, s| sum.checked_add(s.as_ref()?.time_ms))
    }
}

/// The theoretical best of `laps`: [`BestSectors::from_laps`], then
/// [`BestSectors::theoretical_best_ms`].
pub fn theoretical_best_ms<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Option<u32> {
    BestSectors::from_laps(laps).theoretical_best_ms()
}
