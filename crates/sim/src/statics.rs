//! Writes the static page (`SPageFileStatic`) for a session: versions, car, track, driver,
//! sector count and the car and aid constants a real ACC session shows.

use super::model::SessionSetup;
use super::track::Track;
use pitwall_acc::decode::set_utf16;
use pitwall_acc::layout::Static;
use zerocopy::little_endian::{F32, I32};

/// `maxRpm` the simulator gives every car.
pub(crate) const MAX_RPM: i32 = 7700;
/// `maxFuel`, litres (a GT3 tank).
pub(crate) const MAX_FUEL: f32 = 120.0;

/// Fills `page` for `setup`; `hide_track` leaves `track` empty (the page arriving late).
pub(crate) fn write_static(
    page: &mut Static,
    setup: &SessionSetup,
    track: &Track,
    hide_track: bool,
) {
    *page = Static::default();
    set_utf16(&mut page.sm_version, "1.9");
    set_utf16(&mut page.ac_version, "1.7");
    page.number_of_sessions = I32::new(0);
    page.num_cars = I32::new(i32::try_from(setup.cars).unwrap_or(1));
    set_utf16(&mut page.car_model, &setup.car);
    set_utf16(&mut page.track, if hide_track { "" } else { &setup.track });
    set_utf16(&mut page.player_name, &setup.driver);
    set_utf16(&mut page.player_surname, &setup.surname);
    set_utf16(&mut page.player_nick, &setup.nick);
    page.sector_count = I32::new(i32::try_from(setup.sectors).unwrap_or(3));
    page.max_rpm = I32::new(MAX_RPM);
    page.max_fuel = F32::new(MAX_FUEL);
    page.penalties_enabled = I32::new(1);
    page.aid_fuel_rate = F32::new(1.0);
    page.aid_tire_rate = F32::new(1.0);
    page.aid_mechanical_damage = F32::new(1.0);
    page.allow_tyre_blankets = F32::new(1.0);
    page.aid_stability = F32::new(0.0);
    page.aid_auto_clutch = I32::new(1);
    page.aid_auto_blip = I32::new(1);
    page.track_spline_length = F32::new(track.length_m as f32);
    set_utf16(&mut page.track_configuration, "track config");
    set_utf16(&mut page.car_skin, "skin");
    page.pit_window_start = I32::new(300_500);
    page.pit_window_end = I32::new(299_500);
    page.is_online = I32::new(i32::from(setup.online));
    set_utf16(&mut page.dry_tyres_name, "DHF2023");
    set_utf16(&mut page.wet_tyres_name, "WH");
}
