//! Recording size and cost at full rate: records a simulated hour of driving (physics at
//! 400 Hz, graphics at 60 Hz, static constant) and prints MB per hour and µs per push, then
//! reads the recording back and checks it frame by frame.
//!
//! Run with `cargo bench -p pitwall-acc --bench recording_size`. Environment:
//! `PITWALL_BENCH_SECONDS` (default 3600), `PITWALL_BENCH_NOISE` (scale of the synthetic
//! sensor noise, default 1; 0 for perfectly smooth channels), `PITWALL_BENCH_LEVEL` (zstd
//! level, default 3) and `PITWALL_BENCH_BLOCK_MS` (block length, default 1000).
//!
//! Frames come from [`frames`]; it is a synthetic generator for now, to be replaced by the
//! simulator (`Simulator::new(Scenario::endless(seed), SimOptions::default())`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
// The car model indexes several per-wheel arrays with the same wheel number.
#![allow(clippy::needless_range_loop)]

use pitwall_acc::Snapshot;
use pitwall_acc::decode::set_utf16;
use pitwall_acc::recording::{Recorder, RecorderOptions, RecordingReader};
use std::f64::consts::TAU;
use std::time::{Duration, Instant};

/// Physics steps per second.
const PHYSICS_HZ: u64 = 400;
/// Graphics updates per second.
const GRAPHICS_HZ: u64 = 60;

fn main() {
    let seconds: u64 = env("PITWALL_BENCH_SECONDS", 3600.0) as u64;
    let noise = env("PITWALL_BENCH_NOISE", 1.0);
    let mut next = frames(7, seconds, noise);
    let options = RecorderOptions {
        level: env("PITWALL_BENCH_LEVEL", 3.0) as i32,
        block_time: Duration::from_millis(env("PITWALL_BENCH_BLOCK_MS", 1000.0) as u64),
        ..RecorderOptions::default()
    };
    let mut recorder = Recorder::with_options(Vec::with_capacity(64 << 20), options).unwrap();
    let mut times = Vec::with_capacity((seconds * PHYSICS_HZ) as usize);
    let mut last_at = Duration::ZERO;
    while let Some(snap) = next() {
        let t = Instant::now();
        recorder.push(&snap).unwrap();
        times.push(t.elapsed());
        last_at = snap.at;
    }
    let pushes = times.len() as u64;
    let push_time: Duration = times.iter().sum();
    times.sort_unstable();
    let quantile = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e6;
    let stats = recorder.stats();
    let bytes = recorder.finish().unwrap();
    let hours = last_at.as_secs_f64() / 3600.0;
    let mb_per_hour = bytes.len() as f64 / 1e6 / hours;
    println!(
        "recorded {:.0} s: {pushes} pushes, {} frames, {} pages ({:.1} MB raw) in {} blocks",
        last_at.as_secs_f64(),
        stats.frames,
        stats.records,
        stats.page_bytes as f64 / 1e6,
        stats.blocks
    );
    println!(
        "size: {:.2} MB ({mb_per_hour:.1} MB per hour, {:.1} bytes per frame, ratio {:.0}:1)",
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / stats.frames as f64,
        stats.page_bytes as f64 / bytes.len() as f64
    );
    println!(
        "push: {:.2} µs on average (block compression included); median {:.2} µs, \
         99.9th percentile {:.0} µs, worst {:.0} µs (the pushes that close a block)",
        push_time.as_secs_f64() * 1e6 / pushes as f64,
        quantile(0.5),
        quantile(0.999),
        quantile(1.0)
    );

    // Read back and compare with a second run of the generator.
    let t = Instant::now();
    let mut again = frames(7, seconds, noise);
    let mut expected = again();
    let mut read = 0u64;
    for snap in RecordingReader::new(&bytes[..]).unwrap() {
        let snap = snap.unwrap();
        // Pushes without a change are not recorded; skip them in the reference.
        while let Some(e) = &expected {
            if e.physics == snap.physics && e.graphics == snap.graphics {
                break;
            }
            expected = again();
        }
        let e = expected
            .take()
            .expect("the recording holds more frames than were pushed");
        assert_eq!(e.physics, snap.physics);
        assert_eq!(e.graphics, snap.graphics);
        assert_eq!(e.statics, snap.statics);
        assert_eq!(e.at.as_micros(), snap.at.as_micros());
        read += 1;
        expected = again();
    }
    assert_eq!(read, stats.frames);
    println!(
        "read back and verified {read} frames in {:.2} s ({:.2} µs per frame incl. generation)",
        t.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64() * 1e6 / read as f64
    );
}

