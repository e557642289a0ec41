//! Snapshot and end-to-end tests of the generator and the generated crate live in `tests/`.
//!
//! The README's Rust example is compiled as a doctest here, so it cannot drift from the
//! generated API.
#![doc = include_str!("../../README.md")]
