//! Snapshot and end-to-end tests of the generator and the generated crate live in `tests/`.
//!
//! The README's Rust example is compiled as a doctest here, so it cannot drift from the
//! generated API.
#![doc = include_str!("../../README.md")]

/// Says on the console, even while the test harness captures output, that a test skipped
/// something because data beside the project (`../shared`) is not there.
pub fn skipped(what: &str) {
    use std::io::Write as _;
    // Straight to the stream: libtest captures only the print macros.
    let _ = writeln!(std::io::stderr(), "skipped: {what}");
}
