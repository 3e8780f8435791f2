//! [`LapPlan`]: how one scripted lap is driven in time. It fixes the sector times (scripted
//! or split in proportion to the track's nominal times), pins the car's position at each
//! sector line and pit-lane boundary to an exact time ("knots"), and between knots moves the
//! car along the track's speed profile (at constant speed in the pit lane), so the lap takes
//! exactly the scripted milliseconds and speed follows the corners.

use super::model::{Cut, LapSpec};
use super::track::{Track, V_PIT};
use std::sync::Arc;

#[derive(Clone, Copy, Debug)]
struct Knot {
    x: f64,
    /// Seconds into the lap.
    t: f64,
    /// The stretch from this knot to the next is in the pit lane (constant speed).
    pit: bool,
}

/// One lap, ready to drive.
#[derive(Debug)]
pub(crate) struct LapPlan {
    pub(crate) spec: Arc<LapSpec>,
    pub(crate) starts_in_pit: bool,
    pub(crate) ends_in_pit: bool,
    /// Each sector's own time, ms; sums to the lap time.
    pub(crate) sector_ms: Vec<u32>,
    /// Lap time at the end of each sector, ms (the last is the lap time).
    pub(crate) sector_end_ms: Vec<u32>,
    knots: Vec<Knot>,
    /// Lap time (ms, fractional) at which the car cuts the track, if it does.
    pub(crate) cut_ms: Option<f64>,
    pit_exit: f64,
    pit_entry: f64,
}

/// Where the car is at one moment of a lap.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LapPoint {
    pub(crate) x: f64,
    pub(crate) speed: f64,
    pub(crate) pit_lane: bool,
}

impl LapPlan {
    pub(crate) fn new(
        spec: Arc<LapSpec>,
        track: &Track,
        sectors: u32,
        starts_in_pit: bool,
    ) -> LapPlan {
        let ends_in_pit = spec.kind == super::model::LapKind::In;
        let total = f64::from(spec.time_ms) / 1000.0;
        let n = sectors.max(1) as usize;
        let a = if starts_in_pit { track.pit_exit } else { 0.0 };
        let b = if ends_in_pit { track.pit_entry } else { 1.0 };
        let mut pit_out = if starts_in_pit {
            a * track.length_m / V_PIT
        } else {
            0.0
        };
        let mut pit_in = if ends_in_pit {
            (1.0 - b) * track.length_m / V_PIT
        } else {
            0.0
        };
        if pit_out + pit_in > 0.6 * total {
            // A very short scripted lap: the pit lane is driven faster rather than the lap
            // taking longer than scripted.
            let f = 0.6 * total / (pit_out + pit_in);
            pit_out *= f;
            pit_in *= f;
        }
        let race = total - pit_out - pit_in;
        let (ca, cb) = (track.nominal_time(a), track.nominal_time(b));
        let model_time = |x: f64| -> f64 {
            if x < a {
                pit_out * x / a
            } else if x > b {
                total - pit_in * (1.0 - x) / (1.0 - b)
            } else {
                pit_out + race * (track.nominal_time(x) - ca) / (cb - ca)
            }
        };
        let total_ms = spec.time_ms;
        let sector_end_ms: Vec<u32> = match &spec.splits {
            Some(splits) => splits
                .iter()
                .scan(0u32, |acc, s| {
                    *acc += s;
                    Some(*acc)
                })
                .collect(),
            None => {
                let mut ends = Vec::with_capacity(n);
                let mut prev = 0u32;
                for k in 1..n {
                    let t = (model_time(k as f64 / n as f64) * 1000.0).round() as u32;
                    let t = t.clamp(prev + 1, total_ms - (n - k) as u32);
                    ends.push(t);
                    prev = t;
                }
                ends.push(total_ms);
                ends
            }
        };
        let sector_ms: Vec<u32> = sector_end_ms
            .iter()
            .scan(0u32, |prev, &end| {
                let own = end - *prev;
                *prev = end;
                Some(own)
            })
            .collect();
        // Knots: the line, each sector line at its exact time, the pit boundaries.
        let mut knots = vec![Knot {
            x: 0.0,
            t: 0.0,
            pit: starts_in_pit,
        }];
        for (k, &end) in sector_end_ms.iter().enumerate() {
            let x = (k + 1) as f64 / n as f64;
            let t = f64::from(end) / 1000.0;
            let before = knots.last().map_or(0.0, |k| k.t);
            if starts_in_pit && knots.len() == 1 && x > a {
                // Pit exit before this sector line: keep the pit stretch inside the sector.
                let t_exit = pit_out.min(before + 0.8 * (t - before));
                knots.push(Knot {
                    x: a,
                    t: t_exit,
                    pit: false,
                });
            }
            if ends_in_pit && x > b && knots.last().is_some_and(|k| k.x < b) {
                let last = knots.last().map_or(0.0, |k| k.t);
                let t_entry = (total - pit_in).max(last + 0.2 * (t - last));
                knots.push(Knot {
                    x: b,
                    t: t_entry,
                    pit: true,
                });
            }
            knots.push(Knot { x, t, pit: false });
        }
        let cut_ms = spec.cut.map(|cut| {
            let x = match cut {
                Cut::Sector(s) => (f64::from(s) - 1.0 + 0.4) / n as f64,
                Cut::At(f) => f,
            };
            let mut plan_knots = knots.clone();
            plan_knots.dedup_by(|b, a| b.x <= a.x);
            time_at(&plan_knots, track, x) * 1000.0
        });
        LapPlan {
            spec,
            starts_in_pit,
            ends_in_pit,
            sector_ms,
            sector_end_ms,
            knots,
            cut_ms,
            pit_exit: a,
            pit_entry: b,
        }
    }

