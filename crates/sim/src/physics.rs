//! Writes the physics page (`SPageFilePhysics`) at every physics step: plausible telemetry
//! derived from where the car is and how fast it goes (throttle and brake from the change of
//! speed, gear and rpm from speed, steering and lateral g from the track's curvature), with
//! tyre and brake temperatures that heat and cool over time and a little noise, like real
//! telemetry: smooth, changing every step, never constant and never pure noise.

use super::rng::Rng;
use super::statics::MAX_RPM;
use super::track::{Track, V_MAX};
use super::world::CarState;
use pitwall_acc::layout::Physics;
use zerocopy::little_endian::{F32, I32};

/// Top speed per gear at `maxRpm`, km/h; index = ACC gear (2 = 1st).
const GEAR_TOP_KMH: [f64; 8] = [60.0, 1.0, 95.0, 130.0, 165.0, 200.0, 235.0, 280.0];
const G: f64 = 9.81;

fn f(v: f64) -> F32 {
    F32::new(v as f32)
}

/// Conditions that are not the car's own state.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ambient {
    pub(crate) air_c: f64,
    pub(crate) road_c: f64,
    pub(crate) fuel_l: f64,
}

/// Per-car telemetry state carried from step to step.
#[derive(Debug)]
pub(crate) struct PhysicsWriter {
    dt: f64,
    rng: Rng,
    speed: f64,
    accel: f64,
    steer: f64,
    gear: i32,
    tyre_c: [f64; 4],
    brake_c: [f64; 4],
    water_c: f64,
    /// Band-limited disturbances (road surface, driver inputs, sensor noise), one per
    /// channel that carries them: see [`Disturbance`].
    disturbances: [Disturbance; CHANNELS],
}

/// Channels with a disturbance, indexes into `PhysicsWriter::disturbances`.
const GAS: usize = 0;
const IDLE_RPM: usize = 1;
const STEER: usize = 2;
const VERTICAL_G: usize = 3;
const LATERAL_V: usize = 4;
const SLIP: usize = 5; // four wheels: 5..9
const SUSPENSION: usize = 9; // four wheels: 9..13
const CHANNELS: usize = 13;

/// Random disturbance low-passed by a critically damped second-order filter: what a car's
/// mass, springs and tyres make of road roughness, and what a driver's hands and feet make
/// of their inputs. Chassis channels carry little above ~10 Hz and driver inputs little
/// above ~3 Hz, so at 400 Hz consecutive values are strongly correlated rather than
/// independent white noise.
#[derive(Clone, Copy, Debug, Default)]
struct Disturbance {
    first: f64,
    second: f64,
}

/// Filter time constant of road-driven channels (vertical G, slip, suspension), seconds.
const TAU_ROAD: f64 = 0.04;
/// Filter time constant of driver inputs and the chassis' lateral motion, seconds.
const TAU_DRIVER: f64 = 0.1;

impl Disturbance {
    /// Advances by `k` = dt / TAU with a new white input of amplitude `amplitude`; the
    /// output keeps roughly that amplitude.
    fn next(&mut self, rng: &mut Rng, amplitude: f64, k: f64) -> f64 {
        // Scale the input so the filtered output keeps about the requested amplitude.
        let input = rng.noise(amplitude) * (2.0 / k).sqrt().min(8.0);
        self.first += (input - self.first) * k;
        self.second += (self.first - self.second) * k;
        self.second
    }
}

impl PhysicsWriter {
    pub(crate) fn new(physics_hz: u32, seed: u64) -> PhysicsWriter {
        PhysicsWriter {
            dt: 1.0 / f64::from(physics_hz.max(1)),
            rng: Rng::new(seed),
            speed: 0.0,
            accel: 0.0,
            steer: 0.0,
            gear: 1,
            tyre_c: [38.0, 38.5, 37.5, 38.0],
            brake_c: [180.0, 182.0, 150.0, 151.0],
            water_c: 82.0,
            disturbances: [Disturbance::default(); CHANNELS],
        }
    }

    /// Starts the smoothed channels from a car already moving at `speed` m/s (a replay cuts
    /// straight to a car at speed).
    pub(crate) fn cut_to(&mut self, speed: f64) {
        self.speed = speed;
        self.accel = 0.0;
    }