fn env(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The frames to record: `seconds` of driving, one snapshot per physics step, as a live
/// source would produce them. Swap the body for the simulator when it lands:
/// `let mut sim = Simulator::new(Scenario::endless(seed), SimOptions::default());`
/// `move || sim.step().map(|_| sim.snapshot().clone())` (stopping after `seconds`).
fn frames(seed: u64, seconds: u64, noise: f64) -> impl FnMut() -> Option<Snapshot> {
    let mut car = Car::new(seed, noise);
    let steps = seconds * PHYSICS_HZ;
    let mut step = 0u64;
    move || {
        if step >= steps {
            return None;
        }
        car.step(step);
        step += 1;
        Some(car.snap.clone())
    }
}

/// A small deterministic random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal, mean 0, standard deviation 1.
    fn normal(&mut self) -> f64 {
        (0..4).map(|_| self.uniform()).sum::<f64>() * 1.732 - 3.464
    }
}

/// A car lapping a 4 km track: smooth driving plus small sensor noise.
struct Car {
    rng: Rng,
    noise: f64,
    snap: Snapshot,
    distance: f64,
    speed: f64,
    x: f64,
    z: f64,
    heading: f64,
    tyre_temp: [f64; 4],
    brake_temp: [f64; 4],
    fuel: f64,
    lap_start: f64,
    laps: i32,
    best: i32,
}

const TRACK: f64 = 4_000.0;

impl Car {
    fn new(seed: u64, noise: f64) -> Self {
        let mut snap = Snapshot::default();
        let s = &mut snap.statics;
        set_utf16(&mut s.sm_version, "1.9");
        set_utf16(&mut s.ac_version, "1.7");
        set_utf16(&mut s.car_model, "mclaren_720s_gt3_evo");
        set_utf16(&mut s.track, "brands_hatch");
        set_utf16(&mut s.player_name, "Synthetic");
        set_utf16(&mut s.player_nick, "SYN");
        s.sector_count.set(3);
        s.max_rpm.set(7700);
        s.max_fuel.set(120.0);
        s.num_cars.set(9);
        let g = &mut snap.graphics;
        g.status.set(2);
        set_utf16(&mut g.tyre_compound, "dry_compound");
        set_utf16(&mut g.track_status, "Optimum");
        g.active_cars.set(9);
        for (i, id) in g.car_id.iter_mut().take(9).enumerate() {
            id.set(1000 + i as i32);
        }
        g.player_car_id.set(1004);
        g.i_best_time.set(i32::MAX);
        g.i_last_time.set(i32::MAX);
        let p = &mut snap.physics;
        p.brake_bias.set(0.75);
        p.current_max_rpm.set(7700);
        p.ignition_on.set(1);
        p.is_engine_running.set(1);
        p.air_temp.set(22.9);
        p.road_temp.set(29.4);
        Self {
            rng: Rng(seed | 1),
            noise,
            snap,
            distance: 0.0,
            speed: 30.0,
            x: 0.0,
            z: 0.0,
            heading: 0.0,
            tyre_temp: [70.0; 4],
            brake_temp: [300.0; 4],
            fuel: 100.0,
            lap_start: 0.0,
            laps: 0,
            best: i32::MAX,
        }
    }

    fn noisy(&mut self, scale: f64) -> f64 {
        if self.noise == 0.0 {
            return 0.0; // not -0.0, which would flip sign bits
        }
        self.rng.normal() * scale * self.noise
    }

