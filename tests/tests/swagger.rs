//! Swagger 2.0 input, as Azure publishes it: many files, `$ref`s across them and into
//! common-types, an AutoRest readme with tags, `x-ms-examples` files.
//!
//! `tests/fixtures/swagger/` is a two-file spec (plus a common-types file and a readme) using
//! each construct the converter handles; `tests/fixtures/swagger-bad/` holds one broken or
//! hostile reference per file, each of which must fail naming the referring file and pointer.

use generator::{Generated, Options};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

const FIXTURE: &str = "tests/fixtures/swagger/specification/widgets/resource-manager";
const VERSION: &str = "Microsoft.Widgets/stable/2024-01-01";

fn generate(spec: &str, tag: Option<&str>) -> Generated {
    let options = Options {
        crate_name: Some("swagger_widgets".into()),
        spec_label: Some("widgets".into()),
        tag: tag.map(str::to_owned),
        ..Default::default()
    };
    generator::generate(&workspace().join(spec), &options).unwrap_or_else(|e| panic!("{e}"))
}

fn folder() -> Generated {
    generate(&format!("{FIXTURE}/{VERSION}"), None)
}

fn file<'g>(generated: &'g Generated, path: &str) -> &'g str {
    let found = generated.files.iter().find(|f| f.path == path);
    found.map(|f| f.contents.as_str()).unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn a_folder_a_readme_and_its_tag_read_the_same_spec() {
    let from_folder = folder();
    assert_eq!((from_folder.operations, from_folder.groups), (5, 1));
    for (spec, tag) in [("readme.md", None), ("readme.md", Some("package-2024-01"))] {
        let from_readme = generate(&format!("{FIXTURE}/{spec}"), tag);
        for (a, b) in from_readme.files.iter().zip(&from_folder.files) {
            assert_eq!((&a.path, &a.contents), (&b.path, &b.contents), "{spec} {tag:?}");
        }
        assert_eq!(from_readme.files.len(), from_folder.files.len(), "{spec} {tag:?}");
    }
    let only_definitions = generate(&format!("{FIXTURE}/readme.md"), Some("package-only-definitions"));
    assert_eq!(only_definitions.operations, 0);
    let error = generator::generate(
        &workspace().join(format!("{FIXTURE}/readme.md")),
        &Options { tag: Some("package-nope".into()), ..Default::default() },
    )
    .expect_err("an unknown tag fails");
    assert!(error.message.contains("no tag `package-nope`") && error.message.contains("package-2024-01"), "{error}");
}

#[test]
fn one_file_reads_what_it_references() {
    let generated = generate(&format!("{FIXTURE}/{VERSION}/widgets.json"), None);
    assert_eq!(generated.operations, 5);
    assert!(file(&generated, "src/models/types.rs").contains("pub struct Widget {"));
}

#[test]
fn the_converted_spec_keeps_what_the_clients_need() {
    let generated = folder();
    let models = format!("{}\n{}", file(&generated, "src/models/enums.rs"), file(&generated, "src/models/types.rs"));
    let client = file(&generated, "src/clients/widgets.rs");
    insta::assert_snapshot!("swagger_models", models);
    insta::assert_snapshot!("swagger_client", client);
    // Definitions from common-types, reached only through `$ref`s, are models too.
    for model in ["pub struct ProxyResource {", "pub struct SystemData {", "pub struct ErrorResponse {"] {
        assert!(models.contains(model), "{model}");
    }
    // Discriminated subtypes (`x-ms-discriminator-value`), closed and extensible enums.
    assert!(models.contains("pub enum ShapeClassification {"), "{models}");
    assert!(models.contains("pub enum State {") && models.contains("pub enum Color {"), "{models}");
    // `subscriptionId` is a client parameter; `resourceGroupName` says `method`.
    let main = file(&generated, "src/clients/mod.rs");
    assert!(main.contains("subscription_id: &str,"), "{main}");
    assert!(client.contains("resource_group_name: &str,"), "{client}");
    // Long-running, pageable (also with `nextLinkName: null`), form data and file responses.
    assert!(client.contains("Poller<"), "{client}");
    assert!(client.contains("pub fn list_all("), "{client}");
    assert!(client.contains("multipart/form-data"), "{client}");
}

