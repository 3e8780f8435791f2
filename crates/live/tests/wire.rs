//! The wire pinned: the JSON of laps, sessions, live events and the live state exactly as
//! the collector, the API and export files have written them (texts captured before the
//! shapes moved here), and back. A change here breaks clients, uploads between versions or
//! old export files.

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{
    AbandonReason, Car, Conditions, EndReason, Lap, LapId, SessionId, SessionInfo,
};
use pitwall_live::wire::parse_id;
use pitwall_live::{
    FullSessionJson, LapJson, LiveEvent, LiveState, Reference, RunningLap, SessionJson, WireError,
};

const LAP: &str = r#"{"id":"8000000000000001","session_id":"fedcba9876543210","number":4,"time_ms":107345,"sectors":[35001,null,37000],"valid":false,"invalid_sector":1,"out_lap":false,"in_lap":true,"partial":true,"started_at_ms":1717000100000,"completed_at_ms":1717000207345,"car_index":0,"car_model":"ferrari_296_gt3","driver":"Ana \"Quick\" Silva"}"#;
/// A lap as written before laps named their car and driver: it still reads, as the session's.
const LAP_BEFORE_IDENTITY: &str = r#"{"id":"8000000000000001","session_id":"fedcba9876543210","number":4,"time_ms":107345,"sectors":[35001,null,37000],"valid":false,"invalid_sector":1,"out_lap":false,"in_lap":true,"partial":true,"started_at_ms":1717000100000,"completed_at_ms":1717000207345}"#;
const SESSION: &str = r#"{"id":"fedcba9876543210","track":"monza","track_name":"Monza","car":"ferrari_296_gt3","car_name":"Ferrari 296 GT3","session_type":"RACE","session_type_name":"Race","driver":"Ana \"Quick\" Silva","sector_count":3,"started_at_ms":1717000000000,"ended_at_ms":1717000900000,"online":true}"#;
const FULL: &str = r#"{"id":"fedcba9876543210","track":"monza","car":"ferrari_296_gt3","session_type":2,"session_type_label":"RACE","driver":"Ana \"Quick\" Silva","sector_count":3,"session_index":2,"started_at_ms":1717000000000,"ended_at_ms":1717000900000,"sm_version":"1.9","ac_version":"1.10.2","online":true,"joined_late":true,"conditions":{"air_temp_c":21.3,"road_temp_c":28.700003,"grip":2,"rain":9},"laps":[{"id":"8000000000000001","session_id":"fedcba9876543210","number":4,"time_ms":107345,"sectors":[35001,null,37000],"valid":false,"invalid_sector":1,"out_lap":false,"in_lap":true,"partial":true,"started_at_ms":1717000100000,"completed_at_ms":1717000207345}]}"#;
const FULL_WITHOUT_CONDITIONS: &str = r#"{"id":"fedcba9876543210","track":"monza","car":"ferrari_296_gt3","session_type":2,"session_type_label":"RACE","driver":"Ana \"Quick\" Silva","sector_count":3,"session_index":2,"started_at_ms":1717000000000,"ended_at_ms":null,"sm_version":"1.9","ac_version":"1.10.2","online":true,"joined_late":true,"conditions":null,"laps":[]}"#;
const EVENTS: [&str; 11] = [
    r#"{"type":"snapshot","state":{"connected":true,"message":"reading ACC","session":{"id":"fedcba9876543210","track":"monza","track_name":"Monza","car":"ferrari_296_gt3","car_name":"Ferrari 296 GT3","session_type":"RACE","session_type_name":"Race","driver":"Ana \"Quick\" Silva","sector_count":3,"started_at_ms":1717000000000,"ended_at_ms":1717000900000,"online":true},"reference":{"pb_ms":107000,"pb_sectors":[35000,null,36000],"best_sectors":[34900,35500,null],"theoretical_best_ms":null},"prior":{"pb_ms":null,"pb_sectors":[],"best_sectors":[],"theoretical_best_ms":null},"lap":{"lap_id":"00000000000000a5","number":5,"current_ms":12345,"sector":1,"valid":true,"invalid_sector":null,"out_lap":false,"sectors":[35100],"delta_ms":-120,"started_at_ms":1717000207345},"laps":[{"id":"8000000000000001","session_id":"fedcba9876543210","number":4,"time_ms":107345,"sectors":[35001,null,37000],"valid":false,"invalid_sector":1,"out_lap":false,"in_lap":true,"partial":true,"started_at_ms":1717000100000,"completed_at_ms":1717000207345,"car_index":0,"car_model":"ferrari_296_gt3","driver":"Ana \"Quick\" Silva"}],"session_best_ms":107345}}"#,
    r#"{"type":"snapshot","state":{"connected":false,"message":"","session":null,"reference":null,"prior":null,"lap":null,"laps":[],"session_best_ms":null}}"#,
    r#"{"type":"status","connected":false,"message":"waiting for ACC"}"#,
    r#"{"type":"session_started","session":{"id":"fedcba9876543210","track":"monza","track_name":"Monza","car":"ferrari_296_gt3","car_name":"Ferrari 296 GT3","session_type":"RACE","session_type_name":"Race","driver":"Ana \"Quick\" Silva","sector_count":3,"started_at_ms":1717000000000,"ended_at_ms":1717000900000,"online":true},"reference":{"pb_ms":107000,"pb_sectors":[35000,null,36000],"best_sectors":[34900,35500,null],"theoretical_best_ms":null}}"#,
    r#"{"type":"session_started","session":{"id":"fedcba9876543210","track":"monza","track_name":"Monza","car":"ferrari_296_gt3","car_name":"Ferrari 296 GT3","session_type":"RACE","session_type_name":"Race","driver":"Ana \"Quick\" Silva","sector_count":3,"started_at_ms":1717000000000,"ended_at_ms":1717000900000,"online":true},"reference":null}"#,
    r#"{"type":"session_ended","session_id":"fedcba9876543210","at_ms":9,"reason":"left"}"#,
    r#"{"type":"lap_started","lap_id":"00000000000000a5","number":5,"at_ms":10,"out_lap":true,"partial":false}"#,
    r#"{"type":"tick","lap_id":"00000000000000a5","current_ms":100,"sector":2,"valid":false,"at_ms":11}"#,
    r#"{"type":"sector_completed","lap_id":"00000000000000a5","sector":0,"time_ms":null,"valid":true,"at_ms":12,"delta_ms":null}"#,
    r#"{"type":"lap_completed","lap":{"id":"8000000000000001","session_id":"fedcba9876543210","number":4,"time_ms":107345,"sectors":[35001,null,37000],"valid":false,"invalid_sector":1,"out_lap":false,"in_lap":true,"partial":true,"started_at_ms":1717000100000,"completed_at_ms":1717000207345,"car_index":0,"car_model":"ferrari_296_gt3","driver":"Ana \"Quick\" Silva"},"personal_best":true,"session_best":false,"delta_ms":-3}"#,
    r#"{"type":"lap_abandoned","lap_id":"00000000000000a5","reason":"restart","at_ms":13}"#,
];

