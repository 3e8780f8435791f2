//! The shape of a generated circuit: corners (arcs) and straights laid out so that the loop
//! closes exactly, the curvature sampled and smoothed along it, and the nominal speed profile
//! that follows from grip, acceleration and braking.

use super::rng::Rng;
use super::track::{A_BRAKE, A_LAT, N, V_MAX};
use std::f64::consts::TAU;

/// Pieces of track in order, as (length m, curvature 1/m): a main straight around the line,
/// then corners of random angle and radius (a few turning the other way) separated by
/// straights. The turns add up to one full circle and the straights are adjusted so the loop
/// closes; the whole is then scaled to `length`.
fn closed_pieces(rng: &mut Rng, length: f64) -> Vec<(f64, f64)> {
    let mut best: Option<(f64, Vec<(f64, f64)>)> = None;
    for _ in 0..32 {
        let pieces = candidate(rng, length);
        // Close the loop: shift the inner straights' lengths (least squares) to cancel the gap.
        let (mut heading, mut gap) = (0.0f64, [0.0f64; 2]);
        let mut straights = Vec::new();
        for (i, &(len, k)) in pieces.iter().enumerate() {
            if k == 0.0 {
                gap[0] += len * heading.cos();
                gap[1] += len * heading.sin();
                if i != 0 && i + 1 != pieces.len() {
                    straights.push((i, heading.cos(), heading.sin()));
                }
            } else {
                let end = heading + k * len;
                gap[0] += (end.sin() - heading.sin()) / k;
                gap[1] += (heading.cos() - end.cos()) / k;
                heading = end;
            }
        }
        let (mut a, mut b, mut d) = (0.0, 0.0, 0.0);
        for &(_, c, s) in &straights {
            a += c * c;
            b += c * s;
            d += s * s;
        }
        let det = a * d - b * b;
        if det.abs() < 1e-9 {
            continue;
        }
        // (lx, ly) = A⁻¹ · gap; each straight moves by -(u · l).
        let lx = (d * gap[0] - b * gap[1]) / det;
        let ly = (a * gap[1] - b * gap[0]) / det;
        let mut closed = pieces.clone();
        for &(i, c, s) in &straights {
            closed[i].0 -= c * lx + s * ly;
        }
        let shortest = straights
            .iter()
            .map(|&(i, _, _)| closed[i].0)
            .fold(f64::MAX, f64::min);
        if shortest >= 40.0 {
            return scaled(closed, length);
        }
        if best.as_ref().is_none_or(|(s, _)| shortest > *s) {
            best = Some((shortest, closed));
        }
    }
    // No layout closed with sensible straights: keep the least bad, without negative pieces.
    let mut pieces = best.map_or_else(|| candidate(rng, length), |(_, p)| p);
    for piece in &mut pieces {
        piece.0 = piece.0.max(10.0);
    }
    scaled(pieces, length)
}

fn scaled(pieces: Vec<(f64, f64)>, length: f64) -> Vec<(f64, f64)> {
    let total: f64 = pieces.iter().map(|p| p.0).sum();
    let f = length / total;
    pieces
        .into_iter()
        .map(|(len, k)| (len * f, k / f))
        .collect()
}

fn candidate(rng: &mut Rng, length: f64) -> Vec<(f64, f64)> {
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
    let mut radii: Vec<f64> = (0..corners).map(|_| rng.range(16.0, 170.0)).collect();
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
    pieces
}

/// Curvature per sample along the closed layout, smoothed so steering builds up progressively
/// into each corner. The total turn is exactly one full circle.
pub(super) fn corner_layout(rng: &mut Rng, length: f64) -> Vec<f64> {
    let pieces = closed_pieces(rng, length);
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
    // Two passes of a circular box filter (~12 m each): a triangular ramp into each corner.
    let width = ((12.0 / ds) as usize).max(1);
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
pub(super) fn nominal_times(curvature: &[f64], ds: f64) -> Vec<f64> {
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
