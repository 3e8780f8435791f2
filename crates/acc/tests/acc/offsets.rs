//! Checks every field offset of the three pages against the reference table
//! (`acc-shared-memory.md` section 2): name, offset and size of all 217 fields.

use pitwall_acc::layout::{Graphics, Physics, Static};
use std::mem::offset_of;

const PHYSICS_FIELDS: &[(&str, usize, usize, usize)] = &[
    ("packetId", offset_of!(Physics, packet_id), 0, 4),
    ("gas", offset_of!(Physics, gas), 4, 4),
    ("brake", offset_of!(Physics, brake), 8, 4),
    ("fuel", offset_of!(Physics, fuel), 12, 4),
    ("gear", offset_of!(Physics, gear), 16, 4),
    ("rpm", offset_of!(Physics, rpm), 20, 4),
    ("steerAngle", offset_of!(Physics, steer_angle), 24, 4),
    ("speedKmh", offset_of!(Physics, speed_kmh), 28, 4),
    ("velocity", offset_of!(Physics, velocity), 32, 12),
    ("accG", offset_of!(Physics, acc_g), 44, 12),
    ("wheelSlip", offset_of!(Physics, wheel_slip), 56, 16),
    ("wheelLoad", offset_of!(Physics, wheel_load), 72, 16),
    ("wheelPressure", offset_of!(Physics, wheel_pressure), 88, 16),
    (
        "wheelAngularSpeed",
        offset_of!(Physics, wheel_angular_speed),
        104,
        16,
    ),
    ("tyreWear", offset_of!(Physics, tyre_wear), 120, 16),
    (
        "tyreDirtyLevel",
        offset_of!(Physics, tyre_dirty_level),
        136,
        16,
    ),
    ("tyreCoreTemp", offset_of!(Physics, tyre_core_temp), 152, 16),
    ("camberRAD", offset_of!(Physics, camber_rad), 168, 16),
    (
        "suspensionTravel",
        offset_of!(Physics, suspension_travel),
        184,
        16,
    ),
    ("drs", offset_of!(Physics, drs), 200, 4),
    ("tc", offset_of!(Physics, tc), 204, 4),
    ("heading", offset_of!(Physics, heading), 208, 4),
    ("pitch", offset_of!(Physics, pitch), 212, 4),
    ("roll", offset_of!(Physics, roll), 216, 4),
    ("cgHeight", offset_of!(Physics, cg_height), 220, 4),
    ("carDamage", offset_of!(Physics, car_damage), 224, 20),
    (
        "numberOfTyresOut",
        offset_of!(Physics, number_of_tyres_out),
        244,
        4,
    ),
    ("pitLimiterOn", offset_of!(Physics, pit_limiter_on), 248, 4),
    ("abs", offset_of!(Physics, abs), 252, 4),
    ("kersCharge", offset_of!(Physics, kers_charge), 256, 4),
    ("kersInput", offset_of!(Physics, kers_input), 260, 4),
    ("autoshifterOn", offset_of!(Physics, autoshifter_on), 264, 4),
    ("rideHeight", offset_of!(Physics, ride_height), 268, 8),
    ("turboBoost", offset_of!(Physics, turbo_boost), 276, 4),
    ("ballast", offset_of!(Physics, ballast), 280, 4),
    ("airDensity", offset_of!(Physics, air_density), 284, 4),
    ("airTemp", offset_of!(Physics, air_temp), 288, 4),
    ("roadTemp", offset_of!(Physics, road_temp), 292, 4),
    (
        "localAngularVel",
        offset_of!(Physics, local_angular_vel),
        296,
        12,
    ),
    ("finalFF", offset_of!(Physics, final_ff), 308, 4),
    (
        "performanceMeter",
        offset_of!(Physics, performance_meter),
        312,
        4,
    ),
    ("engineBrake", offset_of!(Physics, engine_brake), 316, 4),
    (
        "ersRecoveryLevel",
        offset_of!(Physics, ers_recovery_level),
        320,
        4,
    ),
    (
        "ersPowerLevel",
        offset_of!(Physics, ers_power_level),
        324,
        4,
    ),
    (
        "ersHeatCharging",
        offset_of!(Physics, ers_heat_charging),
        328,
        4,
    ),
    (
        "ersIsCharging",
        offset_of!(Physics, ers_is_charging),
        332,
        4,
    ),
    (
        "kersCurrentKJ",
        offset_of!(Physics, kers_current_kj),
        336,
        4,
    ),
    ("drsAvailable", offset_of!(Physics, drs_available), 340, 4),
    ("drsEnabled", offset_of!(Physics, drs_enabled), 344, 4),
    ("brakeTemp", offset_of!(Physics, brake_temp), 348, 16),
    ("clutch", offset_of!(Physics, clutch), 364, 4),
    ("tyreTempI", offset_of!(Physics, tyre_temp_i), 368, 16),
    ("tyreTempM", offset_of!(Physics, tyre_temp_m), 384, 16),
    ("tyreTempO", offset_of!(Physics, tyre_temp_o), 400, 16),
    (
        "isAIControlled",
        offset_of!(Physics, is_ai_controlled),
        416,
        4,
    ),
    (
        "tyreContactPoint",
        offset_of!(Physics, tyre_contact_point),
        420,
        48,
    ),
    (
        "tyreContactNormal",
        offset_of!(Physics, tyre_contact_normal),
        468,
        48,
    ),
    (
        "tyreContactHeading",
        offset_of!(Physics, tyre_contact_heading),
        516,
        48,
    ),
    ("brakeBias", offset_of!(Physics, brake_bias), 564, 4),
    (
        "localVelocity",
        offset_of!(Physics, local_velocity),
        568,
        12,
    ),
    ("P2PActivation", offset_of!(Physics, p2p_activation), 580, 4),
    ("P2PStatus", offset_of!(Physics, p2p_status), 584, 4),
    (
        "currentMaxRpm",
        offset_of!(Physics, current_max_rpm),
        588,
        4,
    ),
    ("mz", offset_of!(Physics, mz), 592, 16),
    ("fx", offset_of!(Physics, fx), 608, 16),
    ("fy", offset_of!(Physics, fy), 624, 16),
    ("slipRatio", offset_of!(Physics, slip_ratio), 640, 16),
    ("slipAngle", offset_of!(Physics, slip_angle), 656, 16),
    ("tcinAction", offset_of!(Physics, tc_in_action), 672, 4),
    ("absInAction", offset_of!(Physics, abs_in_action), 676, 4),
    (
        "suspensionDamage",
        offset_of!(Physics, suspension_damage),
        680,
        16,
    ),
    ("tyreTemp", offset_of!(Physics, tyre_temp), 696, 16),
    ("waterTemp", offset_of!(Physics, water_temp), 712, 4),
    (
        "brakePressure",
        offset_of!(Physics, brake_pressure),
        716,
        16,
    ),
    (
        "frontBrakeCompound",
        offset_of!(Physics, front_brake_compound),
        732,
        4,
    ),
    (
        "rearBrakeCompound",
        offset_of!(Physics, rear_brake_compound),
        736,
        4,
    ),
    ("padLife", offset_of!(Physics, pad_life), 740, 16),
    ("discLife", offset_of!(Physics, disc_life), 756, 16),
    ("ignitionOn", offset_of!(Physics, ignition_on), 772, 4),
    (
        "starterEngineOn",
        offset_of!(Physics, starter_engine_on),
        776,
        4,
    ),
    (
        "isEngineRunning",
        offset_of!(Physics, is_engine_running),
        780,
        4,
    ),
    ("kerbVibration", offset_of!(Physics, kerb_vibration), 784, 4),
    (
        "slipVibrations",
        offset_of!(Physics, slip_vibrations),
        788,
        4,
    ),
    ("gVibrations", offset_of!(Physics, g_vibrations), 792, 4),
    ("absVibrations", offset_of!(Physics, abs_vibrations), 796, 4),
];

