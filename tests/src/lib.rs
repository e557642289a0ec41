//! Snapshot and end-to-end tests of the generator and the generated crate live in `tests/`.
