//! Unit tests of the export formats: conversions of the sessions, the streamed writer against the
//! document type, strict reading, CSV rows and filter parsing.

use pitwall_acc::enums::{GripStatus, RainIntensity, SessionType};
use pitwall_core::model::{Conditions, Lap, LapId, SessionId, SessionInfo};
use pitwall_live::{ConditionsJson, FullSessionJson, WireError};

use super::*;

const BIG_SESSION: u64 = 0xfedc_ba98_7654_3210; // above i64::MAX
const BIG_LAP: u64 = 0x8000_0000_0000_0001;

fn session(id: u64, session_type: SessionType, conditions: Option<Conditions>) -> SessionWithLaps {
    let info = SessionInfo {
        id: SessionId(id),
        track: "monza".into(),
        car: "ferrari_296_gt3".into(),
        session_type,
        driver: "Ana \"Quick\" Silva, Jr.".into(),
        sector_count: 3,
        session_index: 2,
        started_at_ms: 1_717_000_000_000,
        sm_version: "1.9".into(),
        ac_version: "1.10.2".into(),
        online: true,
        joined_late: false,
        conditions,
    };
    let (car, driver) = (info.car.clone(), info.driver.clone());
    let lap = |n: u32, lap_id: u64, sectors: Vec<Option<u32>>| Lap {
        id: LapId(lap_id),
        session: SessionId(id),
        number: n,
        time_ms: 107_345 + n,
        sectors,
        valid: n != 2,
        invalid_sector: (n == 2).then_some(1),
        out_lap: n == 1,
        in_lap: false,
        partial: n == 1,
        started_at_ms: 1_717_000_100_000 + u64::from(n) * 108_000,
        completed_at_ms: 1_717_000_208_000 + u64::from(n) * 108_000,
        car: pitwall_core::model::Car::new(0, car.clone()),
        driver: driver.clone(),
    };
    SessionWithLaps {
        info,
        ended_at_ms: Some(1_717_000_900_000),
        laps: vec![
            lap(1, BIG_LAP, vec![None, Some(38_000), Some(40_000)]),
            lap(2, 7, vec![Some(31_000), None, Some(30_500)]),
            lap(3, 8, vec![]),
        ],
    }
}

fn conditions() -> Conditions {
    Conditions {
        air_temp_c: 21.3,
        road_temp_c: 28.700_003,
        grip: GripStatus::Optimum,
        rain: RainIntensity::Unknown(9),
    }
}

/// Through the wire shape and JSON text and back.
fn json_round_trip(s: &SessionWithLaps) -> (String, SessionWithLaps) {
    let text = serde_json::to_string(&FullSessionJson::from(s)).unwrap();
    let json: FullSessionJson = serde_json::from_str(&text).unwrap();
    (text, SessionWithLaps::try_from(json).unwrap())
}

