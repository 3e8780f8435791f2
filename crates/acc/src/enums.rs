//! Typed views of the `int32` enums in the pages (ACC_STATUS, ACC_SESSION_TYPE, ACC_FLAG_TYPE,
//! ACC_PENALTY_TYPE, ACC_TRACK_GRIP_STATUS, ACC_RAIN_INTENSITY).
//!
//! Every enum keeps values the reference does not list as `Unknown(raw)`: a new game build or a
//! glitch (penalty 22, session -1) must neither panic nor be silently mapped to a default.

macro_rules! acc_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal => $label:literal),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value the v1.8.12 reference does not list, kept as read.
            Unknown(i32),
        }

        impl From<i32> for $name {
            fn from(raw: i32) -> Self {
                match raw {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl From<$name> for i32 {
            fn from(value: $name) -> i32 {
                match value {
                    $($name::$variant => $value,)*
                    $name::Unknown(raw) => raw,
                }
            }
        }

        impl $name {
            /// Every documented value, in the order of the reference.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The ACC name of the value (`ACC_` prefix omitted), or `UNKNOWN(n)`.
            pub fn label(self) -> std::borrow::Cow<'static, str> {
                match self {
                    $(Self::$variant => std::borrow::Cow::Borrowed($label),)*
                    Self::Unknown(raw) => std::borrow::Cow::Owned(format!("UNKNOWN({raw})")),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.label())
            }
        }
    };
}

acc_enum! {
    /// `graphics.status`: what the game is doing.
    Status {
        /// Not in a session (menus), or the game has not written the page yet.
        Off = 0 => "OFF",
        /// Watching a replay: the pages describe the focused car.
        Replay = 1 => "REPLAY",
        /// Driving.
        Live = 2 => "LIVE",
        /// Paused: the physics page is zeroed.
        Pause = 3 => "PAUSE",
    }
}

acc_enum! {
    /// `graphics.session`: the session type. `-1` is ACC's UNKNOWN, which also flickers briefly
    /// during running sessions.
    SessionType {
        /// ACC_UNKNOWN (-1).
        AccUnknown = -1 => "UNKNOWN",
        /// Practice.
        Practice = 0 => "PRACTICE",
        /// Qualifying.
        Qualify = 1 => "QUALIFY",
        /// Race.
        Race = 2 => "RACE",
        /// Hotlap.
        Hotlap = 3 => "HOTLAP",
        /// Time attack.
        TimeAttack = 4 => "TIMEATTACK",
        /// Drift.
        Drift = 5 => "DRIFT",
        /// Drag.
        Drag = 6 => "DRAG",
        /// Hot stint.
        HotStint = 7 => "HOTSTINT",
        /// Hot stint superpole (some headers: HOTLAPSUPERPOLE).
        HotStintSuperpole = 8 => "HOTSTINTSUPERPOLE",
    }
}

acc_enum! {
    /// `graphics.flag`: the flag shown to the player.
    Flag {
        /// No flag.
        None = 0 => "NO_FLAG",
        /// Blue.
        Blue = 1 => "BLUE_FLAG",
        /// Yellow.
        Yellow = 2 => "YELLOW_FLAG",
        /// Black.
        Black = 3 => "BLACK_FLAG",
        /// White (slow car ahead).
        White = 4 => "WHITE_FLAG",
        /// Chequered.
        Checkered = 5 => "CHECKERED_FLAG",
        /// Penalty.
        Penalty = 6 => "PENALTY_FLAG",
        /// Green.
        Green = 7 => "GREEN_FLAG",
        /// Orange (damage).
        Orange = 8 => "ORANGE_FLAG",
    }
}

