//! A snapshot of the emitted `Backend` sub-client, so any change to the generated methods (paths,
//! validation, encoding, docs, options structs) shows up in review.

use std::path::Path;

#[test]
fn backend_sub_client_source() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/clients/backend.rs");
    let source = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    // Line endings do not matter for review; keep the snapshot stable across checkouts.
    let source = source.replace("\r\n", "\n");
    insta::assert_snapshot!("backend_client", source);
}
