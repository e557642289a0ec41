//! The generator turns a spec's `examples/` into tests of the generated crate. This runs that
//! for a fixture whose examples cover what the API Management ones do not (long-running
//! operations via Azure-AsyncOperation and Location, query parameters, a second page) and
//! checks that examples which cannot be mapped are reported by name.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

fn generate() -> generator::Generated {
    let spec = workspace().join("tests/fixtures/with_examples/widgets.yaml");
    let options = generator::Options {
        crate_name: Some("fixture_with_examples".into()),
        spec_label: Some("tests/fixtures/with_examples/widgets.yaml".into()),
        workspace_member: false,
        ..Default::default()
    };
    generator::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn unmappable_examples_are_named_with_the_reason() {
    let generated = generate();
    assert_eq!(generated.examples, 5, "five of the seven examples fit their operations");
    assert_eq!(
        generated.example_problems,
        [
            "GetWidgetWithoutName.json: required parameter `widgetName` not found",
            "PaintWidget.json: operation `Widgets_Paint` is not in the spec",
        ]
    );
}

/// Azure's own examples of API Management 2024-05-01: each is a test, or is reported with the
/// defect that keeps it from being one (the generated crate's `EXAMPLES.md` lists them).
#[test]
fn the_api_management_examples_become_tests_or_are_reported() {
    let spec =
        workspace().join("spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01");
    let api = generator::load_model(&spec, "2024-05-01").unwrap_or_else(|e| panic!("{e}"));
    let examples: usize = api.groups.iter().flat_map(|g| &g.operations).map(|op| op.examples.len()).sum();
    assert_eq!(examples, 651, "{:#?}", api.example_problems);
    assert_eq!(api.example_problems.len(), 32, "{:#?}", api.example_problems);
    let count = |needle: &str| api.example_problems.iter().filter(|p| p.contains(needle)).count();
    // Nine files the spec names are not in the index the data was copied from.
    assert_eq!(count("No such file"), 9);
    // The rest are defects of the examples themselves, each named.
    assert_eq!(count("is not a parameter of"), 18);
    assert_eq!(count("required parameter"), 2);
    assert_eq!(count("the URL of the final result"), 2);
    assert_eq!(count("does not list"), 1);
}

/// Builds the fixture's crate beside the workspace (sharing its lock file and the compile
/// check's target folder, so dependencies are built once) and runs its generated tests.
#[test]
fn generated_example_tests_pass() {
    let root = workspace();
    let out = root.join("target/example-tests/fixture_with_examples");
    generator::output::write(&out, &generate().files).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--test", "examples"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join("target/compile-check-target"))
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the generated example tests failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("10 passed"), "5 examples, 2 harness checks, 3 support checks:\n{stdout}");
}