fn info() -> SessionInfo {
    SessionInfo {
        id: SessionId(0xfedc_ba98_7654_3210),
        track: "monza".into(),
        car: "ferrari_296_gt3".into(),
        session_type: SessionType::Race,
        driver: "Ana \"Quick\" Silva".into(),
        sector_count: 3,
        session_index: 2,
        started_at_ms: 1_717_000_000_000,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: true,
        joined_late: true,
        conditions: Some(Conditions {
            air_temp_c: 21.3,
            road_temp_c: 28.700_003,
            grip: GripStatus::Optimum,
            rain: RainIntensity::Unknown(9),
        }),
    }
}

fn lap() -> Lap {
    Lap {
        id: LapId(0x8000_0000_0000_0001),
        session: SessionId(0xfedc_ba98_7654_3210),
        number: 4,
        time_ms: 107_345,
        sectors: vec![Some(35_001), None, Some(37_000)],
        valid: false,
        invalid_sector: Some(1),
        out_lap: false,
        in_lap: true,
        partial: true,
        started_at_ms: 1_717_000_100_000,
        completed_at_ms: 1_717_000_207_345,
        car: Car::new(0, "ferrari_296_gt3"),
        driver: "Ana \"Quick\" Silva".into(),
    }
}

fn events() -> Vec<LiveEvent> {
    let l = LapJson::of(&lap());
    let s = SessionJson::of(&info(), Some(1_717_000_900_000));
    let reference = Reference {
        pb_ms: Some(107_000),
        pb_sectors: vec![Some(35_000), None, Some(36_000)],
        best_sectors: vec![Some(34_900), Some(35_500), None],
        theoretical_best_ms: None,
    };
    let lap_id = || "00000000000000a5".to_owned();
    let state = LiveState {
        connected: true,
        message: "reading ACC".into(),
        session: Some(s.clone()),
        reference: Some(reference.clone()),
        prior: Some(Reference::default()),
        lap: Some(RunningLap {
            lap_id: lap_id(),
            number: 5,
            current_ms: 12_345,
            sector: 1,
            valid: true,
            invalid_sector: None,
            out_lap: false,
            sectors: vec![Some(35_100)],
            delta_ms: Some(-120),
            started_at_ms: 1_717_000_207_345,
        }),
        laps: vec![l.clone()],
        session_best_ms: Some(107_345),
    };
    vec![
        LiveEvent::Snapshot {
            state: Box::new(state),
        },
        LiveEvent::Snapshot {
            state: Box::default(),
        },
        LiveEvent::Status {
            connected: false,
            message: "waiting for ACC".into(),
        },
        LiveEvent::SessionStarted {
            session: s.clone(),
            reference: Some(reference),
        },
        LiveEvent::SessionStarted {
            session: s,
            reference: None,
        },
        LiveEvent::SessionEnded {
            session_id: "fedcba9876543210".into(),
            at_ms: 9,
            reason: EndReason::Left,
        },
        LiveEvent::LapStarted {
            lap_id: lap_id(),
            number: 5,
            at_ms: 10,
            out_lap: true,
            partial: false,
        },
        LiveEvent::Tick {
            lap_id: lap_id(),
            current_ms: 100,
            sector: 2,
            valid: false,
            at_ms: 11,
        },
        LiveEvent::SectorCompleted {
            lap_id: lap_id(),
            sector: 0,
            time_ms: None,
            valid: true,
            at_ms: 12,
            delta_ms: None,
        },
        LiveEvent::LapCompleted {
            lap: l,
            personal_best: true,
            session_best: false,
            delta_ms: Some(-3),
        },
        LiveEvent::LapAbandoned {
            lap_id: lap_id(),
            reason: AbandonReason::Restart,
            at_ms: 13,
        },
    ]
}