const GRAPHICS_FIELDS: &[(&str, usize, usize, usize)] = &[
    ("packetId", offset_of!(Graphics, packet_id), 0, 4),
    ("status", offset_of!(Graphics, status), 4, 4),
    ("session", offset_of!(Graphics, session), 8, 4),
    ("currentTime", offset_of!(Graphics, current_time), 12, 30),
    ("lastTime", offset_of!(Graphics, last_time), 42, 30),
    ("bestTime", offset_of!(Graphics, best_time), 72, 30),
    ("split", offset_of!(Graphics, split), 102, 30),
    (
        "completedLaps",
        offset_of!(Graphics, completed_laps),
        132,
        4,
    ),
    ("position", offset_of!(Graphics, position), 136, 4),
    ("iCurrentTime", offset_of!(Graphics, i_current_time), 140, 4),
    ("iLastTime", offset_of!(Graphics, i_last_time), 144, 4),
    ("iBestTime", offset_of!(Graphics, i_best_time), 148, 4),
    (
        "sessionTimeLeft",
        offset_of!(Graphics, session_time_left),
        152,
        4,
    ),
    (
        "distanceTraveled",
        offset_of!(Graphics, distance_traveled),
        156,
        4,
    ),
    ("isInPit", offset_of!(Graphics, is_in_pit), 160, 4),
    (
        "currentSectorIndex",
        offset_of!(Graphics, current_sector_index),
        164,
        4,
    ),
    (
        "lastSectorTime",
        offset_of!(Graphics, last_sector_time),
        168,
        4,
    ),
    ("numberOfLaps", offset_of!(Graphics, number_of_laps), 172, 4),
    ("tyreCompound", offset_of!(Graphics, tyre_compound), 176, 66),
    (
        "replayTimeMultiplier",
        offset_of!(Graphics, replay_time_multiplier),
        244,
        4,
    ),
    (
        "normalizedCarPosition",
        offset_of!(Graphics, normalized_car_position),
        248,
        4,
    ),
    ("activeCars", offset_of!(Graphics, active_cars), 252, 4),
    (
        "carCoordinates",
        offset_of!(Graphics, car_coordinates),
        256,
        720,
    ),
    ("carID", offset_of!(Graphics, car_id), 976, 240),
    ("playerCarID", offset_of!(Graphics, player_car_id), 1216, 4),
    ("penaltyTime", offset_of!(Graphics, penalty_time), 1220, 4),
    ("flag", offset_of!(Graphics, flag), 1224, 4),
    ("penalty", offset_of!(Graphics, penalty), 1228, 4),
    ("idealLineOn", offset_of!(Graphics, ideal_line_on), 1232, 4),
    ("isInPitLane", offset_of!(Graphics, is_in_pit_lane), 1236, 4),
    ("surfaceGrip", offset_of!(Graphics, surface_grip), 1240, 4),
    (
        "mandatoryPitDone",
        offset_of!(Graphics, mandatory_pit_done),
        1244,
        4,
    ),
    ("windSpeed", offset_of!(Graphics, wind_speed), 1248, 4),
    (
        "windDirection",
        offset_of!(Graphics, wind_direction),
        1252,
        4,
    ),
    (
        "isSetupMenuVisible",
        offset_of!(Graphics, is_setup_menu_visible),
        1256,
        4,
    ),
    (
        "mainDisplayIndex",
        offset_of!(Graphics, main_display_index),
        1260,
        4,
    ),
    (
        "secondaryDisplyIndex",
        offset_of!(Graphics, secondary_display_index),
        1264,
        4,
    ),
    ("TC", offset_of!(Graphics, tc_level), 1268, 4),
    ("TCCUT", offset_of!(Graphics, tc_cut), 1272, 4),
    ("EngineMap", offset_of!(Graphics, engine_map), 1276, 4),
    ("ABS", offset_of!(Graphics, abs_level), 1280, 4),
    ("fuelXLap", offset_of!(Graphics, fuel_x_lap), 1284, 4),
    ("rainLights", offset_of!(Graphics, rain_lights), 1288, 4),
    (
        "flashingLights",
        offset_of!(Graphics, flashing_lights),
        1292,
        4,
    ),
    ("lightsStage", offset_of!(Graphics, lights_stage), 1296, 4),
    (
        "exhaustTemperature",
        offset_of!(Graphics, exhaust_temperature),
        1300,
        4,
    ),
    ("wiperLV", offset_of!(Graphics, wiper_lv), 1304, 4),
    (
        "driverStintTotalTimeLeft",
        offset_of!(Graphics, driver_stint_total_time_left),
        1308,
        4,
    ),
    (
        "driverStintTimeLeft",
        offset_of!(Graphics, driver_stint_time_left),
        1312,
        4,
    ),
    ("rainTyres", offset_of!(Graphics, rain_tyres), 1316, 4),
    ("sessionIndex", offset_of!(Graphics, session_index), 1320, 4),
    ("usedFuel", offset_of!(Graphics, used_fuel), 1324, 4),
    (
        "deltaLapTime",
        offset_of!(Graphics, delta_lap_time),
        1328,
        30,
    ),
    (
        "iDeltaLapTime",
        offset_of!(Graphics, i_delta_lap_time),
        1360,
        4,
    ),
    (
        "estimatedLapTime",
        offset_of!(Graphics, estimated_lap_time),
        1364,
        30,
    ),
    (
        "iEstimatedLapTime",
        offset_of!(Graphics, i_estimated_lap_time),
        1396,
        4,
    ),
    (
        "isDeltaPositive",
        offset_of!(Graphics, is_delta_positive),
        1400,
        4,
    ),
    ("iSplit", offset_of!(Graphics, i_split), 1404, 4),
    ("isValidLap", offset_of!(Graphics, is_valid_lap), 1408, 4),
    (
        "fuelEstimatedLaps",
        offset_of!(Graphics, fuel_estimated_laps),
        1412,
        4,
    ),
    ("trackStatus", offset_of!(Graphics, track_status), 1416, 66),
    (
        "missingMandatoryPits",
        offset_of!(Graphics, missing_mandatory_pits),
        1484,
        4,
    ),
    ("Clock", offset_of!(Graphics, clock), 1488, 4),
    (
        "directionLightsLeft",
        offset_of!(Graphics, direction_lights_left),
        1492,
        4,
    ),
    (
        "directionLightsRight",
        offset_of!(Graphics, direction_lights_right),
        1496,
        4,
    ),
    ("GlobalYellow", offset_of!(Graphics, global_yellow), 1500, 4),
    (
        "GlobalYellow1",
        offset_of!(Graphics, global_yellow_1),
        1504,
        4,
    ),
    (
        "GlobalYellow2",
        offset_of!(Graphics, global_yellow_2),
        1508,
        4,
    ),
    (
        "GlobalYellow3",
        offset_of!(Graphics, global_yellow_3),
        1512,
        4,
    ),
    ("GlobalWhite", offset_of!(Graphics, global_white), 1516, 4),
    ("GlobalGreen", offset_of!(Graphics, global_green), 1520, 4),
    (
        "GlobalChequered",
        offset_of!(Graphics, global_chequered),
        1524,
        4,
    ),
    ("GlobalRed", offset_of!(Graphics, global_red), 1528, 4),
    ("mfdTyreSet", offset_of!(Graphics, mfd_tyre_set), 1532, 4),
    (
        "mfdFuelToAdd",
        offset_of!(Graphics, mfd_fuel_to_add),
        1536,
        4,
    ),
    (
        "mfdTyrePressureLF",
        offset_of!(Graphics, mfd_tyre_pressure_lf),
        1540,
        4,
    ),
    (
        "mfdTyrePressureRF",
        offset_of!(Graphics, mfd_tyre_pressure_rf),
        1544,
        4,
    ),
    (
        "mfdTyrePressureLR",
        offset_of!(Graphics, mfd_tyre_pressure_lr),
        1548,
        4,
    ),
    (
        "mfdTyrePressureRR",
        offset_of!(Graphics, mfd_tyre_pressure_rr),
        1552,
        4,
    ),
    (
        "trackGripStatus",
        offset_of!(Graphics, track_grip_status),
        1556,
        4,
    ),
    (
        "rainIntensity",
        offset_of!(Graphics, rain_intensity),
        1560,
        4,
    ),
    (
        "rainIntensityIn10min",
        offset_of!(Graphics, rain_intensity_in_10min),
        1564,
        4,
    ),
    (
        "rainIntensityIn30min",
        offset_of!(Graphics, rain_intensity_in_30min),
        1568,
        4,
    ),
    (
        "currentTyreSet",
        offset_of!(Graphics, current_tyre_set),
        1572,
        4,
    ),
    (
        "strategyTyreSet",
        offset_of!(Graphics, strategy_tyre_set),
        1576,
        4,
    ),
    ("gapAhead", offset_of!(Graphics, gap_ahead), 1580, 4),
    ("gapBehind", offset_of!(Graphics, gap_behind), 1584, 4),
];