#[test]
fn tolerated_defects_are_warnings_naming_file_and_pointer() {
    let generated = folder();
    let file = "specification/widgets/resource-manager/Microsoft.Widgets/stable/2024-01-01";
    assert_eq!(
        generated.warnings,
        [format!(
            "{file}/widgets.json: /x-ms-parameterized-host: `x-ms-parameterized-host` is not read; the client's endpoint option sets the host"
        )]
    );
    assert_eq!(generated.examples, 1);
    assert_eq!(generated.example_problems.len(), 1, "{:?}", generated.example_problems);
    let problem = &generated.example_problems[0];
    assert!(problem.starts_with(&format!("{file}/examples/Broken.json: line 4 column 5: invalid JSON")), "{problem}");
}

/// Each bad reference, the file it is written in, the pointer, and what the error says.
const BAD: &[(&str, &str, &str)] = &[
    ("err-ref-url.json", "/definitions/Foo/properties/bar/$ref", "points at a URL"),
    ("err-ref-absolute.json", "/definitions/Foo/properties/bar/$ref", "is an absolute path"),
    ("err-ref-leaves-root.json", "/definitions/Foo/properties/bar/$ref", "leaves the spec root"),
    ("err-ref-missing-file.json", "/definitions/Foo/properties/bar/$ref", "cannot read `specification/bad/nope.json`"),
    ("err-ref-missing-pointer.json", "/definitions/Foo/properties/bar/$ref", "which does not exist"),
    ("err-ref-not-a-pointer.json", "/definitions/Foo/properties/bar/$ref", "is not a JSON pointer"),
    ("err-ref-loop.json", "/paths/~1things/get/parameters/0", "loop of references"),
    ("err-version.json", "/swagger", "unsupported Swagger version"),
    ("err-parameter-in-cookie.json", "/paths/~1things/get/parameters/0/in", "`in` is `cookie`"),
];

fn bad(name: &str) -> generator::Error {
    let path = workspace().join("tests/fixtures/swagger-bad/specification/bad").join(name);
    generator::generate(&path, &Options::default()).expect_err("a bad spec fails")
}

#[test]
fn bad_references_fail_naming_the_referring_file_and_pointer() {
    for (name, location, message) in BAD {
        let error = bad(name);
        assert_eq!(error.file, format!("specification/bad/{name}"), "{error}");
        assert_eq!(error.location, *location, "{error}");
        assert!(error.message.contains(message), "{name}: {error}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_root_is_not_followed() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("swagger-link");
    let _ = std::fs::remove_dir_all(&dir);
    let spec_dir = dir.join("specification/linked");
    std::fs::create_dir_all(&spec_dir).expect("scratch folder");
    // Beside the root (the folder holding `specification/`), not under it.
    let outside = dir.with_file_name("swagger-link-outside.json");
    std::fs::write(&outside, r#"{"definitions": {"Bar": {"type": "string"}}}"#).expect("write");
    std::os::unix::fs::symlink(&outside, spec_dir.join("types.json")).expect("symlink");
    let spec = r##"{"swagger": "2.0", "info": {"title": "L", "version": "1"}, "paths": {},
        "definitions": {"Foo": {"properties": {"bar": {"$ref": "./types.json#/definitions/Bar"}}}}}"##;
    std::fs::write(spec_dir.join("main.json"), spec).expect("write");
    let error = generator::generate(&spec_dir.join("main.json"), &Options::default()).expect_err("refused");
    assert_eq!(
        (error.file.as_str(), error.location.as_str()),
        ("specification/linked/main.json", "/definitions/Foo/properties/bar/$ref")
    );
    assert!(error.message.contains("leads outside the spec root"), "{error}");
}

#[test]
fn the_spec_root_can_be_given() {
    let path = workspace().join("tests/fixtures/swagger-bad/specification/bad/err-ref-missing-pointer.json");
    let root = workspace().join("tests/fixtures/swagger-bad/specification/bad");
    let options = Options { spec_root: Some(root), ..Default::default() };
    let error = generator::generate(&path, &options).expect_err("fails");
    assert_eq!(error.file, "err-ref-missing-pointer.json", "names are relative to the given root: {error}");
}
