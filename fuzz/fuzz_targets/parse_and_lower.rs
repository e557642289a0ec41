//! Arbitrary bytes → `load::parse` → `lower::lower`. Errors are fine; a panic, hang or abort is a bug.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `load::load` refuses non-UTF-8 files before parsing; do the same.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = generator::load::parse(text, "fuzz.yaml") else { return };
    let _ = generator::lower::lower(&doc);
});
