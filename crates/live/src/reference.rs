//! The reference a live lap is measured against: the driver's personal best on the track and
//! car (its time and sectors) and the best time of each sector over all counting laps, with
//! their sum, the theoretical best. The collector loads it from the store when a session
//! starts and sends it in `session_started`; the live state moves it on with each counting lap.

use serde::{Deserialize, Serialize};

use crate::LapJson;

/// A driver's records on a track and car.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Personal best lap time.
    pub pb_ms: Option<u32>,
    /// The personal best lap's sectors.
    pub pb_sectors: Vec<Option<u32>>,
    /// The best time of each sector over all counting laps.
    pub best_sectors: Vec<Option<u32>>,
    /// The sum of the best sectors, when each is known.
    pub theoretical_best_ms: Option<u32>,
}

impl Reference {
    /// Takes in a counting lap (valid, flying, timed): it becomes the personal best when
    /// `personal_best` says so, and each of its sectors the best one where it is faster.
    pub fn add(&mut self, lap: &LapJson, personal_best: bool) {
        if personal_best {
            self.pb_ms = Some(lap.time_ms);
            self.pb_sectors.clone_from(&lap.sectors);
        }
        pitwall_core::stats::keep_best_sectors(&mut self.best_sectors, &lap.sectors);
        self.theoretical_best_ms = self
            .best_sectors
            .iter()
            .try_fold(0_u32, |sum, s| sum.checked_add((*s)?));
    }

    /// A running lap's time so far (`done`: its sectors up to the line just crossed) minus
    /// the personal best's at the same line, when every sector up to it is known on both.
    pub fn split_delta(&self, done: &[Option<u32>]) -> Option<i64> {
        let pb = &self.pb_sectors;
        if pb.len() < done.len() {
            return None;
        }
        let sum = |s: &[Option<u32>]| {
            s.iter()
                .try_fold(0_i64, |acc, t| Some(acc + i64::from((*t)?)))
        };
        Some(sum(done)? - sum(&pb[..done.len()])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_delta_needs_every_sector_on_both() {
        let reference = Reference {
            pb_sectors: vec![Some(30_000), Some(31_000), Some(29_000)],
            ..Reference::default()
        };
        assert_eq!(reference.split_delta(&[Some(29_900)]), Some(-100));
        assert_eq!(
            reference.split_delta(&[Some(29_900), Some(31_300)]),
            Some(200)
        );
        assert_eq!(reference.split_delta(&[None, Some(31_300)]), None);
        assert_eq!(Reference::default().split_delta(&[Some(1)]), None);
    }
}