const STATIC_FIELDS: &[(&str, usize, usize, usize)] = &[
    ("smVersion", offset_of!(Static, sm_version), 0, 30),
    ("acVersion", offset_of!(Static, ac_version), 30, 30),
    (
        "numberOfSessions",
        offset_of!(Static, number_of_sessions),
        60,
        4,
    ),
    ("numCars", offset_of!(Static, num_cars), 64, 4),
    ("carModel", offset_of!(Static, car_model), 68, 66),
    ("track", offset_of!(Static, track), 134, 66),
    ("playerName", offset_of!(Static, player_name), 200, 66),
    ("playerSurname", offset_of!(Static, player_surname), 266, 66),
    ("playerNick", offset_of!(Static, player_nick), 332, 66),
    ("sectorCount", offset_of!(Static, sector_count), 400, 4),
    ("maxTorque", offset_of!(Static, max_torque), 404, 4),
    ("maxPower", offset_of!(Static, max_power), 408, 4),
    ("maxRpm", offset_of!(Static, max_rpm), 412, 4),
    ("maxFuel", offset_of!(Static, max_fuel), 416, 4),
    (
        "suspensionMaxTravel",
        offset_of!(Static, suspension_max_travel),
        420,
        16,
    ),
    ("tyreRadius", offset_of!(Static, tyre_radius), 436, 16),
    ("maxTurboBoost", offset_of!(Static, max_turbo_boost), 452, 4),
    ("deprecated_1", offset_of!(Static, deprecated_1), 456, 4),
    ("deprecated_2", offset_of!(Static, deprecated_2), 460, 4),
    (
        "penaltiesEnabled",
        offset_of!(Static, penalties_enabled),
        464,
        4,
    ),
    ("aidFuelRate", offset_of!(Static, aid_fuel_rate), 468, 4),
    ("aidTireRate", offset_of!(Static, aid_tire_rate), 472, 4),
    (
        "aidMechanicalDamage",
        offset_of!(Static, aid_mechanical_damage),
        476,
        4,
    ),
    (
        "AllowTyreBlankets",
        offset_of!(Static, allow_tyre_blankets),
        480,
        4,
    ),
    ("aidStability", offset_of!(Static, aid_stability), 484, 4),
    ("aidAutoClutch", offset_of!(Static, aid_auto_clutch), 488, 4),
    ("aidAutoBlip", offset_of!(Static, aid_auto_blip), 492, 4),
    ("hasDRS", offset_of!(Static, has_drs), 496, 4),
    ("hasERS", offset_of!(Static, has_ers), 500, 4),
    ("hasKERS", offset_of!(Static, has_kers), 504, 4),
    ("kersMaxJ", offset_of!(Static, kers_max_j), 508, 4),
    (
        "engineBrakeSettingsCount",
        offset_of!(Static, engine_brake_settings_count),
        512,
        4,
    ),
    (
        "ersPowerControllerCount",
        offset_of!(Static, ers_power_controller_count),
        516,
        4,
    ),
    (
        "trackSplineLength",
        offset_of!(Static, track_spline_length),
        520,
        4,
    ),
    (
        "trackConfiguration",
        offset_of!(Static, track_configuration),
        524,
        66,
    ),
    ("ersMaxJ", offset_of!(Static, ers_max_j), 592, 4),
    ("isTimedRace", offset_of!(Static, is_timed_race), 596, 4),
    ("hasExtraLap", offset_of!(Static, has_extra_lap), 600, 4),
    ("carSkin", offset_of!(Static, car_skin), 604, 66),
    (
        "reversedGridPositions",
        offset_of!(Static, reversed_grid_positions),
        672,
        4,
    ),
    (
        "PitWindowStart",
        offset_of!(Static, pit_window_start),
        676,
        4,
    ),
    ("PitWindowEnd", offset_of!(Static, pit_window_end), 680, 4),
    ("isOnline", offset_of!(Static, is_online), 684, 4),
    ("dryTyresName", offset_of!(Static, dry_tyres_name), 688, 66),
    ("wetTyresName", offset_of!(Static, wet_tyres_name), 754, 66),
];

