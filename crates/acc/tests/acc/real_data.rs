//! Conformance with a real ACC capture: `../shared/real-data/shm/` (Brands Hatch out-lap,
//! 3,496 samples in RaceIQ's ACCTEST container). Every value its README lists is decoded
//! through the same layouts live memory uses. The capture is test input only and is never
//! copied into this repository: the test reads it from `$PITWALL_REAL_DATA/shm/`.
//! Ignored unless run with `--include-ignored` (CI does); then it fails without
//! `PITWALL_REAL_DATA`.

use pitwall_acc::enums::{Flag, Penalty, SessionType, Status};
use pitwall_acc::layout::{Graphics, Physics, Static};
use pitwall_acc::{PageKind, Snapshot};
use pitwall_recording::read_acctest;
use std::path::PathBuf;

/// One sample of the capture: the three pages and how many bytes of each were captured.
struct Sample {
    snap: Snapshot,
    graphics_len: usize,
    static_len: usize,
}

fn capture_path() -> PathBuf {
    let path =
        pitwall_test_support::real_data_dir().join("shm/raceiq-brands-hatch-outlap.acctest.gz");
    assert!(
        path.is_file(),
        "PITWALL_REAL_DATA is set but {} is missing",
        path.display()
    );
    path
}

fn load() -> Vec<Sample> {
    let path = capture_path();
    let samples =
        read_acctest(std::fs::File::open(&path).expect("open capture")).expect("read capture");
    samples
        .into_iter()
        .map(|s| {
            assert_eq!(s.captured[0], Physics::SIZE);
            Sample {
                snap: s.snapshot,
                graphics_len: s.captured[1],
                static_len: s.captured[2],
            }
        })
        .collect()
}

fn close(actual: f32, expected: f32, tolerance: f32) -> bool {
    (actual - expected).abs() <= tolerance
}

#[test]
#[ignore = pitwall_test_support::needs_real_data!()]
fn real_capture_decodes_as_documented() {
    let samples = load();
    assert_eq!(samples.len(), 3496);

    // Truncated pages: fields past the captured length are absent, not invented.
    let first = &samples[0];
    assert_eq!(first.graphics_len, 1320);
    assert_eq!(first.static_len, 688);
    assert!(std::mem::offset_of!(Graphics, session_index) >= first.graphics_len);
    assert!(std::mem::offset_of!(Static, dry_tyres_name) >= first.static_len);

    check_static(&first.snap.statics);
    for s in &samples {
        assert_eq!(s.snap.statics, first.snap.statics, "static page constant");
    }
    check_graphics_sample_0(&first.snap.graphics);
    check_sample_1500(&samples[1500].snap);
    check_events(&samples);
}

fn check_static(st: &Static) {
    assert_eq!(st.sm_version_text(), "1.9");
    assert_eq!(
        st.check_version().map(|v| v.to_string()),
        Ok("1.9".to_owned())
    );
    assert_eq!(st.ac_version_text(), "1.7");
    assert_eq!(st.number_of_sessions.get(), 0);
    assert_eq!(st.num_cars.get(), 5);
    assert_eq!(st.car_model_text(), "mclaren_720s_gt3_evo");
    assert_eq!(st.track_text(), "brands_hatch");
    assert_eq!(st.player_name_text(), "Margot");
    assert_eq!(st.player_surname_text(), "");
    assert_eq!(st.player_nick_text(), "MRO");
    assert_eq!(st.sector_count.get(), 3);
    assert_eq!(st.max_rpm.get(), 7700);
    assert_eq!(st.max_fuel.get(), 120.0);
    assert_eq!(st.penalties_enabled.get(), 1);
    assert_eq!(st.aid_fuel_rate.get(), 2.0);
    assert_eq!(st.aid_tire_rate.get(), 2.0);
    assert_eq!(st.aid_mechanical_damage.get(), -1.0);
    assert_eq!(st.allow_tyre_blankets.get(), 0.0);
    assert_eq!(st.aid_stability.get(), 1.0);
    assert_eq!(st.aid_auto_clutch.get(), 2);
    assert_eq!(st.aid_auto_blip.get(), 1);
    assert_eq!(
        pitwall_acc::decode::utf16(&st.track_configuration),
        "track config"
    );
    assert_eq!(pitwall_acc::decode::utf16(&st.car_skin), "skin");
    assert_eq!(st.pit_window_start.get(), 300_500);
    assert_eq!(st.pit_window_end.get(), 299_500);
    assert_eq!(st.is_online.get(), 1);
}