    /// The lap time, ms.
    pub(crate) fn time_ms(&self) -> u32 {
        self.spec.time_ms
    }

    /// Where the car is `t` seconds into the lap.
    pub(crate) fn at(&self, track: &Track, t: f64) -> LapPoint {
        let i = self
            .knots
            .partition_point(|k| k.t <= t)
            .clamp(1, self.knots.len() - 1);
        let (k0, k1) = (self.knots[i - 1], self.knots[i]);
        let span = (k1.t - k0.t).max(1e-9);
        let f = ((t - k0.t) / span).clamp(0.0, 1.0);
        let (x, speed) = if k0.pit {
            (
                k0.x + (k1.x - k0.x) * f,
                track.length_m * (k1.x - k0.x) / span,
            )
        } else {
            let (c0, c1) = (track.nominal_time(k0.x), track.nominal_time(k1.x));
            let x = track.x_at_nominal(c0 + (c1 - c0) * f);
            (x, track.nominal_speed(x) * (c1 - c0) / span)
        };
        LapPoint {
            x,
            speed,
            pit_lane: (self.starts_in_pit && x < self.pit_exit)
                || (self.ends_in_pit && x >= self.pit_entry),
        }
    }

    /// (`currentSectorIndex`, `lastSectorTime`) at `ms` into the lap.
    pub(crate) fn sector_at(&self, ms: u64) -> (i32, i32) {
        let passed = self
            .sector_end_ms
            .iter()
            .take(self.sector_end_ms.len().saturating_sub(1))
            .take_while(|&&end| u64::from(end) <= ms)
            .count();
        let last = if passed == 0 {
            0
        } else {
            self.sector_end_ms[passed - 1]
        };
        (passed as i32, last as i32)
    }
}

/// Seconds into the lap at which the car reaches `x` (knots sorted by x).
fn time_at(knots: &[Knot], track: &Track, x: f64) -> f64 {
    let i = knots
        .partition_point(|k| k.x <= x)
        .clamp(1, knots.len() - 1);
    let (k0, k1) = (knots[i - 1], knots[i]);
    let f = if k0.pit {
        (x - k0.x) / (k1.x - k0.x).max(1e-12)
    } else {
        let (c0, c1) = (track.nominal_time(k0.x), track.nominal_time(k1.x));
        (track.nominal_time(x) - c0) / (c1 - c0).max(1e-12)
    };
    k0.t + (k1.t - k0.t) * f.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LapKind;

    fn spec(kind: LapKind, time_ms: u32, splits: Option<Vec<u32>>) -> Arc<LapSpec> {
        Arc::new(LapSpec {
            kind,
            time_ms,
            splits,
            cut: Some(Cut::Sector(2)),
            abandon: None,
            pauses: vec![],
            stalls: vec![],
            last_time: None,
        })
    }

    #[test]
    fn sectors_and_positions_follow_the_script() {
        let track = Track::new("brands_hatch", None);
        let plan = LapPlan::new(spec(LapKind::Flying, 107_345, None), &track, 3, false);
        assert_eq!(plan.sector_ms.iter().sum::<u32>(), 107_345);
        assert_eq!(plan.sector_end_ms.len(), 3);
        // At each sector end the car is exactly on the sector line.
        for (k, &end) in plan.sector_end_ms.iter().enumerate().take(2) {
            let p = plan.at(&track, f64::from(end) / 1000.0);
            assert!((p.x - (k + 1) as f64 / 3.0).abs() < 1e-6, "{k}: {}", p.x);
        }
        // Positions only go forward.
        let mut last = -1.0;
        for ms in (0..107_345).step_by(250) {
            let p = plan.at(&track, f64::from(ms) / 1000.0);
            assert!(p.x >= last && p.speed > 0.0);
            last = p.x;
        }
        assert_eq!(plan.sector_at(0), (0, 0));
        assert_eq!(
            plan.sector_at(u64::from(plan.sector_end_ms[0])),
            (1, plan.sector_end_ms[0] as i32)
        );
        let cut = plan.cut_ms.unwrap();
        assert!(cut > f64::from(plan.sector_end_ms[0]) && cut < f64::from(plan.sector_end_ms[1]));
    }

    #[test]
    fn out_lap_crawls_in_the_pit_lane_then_speeds_up() {
        let track = Track::new("brands_hatch", None);
        let plan = LapPlan::new(
            spec(LapKind::Out, 125_000, Some(vec![50_000, 40_000, 35_000])),
            &track,
            3,
            true,
        );
        assert_eq!(plan.sector_ms, vec![50_000, 40_000, 35_000]);
        let early = plan.at(&track, 2.0);
        assert!(
            early.pit_lane && (early.speed - V_PIT).abs() < 0.5,
            "{early:?}"
        );
        let later = plan.at(&track, 60.0);
        assert!(!later.pit_lane);
        let end = plan.at(&track, 125.0);
        assert!((end.x - 1.0).abs() < 1e-9);
    }
}
