//! Pace and consistency of counting laps: mean, sample standard deviation, and the rolling
//! average of the last N laps. Sums are exact integers, so the results never hold NaN and do
//! not depend on the order of the laps (except which are "last").

use super::counts;
use crate::model::{Lap, LapId};

/// The rolling average after one counting lap, a point of a pace chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RollingAverage {
    /// The lap that closed the window.
    pub lap: LapId,
    /// When it was completed (ms).
    pub completed_at_ms: u64,
    /// The mean time of the window's laps (ms).
    pub average_ms: f64,
}

/// The mean time of the counting laps (ms); `None` when no lap counts.
pub fn mean_ms<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Option<f64> {
    mean_of(&counting_times(laps))
}

/// The sample standard deviation of the counting laps' times (ms, with `n - 1` in the
/// denominator): how consistent the pace was. `None` below two counting laps; `0.0` when
/// every counting lap has the same time.
pub fn std_dev_ms<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Option<f64> {
    let times = counting_times(laps);
    if times.len() < 2 {
        return None;
    }
    let n = times.len() as u128;
    let sum: u128 = times.iter().map(|&t| u128::from(t)).sum();
    let sum_sq: u128 = times.iter().map(|&t| u128::from(t) * u128::from(t)).sum();
    // n·Σt² − (Σt)² is n² times the population variance: never negative, computed exactly.
    let exact = n
        .checked_mul(sum_sq)
        .and_then(|a| sum.checked_mul(sum).and_then(|b| a.checked_sub(b)))
        .zip(n.checked_mul(n - 1));
    let variance = match exact {
        Some((numerator, denominator)) => numerator as f64 / denominator as f64,
        None => two_pass_variance(&times),
    };
    Some(variance.sqrt())
}

/// The mean of the last `window` counting laps, in the order given (ms). `None` when
/// `window` is zero or fewer than `window` laps count: it is not an N-lap average yet.
pub fn rolling_average_ms<'a>(
    laps: impl IntoIterator<Item = &'a Lap>,
    window: usize,
) -> Option<f64> {
    if window == 0 {
        return None;
    }
    let times = counting_times(laps);
    let start = times.len().checked_sub(window)?;
    mean_of(&times[start..])
}

/// The rolling average of `window` counting laps after each counting lap that completes a
/// full window, in the order given; empty when `window` is zero or too few laps count.
pub fn rolling_averages<'a>(
    laps: impl IntoIterator<Item = &'a Lap>,
    window: usize,
) -> Vec<RollingAverage> {
    let laps: Vec<&Lap> = laps.into_iter().filter(|lap| counts(lap)).collect();
    if window == 0 {
        return Vec::new();
    }
    laps.windows(window)
        .filter_map(|w| {
            let last = w.last()?;
            let sum: u64 = w.iter().map(|lap| u64::from(lap.time_ms)).sum();
            Some(RollingAverage {
                lap: last.id,
                completed_at_ms: last.completed_at_ms,
                average_ms: sum as f64 / window as f64,
            })
        })
        .collect()
}

fn counting_times<'a>(laps: impl IntoIterator<Item = &'a Lap>) -> Vec<u32> {
    laps.into_iter()
        .filter(|lap| counts(lap))
        .map(|lap| lap.time_ms)
        .collect()
}

fn mean_of(times: &[u32]) -> Option<f64> {
    if times.is_empty() {
        return None;
    }
    let sum: u128 = times.iter().map(|&t| u128::from(t)).sum();
    Some(sum as f64 / times.len() as f64)
}

/// Fallback for inputs too large for the exact sums: squares of deviations, never negative.
fn two_pass_variance(times: &[u32]) -> f64 {
    let n = times.len() as f64;
    let mean = times.iter().map(|&t| f64::from(t)).sum::<f64>() / n;
    let squares: f64 = times.iter().map(|&t| (f64::from(t) - mean).powi(2)).sum();
    squares / (n - 1.0)
}
