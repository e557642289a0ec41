//! Regenerating into a folder that holds an earlier generation versions the crate by what
//! changed for callers: `tests/fixtures/bump/v1.yaml` → `v2.yaml` removes a method, adds a
//! required argument, retypes a field and gives a closed enum a value (breaking), adds an
//! optional argument, an optional field and a value of an extensible enum (features).

use generator::output;
use generator::surface::{Impact, Verdict};
use generator::{Generated, Options};
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bump").join(name)
}

/// A fresh folder under the target directory, named for the test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Generates `spec` into `out` as `cargo xtask codegen --spec … --out …` does.
fn generate_into(spec: &Path, out: &Path) -> Generated {
    let previous = output::previous(out).unwrap_or_else(|e| panic!("{e}"));
    let options = Options {
        previous,
        spec_label: Some(spec.file_name().unwrap().to_string_lossy().into()),
        ..Default::default()
    };
    let generated = generator::generate(spec, &options).unwrap_or_else(|e| panic!("{e}"));
    output::write(out, &generated.files).unwrap_or_else(|e| panic!("{e}"));
    generated
}

fn file(out: &Path, name: &str) -> String {
    fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_bump_with_breaking_changes_is_a_major_release_with_a_changelog_section() {
    let out = scratch("release-bump");
    let first = generate_into(&fixture("v1.yaml"), &out);
    assert_eq!(first.version, "0.1.0");
    assert!(first.since.is_none());
    assert!(file(&out, "Cargo.toml").contains("\nversion = \"0.1.0\"\n"));

    let second = generate_into(&fixture("v2.yaml"), &out);
    let since = second.since.as_ref().expect("compared with the first generation");
    let lines: Vec<String> = since.report.changes.iter().map(|c| format!("{:?}: {}", c.impact, c.text)).collect();
    assert_eq!(
        lines,
        [
            "Breaking: enum `Finish`: new value \"satin\"",
            "Breaking: field `Widget.size`: type `Option<i32>` is now `Option<i64>`",
            "Breaking: method `widgets.delete`: new required argument `if_match: &str`",
            "Breaking: Removed method `widgets.polish`",
            "Added: enum `Color`: new value \"green\"",
            "Added: Added field `Widget.label`",
            "Added: Added option field `WidgetsClient2ListOptions.top`",
        ]
    );
    assert_eq!((since.verdict, since.version.as_str(), second.version.as_str()), (Verdict::Major, "0.1.0", "0.2.0"));
    assert!(file(&out, "Cargo.toml").contains("\nversion = \"0.2.0\"\n"));
    let changelog = file(&out, "CHANGELOG.md");
    let sections: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ") || l.starts_with("### ")).collect();
    assert_eq!(
        sections,
        [
            "## 0.2.0",
            "### Breaking Changes",
            "### Features Added",
            "### Other Changes",
            "## 0.1.0",
            "### Features Added"
        ]
    );
    assert!(changelog.contains("- Generated from API version `2025-01-01` (was `2024-01-01`).\n"), "{changelog}");
    assert!(file(&out, "API.md").contains(
        "\nmethod widgets.delete(name: &str, if_match: &str, options: Option<WidgetsClient2DeleteOptions>) -> Response<()>\n"
    ));

    // The same spec again: nothing changes, so `--check` passes on what was written.
    let third = generate_into(&fixture("v2.yaml"), &out);
    assert_eq!(third.since.as_ref().map(|s| s.verdict), Some(Verdict::None));
    assert_eq!(third.version, "0.2.0");
    assert!(output::changes(&out, &third.files).unwrap_or_else(|e| panic!("{e}")).is_empty());
}

#[test]
fn features_alone_are_a_minor_release() {
    let out = scratch("release-minor");
    generate_into(&fixture("v1.yaml"), &out);
    // Hand the next generation an API.md without the field `label` the spec has: one feature.
    let second = generate_into(&fixture("v2.yaml"), &out);
    let api_md = file(&out, "API.md").replace("field Widget.label: Option<String>\n", "");
    fs::write(out.join("API.md"), api_md).unwrap_or_else(|e| panic!("{e}"));
    let third = generate_into(&fixture("v2.yaml"), &out);
    let since = third.since.as_ref().expect("compared");
    assert_eq!((since.verdict, third.version.as_str()), (Verdict::Minor, "0.2.1"));
    assert_eq!(since.report.count(Impact::Added), 1);
    assert_eq!(second.version, "0.2.0");
}

#[test]
fn an_api_md_that_cannot_be_read_is_an_error_naming_it() {
    let out = scratch("release-bad");
    generate_into(&fixture("v1.yaml"), &out);
    let api_md = file(&out, "API.md").replace("struct Widget\n", "struct Widget extra words\n");
    fs::write(out.join("API.md"), api_md).unwrap_or_else(|e| panic!("{e}"));
    let previous = output::previous(&out).unwrap_or_else(|e| panic!("{e}"));
    let options = Options { previous, ..Default::default() };
    let error = generator::generate(&fixture("v2.yaml"), &options).unwrap_err().to_string();
    assert!(error.starts_with("API.md: line ") && error.contains("struct Widget extra words"), "{error}");
}
