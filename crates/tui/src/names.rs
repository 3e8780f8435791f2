//! Readable names for the screens: the single place that turns the game's ids (track, car,
//! session type) into words, so every screen shows the same names.

use std::borrow::Cow;

use pitwall_acc::enums::SessionType;
use pitwall_core::names;

/// A track id (`brands_hatch`) as people say it (`Brands Hatch`).
pub fn track(id: &str) -> Cow<'static, str> {
    names::track_name(id)
}

/// A car model id (`mclaren_720s_gt3_evo`) as people say it.
pub fn car(id: &str) -> Cow<'static, str> {
    names::car_name(id)
}

/// A session type in words (`Practice`, `Qualifying`, …).
pub fn session_type(session_type: SessionType) -> Cow<'static, str> {
    names::session_type_name(session_type)
}

/// A session type label as the live feed sends it (`PRACTICE`) in words; labels the game
/// does not document are shown as sent.
pub fn session_label(label: &str) -> Cow<'static, str> {
    match SessionType::ALL.iter().find(|t| t.label() == label) {
        Some(&t) => session_type(t),
        None => Cow::Owned(label.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_words() {
        assert_eq!(track("brands_hatch"), "Brands Hatch");
        assert_eq!(car("mclaren_720s_gt3_evo"), "McLaren 720S GT3 Evo");
        assert_eq!(session_label("QUALIFY"), "Qualifying");
        assert_eq!(session_label("SOMETHING"), "SOMETHING");
    }
}