fn check_graphics_sample_0(g: &Graphics) {
    use pitwall_acc::decode::utf16;
    assert_eq!(g.packet_id.get(), 289_429);
    assert_eq!(g.status(), Status::Live);
    assert_eq!(g.session_type(), SessionType::Practice);
    assert_eq!(utf16(&g.current_time), "15:20:807");
    assert_eq!(utf16(&g.last_time), "35791:23:647");
    assert_eq!(utf16(&g.best_time), "35791:23:647");
    assert_eq!(utf16(&g.split), "15:20:807");
    assert_eq!(g.completed_laps.get(), 0);
    assert_eq!(g.position.get(), 4);
    assert_eq!(g.i_current_time.get(), 920_807);
    assert_eq!(g.i_last_time.get(), i32::MAX);
    assert_eq!(g.i_best_time.get(), i32::MAX);
    assert_eq!(g.last_lap_ms(), None, "INT32_MAX is no time");
    assert_eq!(g.best_lap_ms(), None);
    assert_eq!(g.session_time_left.get(), 0.0);
    assert!(close(g.distance_traveled.get(), 0.4556, 1e-3));
    assert_eq!(g.is_in_pit.get(), 0);
    assert_eq!(g.current_sector_index.get(), 0);
    assert_eq!(g.last_sector_time.get(), 0);
    assert_eq!(g.number_of_laps.get(), 0);
    assert_eq!(g.tyre_compound_text(), "dry_compound");
    assert!(close(g.normalized_car_position.get(), 0.99298, 1e-4));
    assert_eq!(g.active_cars.get(), 9);
    assert_eq!(g.player_car_id.get(), 1053);
    assert_eq!(g.flag_kind(), Flag::None);
    assert_eq!(g.penalty_kind(), Penalty::None);
    assert_eq!(g.is_in_pit_lane.get(), 1);
    let ids: Vec<i32> = g.car_id[..10].iter().map(|v| v.get()).collect();
    assert_eq!(
        ids,
        [1008, 1066, 1068, 1063, 1061, 1053, 1064, 1065, 1067, 0]
    );
    assert_eq!(g.player_slot(), Some(5));
}