#[test]
fn sessions_round_trip_with_big_ids_unknown_sectors_and_conditions() {
    let s = session(BIG_SESSION, SessionType::Race, Some(conditions()));
    let (text, back) = json_round_trip(&s);
    assert_eq!(back, s);
    for expected in [
        r#""id":"fedcba9876543210""#,
        r#""session_type":2,"session_type_label":"RACE""#,
        r#""id":"8000000000000001","session_id":"fedcba9876543210""#,
        r#""sectors":[null,38000,40000]"#,
        r#""sectors":[31000,null,30500]"#,
        r#""sectors":[]"#,
        r#""invalid_sector":1"#,
        r#""conditions":{"air_temp_c":21.3,"road_temp_c":28.700003,"grip":2,"rain":9}"#,
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

#[test]
fn no_conditions_and_unknown_session_types_round_trip() {
    for (session_type, number, label) in [
        (SessionType::Unknown(42), 42, "UNKNOWN(42)"),
        (SessionType::AccUnknown, -1, "UNKNOWN"),
        (SessionType::HotStintSuperpole, 8, "HOTSTINTSUPERPOLE"),
    ] {
        let mut s = session(3, session_type, None);
        s.ended_at_ms = None;
        let (text, back) = json_round_trip(&s);
        assert_eq!(back, s);
        let expected = format!(r#""session_type":{number},"session_type_label":"{label}""#);
        assert!(text.contains(&expected), "{text}");
        assert!(text.contains(r#""ended_at_ms":null"#), "{text}");
        assert!(text.contains(r#""conditions":null"#), "{text}");
    }
}

#[test]
fn temperatures_round_trip_exactly() {
    // A sample of every kind of f32 (random bit patterns), not only friendly decimals.
    let mut bits: u32 = 0x9e37_79b9;
    for _ in 0..200_000 {
        bits ^= bits << 13;
        bits ^= bits >> 17;
        bits ^= bits << 5;
        let t = f32::from_bits(bits);
        if !t.is_finite() {
            continue;
        }
        let c = ConditionsJson {
            air_temp_c: t,
            road_temp_c: -t,
            grip: 0,
            rain: 0,
        };
        let back: ConditionsJson =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back.air_temp_c.to_bits(), t.to_bits());
        assert_eq!(back.road_temp_c.to_bits(), (-t).to_bits());
    }
}

#[test]
fn the_streamed_document_parses_back() {
    let sessions = [
        session(BIG_SESSION, SessionType::Race, Some(conditions())),
        session(5, SessionType::Practice, None),
    ];
    for count in [0, 1, 2] {
        let mut writer = JsonWriter::begin(Vec::new(), 1234).unwrap();
        for s in &sessions[..count] {
            writer.session(s).unwrap();
        }
        let bytes = writer.finish().unwrap();
        let doc: ExportDocument = serde_json::from_slice(&bytes).unwrap();
        assert_eq!((doc.format.as_str(), doc.version), (FORMAT, VERSION));
        let parsed = parse_json(&bytes).unwrap();
        assert_eq!(parsed.exported_at_ms, 1234);
        assert_eq!(parsed.sessions, sessions[..count]);
    }
}

/// An export of one session, as text to edit.
fn document() -> String {
    let mut writer = JsonWriter::begin(Vec::new(), 1).unwrap();
    writer
        .session(&session(BIG_SESSION, SessionType::Race, Some(conditions())))
        .unwrap();
    String::from_utf8(writer.finish().unwrap()).unwrap()
}

fn parse_error(text: &str) -> ExportError {
    match parse_json(text.as_bytes()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e,
    }
}

/// The error's message with its causes.
fn message(e: &ExportError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[test]
fn unknown_fields_are_rejected_everywhere() {
    let doc = document();
    for (from, to) in [
        (r#""version":1,"#, r#""version":1,"comment":"hi","#),
        (r#""track":"#, r#""weather":"sunny","track":"#),
        (r#""time_ms":"#, r#""delta_ms":0,"time_ms":"#),
        (r#""grip":2,"#, r#""grip":2,"wind":3,"#),
    ] {
        assert!(doc.contains(from));
        let e = parse_error(&doc.replacen(from, to, 1));
        assert!(matches!(e, ExportError::Parse(_)), "{e:?}");
        assert!(message(&e).contains("unknown field"), "{}", message(&e));
    }
}

#[test]
fn other_formats_and_versions_are_refused_by_name() {
    let doc = document();
    let e = parse_error(&doc.replacen(r#""version":1"#, r#""version":2"#, 1));
    assert!(matches!(e, ExportError::UnsupportedVersion { .. }), "{e:?}");
    assert!(e.to_string().contains("version 2"), "{e}");
    // A newer version's new fields do not hide the version.
    let newer = doc.replacen(r#""version":1,"#, r#""version":2,"checksum":"x","#, 1);
    assert!(matches!(
        parse_error(&newer),
        ExportError::UnsupportedVersion { .. }
    ));
    let e = parse_error(&doc.replacen(r#""version":1,"#, "", 1));
    assert!(e.to_string().contains("version missing"), "{e}");
    let e = parse_error(&doc.replacen(FORMAT, "lapdb", 1));
    assert!(matches!(e, ExportError::NotAnExport { .. }), "{e:?}");
    assert!(e.to_string().contains("\"lapdb\""), "{e}");
    assert!(matches!(
        parse_error(r#"["pitwall-export", 1, 0, []]"#),
        ExportError::NotAnExport { .. }
    ));
    assert!(matches!(parse_error("{"), ExportError::Parse(_)));
    assert!(matches!(
        parse_error("session_id,track\n"),
        ExportError::NotAnExport { .. }
    ));
}

#[test]
fn a_lap_under_another_session_is_an_error_naming_it() {
    let doc = document().replacen(
        r#""session_id":"fedcba9876543210""#,
        r#""session_id":"0000000000000005""#,
        1,
    );
    let e = parse_error(&doc);
    assert!(
        matches!(e, ExportError::Wire(WireError::LapInWrongSession { .. })),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("lap 8000000000000001 (number 1)"), "{text}");
    assert!(text.contains("session 0000000000000005"), "{text}");
}

#[test]
fn malformed_ids_and_mismatched_labels_are_errors() {
    let doc = document();
    for bad in [
        "fedcba987654321",
        "+edcba9876543210",
        "fedcba98765432100",
        "fedcba987654321g",
    ] {
        let e = parse_error(&doc.replacen("\"fedcba9876543210\"", &format!("\"{bad}\""), 1));
        assert!(
            matches!(e, ExportError::Wire(WireError::BadId { .. })),
            "{bad}: {e:?}"
        );
    }
    let upper = doc.replace("fedcba9876543210", "FEDCBA9876543210");
    assert_eq!(
        parse_json(upper.as_bytes()).unwrap().sessions[0].info.id.0,
        BIG_SESSION
    );
    let e = parse_error(&doc.replacen(
        r#""session_type_label":"RACE""#,
        r#""session_type_label":"PRACTICE""#,
        1,
    ));
    assert!(
        matches!(e, ExportError::Wire(WireError::SessionTypeMismatch { .. })),
        "{e:?}"
    );
    let e = parse_error(&doc.replacen(r#""sector_count":3"#, r#""sector_count":300"#, 1));
    assert!(matches!(e, ExportError::Parse(_)), "{e:?}");
}

#[test]
fn csv_has_a_row_per_lap_with_blank_unknowns() {
    let s = session(BIG_SESSION, SessionType::Race, Some(conditions()));
    let mut writer = CsvWriter::new(Vec::new(), 4).unwrap();
    writer.session(&s, &Default::default()).unwrap();
    writer
        .session(&session(9, SessionType::Hotlap, None), &Default::default())
        .unwrap();
    let text = String::from_utf8(writer.finish().unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 6);
    assert_eq!(
        lines[0],
        format!("{},s1_ms,s2_ms,s3_ms,s4_ms", CSV_COLUMNS.join(","))
    );
    assert_eq!(
        lines[1],
        "fedcba9876543210,monza,ferrari_296_gt3,RACE,\"Ana \"\"Quick\"\" Silva, Jr.\",\
         1717000000000,8000000000000001,1,107346,1:47.346,true,,true,false,true,\
         1717000208000,1717000316000,false,false,normal,-2,,OUT PARTIAL,,38000,40000,"
    );
    assert!(lines[2].contains(",2,107347,1:47.347,false,1,false,false,false,"));
    assert!(lines[2].ends_with(",31000,,30500,"), "{}", lines[2]);
    assert!(lines[3].ends_with(",,,,"), "{}", lines[3]);
    assert!(lines[4].starts_with("0000000000000009,monza,ferrari_296_gt3,HOTLAP,"));
}

#[test]
fn session_types_parse_from_labels_in_any_case_or_numbers() {
    for (text, expected) in [
        ("race", SessionType::Race),
        ("Qualify", SessionType::Qualify),
        ("HOTLAP", SessionType::Hotlap),
        ("time_attack", SessionType::TimeAttack),
        ("hot-stint", SessionType::HotStint),
        ("unknown", SessionType::AccUnknown),
        ("-1", SessionType::AccUnknown),
        ("2", SessionType::Race),
        ("42", SessionType::Unknown(42)),
    ] {
        assert_eq!(parse_session_type(text).unwrap(), expected, "{text}");
    }
    assert!(matches!(
        parse_session_type("sprint"),
        Err(ExportError::UnknownSessionType(_))
    ));
}

#[test]
fn times_parse_as_dates_or_ms() {
    const DAY: u64 = 86_400_000;
    assert_eq!(parse_from("1970-01-01").unwrap(), 0);
    assert_eq!(parse_to("1970-01-01").unwrap(), DAY);
    assert_eq!(parse_from("2024-05-31").unwrap(), 1_717_113_600_000);
    assert_eq!(parse_to("2024-05-31").unwrap(), 1_717_200_000_000);
    assert_eq!(parse_from("2000-03-01").unwrap(), 951_868_800_000);
    assert_eq!(
        parse_from("2024-02-29").unwrap() + DAY,
        parse_from("2024-03-01").unwrap()
    );
    assert_eq!(parse_from("1717000000000").unwrap(), 1_717_000_000_000);
    assert_eq!(parse_to("5").unwrap(), 5);
    for bad in [
        "2023-02-29",
        "1969-12-31",
        "2024-13-01",
        "2024-5-31",
        "yesterday",
        "",
        "-5",
    ] {
        assert!(
            matches!(parse_from(bad), Err(ExportError::BadTime(_))),
            "{bad}"
        );
    }
}

#[test]
fn filters_take_whole_sessions_by_every_condition() {
    let info = session(1, SessionType::Race, None).info;
    let all = SessionFilter::default();
    assert!(all.matches(&info));
    let only = |f: SessionFilter| f.matches(&info);
    assert!(only(SessionFilter {
        track: Some("monza".into()),
        ..all.clone()
    }));
    assert!(!only(SessionFilter {
        track: Some("spa".into()),
        ..all.clone()
    }));
    assert!(!only(SessionFilter {
        car: Some("x".into()),
        ..all.clone()
    }));
    assert!(!only(SessionFilter {
        driver: Some("Ana".into()),
        ..all.clone()
    }));
    assert!(!only(SessionFilter {
        session_type: Some(SessionType::Practice),
        ..all.clone()
    }));
    let start = info.started_at_ms;
    assert!(only(SessionFilter {
        from_ms: Some(start),
        to_ms: Some(start + 1),
        ..all.clone()
    }));
    assert!(!only(SessionFilter {
        from_ms: Some(start + 1),
        ..all.clone()
    }));
    assert!(!only(SessionFilter {
        to_ms: Some(start),
        ..all
    }));
}

#[test]
fn summaries_read_as_sentences() {
    let import = ImportSummary {
        sessions: 5,
        laps: 40,
        sessions_new: 3,
        laps_new: 30,
    };
    assert_eq!(
        import.to_string(),
        "imported 3 sessions, 30 laps new; 2 sessions, 10 laps already stored"
    );
    let one = ImportSummary {
        sessions: 1,
        laps: 1,
        sessions_new: 1,
        laps_new: 0,
    };
    assert_eq!(
        one.to_string(),
        "imported 1 session, 0 laps new; 0 sessions, 1 lap already stored"
    );
    let export = ExportSummary {
        sessions: 1,
        laps: 3,
    };
    assert_eq!(export.to_string(), "exported 1 session, 3 laps");
    assert_eq!("CSV".parse::<ExportFormat>().unwrap(), ExportFormat::Csv);
    assert!("xml".parse::<ExportFormat>().is_err());
}

/// An export written by the pitwall of before the wire shapes moved to `pitwall-live`
/// (format version 1): read, then written again byte for byte.
#[test]
fn an_older_version_1_export_reads_and_writes_back_the_same() {
    let file = include_str!("testdata/v1.json");
    let parsed = parse_json(file.as_bytes()).unwrap();
    assert_eq!(parsed.sessions.len(), 1);
    let s = &parsed.sessions[0];
    assert_eq!(s.info.id, SessionId(0xfedc_ba98_7654_3210));
    assert_eq!(s.info.session_type, SessionType::Race);
    assert_eq!(
        s.info.conditions.map(|c| c.rain),
        Some(RainIntensity::Unknown(9))
    );
    assert_eq!(s.laps[0].sectors, [Some(35_001), None, Some(37_000)]);
    let mut writer = JsonWriter::begin(Vec::new(), parsed.exported_at_ms).unwrap();
    writer.session(s).unwrap();
    assert_eq!(String::from_utf8(writer.finish().unwrap()).unwrap(), file);
}
