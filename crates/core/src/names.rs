//! Readable names for what the game identifies by id: ACC's car model ids (`carModel` of the
//! static page, e.g. `mclaren_720s_gt3_evo`), track ids (`track`, e.g. `brands_hatch`) and
//! session types. Every front end shows these instead of the raw ids.
//!
//! Ids the tables do not know (a car from a newer release, a mod, a track with a year suffix
//! such as `spa_2019`) still get a readable name: a year suffix is split off a known track, and
//! anything else that looks like an id is prettified word by word (`new_car_gt3` →
//! `New Car GT3`). A string that does not look like an id is returned as it is: it is data,
//! never markup, and front ends escape it like any other.

use std::borrow::Cow;

use pitwall_acc::enums::SessionType;

/// ACC's car classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CarClass {
    /// GT3.
    Gt3,
    /// GT4.
    Gt4,
    /// GT2.
    Gt2,
    /// One-make cup and challenge cars (Porsche Cup, Super Trofeo, Ferrari Challenge).
    Gtc,
    /// BMW M2 CS Racing.
    Tcx,
}

impl CarClass {
    /// The class as the game labels it.
    pub fn label(self) -> &'static str {
        match self {
            CarClass::Gt3 => "GT3",
            CarClass::Gt4 => "GT4",
            CarClass::Gt2 => "GT2",
            CarClass::Gtc => "GTC",
            CarClass::Tcx => "TCX",
        }
    }
}

/// A car ACC knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Car {
    /// The game's model id.
    pub id: &'static str,
    /// Its readable name.
    pub name: &'static str,
    /// Its class.
    pub class: CarClass,
}

/// A track ACC knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Track {
    /// The game's track id.
    pub id: &'static str,
    /// Its readable name.
    pub name: &'static str,
}

const fn car(id: &'static str, name: &'static str, class: CarClass) -> Car {
    Car { id, name, class }
}

const fn track(id: &'static str, name: &'static str) -> Track {
    Track { id, name }
}

use CarClass::{Gt2, Gt3, Gt4, Gtc, Tcx};