    fn step(&mut self, step: u64) {
        let dt = 1.0 / PHYSICS_HZ as f64;
        let t = step as f64 * dt;
        let u = self.distance / TRACK * TAU;
        // Speed target and curvature along the track.
        let target = 45.0 + 18.0 * (3.0 * u).sin() + 8.0 * (7.0 * u + 1.0).sin();
        let accel = ((target - self.speed) * 0.8).clamp(-14.0, 7.0);
        self.speed += accel * dt;
        let curvature = 0.004 * (5.0 * u).sin() + 0.002 * (11.0 * u).cos();
        let yaw_rate = self.speed * curvature;
        self.heading = (self.heading + yaw_rate * dt).rem_euclid(TAU);
        self.x += self.speed * self.heading.cos() * dt;
        self.z += self.speed * self.heading.sin() * dt;
        self.distance += self.speed * dt;
        let y = 12.0 * (2.0 * u).sin();
        let lateral = self.speed * yaw_rate / 9.81;
        let gas = (accel / 7.0).clamp(0.0, 1.0);
        let brake = (-accel / 14.0).clamp(0.0, 1.0);
        for w in 0..4 {
            let load = if w < 2 {
                1.0 + 0.3 * brake
            } else {
                1.0 + 0.2 * gas
            };
            self.tyre_temp[w] +=
                ((60.0 + 25.0 * load * lateral.abs()) - self.tyre_temp[w]) * 0.02 * dt;
            self.brake_temp[w] += (brake * 900.0 - (self.brake_temp[w] - 200.0) * 0.3) * dt;
        }
        self.fuel -= 0.0009 * gas * dt * 400.0 / PHYSICS_HZ as f64;

        let n = [
            self.noisy(0.01),
            self.noisy(0.01),
            self.noisy(0.002),
            self.noisy(0.0005),
            self.noisy(0.02),
        ];
        let mut wheel_noise = [0.0; 4];
        for v in &mut wheel_noise {
            *v = self.noisy(0.002);
        }
        let p = &mut self.snap.physics;
        p.packet_id.set(step as i32 + 1);
        p.gas.set(gas as f32);
        p.brake.set(brake as f32);
        p.fuel.set(self.fuel as f32);
        let gear = 2 + (self.speed / 14.0).clamp(0.0, 5.0) as i32;
        p.gear.set(gear);
        p.rpm
            .set((self.speed * 600.0 / (gear as f64 - 1.0)).min(7600.0) as i32 + 2000);
        p.steer_angle.set((curvature * 60.0 + n[2]) as f32);
        p.speed_kmh.set((self.speed * 3.6) as f32);
        let vel = [
            self.speed * self.heading.cos(),
            0.0,
            self.speed * self.heading.sin(),
        ];
        set3(&mut p.velocity, vel);
        set3(
            &mut p.acc_g,
            [lateral + n[0], accel / 9.81 + n[1], n[1] * 0.5],
        );
        set3(&mut p.local_velocity, [lateral * 0.05, 0.0, self.speed]);
        set3(&mut p.local_angular_vel, [n[3], yaw_rate, n[3] * 0.5]);
        p.heading.set(self.heading as f32);
        p.pitch.set((accel * 0.002 + n[3]) as f32);
        p.roll.set((lateral * 0.01 + n[3]) as f32);
        p.final_ff
            .set((curvature * 80.0 + n[4]).clamp(-1.0, 1.0) as f32);
        p.turbo_boost.set((gas * 1.2) as f32);
        p.water_temp.set((85.0 + 3.0 * (t / 300.0).sin()) as f32);
        p.kerb_vibration.set(0.0);
        p.slip_vibrations.set((0.05 * brake + n[4].abs()) as f32);
        p.g_vibrations.set((0.1 + n[4].abs()) as f32);
        for w in 0..4 {
            let side = if w % 2 == 0 { -0.8 } else { 0.8 };
            let front = if w < 2 { 1.3 } else { -1.3 };
            let slip = 0.02 * gas - 0.03 * brake + wheel_noise[w];
            p.wheel_slip[w].set((lateral.abs() * 0.1 + slip.abs()) as f32);
            p.slip_ratio[w].set(slip as f32);
            p.slip_angle[w].set((lateral * 0.02 * front + wheel_noise[w] * 0.5) as f32);
            p.wheel_angular_speed[w].set((self.speed / 0.34 * (1.0 + slip)) as f32);
            p.wheel_pressure[w].set((26.0 + 0.03 * (self.tyre_temp[w] - 60.0)) as f32);
            p.tyre_core_temp[w].set(self.tyre_temp[w] as f32);
            p.tyre_temp[w].set(self.tyre_temp[w] as f32);
            p.brake_temp[w].set(self.brake_temp[w] as f32);
            p.brake_pressure[w].set((brake * if w < 2 { 0.17 } else { 0.06 }) as f32);
            p.suspension_travel[w]
                .set((0.04 + 0.01 * lateral * side + wheel_noise[w] * 0.2) as f32);
            p.pad_life[w].set((29.0 - t * 1e-4) as f32);
            p.disc_life[w].set((32.0 - t * 5e-5) as f32);
            let (c, s) = (self.heading.cos(), self.heading.sin());
            let point = [
                self.x + front * c - side * s,
                y - 0.3,
                self.z + front * s + side * c,
            ];
            set3(&mut p.tyre_contact_point[w], point);
            set3(&mut p.tyre_contact_normal[w], [n[3] * 2.0, 1.0, n[3]]);
            set3(&mut p.tyre_contact_heading[w], [c, 0.0, s]);
        }
        let frame = |s: u64| s * GRAPHICS_HZ / PHYSICS_HZ;
        if step == 0 || frame(step) != frame(step - 1) {
            self.graphics(t);
        }
        // The poller sees the step a little after it happened.
        let jitter = (self.rng.uniform() * 300.0) as u64;
        self.snap.at = Duration::from_micros(step * 1_000_000 / PHYSICS_HZ + jitter);
    }