acc_enum! {
    /// `graphics.penalty`: the pending penalty. Value 22 (seen in game) stays `Unknown(22)`.
    Penalty {
        /// No penalty.
        None = 0 => "None",
        /// Drive-through for cutting.
        DriveThroughCutting = 1 => "DriveThrough_Cutting",
        /// Stop-and-go 10 s for cutting.
        StopAndGo10Cutting = 2 => "StopAndGo_10_Cutting",
        /// Stop-and-go 20 s for cutting.
        StopAndGo20Cutting = 3 => "StopAndGo_20_Cutting",
        /// Stop-and-go 30 s for cutting.
        StopAndGo30Cutting = 4 => "StopAndGo_30_Cutting",
        /// Disqualified for cutting.
        DisqualifiedCutting = 5 => "Disqualified_Cutting",
        /// Best lap time removed for cutting.
        RemoveBestLaptimeCutting = 6 => "RemoveBestLaptime_Cutting",
        /// Drive-through for pit speeding.
        DriveThroughPitSpeeding = 7 => "DriveThrough_PitSpeeding",
        /// Stop-and-go 10 s for pit speeding.
        StopAndGo10PitSpeeding = 8 => "StopAndGo_10_PitSpeeding",
        /// Stop-and-go 20 s for pit speeding.
        StopAndGo20PitSpeeding = 9 => "StopAndGo_20_PitSpeeding",
        /// Stop-and-go 30 s for pit speeding.
        StopAndGo30PitSpeeding = 10 => "StopAndGo_30_PitSpeeding",
        /// Disqualified for pit speeding.
        DisqualifiedPitSpeeding = 11 => "Disqualified_PitSpeeding",
        /// Best lap time removed for pit speeding.
        RemoveBestLaptimePitSpeeding = 12 => "RemoveBestLaptime_PitSpeeding",
        /// Disqualified for ignoring the mandatory pit stop.
        DisqualifiedIgnoredMandatoryPit = 13 => "Disqualified_IgnoredMandatoryPit",
        /// Post-race time penalty.
        PostRaceTime = 14 => "PostRaceTime",
        /// Disqualified for trolling.
        DisqualifiedTrolling = 15 => "Disqualified_Trolling",
        /// Disqualified at pit entry.
        DisqualifiedPitEntry = 16 => "Disqualified_PitEntry",
        /// Disqualified at pit exit.
        DisqualifiedPitExit = 17 => "Disqualified_PitExit",
        /// Disqualified for driving the wrong way.
        DisqualifiedWrongway = 18 => "Disqualified_Wrongway",
        /// Drive-through for ignoring the driver stint.
        DriveThroughIgnoredDriverStint = 19 => "DriveThrough_IgnoredDriverStint",
        /// Disqualified for ignoring the driver stint.
        DisqualifiedIgnoredDriverStint = 20 => "Disqualified_IgnoredDriverStint",
        /// Disqualified for exceeding the driver stint limit.
        DisqualifiedExceededDriverStintLimit = 21 => "Disqualified_ExceededDriverStintLimit",
    }
}

acc_enum! {
    /// `graphics.trackGripStatus`.
    GripStatus {
        /// Green track.
        Green = 0 => "GREEN",
        /// Fast.
        Fast = 1 => "FAST",
        /// Optimum.
        Optimum = 2 => "OPTIMUM",
        /// Greasy.
        Greasy = 3 => "GREASY",
        /// Damp.
        Damp = 4 => "DAMP",
        /// Wet.
        Wet = 5 => "WET",
        /// Flooded.
        Flooded = 6 => "FLOODED",
    }
}

acc_enum! {
    /// `graphics.rainIntensity` and its 10- and 30-minute forecasts.
    RainIntensity {
        /// No rain.
        NoRain = 0 => "NO_RAIN",
        /// Drizzle.
        Drizzle = 1 => "DRIZZLE",
        /// Light rain.
        LightRain = 2 => "LIGHT_RAIN",
        /// Medium rain.
        MediumRain = 3 => "MEDIUM_RAIN",
        /// Heavy rain.
        HeavyRain = 4 => "HEAVY_RAIN",
        /// Thunderstorm.
        Thunderstorm = 5 => "THUNDERSTORM",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip() {
        for &s in SessionType::ALL {
            assert_eq!(SessionType::from(i32::from(s)), s);
        }
        for &p in Penalty::ALL {
            assert_eq!(Penalty::from(i32::from(p)), p);
        }
        assert_eq!(Penalty::ALL.len(), 22);
        assert_eq!(Flag::ALL.len(), 9);
    }

    #[test]
    fn unknown_values_are_kept() {
        assert_eq!(Penalty::from(22), Penalty::Unknown(22));
        assert_eq!(i32::from(Penalty::from(22)), 22);
        assert_eq!(Status::from(7), Status::Unknown(7));
        assert_eq!(Flag::from(-3), Flag::Unknown(-3));
        assert_eq!(SessionType::from(-1), SessionType::AccUnknown);
        assert_eq!(SessionType::from(9).to_string(), "UNKNOWN(9)");
        assert_eq!(RainIntensity::from(6), RainIntensity::Unknown(6));
        assert_eq!(GripStatus::from(2), GripStatus::Optimum);
    }
}
