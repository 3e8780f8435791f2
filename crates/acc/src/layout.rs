//! Byte-exact layouts of the three ACC shared-memory pages (v1.8.12, `#pragma pack(4)`).
//!
//! Every field is a little-endian [`I32`], [`F32`] or UTF-16 code unit ([`U16`]) with
//! alignment 1, and the two-byte padding points of the C layout are explicit `_padN` fields,
//! so the structs have no implicit padding and can be viewed straight from any byte slice
//! (zero copy, any alignment) and written back byte for byte by the simulator.
//! Field names are the C names in snake case; each field's doc gives the C name and offset.
//! Semantics live in `../shared/reference/acc-shared-memory.md` and in the typed accessors of
//! [`crate::decode`].

use zerocopy::little_endian::{F32, I32, U16};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `SPageFilePhysics` (`Local\\acpmf_physics`): car physics, updated every physics step (~400/s).
///
/// 800 bytes. All-zero bytes are a valid value (what a bridge file holds before the game writes).
#[derive(
    Clone, Copy, Debug, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Physics {
    /// `packetId` @0.
    pub packet_id: I32,
    /// `gas` @4.
    pub gas: F32,
    /// `brake` @8.
    pub brake: F32,
    /// `fuel` @12.
    pub fuel: F32,
    /// `gear` @16.
    pub gear: I32,
    /// `rpm` @20.
    pub rpm: I32,
    /// `steerAngle` @24.
    pub steer_angle: F32,
    /// `speedKmh` @28.
    pub speed_kmh: F32,
    /// `velocity` @32.
    pub velocity: [F32; 3],
    /// `accG` @44.
    pub acc_g: [F32; 3],
    /// `wheelSlip` @56.
    pub wheel_slip: [F32; 4],
    /// `wheelLoad` @72.
    pub wheel_load: [F32; 4],
    /// `wheelPressure` @88.
    pub wheel_pressure: [F32; 4],
    /// `wheelAngularSpeed` @104.
    pub wheel_angular_speed: [F32; 4],
    /// `tyreWear` @120.
    pub tyre_wear: [F32; 4],
    /// `tyreDirtyLevel` @136.
    pub tyre_dirty_level: [F32; 4],
    /// `tyreCoreTemp` @152.
    pub tyre_core_temp: [F32; 4],
    /// `camberRAD` @168.
    pub camber_rad: [F32; 4],
    /// `suspensionTravel` @184.
    pub suspension_travel: [F32; 4],
    /// `drs` @200.
    pub drs: F32,
    /// `tc` @204.
    pub tc: F32,
    /// `heading` @208.
    pub heading: F32,
    /// `pitch` @212.
    pub pitch: F32,
    /// `roll` @216.
    pub roll: F32,
    /// `cgHeight` @220.
    pub cg_height: F32,
    /// `carDamage` @224.
    pub car_damage: [F32; 5],
    /// `numberOfTyresOut` @244.
    pub number_of_tyres_out: I32,
    /// `pitLimiterOn` @248.
    pub pit_limiter_on: I32,
    /// `abs` @252.
    pub abs: F32,
    /// `kersCharge` @256.
    pub kers_charge: F32,
    /// `kersInput` @260.
    pub kers_input: F32,
    /// `autoshifterOn` @264.
    pub autoshifter_on: I32,
    /// `rideHeight` @268.
    pub ride_height: [F32; 2],
    /// `turboBoost` @276.
    pub turbo_boost: F32,
    /// `ballast` @280.
    pub ballast: F32,
    /// `airDensity` @284.
    pub air_density: F32,
    /// `airTemp` @288.
    pub air_temp: F32,
    /// `roadTemp` @292.
    pub road_temp: F32,
    /// `localAngularVel` @296.
    pub local_angular_vel: [F32; 3],
    /// `finalFF` @308.
    pub final_ff: F32,
    /// `performanceMeter` @312.
    pub performance_meter: F32,
    /// `engineBrake` @316.
    pub engine_brake: I32,
    /// `ersRecoveryLevel` @320.
    pub ers_recovery_level: I32,
    /// `ersPowerLevel` @324.
    pub ers_power_level: I32,
    /// `ersHeatCharging` @328.
    pub ers_heat_charging: I32,
    /// `ersIsCharging` @332.
    pub ers_is_charging: I32,
    /// `kersCurrentKJ` @336.
    pub kers_current_kj: F32,
    /// `drsAvailable` @340.
    pub drs_available: I32,
    /// `drsEnabled` @344.
    pub drs_enabled: I32,
    /// `brakeTemp` @348.
    pub brake_temp: [F32; 4],
    /// `clutch` @364.
    pub clutch: F32,
    /// `tyreTempI` @368.
    pub tyre_temp_i: [F32; 4],
    /// `tyreTempM` @384.
    pub tyre_temp_m: [F32; 4],
    /// `tyreTempO` @400.
    pub tyre_temp_o: [F32; 4],
    /// `isAIControlled` @416.
    pub is_ai_controlled: I32,
    /// `tyreContactPoint` @420.
    pub tyre_contact_point: [[F32; 3]; 4],
    /// `tyreContactNormal` @468.
    pub tyre_contact_normal: [[F32; 3]; 4],
    /// `tyreContactHeading` @516.
    pub tyre_contact_heading: [[F32; 3]; 4],
    /// `brakeBias` @564.
    pub brake_bias: F32,
    /// `localVelocity` @568.
    pub local_velocity: [F32; 3],
    /// `P2PActivation` @580.
    pub p2p_activation: I32,
    /// `P2PStatus` @584.
    pub p2p_status: I32,
    /// `currentMaxRpm` @588.
    pub current_max_rpm: I32,
    /// `mz` @592.
    pub mz: [F32; 4],
    /// `fx` @608.
    pub fx: [F32; 4],
    /// `fy` @624.
    pub fy: [F32; 4],
    /// `slipRatio` @640.
    pub slip_ratio: [F32; 4],
    /// `slipAngle` @656.
    pub slip_angle: [F32; 4],
    /// `tcinAction` @672.
    pub tc_in_action: I32,
    /// `absInAction` @676.
    pub abs_in_action: I32,
    /// `suspensionDamage` @680.
    pub suspension_damage: [F32; 4],
    /// `tyreTemp` @696.
    pub tyre_temp: [F32; 4],
    /// `waterTemp` @712.
    pub water_temp: F32,
    /// `brakePressure` @716.
    pub brake_pressure: [F32; 4],
    /// `frontBrakeCompound` @732.
    pub front_brake_compound: I32,
    /// `rearBrakeCompound` @736.
    pub rear_brake_compound: I32,
    /// `padLife` @740.
    pub pad_life: [F32; 4],
    /// `discLife` @756.
    pub disc_life: [F32; 4],
    /// `ignitionOn` @772.
    pub ignition_on: I32,
    /// `starterEngineOn` @776.
    pub starter_engine_on: I32,
    /// `isEngineRunning` @780.
    pub is_engine_running: I32,
    /// `kerbVibration` @784.
    pub kerb_vibration: F32,
    /// `slipVibrations` @788.
    pub slip_vibrations: F32,
    /// `gVibrations` @792.
    pub g_vibrations: F32,
    /// `absVibrations` @796.
    pub abs_vibrations: F32,
}

