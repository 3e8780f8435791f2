//! The simulated circuit: a closed, smooth racing line built deterministically from the track
//! id (so every track looks different but always the same), with world coordinates, heading,
//! curvature, elevation, a nominal speed profile (slow in tight corners, braking and
//! accelerating in between) and the pit lane beside the main straight.
//!
//! Positions along the track are fractions `x` in `[0, 1)` of the lap distance, the same
//! scale as ACC's `normalizedCarPosition`; the start/finish line is at `x = 0` in the middle of
//! the main straight.

use super::rng::Rng;
use std::f64::consts::TAU;

/// Samples along the lap.
const N: usize = 4096;
/// Top speed, m/s (~274 km/h).
pub(crate) const V_MAX: f64 = 76.0;
/// Pit-lane speed limit, m/s (60 km/h).
pub(crate) const V_PIT: f64 = 16.0;
/// Lateral grip, m/s².
const A_LAT: f64 = 21.0;
/// Braking, m/s².
const A_BRAKE: f64 = 15.0;

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

/// Curvature per sample: a main straight around the line, then corners (arcs of random angle
/// and radius, a few turning the other way) separated by straights, smoothed so steering
/// builds up progressively. The total turn is exactly one full circle.
fn corner_layout(rng: &mut Rng, length: f64) -> Vec<f64> {
    let corners = 9 + rng.below(5) as usize;
    let mut angles: Vec<f64> = (0..corners)
        .map(|_| {
            let a = rng.range(0.5, 2.6);
            if rng.chance(0.2) { -a * 0.6 } else { a }
        })
        .collect();
    let negative: f64 = angles.iter().filter(|a| **a < 0.0).map(|a| -a).sum();
    let positive: f64 = angles.iter().filter(|a| **a > 0.0).sum();
    let scale = (TAU + negative) / positive.max(1e-9);
    for a in angles.iter_mut().filter(|a| **a > 0.0) {
        *a *= scale;
    }
    let mut radii: Vec<f64> = (0..corners).map(|_| rng.range(30.0, 220.0)).collect();
    let arcs: f64 = angles.iter().zip(&radii).map(|(a, r)| a.abs() * r).sum();
    if arcs > 0.55 * length {
        let shrink = 0.55 * length / arcs;
        radii.iter_mut().for_each(|r| *r *= shrink);
    }
    let arcs: f64 = angles.iter().zip(&radii).map(|(a, r)| a.abs() * r).sum();
    let main_half = 0.065 * length;
    let weights: Vec<f64> = (0..corners - 1).map(|_| rng.range(0.3, 1.7)).collect();
    let weight_sum: f64 = weights.iter().sum();
    let straights_left = (length - arcs - 2.0 * main_half).max(0.0);
    // (length of piece, curvature) in order.
    let mut pieces = vec![(main_half, 0.0)];
    for i in 0..corners {
        let arc = angles[i].abs() * radii[i];
        pieces.push((arc, angles[i] / arc));
        if i + 1 < corners {
            pieces.push((straights_left * weights[i] / weight_sum, 0.0));
        }
    }
    pieces.push((main_half, 0.0));
    let total: f64 = pieces.iter().map(|p| p.0).sum();
    let ds = total / N as f64;
    let mut raw = Vec::with_capacity(N);
    let (mut piece, mut piece_end) = (0usize, pieces[0].0);
    for i in 0..N {
        let s = (i as f64 + 0.5) * ds;
        while s > piece_end && piece + 1 < pieces.len() {
            piece += 1;
            piece_end += pieces[piece].0;
        }
        raw.push(pieces[piece].1);
    }
    // Two passes of a circular box filter (~25 m each): a triangular ramp into each corner.
    let width = ((25.0 / ds) as usize).max(1);
    let mut smooth = raw;
    for _ in 0..2 {
        let mut out = vec![0.0; N];
        let mut acc: f64 = (0..width).map(|j| smooth[(N + j - width / 2) % N]).sum();
        for (i, o) in out.iter_mut().enumerate() {
            *o = acc / width as f64;
            acc += smooth[(i + width - width / 2) % N] - smooth[(N + i - width / 2) % N];
        }
        smooth = out;
    }
    // Exactly one full turn, whatever the rounding.
    let turn: f64 = smooth.iter().sum::<f64>() * (length / N as f64);
    smooth.iter_mut().for_each(|k| *k *= TAU / turn);
    smooth
}

/// Cumulative nominal time: corner speeds from grip, then acceleration and braking limits.
fn nominal_times(curvature: &[f64], ds: f64) -> Vec<f64> {
    let mut v: Vec<f64> = curvature[..N]
        .iter()
        .map(|k| (A_LAT / k.abs().max(1e-6)).sqrt().min(V_MAX))
        .collect();
    for _ in 0..2 {
        for i in 0..N {
            let prev = v[(i + N - 1) % N];
            let accel = (8.5 - 0.085 * prev).max(1.0);
            v[i] = v[i].min((prev * prev + 2.0 * accel * ds).sqrt());
        }
        for i in (0..N).rev() {
            let next = v[(i + 1) % N];
            v[i] = v[i].min((next * next + 2.0 * A_BRAKE * ds).sqrt());
        }
    }
    let mut cum = Vec::with_capacity(N + 1);
    let mut t = 0.0;
    cum.push(0.0);
    for speed in v {
        t += ds / speed.max(1.0);
        cum.push(t);
    }
    cum
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
        let speeds: Vec<f64> = (0..100)
            .map(|i| track.nominal_speed(i as f64 / 100.0))
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
