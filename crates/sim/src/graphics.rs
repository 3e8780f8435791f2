//! Writes the graphics page (`SPageFileGraphic`) at every HUD frame: status, session, the lap
//! timing fields with their quirks (`iLastTime` showing up a frame early or late, flickers,
//! the spline clamp around the line), the pit flags, the field of cars and the HUD constants.

use super::feed::MS;
use super::field::Field;
use super::model::LastTimeMode;
use super::timefmt::{write_delta, write_lap_time};
use super::world::World;
use pitwall_acc::decode::{NO_TIME, set_utf16};
use pitwall_acc::enums::{SessionType, Status};
use pitwall_acc::layout::Graphics;
use zerocopy::little_endian::{F32, I32};

/// How long `normalizedCarPosition` sticks at 1.0 before and 0.0 after the line.
const CLAMP_NS: u64 = 150 * MS;
/// Fuel used per lap, litres (`fuelXLap`).
pub(crate) const FUEL_PER_LAP: f64 = 2.65;

fn ms_field(ms: Option<u32>) -> i32 {
    ms.and_then(|m| i32::try_from(m).ok()).unwrap_or(NO_TIME)
}

/// Graphics state carried from frame to frame (what the HUD currently shows).
#[derive(Debug)]
pub(crate) struct GraphicsWriter {
    frame_ns: u64,
    seed: u64,
    field: Option<Field>,
    seen_session: u64,
    seen_crossing: u64,
    lag: u32,
    shown_last: Option<u32>,
    shown_best: Option<u32>,
}

impl GraphicsWriter {
    pub(crate) fn new(graphics_hz: u32, seed: u64) -> GraphicsWriter {
        GraphicsWriter {
            frame_ns: 1_000_000_000u64.div_ceil(u64::from(graphics_hz.max(1))),
            seed,
            field: None,
            seen_session: 0,
            seen_crossing: 0,
            lag: 0,
            shown_last: None,
            shown_best: None,
        }
    }

    /// The session's cars (built at the first frame of each session).
    pub(crate) fn field(&self) -> Option<&Field> {
        self.field.as_ref()
    }