const _: () = assert!(size_of::<Physics>() == 800);

/// `SPageFileGraphic` (`Local\\acpmf_graphics`): session, timing and HUD state, updated once per rendered HUD frame.
///
/// 1588 bytes. All-zero bytes are a valid value (what a bridge file holds before the game writes).
#[derive(
    Clone, Copy, Debug, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Graphics {
    /// `packetId` @0.
    pub packet_id: I32,
    /// `status` @4.
    pub status: I32,
    /// `session` @8.
    pub session: I32,
    /// `currentTime` @12.
    pub current_time: [U16; 15],
    /// `lastTime` @42.
    pub last_time: [U16; 15],
    /// `bestTime` @72.
    pub best_time: [U16; 15],
    /// `split` @102.
    pub split: [U16; 15],
    /// `completedLaps` @132.
    pub completed_laps: I32,
    /// `position` @136.
    pub position: I32,
    /// `iCurrentTime` @140.
    pub i_current_time: I32,
    /// `iLastTime` @144.
    pub i_last_time: I32,
    /// `iBestTime` @148.
    pub i_best_time: I32,
    /// `sessionTimeLeft` @152.
    pub session_time_left: F32,
    /// `distanceTraveled` @156.
    pub distance_traveled: F32,
    /// `isInPit` @160.
    pub is_in_pit: I32,
    /// `currentSectorIndex` @164.
    pub current_sector_index: I32,
    /// `lastSectorTime` @168.
    pub last_sector_time: I32,
    /// `numberOfLaps` @172.
    pub number_of_laps: I32,
    /// `tyreCompound` @176.
    pub tyre_compound: [U16; 33],
    _pad0: [u8; 2],
    /// `replayTimeMultiplier` @244.
    pub replay_time_multiplier: F32,
    /// `normalizedCarPosition` @248.
    pub normalized_car_position: F32,
    /// `activeCars` @252.
    pub active_cars: I32,
    /// `carCoordinates` @256.
    pub car_coordinates: [[F32; 3]; 60],
    /// `carID` @976.
    pub car_id: [I32; 60],
    /// `playerCarID` @1216.
    pub player_car_id: I32,
    /// `penaltyTime` @1220.
    pub penalty_time: F32,
    /// `flag` @1224.
    pub flag: I32,
    /// `penalty` @1228.
    pub penalty: I32,
    /// `idealLineOn` @1232.
    pub ideal_line_on: I32,
    /// `isInPitLane` @1236.
    pub is_in_pit_lane: I32,
    /// `surfaceGrip` @1240.
    pub surface_grip: F32,
    /// `mandatoryPitDone` @1244.
    pub mandatory_pit_done: I32,
    /// `windSpeed` @1248.
    pub wind_speed: F32,
    /// `windDirection` @1252.
    pub wind_direction: F32,
    /// `isSetupMenuVisible` @1256.
    pub is_setup_menu_visible: I32,
    /// `mainDisplayIndex` @1260.
    pub main_display_index: I32,
    /// `secondaryDisplyIndex` @1264.
    pub secondary_display_index: I32,
    /// `TC` @1268.
    pub tc_level: I32,
    /// `TCCUT` @1272.
    pub tc_cut: I32,
    /// `EngineMap` @1276.
    pub engine_map: I32,
    /// `ABS` @1280.
    pub abs_level: I32,
    /// `fuelXLap` @1284.
    pub fuel_x_lap: F32,
    /// `rainLights` @1288.
    pub rain_lights: I32,
    /// `flashingLights` @1292.
    pub flashing_lights: I32,
    /// `lightsStage` @1296.
    pub lights_stage: I32,
    /// `exhaustTemperature` @1300.
    pub exhaust_temperature: F32,
    /// `wiperLV` @1304.
    pub wiper_lv: I32,
    /// `driverStintTotalTimeLeft` @1308.
    pub driver_stint_total_time_left: I32,
    /// `driverStintTimeLeft` @1312.
    pub driver_stint_time_left: I32,
    /// `rainTyres` @1316.
    pub rain_tyres: I32,
    /// `sessionIndex` @1320.
    pub session_index: I32,
    /// `usedFuel` @1324.
    pub used_fuel: F32,
    /// `deltaLapTime` @1328.
    pub delta_lap_time: [U16; 15],
    _pad1: [u8; 2],
    /// `iDeltaLapTime` @1360.
    pub i_delta_lap_time: I32,
    /// `estimatedLapTime` @1364.
    pub estimated_lap_time: [U16; 15],
    _pad2: [u8; 2],
    /// `iEstimatedLapTime` @1396.
    pub i_estimated_lap_time: I32,
    /// `isDeltaPositive` @1400.
    pub is_delta_positive: I32,
    /// `iSplit` @1404.
    pub i_split: I32,
    /// `isValidLap` @1408.
    pub is_valid_lap: I32,
    /// `fuelEstimatedLaps` @1412.
    pub fuel_estimated_laps: F32,
    /// `trackStatus` @1416.
    pub track_status: [U16; 33],
    _pad3: [u8; 2],
    /// `missingMandatoryPits` @1484.
    pub missing_mandatory_pits: I32,
    /// `Clock` @1488.
    pub clock: F32,
    /// `directionLightsLeft` @1492.
    pub direction_lights_left: I32,
    /// `directionLightsRight` @1496.
    pub direction_lights_right: I32,
    /// `GlobalYellow` @1500.
    pub global_yellow: I32,
    /// `GlobalYellow1` @1504.
    pub global_yellow_1: I32,
    /// `GlobalYellow2` @1508.
    pub global_yellow_2: I32,
    /// `GlobalYellow3` @1512.
    pub global_yellow_3: I32,
    /// `GlobalWhite` @1516.
    pub global_white: I32,
    /// `GlobalGreen` @1520.
    pub global_green: I32,
    /// `GlobalChequered` @1524.
    pub global_chequered: I32,
    /// `GlobalRed` @1528.
    pub global_red: I32,
    /// `mfdTyreSet` @1532.
    pub mfd_tyre_set: I32,
    /// `mfdFuelToAdd` @1536.
    pub mfd_fuel_to_add: F32,
    /// `mfdTyrePressureLF` @1540.
    pub mfd_tyre_pressure_lf: F32,
    /// `mfdTyrePressureRF` @1544.
    pub mfd_tyre_pressure_rf: F32,
    /// `mfdTyrePressureLR` @1548.
    pub mfd_tyre_pressure_lr: F32,
    /// `mfdTyrePressureRR` @1552.
    pub mfd_tyre_pressure_rr: F32,
    /// `trackGripStatus` @1556.
    pub track_grip_status: I32,
    /// `rainIntensity` @1560.
    pub rain_intensity: I32,
    /// `rainIntensityIn10min` @1564.
    pub rain_intensity_in_10min: I32,
    /// `rainIntensityIn30min` @1568.
    pub rain_intensity_in_30min: I32,
    /// `currentTyreSet` @1572.
    pub current_tyre_set: I32,
    /// `strategyTyreSet` @1576.
    pub strategy_tyre_set: I32,
    /// `gapAhead` @1580.
    pub gap_ahead: I32,
    /// `gapBehind` @1584.
    pub gap_behind: I32,
}