    /// Everything but `packetId` becomes zero: the pause signature (and the warm-up).
    pub(crate) fn zero(page: &mut Physics) {
        let id = page.packet_id;
        *page = Physics::default();
        page.packet_id = id;
    }

    /// Writes one step for a car at `car` on `track`.
    pub(crate) fn write(
        &mut self,
        page: &mut Physics,
        car: &CarState,
        track: &Track,
        ambient: Ambient,
    ) {
        let dt = self.dt;
        let point = track.at(car.x);
        let pos = if car.pit_lane {
            track.pit_pos(car.x)
        } else {
            point.pos
        };
        let previous = self.speed;
        self.speed += (car.speed - self.speed) * (dt / 0.08).min(1.0);
        let raw_accel = (self.speed - previous) / dt;
        self.accel += (raw_accel - self.accel) * (dt / 0.06).min(1.0);
        let v = self.speed.max(0.0);
        let long = self.accel;
        let lat = v * v * point.curvature;
        let kmh = v * 3.6;
        let stopped = car.in_box || v < 0.05;

        let (road, driver) = ((dt / TAU_ROAD).min(1.0), (dt / TAU_DRIVER).min(1.0));
        let rng = &mut self.rng;
        let mut noise = [0.0; CHANNELS];
        for (i, (d, out)) in self.disturbances.iter_mut().zip(&mut noise).enumerate() {
            let (amplitude, k) = match i {
                GAS => (0.004, driver),
                IDLE_RPM => (12.0, driver),
                STEER => (0.002, driver),
                LATERAL_V => (0.05, driver),
                VERTICAL_G => (0.02, road),
                i if i < SUSPENSION => (0.002, road),
                _ => (0.0003, road),
            };
            *out = d.next(rng, amplitude, k);
        }
        let jitter = noise[GAS];
        let (gas, brake) = if stopped {
            (0.0, if car.in_box { 0.0 } else { 0.3 })
        } else if long < -2.0 {
            (0.0, ((-long - 1.5) / 13.0).clamp(0.05, 1.0))
        } else if long > 0.4 || v > 0.97 * V_MAX {
            ((0.6 + long / 7.0 + jitter).clamp(0.0, 1.0), 0.0)
        } else {
            ((0.35 + long / 4.0 + jitter).clamp(0.05, 0.9), 0.0)
        };
        self.shift(kmh, stopped);
        let rpm = if self.gear <= 1 {
            1600.0 + noise[IDLE_RPM]
        } else {
            (f64::from(MAX_RPM) * kmh / GEAR_TOP_KMH[self.gear as usize])
                .clamp(1500.0, f64::from(MAX_RPM))
        };
        let steer_target = (8.4 * point.curvature).clamp(-1.0, 1.0) + noise[STEER];
        self.steer += (steer_target - self.steer) * (dt / 0.05).min(1.0);

        // Temperatures: first-order towards targets set by load, braking and speed.
        let load = (lat.abs() + long.abs()) / G;
        for (i, t) in self.tyre_c.iter_mut().enumerate() {
            let side = if i % 2 == 0 { -1.0 } else { 1.0 };
            let target = ambient.air_c + 30.0 + 14.0 * load + 0.09 * v + side * 2.5 * lat / G;
            *t += (target - *t) * dt / 40.0;
        }
        for (i, t) in self.brake_c.iter_mut().enumerate() {
            let axle = if i < 2 { 1.0 } else { 0.75 };
            let target = ambient.air_c + 90.0 + axle * 700.0 * brake + 0.9 * v;
            let tau = if target > *t { 2.5 } else { 22.0 };
            *t += (target - *t) * dt / tau;
        }
        self.water_c += (84.0 + 6.0 * gas - self.water_c) * dt / 30.0;

        let (sin_h, cos_h) = point.heading.sin_cos();
        let forward = [cos_h, 0.0, sin_h];
        let right = [sin_h, 0.0, -cos_h];

        page.gas = f(gas);
        page.brake = f(brake);
        page.fuel = f(ambient.fuel_l);
        page.gear = I32::new(self.gear);
        page.rpm = I32::new(rpm as i32);
        page.steer_angle = f(self.steer);
        page.speed_kmh = f(kmh);
        page.velocity = [f(v * cos_h), f(v * point.slope), f(v * sin_h)];
        page.acc_g = [f(lat / G), f(noise[VERTICAL_G]), f(long / G)];
        let slip = 0.01 * long.abs() / G + 0.02 * lat.abs() / G;
        page.wheel_slip = std::array::from_fn(|i| f(slip + noise[SLIP + i].abs()));
        page.wheel_pressure = std::array::from_fn(|i| f(21.6 + 0.085 * (self.tyre_c[i] - 20.0)));
        page.wheel_angular_speed = std::array::from_fn(|_| f(v / 0.34));
        page.tyre_core_temp = std::array::from_fn(|i| f(self.tyre_c[i]));
        page.tyre_temp = page.tyre_core_temp;
        let pitch_load = (long / G) * 0.004;
        page.suspension_travel = std::array::from_fn(|i| {
            let side = if i % 2 == 0 { 1.0 } else { -1.0 };
            let axle = if i < 2 { -1.0 } else { 1.0 };
            f(0.035 + side * 0.0015 * lat / G + axle * pitch_load + noise[SUSPENSION + i])
        });
        page.heading = f(point.heading);
        page.pitch = f(-point.slope.atan());
        page.roll = f(0.012 * lat / G);
        page.pit_limiter_on = I32::new(i32::from(car.pit_lane));
        page.turbo_boost = f(1.1 * gas);
        page.air_temp = f(ambient.air_c);
        page.road_temp = f(ambient.road_c);
        page.local_angular_vel = [f(0.0), f(v * point.curvature), f(0.0)];
        page.final_ff = f((0.7 * self.steer).clamp(-1.0, 1.0));
        page.brake_temp = std::array::from_fn(|i| f(self.brake_c[i]));
        page.clutch = f(if stopped { 1.0 } else { 0.0 });
        page.tyre_contact_point =
            std::array::from_fn(|i| {
                let along = if i < 2 { 1.4 } else { -1.3 };
                let across = if i % 2 == 0 { -0.8 } else { 0.8 };
                std::array::from_fn(|k| {
                    f(pos[k] + along * forward[k] + across * right[k]
                        - if k == 1 { 0.3 } else { 0.0 })
                })
            });
        page.tyre_contact_normal = [[f(0.0), f(1.0), f(0.0)]; 4];
        page.tyre_contact_heading = [[f(forward[0]), f(0.0), f(forward[2])]; 4];
        page.brake_bias = f(0.75);
        page.local_velocity = [f(noise[LATERAL_V] + 0.02 * lat), f(0.0), f(v)];
        page.current_max_rpm = I32::new(MAX_RPM);
        page.slip_ratio = std::array::from_fn(|_| f(0.03 * long / G));
        page.slip_angle = std::array::from_fn(|_| f(0.04 * lat / G));
        page.water_temp = f(self.water_c);
        page.brake_pressure = std::array::from_fn(|i| f(brake * if i < 2 { 1.0 } else { 0.8 }));
        page.front_brake_compound = I32::new(1);
        page.rear_brake_compound = I32::new(1);
        page.pad_life = [f(29.0); 4];
        page.disc_life = [f(32.0); 4];
        page.ignition_on = I32::new(1);
        page.is_engine_running = I32::new(1);
        page.kerb_vibration = f(if point.curvature.abs() > 0.012 && lat.abs() > 12.0 {
            0.15
        } else {
            0.0
        });
        page.slip_vibrations = f((slip * 2.0).min(1.0));
        page.g_vibrations = f((0.05 * load).min(1.0));
        page.abs_vibrations = f(if brake > 0.85 { 0.2 } else { 0.0 });
    }

    fn shift(&mut self, kmh: f64, stopped: bool) {
        if stopped {
            self.gear = if kmh < 0.2 { 1 } else { 2 };
            return;
        }
        if self.gear < 2 {
            self.gear = 2;
        }
        let rpm_ratio = |gear: i32| kmh / GEAR_TOP_KMH[gear as usize];
        while self.gear < 7 && rpm_ratio(self.gear) > 0.93 {
            self.gear += 1;
        }
        while self.gear > 2 && rpm_ratio(self.gear - 1) < 0.85 {
            self.gear -= 1;
        }
    }
}
