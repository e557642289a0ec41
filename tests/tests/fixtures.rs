//! Small specs, one per feature, under `tests/fixtures/`: each one's models are snapshotted, and
//! every generated crate (plus the Key Vault and Storage specs) must pass `cargo clippy -D warnings`.

use generator::{Generated, Options};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

/// Generates `tests/fixtures/<name>.yaml` with a relative label, so the output names no absolute path.
fn generate_fixture(name: &str, workspace_member: bool) -> Generated {
    let label = format!("tests/fixtures/{name}.yaml");
    let options = Options {
        crate_name: Some(format!("fixture_{name}")),
        spec_label: Some(label.clone()),
        workspace_member,
        ..Default::default()
    };
    generator::generate(&workspace().join(&label), &options).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'g>(generated: &'g Generated, path: &str) -> &'g str {
    generated
        .files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("{} has no {path}", generated.crate_name))
}

/// The two model files, each after a `// ---- <path> ----` header.
fn models(name: &str) -> String {
    let generated = generate_fixture(name, false);
    let mut out = String::new();
    for path in ["src/models/enums.rs", "src/models/types.rs"] {
        out.push_str(&format!("// ---- {path} ----\n"));
        out.push_str(file(&generated, path));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The item that starts with `start` (e.g. `pub struct Node {`), with its docs and attributes,
/// up to its closing brace.
fn item<'a>(source: &'a str, start: &str) -> &'a str {
    let mut begin = source.find(start).unwrap_or_else(|| panic!("no `{start}` in:\n{source}"));
    // Walk back over the `///` and `#[…]` lines just above.
    while begin > 0 {
        let line_start = source[..begin - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &source[line_start..begin];
        if !(line.starts_with("///") || line.starts_with("#[")) {
            break;
        }
        begin = line_start;
    }
    let rest = &source[begin..];
    let end = rest.find("\n}").map_or(rest.len(), |e| e + 2);
    &rest[..end]
}

#[test]
fn enums() {
    let source = models("enums");
    insta::assert_snapshot!("enums", source);
    // The inline `Protocol` copies in two schemas (and an array item) are one type.
    assert_eq!(source.matches("pub enum Protocol {").count(), 1, "{source}");
    assert!(!source.contains("pub enum Protocol2"), "{source}");
    let protocol = item(&source, "pub enum Protocol {");
    for variant in ["Http,", "Https,", "Ws,", "UnknownValue(String),"] {
        assert!(protocol.contains(variant), "`Protocol` lacks {variant}:\n{protocol}");
    }
    assert!(item(&source, "pub struct Endpoint {").contains("pub protocol: Option<Protocol>,"), "{source}");
    assert!(item(&source, "pub struct Endpoint {").contains("pub fallback_protocol: Option<Protocol>,"), "{source}");
    assert!(item(&source, "pub struct Listener {").contains("pub protocols: Option<Vec<Protocol>>,"), "{source}");
    // Closed enums have no catch-all; extensible and plain ones do.
    assert!(!item(&source, "pub enum SkuTier {").contains("UnknownValue"), "{source}");
    assert!(item(&source, "pub enum Color {").contains("UnknownValue(String)"), "{source}");
    // Values that are not identifiers still make distinct variants.
    let state = item(&source, "pub enum ProvisioningState {");
    for variant in ["VersionOne,", "V10,", "V2_0,", "UnknownValueValue,", "WithSpace,", "KebabCase,"] {
        assert!(state.contains(variant), "`ProvisioningState` lacks {variant}:\n{state}");
    }
}

#[test]
fn allof() {
    let source = models("allof");
    insta::assert_snapshot!("allof", source);
    let thing = item(&source, "pub struct Thing {");
    // Three levels merged: `Resource` → `TrackedResource` → `Thing`, plus the inline member.
    for field in ["pub id: String,", "pub r#type: Option<String>,", "pub location: String,", "pub tags:", "pub color:"]
    {
        assert!(thing.contains(field), "`Thing` lacks {field}:\n{thing}");
    }
    assert!(thing.contains("pub size: i32,"), "the inline member's `required` is lost:\n{thing}");
    // The override wins and the child's `required` applies to it.
    assert!(thing.contains("pub name: String,"), "{thing}");
    // `allOf: [{$ref: Owner}, {description}]` is just `Owner`.
    assert!(thing.contains("pub owner: Option<Owner>,"), "{thing}");
    assert!(thing.contains("pub properties: Option<ThingProperties>,"), "{thing}");
    assert!(!source.contains("pub struct ThingOwner"), "{source}");
    assert!(item(&source, "pub struct RequiredByInlineProperties {").contains("pub extra: String,"), "{source}");
}

#[test]
fn recursion() {
    let source = models("recursion");
    insta::assert_snapshot!("recursion", source);
    let node = item(&source, "pub struct Node {");
    assert!(node.contains("pub parent: Option<Box<Node>>,"), "{node}");
    assert!(node.contains("pub children: Option<Vec<Node>>,"), "{node}");
    assert!(node.contains("pub by_name: Option<BTreeMap<String, Node>>,"), "{node}");
    assert!(item(&source, "pub struct ErrorDetail {").contains("pub details: Option<Vec<ErrorDetail>>,"), "{source}");
    // Required, but a required field holding its own type could never be built: optional.
    assert!(item(&source, "pub struct B {").contains("pub a: Option<Box<A>>,"), "{source}");
    // Through an alias of itself: boxed; holding a non-recursive alias: not boxed.
    assert!(node.contains("pub alias: Option<Box<NodeRef>>,"), "{node}");
    assert!(item(&source, "pub struct LinkedItem {").contains("pub next: Option<NodeRef>,"), "{source}");
    assert!(item(&source, "pub struct LinkedItem {").contains("pub sibling: Option<Box<LinkedItem>>,"), "{source}");
}

#[test]
fn maps() {
    let source = models("maps");
    insta::assert_snapshot!("maps", source);
    let container = item(&source, "pub struct Container {");
    for field in [
        "pub settings: BTreeMap<String, Setting>,",
        "pub anything: Option<BTreeMap<String, Value>>,",
        "pub empty: Option<BTreeMap<String, Value>>,",
        "pub lists: Option<BTreeMap<String, Vec<String>>>,",
        "pub nested: Option<BTreeMap<String, BTreeMap<String, i64>>>,",
    ] {
        assert!(container.contains(field), "`Container` lacks {field}:\n{container}");
    }
    assert!(source.contains("pub type SettingsMap = BTreeMap<String, Setting>;"), "{source}");
    assert!(item(&source, "pub struct Labels {").contains("pub additional_properties: BTreeMap<String, String>,"));
}

#[test]
fn formats() {
    let source = models("formats");
    insta::assert_snapshot!("formats", source);
    let required = item(&source, "pub struct Required {");
    for field in [
        "pub created_at: OffsetDateTime,",
        "pub timeout: Duration,",
        "pub count32: i32,",
        "pub count64: i64,",
        "pub count_plain: i64,",
        "pub tenant_id: String,",
        "pub payload: Vec<u8>,",
        "pub metadata: Value,",
        "pub names: Vec<String>,",
    ] {
        assert!(required.contains(field), "`Required` lacks {field}:\n{required}");
    }
    assert!(has_modes(&source, "payload", "payload", "req_b64 req_b64"), "{source}");
    let credentials = item(&source, "pub struct Credentials {");
    assert!(credentials.contains("SafeDebug"), "{credentials}");
    assert_eq!(credentials.matches("#[safe(false)]").count(), 4, "{credentials}");
    assert!(!credentials.contains("#[safe(false)]\n    pub password_required"), "{credentials}");
}

#[test]
fn names() {
    let source = models("names");
    insta::assert_snapshot!("names", source);
    let keywords = item(&source, "pub struct Keywords {");
    for field in ["pub r#type: String,", "pub self_: Option<String>,", "pub r#match:", "pub r#async:", "pub crate_:"] {
        assert!(keywords.contains(field), "`Keywords` lacks {field}:\n{keywords}");
    }
    let collisions = item(&source, "pub struct Collisions {");
    for field in ["pub foo_bar: Option<String>,", "pub foo_bar_2: Option<i64>,", "pub _2fa:", "pub client_side_name:"] {
        assert!(collisions.contains(field), "`Collisions` lacks {field}:\n{collisions}");
    }
    assert!(has_modes(&source, "caf", "café", "opt opt"), "the wire name stays `café`:\n{source}");
    for ty in ["pub struct Widget {", "pub struct Widget2 {", "pub struct T3dModel {", "pub struct OptionModel {"] {
        assert!(source.contains(ty), "no {ty}:\n{source}");
    }
    for shadow in ["pub struct Option ", "pub struct Vec ", "pub struct String ", "pub struct Result "] {
        assert!(!source.contains(shadow), "{shadow} shadows the prelude:\n{source}");
    }
}

/// The field `name` of the struct item `def`: its docs, attributes and declaration.
fn field<'a>(def: &'a str, name: &str) -> &'a str {
    let decl = def.find(&format!("    pub {name}: ")).unwrap_or_else(|| panic!("no field `{name}` in:\n{def}"));
    let begin = def[..decl].rfind(",\n").or_else(|| def[..decl].find("{\n")).map_or(0, |i| i + 2);
    let end = def[decl..].find(",\n").map_or(def.len(), |e| decl + e + 1);
    &def[begin..end]
}

