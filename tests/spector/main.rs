//! The Spector resource-manager scenarios (`@azure-tools/azure-http-specs`), one test per
//! scenario, each calling a crate generated from the scenario's Swagger as a user would and
//! asserting what the scenario's description expects. `cargo xtask spector` builds the crates,
//! starts the mock server and runs these; a plain `cargo test` does not compile them.

mod support;

mod common_properties;
mod large_header;
mod method_subscription_id;
mod multi_service;
mod non_resource;
mod operation_templates;
mod resources;