/// Every car of ACC's base game and packs (GT3, GT4, GT2, cup and challenge cars, TCX).
pub const CARS: &[Car] = &[
    car("amr_v12_vantage_gt3", "Aston Martin V12 Vantage GT3", Gt3),
    car("amr_v8_vantage_gt3", "Aston Martin V8 Vantage GT3", Gt3),
    car("audi_r8_lms", "Audi R8 LMS", Gt3),
    car("audi_r8_lms_evo", "Audi R8 LMS Evo", Gt3),
    car("audi_r8_lms_evo_ii", "Audi R8 LMS Evo II", Gt3),
    car(
        "bentley_continental_gt3_2016",
        "Bentley Continental GT3 (2015)",
        Gt3,
    ),
    car(
        "bentley_continental_gt3_2018",
        "Bentley Continental GT3 (2018)",
        Gt3,
    ),
    car("bmw_m4_gt3", "BMW M4 GT3", Gt3),
    car("bmw_m6_gt3", "BMW M6 GT3", Gt3),
    car("ferrari_296_gt3", "Ferrari 296 GT3", Gt3),
    car("ferrari_488_gt3", "Ferrari 488 GT3", Gt3),
    car("ferrari_488_gt3_evo", "Ferrari 488 GT3 Evo", Gt3),
    car("ford_mustang_gt3", "Ford Mustang GT3", Gt3),
    car("honda_nsx_gt3", "Honda NSX GT3", Gt3),
    car("honda_nsx_gt3_evo", "Honda NSX GT3 Evo", Gt3),
    car("jaguar_g3", "Emil Frey Jaguar G3", Gt3),
    car(
        "lamborghini_gallardo_rex",
        "Reiter Engineering R-EX GT3",
        Gt3,
    ),
    car("lamborghini_huracan_gt3", "Lamborghini Huracán GT3", Gt3),
    car(
        "lamborghini_huracan_gt3_evo",
        "Lamborghini Huracán GT3 Evo",
        Gt3,
    ),
    car(
        "lamborghini_huracan_gt3_evo2",
        "Lamborghini Huracán GT3 Evo 2",
        Gt3,
    ),
    car("lexus_rc_f_gt3", "Lexus RC F GT3", Gt3),
    car("mclaren_650s_gt3", "McLaren 650S GT3", Gt3),
    car("mclaren_720s_gt3", "McLaren 720S GT3", Gt3),
    car("mclaren_720s_gt3_evo", "McLaren 720S GT3 Evo", Gt3),
    car("mercedes_amg_gt3", "Mercedes-AMG GT3", Gt3),
    car("mercedes_amg_gt3_evo", "Mercedes-AMG GT3 Evo", Gt3),
    car("nissan_gt_r_gt3_2017", "Nissan GT-R Nismo GT3 (2015)", Gt3),
    car("nissan_gt_r_gt3_2018", "Nissan GT-R Nismo GT3 (2018)", Gt3),
    car("porsche_991_gt3_r", "Porsche 911 GT3 R (991)", Gt3),
    car("porsche_991ii_gt3_r", "Porsche 911 II GT3 R (991.2)", Gt3),
    car("porsche_992_gt3_r", "Porsche 911 GT3 R (992)", Gt3),
    car("alpine_a110_gt4", "Alpine A110 GT4", Gt4),
    car("amr_v8_vantage_gt4", "Aston Martin Vantage GT4", Gt4),
    car("audi_r8_gt4", "Audi R8 LMS GT4", Gt4),
    car("bmw_m4_gt4", "BMW M4 GT4", Gt4),
    car("chevrolet_camaro_gt4r", "Chevrolet Camaro GT4.R", Gt4),
    car("ginetta_g55_gt4", "Ginetta G55 GT4", Gt4),
    car("ktm_xbow_gt4", "KTM X-Bow GT4", Gt4),
    car("maserati_mc_gt4", "Maserati GranTurismo MC GT4", Gt4),
    car("mclaren_570s_gt4", "McLaren 570S GT4", Gt4),
    car("mercedes_amg_gt4", "Mercedes-AMG GT4", Gt4),
    car(
        "porsche_718_cayman_gt4_mr",
        "Porsche 718 Cayman GT4 MR",
        Gt4,
    ),
    car("audi_r8_lms_gt2", "Audi R8 LMS GT2", Gt2),
    car("ktm_xbow_gt2", "KTM X-Bow GT2", Gt2),
    car("maserati_mc20_gt2", "Maserati MC20 GT2", Gt2),
    car("mercedes_amg_gt2", "Mercedes-AMG GT2", Gt2),
    car("porsche_935", "Porsche 935", Gt2),
    car(
        "porsche_991ii_gt2_rs_cs_evo",
        "Porsche 911 GT2 RS Clubsport Evo",
        Gt2,
    ),
    car(
        "ferrari_488_challenge_evo",
        "Ferrari 488 Challenge Evo",
        Gtc,
    ),
    car(
        "lamborghini_huracan_st",
        "Lamborghini Huracán Super Trofeo",
        Gtc,
    ),
    car(
        "lamborghini_huracan_st_evo2",
        "Lamborghini Huracán Super Trofeo Evo 2",
        Gtc,
    ),
    car(
        "porsche_991ii_gt3_cup",
        "Porsche 911 II GT3 Cup (991.2)",
        Gtc,
    ),
    car("porsche_992_gt3_cup", "Porsche 911 GT3 Cup (992)", Gtc),
    car("bmw_m2_cs_racing", "BMW M2 CS Racing", Tcx),
];

/// Every track of ACC's base game and packs.
pub const TRACKS: &[Track] = &[
    track("barcelona", "Barcelona"),
    track("brands_hatch", "Brands Hatch"),
    track("cota", "Circuit of the Americas"),
    track("donington", "Donington Park"),
    track("hungaroring", "Hungaroring"),
    track("imola", "Imola"),
    track("indianapolis", "Indianapolis"),
    track("kyalami", "Kyalami"),
    track("laguna_seca", "Laguna Seca"),
    track("misano", "Misano"),
    track("monza", "Monza"),
    track("mount_panorama", "Mount Panorama (Bathurst)"),
    track("nurburgring", "Nürburgring"),
    track("nurburgring_24h", "Nürburgring 24h"),
    track("oulton_park", "Oulton Park"),
    track("paul_ricard", "Paul Ricard"),
    track("red_bull_ring", "Red Bull Ring"),
    track("silverstone", "Silverstone"),
    track("snetterton", "Snetterton"),
    track("spa", "Spa-Francorchamps"),
    track("suzuka", "Suzuka"),
    track("valencia", "Valencia"),
    track("watkins_glen", "Watkins Glen"),
    track("zandvoort", "Zandvoort"),
    track("zolder", "Zolder"),
];

/// The car with model id `id`, if ACC has it.
pub fn find_car(id: &str) -> Option<&'static Car> {
    CARS.iter().find(|c| c.id == id)
}

/// The track with id `id`, if ACC has it.
pub fn find_track(id: &str) -> Option<&'static Track> {
    TRACKS.iter().find(|t| t.id == id)
}

/// A car's readable name: the table's, else the id prettified.
pub fn car_name(id: &str) -> Cow<'static, str> {
    match find_car(id) {
        Some(car) => Cow::Borrowed(car.name),
        None => prettify(id),
    }
}