    fn graphics(&mut self, t: f64) {
        let lap_pos = self.distance / TRACK;
        if lap_pos.floor() as i32 > self.laps {
            let lap_ms = ((t - self.lap_start) * 1000.0) as i32;
            self.laps += 1;
            self.lap_start = t;
            self.best = self.best.min(lap_ms);
            let g = &mut self.snap.graphics;
            g.i_last_time.set(lap_ms);
            g.i_best_time.set(self.best);
            set_utf16(&mut g.last_time, &clock(lap_ms));
            set_utf16(&mut g.best_time, &clock(self.best));
            g.completed_laps.set(self.laps);
        }
        let current = ((t - self.lap_start) * 1000.0) as i32;
        let g = &mut self.snap.graphics;
        g.packet_id.set(g.packet_id.get() + 1);
        g.i_current_time.set(current);
        set_utf16(&mut g.current_time, &clock(current));
        set_utf16(&mut g.split, &clock(current));
        g.distance_traveled.set(self.distance as f32);
        g.normalized_car_position.set(lap_pos.fract() as f32);
        g.current_sector_index.set((lap_pos.fract() * 3.0) as i32);
        g.session_time_left
            .set((3_600_000.0 - t * 1000.0).max(0.0) as f32);
        g.clock.set((50_400.0 + t) as f32);
        g.used_fuel.set((100.0 - self.fuel) as f32);
        g.fuel_estimated_laps.set((self.fuel / 2.65) as f32);
        g.exhaust_temperature
            .set((400.0 + 150.0 * (t * 0.3).sin()) as f32);
        let delta = (200.0 * (t * 0.05).sin()) as i32;
        g.i_delta_lap_time.set(delta);
        set_utf16(
            &mut g.delta_lap_time,
            &format!("{:+.3}", delta as f64 / 1000.0),
        );
        g.is_delta_positive.set(i32::from(delta > 0));
        g.i_estimated_lap_time.set(92_000 + delta);
        set_utf16(&mut g.estimated_lap_time, &clock(92_000 + delta));
        for car in 0..9 {
            let u = (lap_pos + car as f64 * 0.07).fract() * TAU;
            let r = 600.0 + 40.0 * (3.0 * u).sin();
            let xyz = [r * u.cos(), 12.0 * (2.0 * u).sin(), r * u.sin()];
            set3(&mut g.car_coordinates[car], xyz);
        }
    }
}

fn set3(dst: &mut [zerocopy::little_endian::F32; 3], v: [f64; 3]) {
    for (d, v) in dst.iter_mut().zip(v) {
        d.set(v as f32);
    }
}

/// `M:SS:mmm`, as ACC writes lap times.
fn clock(ms: i32) -> String {
    let ms = ms.max(0);
    format!("{}:{:02}:{:03}", ms / 60_000, ms / 1000 % 60, ms % 1000)
}
