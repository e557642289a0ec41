//! `cargo xtask spector`: the client against Azure's own generator test suite, the Spector
//! resource-manager scenarios (`@azure-tools/azure-http-specs`, served by `@typespec/spector`).
//!
//! 1. [`node`] installs the pinned npm packages into `target/spector/node` and compiles each
//!    scenario's TypeSpec to Swagger 2.0 with `typespec-autorest` (common-types references point
//!    at the project's own `spec/specification/common-types`).
//! 2. Each Swagger becomes a crate with this generator, in a scratch workspace beside a test
//!    crate whose tests are the hand-written `tests/spector/*.rs` (one per scenario, calling the
//!    generated clients as a user would).
//! 3. `tsp-spector serve` runs on a free loopback port; the tests run against it; the server is
//!    stopped and its coverage file read: scenarios passed out of those of the resource-manager
//!    part, by group.
//!
//! Nothing but the npm registry and loopback is used. A plain `cargo test` never needs Node.

mod coverage;
mod node;

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Each scenario folder and the crates made from it: (crate, the Swagger's path below the
/// scenario's output folder). Multi-service scenarios are two services, so two crates, each at
/// the version its mock answers.
const CRATES: &[(&str, &str, &str)] = &[
    ("common-properties", "spector_common_properties", "preview/2023-12-01-preview/openapi.json"),
    ("large-header", "spector_large_header", "preview/2023-12-01-preview/openapi.json"),
    ("method-subscription-id", "spector_method_subscription_id", "preview/2023-12-01-preview/openapi.json"),
    ("non-resource", "spector_non_resource", "preview/2023-12-01-preview/openapi.json"),
    ("operation-templates", "spector_operation_templates", "preview/2023-12-01-preview/openapi.json"),
    ("resources", "spector_resources", "preview/2023-12-01-preview/openapi.json"),
    (
        "multi-service",
        "spector_multi_service_compute",
        "Azure.ResourceManager.MultiService.Compute/stable/2025-04-01/openapi.json",
    ),
    (
        "multi-service",
        "spector_multi_service_disk",
        "Azure.ResourceManager.MultiService.ComputeDisk/stable/2025-01-02/openapi.json",
    ),
    (
        "multi-service-older-versions",
        "spector_older_compute",
        "Azure.ResourceManager.MultiServiceOlderVersions.Compute/stable/2024-11-01/openapi.json",
    ),
    (
        "multi-service-older-versions",
        "spector_older_disk",
        "Azure.ResourceManager.MultiServiceOlderVersions.ComputeDisk/stable/2024-03-02/openapi.json",
    ),
    (
        "multi-service-shared-models",
        "spector_shared_compute",
        "Azure.ResourceManager.MultiServiceSharedModels.Compute/stable/2025-05-01/openapi.json",
    ),
    (
        "multi-service-shared-models",
        "spector_shared_storage",
        "Azure.ResourceManager.MultiServiceSharedModels.Storage/stable/2025-02-01/openapi.json",
    ),
];

/// Dependencies of the test crate besides the generated crates (versions as the workspace's).
const TEST_DEPS: &str = r#"azure_core = "1.1"
async-trait = "0.1"
futures = "0.3"
serde_json = "1"
time = "0.3"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

pub fn run() -> ExitCode {
    match spector() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: spector: {error}");
            ExitCode::FAILURE
        }
    }
}

fn spector() -> Result<bool> {
    let root = crate::workspace_root();
    let scratch = root.join("target/spector");
    let node = scratch.join("node");
    node::install(&node)?;
    let swagger = scratch.join("swagger");
    let common_types = root.join("spec/specification/common-types/resource-management");
    let mut folders: Vec<&str> = CRATES.iter().map(|(folder, _, _)| *folder).collect();
    folders.dedup();
    for folder in &folders {
        node::compile(&node, folder, &swagger.join(folder), &common_types)?;
    }
    let work = scratch.join("work");
    write_workspace(&root, &swagger, &work)?;
    let server = node::Server::start(&node, &root, &scratch.join("coverage.json"))?;
    eprintln!("spector: running the scenario tests against {}", server.endpoint);
    let tests = crate::cargo::cargo_in(
        &work,
        &scratch.join("target"),
        &["test", "-p", "spector_tests", "--", "--test-threads=4"],
    )
    .env("SPECTOR_ENDPOINT", &server.endpoint)
    .status()?;
    let coverage_file = server.stop()?;
    let report = coverage::read(&coverage_file)?;
    println!("{}", report.render());
    Ok(tests.success() && report.all_passed())
}

/// The scratch workspace: one member per generated crate and the test crate.
fn write_workspace(root: &Path, swagger: &Path, work: &Path) -> Result<()> {
    std::fs::create_dir_all(work)?;
    let mut members = Vec::new();
    let mut deps = String::new();
    for (folder, name, file) in CRATES {
        let spec = swagger.join(folder).join(file);
        let options = generator::Options {
            crate_name: Some((*name).to_owned()),
            spec_label: Some(format!("spector/{folder}/{file}")),
            workspace_member: true,
            spec_root: Some(root.to_path_buf()),
            ..Default::default()
        };
        let generated = generator::generate(&spec, &options)?;
        for warning in &generated.warnings {
            eprintln!("spector: {name}: warning: {warning}");
        }
        generator::output::write(&work.join(name), &generated.files)?;
        eprintln!("spector: generated {name} ({} operations)", generated.operations);
        members.push(format!("{name:?}"));
        let _ = writeln!(deps, "{name} = {{ path = \"../{name}\" }}");
    }
    members.push("\"spector_tests\"".to_owned());
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(work.join("Cargo.toml"), manifest)?;
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))?;
    let tests_dir = root.join("tests/spector");
    let test_crate = work.join("spector_tests");
    std::fs::create_dir_all(test_crate.join("src"))?;
    std::fs::write(test_crate.join("src/lib.rs"), "//! The Spector scenario tests live in `tests/spector/`.\n")?;
    let main = tests_dir.join("main.rs").display().to_string();
    let cargo = format!(
        "[package]\nname = \"spector_tests\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{deps}{TEST_DEPS}\n[[test]]\nname = \"spector\"\npath = {main:?}\n"
    );
    std::fs::write(test_crate.join("Cargo.toml"), cargo)?;
    Ok(())
}
