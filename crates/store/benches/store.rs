//! Store benchmark (written next).

fn main() {}
