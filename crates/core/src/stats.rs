//! Statistics over completed laps (placeholder).