#[test]
fn a_lap_is_the_same_text_and_back() {
    let json = LapJson::of(&lap());
    assert_eq!(serde_json::to_string(&json).unwrap(), LAP);
    let read: LapJson = serde_json::from_str(LAP).unwrap();
    assert_eq!(read, json);
    assert_eq!(Lap::try_from(read).unwrap(), lap());
}

#[test]
fn a_lap_from_before_car_identity_reads_as_its_sessions() {
    let read: LapJson = serde_json::from_str(LAP_BEFORE_IDENTITY).unwrap();
    assert_eq!(
        (
            &read.car_index,
            &read.car_model,
            &read.race_number,
            &read.driver
        ),
        (&None, &None, &None, &None)
    );
    assert_eq!(read.clone().into_session_lap(&info()).unwrap(), lap());
    // Written into a file of its session, it is the same text again.
    let again = LapJson::in_session(&lap(), &info());
    assert_eq!(serde_json::to_string(&again).unwrap(), LAP_BEFORE_IDENTITY);
    // Another car's lap names what differs from its session.
    let mut other = lap();
    other.car = Car {
        index: 1003,
        model: "bmw_m4_gt3".into(),
        race_number: Some(31),
    };
    other.driver = "Bo".into();
    let json = LapJson::in_session(&other, &info());
    let text = serde_json::to_string(&json).unwrap();
    assert!(
        text.ends_with(
            r#""car_index":1003,"car_model":"bmw_m4_gt3","race_number":31,"driver":"Bo"}"#
        ),
        "{text}"
    );
    let read: LapJson = serde_json::from_str(&text).unwrap();
    assert_eq!(read.into_session_lap(&info()).unwrap(), other);
}

#[test]
fn a_session_is_the_same_text_and_back() {
    let json = SessionJson::of(&info(), Some(1_717_000_900_000));
    assert_eq!(serde_json::to_string(&json).unwrap(), SESSION);
    let read: SessionJson = serde_json::from_str(SESSION).unwrap();
    assert_eq!(read, json);
}

#[test]
fn a_full_session_is_the_same_text_and_back() {
    let json = FullSessionJson::of(&info(), Some(1_717_000_900_000), &[lap()]);
    assert_eq!(serde_json::to_string(&json).unwrap(), FULL);
    let read: FullSessionJson = serde_json::from_str(FULL).unwrap();
    assert_eq!(read, json);
    assert_eq!(
        read.into_parts().unwrap(),
        (info(), Some(1_717_000_900_000), vec![lap()])
    );

    let mut bare = info();
    bare.conditions = None;
    let json = FullSessionJson::of(&bare, None, &[]);
    assert_eq!(
        serde_json::to_string(&json).unwrap(),
        FULL_WITHOUT_CONDITIONS
    );
    let read: FullSessionJson = serde_json::from_str(FULL_WITHOUT_CONDITIONS).unwrap();
    assert_eq!(read.into_parts().unwrap(), (bare, None, vec![]));
}