const _: () = assert!(size_of::<Graphics>() == 1588);

/// `SPageFileStatic` (`Local\\acpmf_static`): session constants (car, track, driver), rewritten per session or car load.
///
/// 820 bytes. All-zero bytes are a valid value (what a bridge file holds before the game writes).
#[derive(
    Clone, Copy, Debug, PartialEq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Static {
    /// `smVersion` @0.
    pub sm_version: [U16; 15],
    /// `acVersion` @30.
    pub ac_version: [U16; 15],
    /// `numberOfSessions` @60.
    pub number_of_sessions: I32,
    /// `numCars` @64.
    pub num_cars: I32,
    /// `carModel` @68.
    pub car_model: [U16; 33],
    /// `track` @134.
    pub track: [U16; 33],
    /// `playerName` @200.
    pub player_name: [U16; 33],
    /// `playerSurname` @266.
    pub player_surname: [U16; 33],
    /// `playerNick` @332.
    pub player_nick: [U16; 33],
    _pad0: [u8; 2],
    /// `sectorCount` @400.
    pub sector_count: I32,
    /// `maxTorque` @404.
    pub max_torque: F32,
    /// `maxPower` @408.
    pub max_power: F32,
    /// `maxRpm` @412.
    pub max_rpm: I32,
    /// `maxFuel` @416.
    pub max_fuel: F32,
    /// `suspensionMaxTravel` @420.
    pub suspension_max_travel: [F32; 4],
    /// `tyreRadius` @436.
    pub tyre_radius: [F32; 4],
    /// `maxTurboBoost` @452.
    pub max_turbo_boost: F32,
    /// `deprecated_1` @456.
    pub deprecated_1: F32,
    /// `deprecated_2` @460.
    pub deprecated_2: F32,
    /// `penaltiesEnabled` @464.
    pub penalties_enabled: I32,
    /// `aidFuelRate` @468.
    pub aid_fuel_rate: F32,
    /// `aidTireRate` @472.
    pub aid_tire_rate: F32,
    /// `aidMechanicalDamage` @476.
    pub aid_mechanical_damage: F32,
    /// `AllowTyreBlankets` @480.
    pub allow_tyre_blankets: F32,
    /// `aidStability` @484.
    pub aid_stability: F32,
    /// `aidAutoClutch` @488.
    pub aid_auto_clutch: I32,
    /// `aidAutoBlip` @492.
    pub aid_auto_blip: I32,
    /// `hasDRS` @496.
    pub has_drs: I32,
    /// `hasERS` @500.
    pub has_ers: I32,
    /// `hasKERS` @504.
    pub has_kers: I32,
    /// `kersMaxJ` @508.
    pub kers_max_j: F32,
    /// `engineBrakeSettingsCount` @512.
    pub engine_brake_settings_count: I32,
    /// `ersPowerControllerCount` @516.
    pub ers_power_controller_count: I32,
    /// `trackSplineLength` @520.
    pub track_spline_length: F32,
    /// `trackConfiguration` @524.
    pub track_configuration: [U16; 33],
    _pad1: [u8; 2],
    /// `ersMaxJ` @592.
    pub ers_max_j: F32,
    /// `isTimedRace` @596.
    pub is_timed_race: I32,
    /// `hasExtraLap` @600.
    pub has_extra_lap: I32,
    /// `carSkin` @604.
    pub car_skin: [U16; 33],
    _pad2: [u8; 2],
    /// `reversedGridPositions` @672.
    pub reversed_grid_positions: I32,
    /// `PitWindowStart` @676.
    pub pit_window_start: I32,
    /// `PitWindowEnd` @680.
    pub pit_window_end: I32,
    /// `isOnline` @684.
    pub is_online: I32,
    /// `dryTyresName` @688.
    pub dry_tyres_name: [U16; 33],
    /// `wetTyresName` @754.
    pub wet_tyres_name: [U16; 33],
}

const _: () = assert!(size_of::<Static>() == 820);

impl Physics {
    /// Size of the page in bytes.
    pub const SIZE: usize = size_of::<Self>();
}
impl Graphics {
    /// Size of the page in bytes.
    pub const SIZE: usize = size_of::<Self>();
}
impl Static {
    /// Size of the page in bytes.
    pub const SIZE: usize = size_of::<Self>();
}

macro_rules! zeroed_default {
    ($($t:ty),*) => {$(
        impl Default for $t {
            fn default() -> Self {
                <$t as zerocopy::FromZeros>::new_zeroed()
            }
        }
    )*};
}
zeroed_default!(Physics, Graphics, Static);