fn check_sample_1500(s: &Snapshot) {
    use pitwall_acc::decode::utf16;
    let g = &s.graphics;
    assert_eq!(g.packet_id.get(), 292_326);
    assert_eq!(utf16(&g.current_time), "0:13:142");
    assert_eq!(utf16(&g.split), "0:13:142");
    assert_eq!(g.i_current_time.get(), 13_142);
    assert_eq!(g.completed_laps.get(), 0);
    assert_eq!(g.position.get(), 6);
    assert!(close(g.distance_traveled.get(), 450.98, 0.01));
    assert!(close(g.normalized_car_position.get(), 0.106658, 1e-5));
    assert_eq!(g.is_in_pit_lane.get(), 0);
    assert_eq!(g.ideal_line_on.get(), 1);
    assert_eq!(g.surface_grip.get(), 0.0);
    assert!(close(g.wind_speed.get(), 4.4887, 1e-3));
    assert!(close(g.wind_direction.get(), 315.503, 1e-2));
    assert_eq!(
        (g.tc_level.get(), g.tc_cut.get(), g.abs_level.get()),
        (6, 6, 6)
    );
    assert_eq!(g.engine_map.get(), 0);
    assert!(close(g.fuel_x_lap.get(), 2.65, 1e-4), "fuelXLap is a float");
    assert_eq!(g.lights_stage.get(), 1);
    assert!(close(g.exhaust_temperature.get(), 377.50, 0.01));
    assert_eq!(g.driver_stint_total_time_left.get(), 65_535_000);
    assert_eq!(g.driver_stint_time_left.get(), -12_390);
    assert_eq!(g.rain_tyres.get(), 0);
    let car = g.car_coordinates[5].map(|v| v.get());
    assert!(close(car[0], 160.8, 0.1) && close(car[1], -18.7, 0.1) && close(car[2], -292.2, 0.1));

    let p = &s.physics;
    assert_eq!(p.packet_id.get(), 1_302_123);
    assert_eq!(p.gas.get(), 1.0);
    assert_eq!(p.brake.get(), 0.0);
    assert!(close(p.fuel.get(), 61.670, 1e-3));
    assert_eq!(p.gear.get(), 5);
    assert_eq!(p.rpm.get(), 5653);
    assert!(close(p.speed_kmh.get(), 161.907, 1e-3));
    assert!(close(p.brake_bias.get(), 0.75, 1e-6));
    assert_eq!(p.current_max_rpm.get(), 7700, "currentMaxRpm is an int");
    assert!(close(p.air_temp.get(), 22.877, 1e-3));
    assert!(close(p.road_temp.get(), 22.877, 1e-3));
    for v in p.pad_life {
        assert!(close(v.get(), 29.0, 0.5));
    }
    for v in p.disc_life {
        assert!(close(v.get(), 32.0, 0.5));
    }
    assert_eq!(
        (p.front_brake_compound.get(), p.rear_brake_compound.get()),
        (1, 1)
    );
    assert_eq!(p.ignition_on.get(), 1);
    assert_eq!(p.is_engine_running.get(), 1);
    assert_eq!(p.pit_limiter_on.get(), 0);
    let temps = p.tyre_core_temp.map(|v| v.get());
    for (t, e) in temps.iter().zip([57.18, 55.92, 58.65, 57.97]) {
        assert!(close(*t, e, 0.01));
    }
    assert_eq!(p.tyre_temp.map(|v| v.get()), temps);
    // The player's contact point sits within a few metres of carCoordinates[5].
    let fl = p.tyre_contact_point[0].map(|v| v.get());
    assert!(close(fl[0], 161.6, 0.1) && close(fl[2], -289.7, 0.1));
}

