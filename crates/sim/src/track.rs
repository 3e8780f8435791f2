//! The simulated circuit: a closed, smooth racing line built deterministically from the track
//! id (so every track looks different but always the same), with world coordinates, heading,
//! curvature, elevation, a nominal speed profile (slow in tight corners, braking and
//! accelerating in between) and the pit lane beside the main straight.
//!
//! Positions along the track are fractions `x` in `[0, 1)` of the lap distance, the same
//! scale as ACC's `normalizedCarPosition`; the start/finish line is at `x = 0` in the middle of
//! the main straight.

use super::circuit::{corner_layout, nominal_times};
use super::rng::Rng;
use std::f64::consts::TAU;

/// Samples along the lap.
pub(crate) const N: usize = 4096;
/// Top speed, m/s (~274 km/h).
pub(crate) const V_MAX: f64 = 76.0;
/// Pit-lane speed limit, m/s (60 km/h).
pub(crate) const V_PIT: f64 = 16.0;
/// Lateral grip, m/s².
pub(crate) const A_LAT: f64 = 18.0;
/// Braking, m/s².
pub(crate) const A_BRAKE: f64 = 15.0;

/// Lengths of ACC tracks in metres (public figures), by Kunos track id.
const KNOWN_LENGTHS: &[(&str, f64)] = &[
    ("brands_hatch", 3908.0),
    ("barcelona", 4655.0),
    ("cota", 5513.0),
    ("donington", 4020.0),
    ("hungaroring", 4381.0),
    ("imola", 4909.0),
    ("indianapolis", 4167.0),
    ("kyalami", 4522.0),
    ("laguna_seca", 3602.0),
    ("misano", 4226.0),
    ("monza", 5793.0),
    ("mount_panorama", 6213.0),
    ("nurburgring", 5137.0),
    ("nurburgring_24h", 25378.0),
    ("oulton_park", 4307.0),
    ("paul_ricard", 5770.0),
    ("red_bull_ring", 4318.0),
    ("silverstone", 5891.0),
    ("snetterton", 4779.0),
    ("spa", 7004.0),
    ("suzuka", 5807.0),
    ("valencia", 4005.0),
    ("watkins_glen", 5552.0),
    ("zandvoort", 4259.0),
    ("zolder", 4011.0),
];

/// One point of the track, interpolated.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Point {
    /// World position (ACC axes: x, y up, z), metres.
    pub(crate) pos: [f64; 3],
    /// Heading, radians in (-π, π].
    pub(crate) heading: f64,
    /// Curvature, 1/m (positive turns left).
    pub(crate) curvature: f64,
    /// Elevation gradient (dy/ds).
    pub(crate) slope: f64,
}

/// A circuit, sampled every `length / N` metres.
#[derive(Debug)]
pub(crate) struct Track {
    pub(crate) length_m: f64,
    /// N + 1 entries each; the last repeats the first (heading + 2π).
    xz: Vec<[f64; 2]>,
    heading: Vec<f64>,
    curvature: Vec<f64>,
    /// Cumulative nominal time from the line, seconds (N + 1 entries).
    cum: Vec<f64>,
    elevation: [(f64, f64, f64); 2],
    /// Where the pit lane leaves the track (before the line) and rejoins it (after).
    pub(crate) pit_entry: f64,
    pub(crate) pit_exit: f64,
    /// The player's pit box, in the pit lane before the line.
    pub(crate) box_x: f64,
}

impl Track {
    /// Builds the circuit for a track id; `length_m` overrides the known length.
    pub(crate) fn new(id: &str, length_m: Option<f64>) -> Track {
        let length_m = length_m
            .or_else(|| {
                KNOWN_LENGTHS
                    .iter()
                    .find(|(k, _)| *k == id)
                    .map(|&(_, l)| l)
            })
            .unwrap_or(4500.0);
        let mut rng = Rng::from_text(id);
        let ds = length_m / N as f64;
        let curvature = corner_layout(&mut rng, length_m);
        // Integrate heading and position; close the loop by spreading the end error.
        let mut heading = Vec::with_capacity(N + 1);
        let mut xz = Vec::with_capacity(N + 1);
        let (mut theta, mut px, mut pz) = (0.0f64, 0.0f64, 0.0f64);
        for &k in &curvature {
            heading.push(theta);
            xz.push([px, pz]);
            px += ds * (theta + 0.5 * k * ds).cos();
            pz += ds * (theta + 0.5 * k * ds).sin();
            theta += k * ds;
        }
        heading.push(TAU);
        let (ex, ez) = (px, pz);
        for (i, p) in xz.iter_mut().enumerate() {
            let f = i as f64 / N as f64;
            p[0] -= ex * f;
            p[1] -= ez * f;
        }
        xz.push(xz[0]);
        let mut curvature = curvature;
        curvature.push(curvature[0]);
        let elevation = [
            (rng.range(4.0, 10.0), 2.0, rng.range(0.0, TAU)),
            (rng.range(1.0, 4.0), 3.0, rng.range(0.0, TAU)),
        ];
        let cum = nominal_times(&curvature, ds);
        Track {
            length_m,
            xz,
            heading,
            curvature,
            cum,
            elevation,
            pit_entry: 0.94,
            pit_exit: 0.045,
            box_x: 0.985,
        }
    }

