//! `make bench` (placeholder, being written).
fn main() {}