#[test]
fn polymorphism() {
    let source = models("polymorphism");
    insta::assert_snapshot!("polymorphism", source);
    let classification = item(&source, "pub enum PetClassification {");
    for variant in ["Cat(Cat),", "Dog(Dog),", "Puppy(Puppy),", "Hamster(Hamster),", "UnknownKind(Value),"] {
        assert!(classification.contains(variant), "missing {variant}:\n{classification}");
    }
    assert!(source.contains(r#"Hamster = "Hamster""#), "no discriminator value: the schema name is the value");
    // References to the base mean "any kind of pet"; recursion through the enum is boxed.
    let owner = item(&source, "pub struct Owner {");
    assert!(owner.contains("pub pets: Option<Vec<PetClassification>>,"), "{owner}");
    assert!(owner.contains("pub favorite: Option<PetClassification>,"), "{owner}");
    assert!(item(&source, "pub struct Cat {").contains("pub friend: Option<Box<PetClassification>>,"), "{source}");
    // A discriminator without subtypes needs no enum.
    assert!(!source.contains("PlainBaseClassification"), "{source}");
}

#[test]
fn unions() {
    let source = models("unions");
    insta::assert_snapshot!("unions", source);
    let shape = item(&source, "pub enum Shape {");
    assert!(
        shape.contains("#[serde(untagged)]") && shape.contains("Circle(Circle),") && shape.contains("Square(Square),")
    );
    let drawing = item(&source, "pub struct Drawing {");
    assert!(drawing.contains("pub shapes: Option<Vec<Shape>>,"), "{drawing}");
    assert!(drawing.contains("pub label: Option<DrawingLabel>,"), "{drawing}");
}

#[test]
fn operations() {
    let generated = generate_fixture("operations", false);
    let mut source = String::new();
    for path in ["src/models/types.rs", "src/clients/default.rs", "src/clients/items.rs"] {
        source.push_str(&format!("// ---- {path} ----\n{}", file(&generated, path)));
    }
    insta::assert_snapshot!("operations", source);
    // No operationId: named from method and path. x-ms-paths: the fixed query is sent.
    assert!(source.contains("pub fn get_subscriptions_subscription_id_items_item_name<'a>("), "{source}");
    assert!(source.contains(r#"req.constant("op", "export");"#), "{source}");
    // Non-JSON bodies are bytes with their media type.
    assert!(source.contains(r#"req.bytes("application/octet-stream", body);"#), "{source}");
    assert!(source.contains(r#"req.accept("text/plain");"#), "{source}");
    // `x-ms-mutability: [read]` is read-only; `[read, create]` is sent.
    assert!(source.contains("pub struct Item {"), "{source}");
    assert!(has_modes(&source, "id", "id", "opt skip"), "{source}");
    assert!(has_modes(&source, "name", "name", "opt opt"), "{source}");
    // The operation-level redefinition of a path parameter wins over the path-level one.
    let rules = file(&generated, "src/clients/rules.rs");
    assert!(rules.contains(r#"ITEM_NAME_2: Rule = Rule::new("itemName").min_len(3);"#), "{rules}");
    let annotate = &source[source.find("pub fn annotate<'a>(").expect("annotate")..];
    let annotate = &annotate[..annotate.find("\n    }").unwrap_or(annotate.len())];
    let path = annotate.split("(&paths::").nth(1).and_then(|rest| rest.split(',').next()).expect("a path static");
    let paths = file(&generated, "src/clients/paths.rs");
    let declared = paths.split(&format!("pub(crate) static {path}: Path")).nth(1).expect("the static");
    let declared = &declared[..declared.find(';').unwrap_or(declared.len())];
    assert!(declared.contains("rules::ITEM_NAME_2"), "{annotate}\n{declared}");
}

// Regressions found by reading these snapshots.

#[test]
fn inline_allof_members_can_require_inherited_properties() {
    let source = models("allof");
    for name in ["RequiredByInlineMember", "RequiredByInlineProperties"] {
        let def = item(&source, &format!("pub struct {name} {{"));
        assert!(def.contains("pub name: String,"), "the inline member's `required: [name]` is lost:\n{def}");
    }
}

#[test]
fn additional_properties_false_adds_no_map() {
    let source = models("maps");
    let closed = item(&source, "pub struct Closed {");
    assert!(!closed.contains("additional_properties"), "{closed}");
}

#[test]
fn formats_keep_their_wire_form_through_aliases_arrays_and_maps() {
    let source = models("formats");
    let nested = item(&source, "pub struct Nested {");
    // A field typed by an alias to a date-time still needs the RFC 3339 adapter.
    assert!(has_modes(&source, "since", "since", "opt_dt opt_dt"), "{source}");
    assert!(has_modes(&source, "until", "until", "req_dt req_dt"), "{source}");
    // An HTTP-date is not RFC 3339.
    assert!(has_modes(&source, "last_modified", "lastModified", "opt_rfc1123 opt_rfc1123"), "{source}");
    // Inside arrays and maps the values stay the wire text, documented as such.
    assert!(field(nested, "stamps").contains("Vec<String>") && field(nested, "stamps").contains("RFC 3339 text"));
    assert!(field(nested, "blobs").contains("Vec<String>") && field(nested, "blobs").contains("base64 text"));
}

/// Whether a `json_object!` call reads and writes `field` (wire name `wire`) with `modes`,
/// however prettyplease wrapped the call.
fn has_modes(source: &str, field: &str, wire: &str, modes: &str) -> bool {
    let flat = source.split_whitespace().collect::<Vec<_>>().join(" ");
    // `opt opt` is the macro's default and not written.
    if modes == "opt opt" {
        [",", " }"].iter().any(|end| flat.contains(&format!("{field} \"{wire}\"{end}")))
    } else {
        flat.contains(&format!("{field} \"{wire}\" {modes}"))
    }
}

#[test]
fn deduplicated_names_keep_rust_naming_style() {
    let enums = models("enums");
    let state = item(&enums, "pub enum ProvisioningState {");
    for bad in ["V2020_01_01_preview,", "KebabCase_2,"] {
        assert!(!state.contains(bad), "not UpperCamelCase: {bad}\n{state}");
    }
    let names = models("names");
    assert!(!item(&names, "pub struct Keywords {").contains("pub self__2:"), "not snake_case: `self__2`");
}

/// Every fixture, Key Vault and Storage as members of one scratch workspace, checked by one
/// `cargo clippy -D warnings`. `Cargo.lock` comes from the main workspace, so the dependency
/// versions are the ones already built and nothing is downloaded.
#[test]
fn generated_crates_compile() {
    let root = workspace();
    let check = root.join("target/compile-check");
    let mut specs: Vec<(String, PathBuf, String)> = Vec::new();
    let mut fixtures: Vec<PathBuf> = fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    for path in fixtures {
        let stem = path.file_stem().expect("a file name").to_string_lossy().into_owned();
        specs.push((format!("fixture_{stem}"), path, format!("tests/fixtures/{stem}.yaml")));
    }
    // Real specs beside the project (OpenAPI 3 conversions; not committed here).
    for (name, spec) in [("keyvault", "keyvault/keyvault.yaml"), ("storage", "storage/storage.yaml")] {
        let path = root.join("../shared/spec").join(spec);
        if path.exists() {
            specs.push((format!("spec_{name}"), path, format!("shared/spec/{spec}")));
        } else {
            tests::skipped(&format!(
                "generated_crates_compile: ../shared/spec/{spec} is not here, so its crate is not compiled"
            ));
        }
    }

    // Stale members (a fixture since deleted or renamed) would otherwise linger. Current members
    // are updated in place: `output::write` leaves unchanged files alone, so cargo's fingerprints
    // hold and a warm run re-checks only what changed.
    if check.exists() {
        for entry in fs::read_dir(&check).expect("the check workspace is readable") {
            let path = entry.expect("a readable entry").path();
            let current = specs.iter().any(|(name, _, _)| path.file_name().is_some_and(|n| n == name.as_str()));
            if path.is_dir() && !current {
                fs::remove_dir_all(&path).unwrap_or_else(|e| panic!("cannot remove {}: {e}", path.display()));
            }
        }
    }
    fs::create_dir_all(&check).expect("can create the check workspace");
    let mut members = Vec::new();
    for (name, spec, label) in &specs {
        let options = Options {
            crate_name: Some(name.clone()),
            spec_label: Some(label.clone()),
            workspace_member: true,
            ..Default::default()
        };
        let generated = generator::generate(spec, &options).unwrap_or_else(|e| panic!("{e}"));
        generator::output::write(&check.join(name), &generated.files).unwrap_or_else(|e| panic!("{e}"));
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    fs::write(check.join("Cargo.toml"), manifest).expect("can write the workspace manifest");
    fs::copy(root.join("Cargo.lock"), check.join("Cargo.lock")).expect("can copy Cargo.lock");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        // `--keep-going` so one broken crate does not hide the others' errors.
        .args(["clippy", "--workspace", "--quiet", "--keep-going", "--", "-D", "warnings"])
        .current_dir(&check)
        .env("CARGO_TARGET_DIR", root.join("target/compile-check-target"))
        .output()
        .expect("cargo runs");
    eprintln!("cargo clippy over {} generated crates took {:.1?}", specs.len(), started.elapsed());
    assert!(
        output.status.success(),
        "cargo clippy failed in {} ({}):\n{}",
        check.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