    fn index(x: f64) -> (usize, f64) {
        let x = x.rem_euclid(1.0) * N as f64;
        let i = (x as usize).min(N - 1);
        (i, x - i as f64)
    }

    /// The track at fraction `x` (wrapped into `[0, 1)`).
    pub(crate) fn at(&self, x: f64) -> Point {
        let (i, f) = Self::index(x);
        let lerp = |a: f64, b: f64| a + (b - a) * f;
        let s = x.rem_euclid(1.0);
        let mut y = 0.0;
        let mut slope = 0.0;
        for &(amp, waves, phase) in &self.elevation {
            let arg = TAU * waves * s + phase;
            y += amp * arg.sin();
            slope += amp * TAU * waves / self.length_m * arg.cos();
        }
        let heading = lerp(self.heading[i], self.heading[i + 1]);
        Point {
            pos: [
                lerp(self.xz[i][0], self.xz[i + 1][0]),
                y,
                lerp(self.xz[i][1], self.xz[i + 1][1]),
            ],
            heading: (heading + std::f64::consts::PI).rem_euclid(TAU) - std::f64::consts::PI,
            curvature: lerp(self.curvature[i], self.curvature[i + 1]),
            slope,
        }
    }

    /// The pit lane's position beside the track at `x`: 14 m to the right of the racing line.
    pub(crate) fn pit_pos(&self, x: f64) -> [f64; 3] {
        let p = self.at(x);
        let (s, c) = p.heading.sin_cos();
        [p.pos[0] + 14.0 * s, p.pos[1], p.pos[2] - 14.0 * c]
    }

    /// Nominal time from the line to `x` in `[0, 1]`, seconds.
    pub(crate) fn nominal_time(&self, x: f64) -> f64 {
        if x >= 1.0 {
            return self.cum[N];
        }
        let (i, f) = Self::index(x.max(0.0));
        self.cum[i] + (self.cum[i + 1] - self.cum[i]) * f
    }

    /// The fraction reached after `t` nominal seconds (inverse of [`Track::nominal_time`]).
    pub(crate) fn x_at_nominal(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        if t >= self.cum[N] {
            return 1.0;
        }
        let i = self
            .cum
            .partition_point(|&c| c <= t)
            .saturating_sub(1)
            .min(N - 1);
        let span = self.cum[i + 1] - self.cum[i];
        let f = if span > 0.0 {
            (t - self.cum[i]) / span
        } else {
            0.0
        };
        (i as f64 + f) / N as f64
    }

    /// Nominal speed at `x`, m/s.
    pub(crate) fn nominal_speed(&self, x: f64) -> f64 {
        let (i, _) = Self::index(x);
        let span = self.cum[i + 1] - self.cum[i];
        if span > 0.0 {
            self.length_m / N as f64 / span
        } else {
            V_MAX
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_is_closed_smooth_and_varied() {
        let track = Track::new("brands_hatch", None);
        assert_eq!(track.length_m, 3908.0);
        let a = track.at(0.0);
        let b = track.at(0.999_999);
        let gap = ((a.pos[0] - b.pos[0]).powi(2) + (a.pos[2] - b.pos[2]).powi(2)).sqrt();
        assert!(gap < 2.0, "loop not closed: {gap} m");
        // Consecutive metres are about a metre apart.
        let step = 1.0 / 3908.0;
        for i in 0..3900 {
            let p = track.at(i as f64 * step).pos;
            let q = track.at((i + 1) as f64 * step).pos;
            let d = ((p[0] - q[0]).powi(2) + (p[2] - q[2]).powi(2)).sqrt();
            assert!((0.8..1.2).contains(&d), "jump of {d} m at {i}");
        }
        // Slow corners and fast straights.
        let speeds: Vec<f64> = (0..4096)
            .map(|i| track.nominal_speed(i as f64 / 4096.0))
            .collect();
        let min = speeds.iter().cloned().fold(f64::MAX, f64::min);
        let max = speeds.iter().cloned().fold(0.0, f64::max);
        assert!(min < 30.0 && max > 60.0, "{min} .. {max}");
        // nominal_time and x_at_nominal invert each other.
        for i in 1..50 {
            let x = i as f64 / 50.0;
            let back = track.x_at_nominal(track.nominal_time(x));
            assert!((back - x).abs() < 1e-6);
        }
        let other = Track::new("monza", None);
        assert_ne!(other.at(0.3).pos, track.at(0.3).pos);
    }
}
