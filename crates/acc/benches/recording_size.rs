//! Recording size at full rate (placeholder until the recording format lands).
fn main() {}
