//! The simulator: writes ACC-shaped pages from scenario scripts (placeholder).