fn check(page: &str, fields: &[(&str, usize, usize, usize)], total: usize, expected_count: usize) {
    assert_eq!(fields.len(), expected_count, "{page}: field count");
    let mut end_of_previous = 0;
    for (i, &(name, actual, expected, size)) in fields.iter().enumerate() {
        assert_eq!(actual, expected, "{page}.{name}: offset");
        // Each field starts where the previous ended, or after one of the 2-byte pads.
        let gap = actual - end_of_previous;
        assert!(gap == 0 || gap == 2, "{page}.{name}: unexpected gap {gap}");
        end_of_previous = actual + size;
        if i + 1 == fields.len() {
            assert_eq!(
                end_of_previous, total,
                "{page}: last field must end the page"
            );
        }
    }
}

#[test]
fn physics_offsets_match_reference() {
    check("physics", PHYSICS_FIELDS, Physics::SIZE, 85);
    assert_eq!(Physics::SIZE, 800);
}

#[test]
fn graphics_offsets_match_reference() {
    check("graphics", GRAPHICS_FIELDS, Graphics::SIZE, 87);
    assert_eq!(Graphics::SIZE, 1588);
}

#[test]
fn static_offsets_match_reference() {
    check("static", STATIC_FIELDS, Static::SIZE, 45);
    assert_eq!(Static::SIZE, 820);
}

#[test]
fn seven_padding_points() {
    let mut pads = 0;
    for fields in [PHYSICS_FIELDS, GRAPHICS_FIELDS, STATIC_FIELDS] {
        let mut end = 0;
        for &(_, off, _, size) in fields {
            if off != end {
                pads += 1;
            }
            end = off + size;
        }
    }
    assert_eq!(pads, 7);
}