    /// Writes one frame (the caller has bumped `packetId`).
    pub(crate) fn write(&mut self, g: &mut Graphics, w: &mut World) {
        let status = w.status();
        if status == Status::Off {
            let id = g.packet_id;
            *g = Graphics::default();
            g.packet_id = id;
            return;
        }
        if w.session_gen != self.seen_session {
            self.seen_session = w.session_gen;
            self.seen_crossing = w.crossing_gen;
            self.field = Some(Field::new(
                w.setup.cars,
                &w.track,
                self.seed ^ w.session_gen,
            ));
            self.lag = 0;
        }
        if w.crossing_gen != self.seen_crossing {
            self.seen_crossing = w.crossing_gen;
            self.lag = match w.crossing_mode {
                LastTimeMode::Late(n) => n,
                _ => 0,
            };
        }
        if self.lag > 0 {
            self.lag -= 1;
        } else {
            self.shown_last = w.last_ms;
            self.shown_best = w.best_ms;
        }
        let (mut last, mut best) = (self.shown_last, self.shown_best);
        let crossing = w.upcoming_crossing();
        if let Some((at, time, valid, LastTimeMode::Early(n))) = crossing
            && at > w.now
            && at - w.now <= u64::from(n) * self.frame_ns
        {
            last = Some(time);
            if valid && best.is_none_or(|b| time < b) {
                best = Some(time);
            }
        }

        let setup = &w.setup;
        let track = &w.track;
        let car = w.car();
        let timer = w.lap_timer_ms();
        let drive_s = w.drive_ns() as f64 / 1e9;
        let session = if w.session_flicker > 0 {
            w.session_flicker -= 1;
            SessionType::AccUnknown
        } else {
            setup.session_type
        };
        let valid = if w.valid_flicker > 0 {
            w.valid_flicker -= 1;
            false
        } else {
            w.lap_valid()
        };
        let (sector, last_sector) = w.sector();

        g.status = I32::new(status.into());
        g.session = I32::new(session.into());
        write_lap_time(&mut g.current_time, timer as i64);
        write_lap_time(&mut g.last_time, i64::from(ms_field(last)));
        write_lap_time(&mut g.best_time, i64::from(ms_field(best)));
        g.split = g.current_time;
        g.completed_laps = I32::new(i32::try_from(w.completed_laps).unwrap_or(i32::MAX));
        g.i_current_time = I32::new(i32::try_from(timer).unwrap_or(i32::MAX));
        g.i_last_time = I32::new(ms_field(last));
        g.i_best_time = I32::new(ms_field(best));
        g.session_time_left = F32::new(w.time_left_ms() as f32);
        let distance = w.distance_m();
        g.distance_traveled = F32::new(distance as f32);
        g.is_in_pit = I32::new(i32::from(car.in_box));
        g.current_sector_index = I32::new(sector);
        g.last_sector_time = I32::new(last_sector);
        g.number_of_laps = I32::new(0);
        set_utf16(&mut g.tyre_compound, "dry_compound");

        // The spline position sticks at 1.0 just before the line and 0.0 just after.
        let mut x = car.x.clamp(0.0, 1.0);
        let next_line = crossing.map(|c| c.0).or_else(|| w.pit_line_at());
        if next_line.is_some_and(|at| at > w.now && at - w.now <= CLAMP_NS) {
            x = 1.0;
        } else if w.lap.is_some() && timer * MS < CLAMP_NS {
            x = 0.0;
        }

        let field = self.field.as_ref();
        let slots = field.map_or(1, |f| f.ids.len());
        let player_slot = field.map_or(0, |f| f.player_slot);
        g.active_cars = I32::new(slots as i32);
        let pos = if car.pit_lane {
            track.pit_pos(car.x)
        } else {
            track.at(car.x).pos
        };
        g.car_coordinates[player_slot] = pos.map(|c| F32::new(c as f32));
        let mut position = 1;
        let mut focused_x = x;
        if let Some(field) = field {
            for (slot, id) in field.ids.iter().enumerate() {
                g.car_id[slot] = I32::new(*id);
            }
            g.player_car_id = I32::new(field.ids[player_slot]);
            for k in 0..field.ai_count() {
                let Some(ai) = field.ai(k, track, drive_s) else {
                    continue;
                };
                let slot = field.slot_of(k);
                g.car_coordinates[slot] = track.at(ai.x).pos.map(|c| F32::new(c as f32));
                let ahead = if setup.session_type == SessionType::Race {
                    ai.laps + ai.x > f64::from(w.completed_laps) + car.x
                } else {
                    ai.laps >= 1.0 && best.is_none_or(|b| ai.lap_s * 1000.0 < f64::from(b))
                };
                position += i32::from(ahead);
            }
            if status == Status::Replay
                && let Some(ai) = field.ai(0, track, drive_s + w.replay_secs())
            {
                focused_x = ai.x;
            }
        }
        g.normalized_car_position = F32::new(focused_x as f32);
        g.position = I32::new(position);
        g.penalty_time = F32::new(0.0);
        g.flag = I32::new(0);
        g.penalty = I32::new(0);
        g.ideal_line_on = I32::new(1);
        g.is_in_pit_lane = I32::new(i32::from(car.pit_lane));
        g.surface_grip = F32::new(0.0);
        g.wind_speed = F32::new(4.49);
        g.wind_direction = F32::new(315.5);
        g.tc_level = I32::new(6);
        g.tc_cut = I32::new(6);
        g.engine_map = I32::new(0);
        g.abs_level = I32::new(6);
        g.fuel_x_lap = F32::new(FUEL_PER_LAP as f32);
        g.lights_stage = I32::new(1);
        g.exhaust_temperature = F32::new((377.0 + car.speed * 2.0) as f32);
        g.driver_stint_total_time_left = I32::new(65_535_000);
        g.driver_stint_time_left = I32::new(-12_390);
        g.session_index = I32::new(w.session_index);
        let used = FUEL_PER_LAP * distance / track.length_m;
        g.used_fuel = F32::new(used as f32);
        let fuel = (f64::from(setup.fuel_l) - used).max(0.5);
        // Delta to the best lap at the same point, and the estimate from it.
        let (delta, estimate) = match (best, &w.lap) {
            (Some(b), Some(_)) => {
                let share = track.nominal_time(car.x) / track.nominal_time(1.0);
                let ahead_ms = timer as f64 - f64::from(b) * share;
                (
                    ahead_ms.round() as i64,
                    i64::from(b) + ahead_ms.round() as i64,
                )
            }
            _ => (0, i64::from(NO_TIME)),
        };
        write_delta(&mut g.delta_lap_time, delta);
        g.i_delta_lap_time = I32::new(delta.clamp(-3_600_000, 3_600_000) as i32);
        write_lap_time(&mut g.estimated_lap_time, estimate);
        g.i_estimated_lap_time = I32::new(i32::try_from(estimate).unwrap_or(NO_TIME));
        g.is_delta_positive = I32::new(i32::from(delta > 0));
        g.i_split = I32::new(last_sector);
        g.is_valid_lap = I32::new(i32::from(valid));
        g.fuel_estimated_laps = F32::new((fuel / FUEL_PER_LAP) as f32);
        set_utf16(&mut g.track_status, "Optimum");
        g.clock = F32::new((50_400.0 + drive_s) as f32);
        g.global_green = I32::new(i32::from(setup.session_type == SessionType::Race));
        g.mfd_tyre_pressure_lf = F32::new(26.5);
        g.mfd_tyre_pressure_rf = F32::new(26.5);
        g.mfd_tyre_pressure_lr = F32::new(26.2);
        g.mfd_tyre_pressure_rr = F32::new(26.2);
        g.track_grip_status = I32::new(2);
        g.rain_intensity = I32::new(0);
        g.current_tyre_set = I32::new(1);
        g.strategy_tyre_set = I32::new(1);
        g.gap_ahead = I32::new(0);
        g.gap_behind = I32::new(0);
    }
}