/// A car's class label (`GT3`, …), when the car is known.
pub fn car_class(id: &str) -> Option<&'static str> {
    find_car(id).map(|c| c.class.label())
}

/// A track's readable name: the table's; for a known track with a year suffix
/// (`spa_2019`), its name and the year; else the id prettified.
pub fn track_name(id: &str) -> Cow<'static, str> {
    if let Some(track) = find_track(id) {
        return Cow::Borrowed(track.name);
    }
    let with_year = id
        .rsplit_once('_')
        .filter(|(_, year)| is_year(year))
        .and_then(|(base, year)| Some((find_track(base)?, year)));
    match with_year {
        Some((track, year)) => Cow::Owned(format!("{} {year}", track.name)),
        None => prettify(id),
    }
}

/// A session type in words: `Practice`, `Qualifying`, `Race`, …
pub fn session_type_name(session_type: SessionType) -> Cow<'static, str> {
    Cow::Borrowed(match session_type {
        SessionType::Practice => "Practice",
        SessionType::Qualify => "Qualifying",
        SessionType::Race => "Race",
        SessionType::Hotlap => "Hotlap",
        SessionType::TimeAttack => "Time attack",
        SessionType::Drift => "Drift",
        SessionType::Drag => "Drag",
        SessionType::HotStint => "Hot stint",
        SessionType::HotStintSuperpole => "Superpole",
        SessionType::AccUnknown => "Unknown",
        other => return Cow::Owned(other.to_string()),
    })
}

/// Words that are written in capitals when an unknown id is prettified.
const CAPITALS: &[&str] = &[
    "gt", "gt2", "gt3", "gt4", "gtc", "tcx", "amg", "bmw", "amr", "ktm", "lms", "rs", "cs", "st",
    "mc", "nsx", "gp", "us", "uk",
];

/// An id made readable: words split at `_` and `-`, each capitalised (racing abbreviations
/// in capitals). An empty id reads `Unknown`; a string with other characters than ASCII
/// letters, digits, `_` and `-` is not an id and is returned unchanged.
pub fn prettify(id: &str) -> Cow<'static, str> {
    if id.is_empty() {
        return Cow::Borrowed("Unknown");
    }
    let id_like = id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !id_like {
        return Cow::Owned(id.to_owned());
    }
    let words: Vec<String> = id
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            if CAPITALS.contains(&lower.as_str()) {
                lower.to_ascii_uppercase()
            } else {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            }
        })
        .collect();
    if words.is_empty() {
        return Cow::Owned(id.to_owned());
    }
    Cow::Owned(words.join(" "))
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.starts_with("20") && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ids_have_their_names() {
        assert_eq!(car_name("mclaren_720s_gt3_evo"), "McLaren 720S GT3 Evo");
        assert_eq!(car_name("bmw_m2_cs_racing"), "BMW M2 CS Racing");
        assert_eq!(car_class("porsche_992_gt3_cup"), Some("GTC"));
        assert_eq!(car_class("maserati_mc20_gt2"), Some("GT2"));
        assert_eq!(track_name("brands_hatch"), "Brands Hatch");
        assert_eq!(track_name("cota"), "Circuit of the Americas");
    }

    #[test]
    fn every_class_is_covered_and_ids_are_unique() {
        for class in [Gt3, Gt4, Gt2, Gtc, Tcx] {
            assert!(CARS.iter().any(|c| c.class == class), "{class:?}");
        }
        let mut ids: Vec<&str> = CARS.iter().map(|c| c.id).collect();
        ids.extend(TRACKS.iter().map(|t| t.id));
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate ids");
        assert_eq!(TRACKS.len(), 25);
    }

    #[test]
    fn unknown_ids_are_prettified() {
        assert_eq!(car_name("new_car_gt3_evo"), "New Car GT3 Evo");
        assert_eq!(track_name("spa_2019"), "Spa-Francorchamps 2019");
        assert_eq!(track_name("some-new_track"), "Some New Track");
        assert_eq!(track_name("ring_2019"), "Ring 2019");
        assert_eq!(track_name(""), "Unknown");
        assert_eq!(track_name("__"), "__");
    }

    #[test]
    fn strings_that_are_not_ids_are_kept_as_they_are() {
        let hostile = "<script>alert(1)</script>";
        assert_eq!(track_name(hostile), hostile);
        assert_eq!(car_name("Tom & \"Jerry\""), "Tom & \"Jerry\"");
    }

    #[test]
    fn session_types_read_as_words() {
        assert_eq!(session_type_name(SessionType::Qualify), "Qualifying");
        assert_eq!(session_type_name(SessionType::HotStint), "Hot stint");
    }
}