fn check_events(samples: &[Sample]) {
    // Zeroed physics at the start while LIVE, then real values.
    for s in &samples[..107] {
        assert!(s.snap.physics.is_zeroed(), "physics zero in samples 0-106");
        assert_eq!(s.snap.graphics.status(), Status::Live);
    }
    let p107 = &samples[107].snap.physics;
    assert!(!p107.is_zeroed());
    assert_eq!(
        (
            p107.gear.get(),
            p107.pit_limiter_on.get(),
            p107.current_max_rpm.get()
        ),
        (1, 1, 7700)
    );
    assert!(close(p107.fuel.get(), 62.0, 0.1));

    // The only iCurrentTime decrease: the line crossing inside the pit lane, 676 -> 677,
    // without a completed lap.
    let drops: Vec<usize> = (1..samples.len())
        .filter(|&i| {
            samples[i].snap.graphics.i_current_time.get()
                < samples[i - 1].snap.graphics.i_current_time.get()
        })
        .collect();
    assert_eq!(drops, [677]);
    let (before, after) = (&samples[676].snap.graphics, &samples[677].snap.graphics);
    assert_eq!(
        (before.i_current_time.get(), after.i_current_time.get()),
        (931_525, 12)
    );
    assert_eq!(
        (before.completed_laps.get(), after.completed_laps.get()),
        (0, 0)
    );
    assert_eq!(after.i_last_time.get(), i32::MAX);
    assert_eq!(
        (before.is_in_pit_lane.get(), after.is_in_pit_lane.get()),
        (1, 1)
    );
    assert_eq!(pitwall_acc::decode::utf16(&after.split), "0:00:012");

    // Spline clamp: exactly 1.0 in 673-684, exactly 0.0 in 685-695.
    for s in &samples[673..=684] {
        assert_eq!(s.snap.graphics.normalized_car_position.get(), 1.0);
    }
    for s in &samples[685..=695] {
        assert_eq!(s.snap.graphics.normalized_car_position.get(), 0.0);
    }
    assert!(samples[696].snap.graphics.normalized_car_position.get() > 0.0);

    // Pit exit: limiter off between 788/789, out of the pit lane between 789/790.
    assert_eq!(samples[788].snap.physics.pit_limiter_on.get(), 1);
    assert_eq!(samples[789].snap.physics.pit_limiter_on.get(), 0);
    assert_eq!(samples[789].snap.graphics.is_in_pit_lane.get(), 1);
    assert_eq!(samples[790].snap.graphics.is_in_pit_lane.get(), 0);
    assert_eq!(samples[790].snap.graphics.i_current_time.get(), 1770);

    // Invariants over every sample.
    let mut last_physics = i32::MIN;
    let mut last_graphics = i32::MIN;
    let mut repeats = 0;
    for s in samples {
        let g = &s.snap.graphics;
        assert_eq!(g.is_in_pit.get(), 0);
        assert_eq!(g.current_sector_index.get(), 0);
        assert_eq!(g.last_sector_time.get(), 0);
        assert_eq!(g.session_time_left.get(), 0.0);
        assert_eq!(g.flag_kind(), Flag::None);
        assert_eq!(g.penalty_kind(), Penalty::None);
        assert_eq!(g.split, g.current_time);
        let ms = g.i_current_time.get();
        let formatted = format!("{}:{:02}:{:03}", ms / 60_000, ms / 1000 % 60, ms % 1000);
        assert_eq!(pitwall_acc::decode::utf16(&g.current_time), formatted);
        let pid = s.snap.physics.packet_id.get();
        assert!(pid > last_physics, "physics packetId strictly increases");
        last_physics = pid;
        let gid = g.packet_id.get();
        assert!(gid >= last_graphics, "graphics packetId never decreases");
        if gid == last_graphics {
            repeats += 1;
        }
        last_graphics = gid;
    }
    assert_eq!(repeats, 1305);
    assert_eq!(samples[0].snap.physics.packet_id.get(), 1_292_565);
    assert_eq!(samples[3495].snap.physics.packet_id.get(), 1_315_059);
    assert_eq!(samples[3495].snap.graphics.packet_id.get(), 296_086);
    assert_eq!(samples[3495].snap.graphics.i_current_time.get(), 45_492);
    assert!(close(
        samples[3495].snap.graphics.normalized_car_position.get(),
        0.2247,
        1e-4
    ));
    assert!(close(
        samples[3495].snap.graphics.distance_traveled.get(),
        1011.3,
        0.1
    ));
}

/// The capture published through bridge-style files and read back by the live file source:
/// every sample comes out as it went in (the same path a Proton user's data takes).
#[test]
#[ignore = pitwall_test_support::needs_real_data!()]
fn real_capture_through_the_file_source() {
    use pitwall_acc::source::{FileSource, LiveOptions};
    use pitwall_acc::{Read, Source};
    use pitwall_sim::sink::{FileSink, PageSink};

    let samples = load();
    let dir = tempfile::tempdir().unwrap();
    let mut sink = FileSink::create(dir.path()).unwrap();
    let mut source = FileSource::new(dir.path(), LiveOptions::default());
    let mut out = Snapshot::default();
    for (i, s) in samples.iter().enumerate() {
        for kind in PageKind::ALL {
            sink.write(kind, s.snap.page_bytes(kind)).unwrap();
        }
        assert_eq!(source.read(&mut out).unwrap(), Read::Fresh, "sample {i}");
        assert_eq!(out.physics, s.snap.physics, "sample {i}");
        assert_eq!(out.graphics, s.snap.graphics, "sample {i}");
        assert_eq!(out.statics, s.snap.statics, "sample {i}");
    }
}