#[test]
fn live_events_are_the_same_text_and_back() {
    for (event, text) in events().iter().zip(EVENTS) {
        assert_eq!(serde_json::to_string(event).unwrap(), text);
        let read: LiveEvent = serde_json::from_str(text).unwrap();
        assert_eq!(&read, event);
    }
    assert_eq!(events().len(), EVENTS.len());
}

#[test]
fn laps_and_full_sessions_refuse_unknown_fields_sessions_do_not() {
    let extra = |text: &str| text.replacen('{', r#"{"fuel":12,"#, 1);
    let lap = serde_json::from_str::<LapJson>(&extra(LAP)).unwrap_err();
    assert!(lap.to_string().contains("unknown field `fuel`"), "{lap}");
    let full = serde_json::from_str::<FullSessionJson>(&extra(FULL)).unwrap_err();
    assert!(full.to_string().contains("unknown field `fuel`"), "{full}");
    assert!(serde_json::from_str::<SessionJson>(&extra(SESSION)).is_ok());
}

#[test]
fn ids_are_16_hex_digits_and_checked() {
    assert_eq!(
        parse_id("lap", "FEDCBA9876543210"),
        Ok(0xfedc_ba98_7654_3210)
    );
    for bad in [
        "a1",
        "",
        "fedcba98765432100",
        "fedcba987654321g",
        "+edcba9876543210",
    ] {
        assert!(
            matches!(
                parse_id("lap", bad),
                Err(WireError::BadId { what: "lap", .. })
            ),
            "{bad}"
        );
    }
    let mut json = LapJson::of(&lap());
    json.session_id = "x".into();
    let e = Lap::try_from(json.clone()).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"session id "x" is not 16 hexadecimal digits"#
    );
    // A reader that takes ids its own way keeps everything else.
    let mut expected = lap();
    expected.session = SessionId(0);
    assert_eq!(json.into_lap(lap().id, SessionId(0)), expected);
}

#[test]
fn a_full_session_checks_its_label_and_its_laps_session() {
    let mut json = FullSessionJson::of(&info(), None, &[lap()]);
    json.session_type_label = "PRACTICE".into();
    let e = json.into_parts().unwrap_err();
    assert!(
        matches!(e, WireError::SessionTypeMismatch { number: 2, .. }),
        "{e:?}"
    );

    let mut other = lap();
    other.session = SessionId(7);
    let e = FullSessionJson::of(&info(), None, &[other])
        .into_parts()
        .unwrap_err();
    assert!(matches!(e, WireError::LapInWrongSession { .. }), "{e:?}");
    assert!(e.to_string().contains("listed under"), "{e}");
}

#[test]
fn every_reason_is_its_word_on_the_wire_and_back() {
    use AbandonReason as A;
    use EndReason as E;
    let ends = [
        E::Restart,
        E::NextSession,
        E::TrackOrCarChanged,
        E::Left,
        E::TrackerStopped,
    ];
    for reason in ends {
        let event = LiveEvent::SessionEnded {
            session_id: "fedcba9876543210".into(),
            at_ms: 9,
            reason,
        };
        let text = format!(
            r#"{{"type":"session_ended","session_id":"fedcba9876543210","at_ms":9,"reason":"{}"}}"#,
            reason.as_str()
        );
        assert_eq!(serde_json::to_string(&event).unwrap(), text);
        assert_eq!(serde_json::from_str::<LiveEvent>(&text).unwrap(), event);
    }
    for reason in [A::Restart, A::ReturnedToPits, A::SessionEnded] {
        let event = LiveEvent::LapAbandoned {
            lap_id: "00000000000000a5".into(),
            reason,
            at_ms: 13,
        };
        let text = format!(
            r#"{{"type":"lap_abandoned","lap_id":"00000000000000a5","reason":"{}","at_ms":13}}"#,
            reason.as_str()
        );
        assert_eq!(serde_json::to_string(&event).unwrap(), text);
        assert_eq!(serde_json::from_str::<LiveEvent>(&text).unwrap(), event);
    }
}
