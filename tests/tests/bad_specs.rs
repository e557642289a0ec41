//! Broken and hostile specs under `tests/fixtures/bad/` (plus a few built at run time because
//! they are large): each one either generates a crate or fails with an error that names the file,
//! a location and what is wrong. Nothing may panic, hang, or touch the output folder on failure.
//!
//! File names say what is expected: `ok-*` must generate, `err-*` must fail (`fuzz-*` are crash
//! reproducers found by `fuzz/`, either way). [`CASES`] is the table (file → outcome);
//! [`KNOWN_BUGS`] lists the cases that do not behave today because of a generator bug. A listed
//! case that starts behaving fails the suite, so the list stays honest. The same goes for
//! [`COMPILE`], the generating cases whose crates must also pass `cargo check`, and
//! [`KNOWN_COMPILE_BUGS`].
//!
//! Also here: the CLI's error contract (exit code 1, one `error: <file>: <location>: <what>`
//! line, output folder untouched), and a scan of the generator's source for panicking shortcuts.

use generator::Options;
use generator::output::{self, GeneratedFile};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A case running longer than this has hung.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// The stack a case runs on: what the CLI's main thread gets on Linux.
const STACK: usize = 8 << 20;

#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Generates a crate.
    Generates,
    /// Generates a crate whose files contain each of these.
    GeneratesWith(&'static [&'static str]),
    /// Fails; the error's `<location>: <message>` contains this.
    Fails(&'static str),
    /// Generates a crate, with a warning that names the file and contains this (a defect
    /// AutoRest tolerates).
    Warns(&'static str),
}

use Expect::{Fails, Generates, GeneratesWith, Warns};

/// Every stored case and what it must do.
const CASES: &[(&str, Expect)] = &[
    // Not a spec at all.
    ("err-invalid-yaml.yaml", Fails("line 5 column 6: invalid YAML")),
    ("err-invalid-json.json", Fails("line 5 column 0: invalid JSON")),
    ("err-empty-file.yaml", Fails("the top level is not a mapping")),
    ("err-top-level-scalar.yaml", Fails("the top level is not a mapping")),
    ("err-top-level-list.yaml", Fails("the top level is not a mapping")),
    ("err-binary-garbage.bin", Fails("not UTF-8")),
    // The control character is on line 2.
    ("err-control-characters.yaml", Fails("line 2 column 16")),
    ("err-tab-indentation.yaml", Fails("line 3 column 1: invalid YAML")),
    ("err-billion-laughs.yaml", Fails("repetition limit exceeded")),
    ("err-duplicate-yaml-keys.yaml", Fails("line 8 column 5: invalid YAML: components.schemas: duplicate entry")),
    ("err-yaml-merge-key-not-mapping.yaml", Fails("merge key")),
    ("err-infinite-number.yaml", Fails("/components/schemas/Foo/maximum")),
    ("err-number-out-of-range.json", Fails("number out of range")),
    // Not OpenAPI 3.
    ("err-not-openapi.yaml", Fails("no `openapi` field")),
    // Swagger 2.0 is read (converted as AutoRest does), here one file with no references.
    ("ok-swagger-2-single-file.yaml", GeneratesWith(&["pub type Foo = Value;"])),
    ("err-openapi-2-5.yaml", Fails("/openapi: unsupported OpenAPI version 2.5")),
    ("err-openapi-4-0-string.yaml", Fails("/openapi: unsupported OpenAPI version")),
    ("err-info-missing.yaml", Fails("missing field `info`")),
    ("err-paths-is-list.yaml", Fails("/paths: ")),
    // Wrong types where OpenAPI wants something else.
    ("err-properties-is-number.yaml", Fails("/components/schemas/Foo")),
    ("err-type-is-number.yaml", Fails("/components/schemas/Foo")),
    ("err-required-is-string.yaml", Fails("/components/schemas/Foo")),
    ("err-enum-is-string.yaml", Fails("/components/schemas/Color")),
    ("err-type-banana.yaml", Fails("/components/schemas/Fruit/properties/kind/type: unknown schema type `banana`")),
    // References.
    ("err-dangling-ref-property.yaml", Fails("/components/schemas/Foo/properties/bar: `$ref` to")),
    ("err-external-ref.yaml", Fails("/components/schemas/Foo/properties/bar: an external `$ref`")),
    ("err-ref-to-definitions.yaml", Fails("/components/schemas/Foo/properties/bar: a `$ref` outside")),
    ("err-allof-cycle.yaml", Fails("/components/schemas/A/allOf/0: `allOf` inherits from itself")),
    ("err-allof-self.yaml", Fails("/components/schemas/Me/allOf/0: `allOf` inherits from itself")),
    ("err-alias-cycle.yaml", Fails("/components/schemas/A: the schema is defined only as a `$ref` to itself")),
    ("err-parameter-ref-missing.yaml", Fails("/paths/~1things/get/parameters/0: `$ref` to")),
    ("err-response-ref.yaml", Fails("/paths/~1things/get/responses/200: a `$ref` response")),
    ("err-request-body-ref-missing.yaml", Fails("/paths/~1things/put/requestBody: `$ref` to")),
    ("err-path-item-ref.yaml", Fails("/paths/~1things: a `$ref` path item")),
    // Operations.
    ("err-path-placeholder-without-parameter.yaml", Fails("/paths/~1things~1{thingName}/get: the path has")),
    ("err-path-parameter-not-in-path.yaml", Fails("/paths/~1things/get/parameters/0: path parameter `thingName`")),
    ("err-cookie-parameter.yaml", Fails("/paths/~1things/get/parameters/0: cookie parameters")),
    ("err-swagger-body-parameter.yaml", Fails("/paths/~1things: not valid OpenAPI: unknown variant `body`")),
    ("err-pageable-without-value-array.yaml", Fails("/paths/~1things/get/x-ms-pageable: the page model")),
    ("err-pageable-value-not-array.yaml", Fails("/paths/~1things/get/x-ms-pageable: the page property")),
    ("err-options-operation.yaml", Fails("/paths/~1items/options: OPTIONS operations are not supported")),
    ("ok-duplicate-operation-ids.yaml", Warns("/paths/~1bars/get/operationId: operationId `Foo_List` is also used")),
    ("ok-operation-ids-collide-after-casing.yaml", Generates),
    ("ok-long-running-yes-string.yaml", Generates),
    // Defects AutoRest tolerates: each is a warning naming the file and pointer.
    (
        "ok-warn-dangling-x-ms-odata.yaml",
        Warns("/paths/~1foos/get/x-ms-odata: x-ms-odata names `#/components/schemas/FooFilter`"),
    ),
    ("ok-warn-required-without-property.yaml", Warns("/components/schemas/Foo/required: required names `ghost`")),
    (
        "ok-warn-pageable-success-bodies-differ.yaml",
        Warns("/paths/~1usage/get/responses: success responses have different bodies"),
    ),
    ("ok-file-response-under-json.yaml", GeneratesWith(&["Response<(), NoFormat>"])),
    (
        "ok-warn-example-in-schema.yaml",
        Warns("/components/schemas/Foo/properties/name/example: the example is not a string"),
    ),
    // Both operations page over `Listing`, one over `value`, one over `counts`.
    // One page model paged by two different item names is rejected, naming the operation.
    ("err-pageable-one-model-two-item-names.yaml", Fails("operation Things_ListCounts: x-ms-pageable pages `counts`")),
    ("ok-operation-ids-missing-or-odd.yaml", Generates),
    ("ok-parameter-names-collide.yaml", Generates),
    ("ok-schema-named-nobody.yaml", Generates),
    // Names.
    ("ok-schema-names-collide-after-casing.yaml", Generates),
    ("ok-rust-keywords-everywhere.yaml", Generates),
    ("ok-keywords-in-models-and-params.yaml", Generates),
    ("ok-group-named-impl.yaml", Generates),
    ("ok-group-named-mod.yaml", Generates),
    ("ok-groups-named-like-generated-modules.yaml", Generates),
    ("ok-group-named-like-main-client.yaml", Generates),
    ("ok-group-named-endpoint.yaml", Generates),
    ("ok-client-params-named-like-constructor-args.yaml", Generates),
    ("ok-client-params-collide-after-casing.yaml", Generates),
    ("ok-non-ascii-and-digit-leading-names.yaml", Generates),
    ("ok-parameter-names-non-xid.yaml", Generates),
    // Enums.
    ("ok-empty-enum.yaml", Generates),
    ("ok-enum-of-only-nulls.yaml", Generates),
    ("ok-x-ms-enum-weird-shapes.yaml", Generates),
    ("ok-enum-values-collide-after-casing.yaml", Generates),
    // The inline copy's values and `modelAsString: true` are merged into the named enum.
    ("ok-x-ms-enum-inline-copy-before-component.yaml", GeneratesWith(&["Two,", "Three,", "UnknownValue(String)"])),
    // Unions and polymorphism.
    ("ok-empty-one-of.yaml", Generates),
    ("ok-one-of-self-reference.yaml", Generates),
    ("err-discriminator-mapping-missing.yaml", Fails("#/components/schemas/Missing")),
    // Text.
    ("ok-bom.yaml", Generates),
    ("ok-bom.json", Generates),
    ("ok-crlf-line-endings.yaml", Generates),
    ("ok-tabs-in-values.yaml", Generates),
    ("ok-bare-cr-in-text.yaml", Generates),
    ("ok-title-with-quotes-and-backslashes.yaml", Generates),
    ("ok-title-with-newline.yaml", Generates),
    // YAML features.
    ("ok-yaml-anchors-and-aliases.yaml", Generates),
    ("ok-yaml-merge-key.yaml", Generates),
    // Found by `fuzz/` (`mutate_spec`): the storage slice with `Usages_ListByLocation` renamed
    // `Rules_List`.
    ("fuzz-1.json", Generates),
];

/// Builds a spec's bytes.
type Build = fn() -> Vec<u8>;

/// Cases built at run time (too large to store), written to a scratch folder first.
const GENERATED: &[(&str, Build, Expect)] = &[
    // 200 schemas deep is 400 YAML levels: over the parser's recursion limit.
    ("gen-deep-nesting-200.yaml", || nested_schemas(200), Fails("recursion limit exceeded")),
    ("gen-deep-nesting-60.yaml", || nested_schemas(60), Generates),
    ("gen-deep-json-arrays-200.json", deep_json, Fails("recursion limit exceeded")),
    ("gen-5000-schemas.yaml", many_schemas, Generates),
    ("gen-ref-alias-chain-1000.yaml", alias_chain, Generates),
    // A bounded depth turns a hostile chain into an error instead of a stack overflow.
    ("gen-allof-chain-2000.yaml", allof_chain, Fails("`allOf` chain deeper than 128 schemas")),
    ("gen-schema-cycle-5000.yaml", schema_cycle, Generates),
    ("gen-over-size-limit.yaml", over_size_limit, Fails("/: the spec is 73400")),
];

/// Cases that misbehave today because of a generator bug, and what goes wrong. Each must keep
/// misbehaving: the suite fails when one starts to pass, so it can be taken off the list.
const KNOWN_BUGS: &[(&str, &str)] = &[(
    "err-control-characters.yaml",
    "wrong error location: a BEL byte at line 2 column 16 is reported as `line 1 column 1: \
         invalid YAML: control characters are not allowed at position 30`: for libyaml reader \
         errors serde_yaml's location is the start of the file, and only the message has the offset",
)];

/// Known bugs that crash the process or run far past the limit: these run in a child process
/// that is killed at the limit, so they neither abort nor slow down the rest of the suite.
const ISOLATED: &[&str] = &["gen-allof-chain-2000.yaml", "gen-schema-cycle-5000.yaml"];

/// Generating cases whose crates must also compile (one `cargo check` over all of them).
const COMPILE: &[&str] = &[
    "ok-keywords-in-models-and-params.yaml",
    "ok-non-ascii-and-digit-leading-names.yaml",
    "ok-schema-names-collide-after-casing.yaml",
    "ok-operation-ids-collide-after-casing.yaml",
    "ok-duplicate-operation-ids.yaml",
    "ok-group-named-like-main-client.yaml",
    "ok-x-ms-enum-weird-shapes.yaml",
    "ok-enum-of-only-nulls.yaml",
    "ok-bare-cr-in-text.yaml",
    "ok-title-with-quotes-and-backslashes.yaml",
    "ok-title-with-newline.yaml",
    "ok-enum-values-collide-after-casing.yaml",
    "ok-parameter-names-collide.yaml",
    "ok-schema-named-nobody.yaml",
    "ok-operation-ids-missing-or-odd.yaml",
    "ok-one-of-self-reference.yaml",
    "ok-empty-one-of.yaml",
    "ok-group-named-endpoint.yaml",
    "ok-client-params-named-like-constructor-args.yaml",
    "ok-client-params-collide-after-casing.yaml",
];

/// Compile-check members that fail today because of a generator bug (same rules as [`KNOWN_BUGS`]).
const KNOWN_COMPILE_BUGS: &[(&str, &str)] = &[];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives inside the workspace").to_owned()
}

fn corpus() -> PathBuf {
    workspace().join("tests/fixtures/bad")
}

/// A fresh scratch folder under cargo's per-test temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad_specs").join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("cannot clear {}: {e}", dir.display()));
    }
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

// ---- Specs built at run time ----

fn header(title: &str) -> String {
    format!("openapi: 3.0.0\ninfo:\n  title: {title}\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n")
}

/// One schema whose property holds an inline object, `depth` times over.
fn nested_schemas(depth: usize) -> Vec<u8> {
    let mut s = header("DeepNesting");
    s.push_str("    Deep:\n");
    let mut indent = 6;
    for _ in 0..depth {
        let _ = writeln!(
            s,
            "{:indent$}type: object\n{:indent$}properties:\n{:inner$}child:",
            "",
            "",
            "",
            inner = indent + 2
        );
        indent += 4;
    }
    let _ = writeln!(s, "{:indent$}type: string", "");
    s.into_bytes()
}

fn deep_json() -> Vec<u8> {
    let depth = 200;
    let mut s =
        String::from(r#"{"openapi": "3.0.0", "info": {"title": "DeepJson", "version": "1"}, "paths": {}, "x-deep": "#);
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push('}');
    s.into_bytes()
}

/// A large but ordinary spec: 5,000 resources sharing a base and an enum, in a tree of parents.
fn many_schemas() -> Vec<u8> {
    let mut s = header("ManySchemas");
    s.push_str("    Resource:\n      type: object\n      properties:\n        id:\n          type: string\n          readOnly: true\n        tags:\n          type: object\n          additionalProperties:\n            type: string\n");
    for i in 0..5000 {
        let _ = writeln!(
            s,
            "    Thing{i}:\n      allOf:\n        - $ref: '#/components/schemas/Resource'\n      properties:\n        name:\n          type: string\n        kind:\n          type: string\n          enum: [a, b, c]\n          x-ms-enum:\n            name: Kind\n            modelAsString: true\n        parent:\n          $ref: '#/components/schemas/Thing{}'",
            i / 2,
        );
    }
    s.into_bytes()
}

/// `A0: {$ref: A1}`, … `A999: {$ref: Leaf}`.
fn alias_chain() -> Vec<u8> {
    let mut s = header("AliasChain");
    for i in 0..1000 {
        let next = if i == 999 { "Leaf".to_owned() } else { format!("A{}", i + 1) };
        let _ = writeln!(s, "    A{i}:\n      $ref: '#/components/schemas/{next}'");
    }
    s.push_str("    Leaf:\n      type: object\n      properties:\n        x:\n          type: string\n");
    s.push_str(
        "    User:\n      type: object\n      properties:\n        a:\n          $ref: '#/components/schemas/A0'\n",
    );
    s.into_bytes()
}

/// `S0` extends `S1` … extends `S2000`: 2,000 levels of `allOf`, one field in all.
fn allof_chain() -> Vec<u8> {
    let mut s = header("AllOfChain");
    for i in 0..2000 {
        let _ = writeln!(s, "    S{i}:\n      allOf:\n        - $ref: '#/components/schemas/S{}'", i + 1);
    }
    s.push_str("    S2000:\n      type: object\n      properties:\n        last:\n          type: string\n");
    s.into_bytes()
}

/// 5,000 schemas in one ring: `Node{i}.next` is `Node{i+1}`, the last points back to the first.
fn schema_cycle() -> Vec<u8> {
    let mut s = header("SchemaCycle");
    for i in 0..5000 {
        let _ = writeln!(
            s,
            "    Node{i}:\n      type: object\n      properties:\n        name:\n          type: string\n        next:\n          $ref: '#/components/schemas/Node{}'",
            (i + 1) % 5000
        );
    }
    s.into_bytes()
}

/// 70 MiB: over the 64 MiB limit.
fn over_size_limit() -> Vec<u8> {
    let mut s = header("TooLarge").into_bytes();
    s.extend_from_slice(b"x-padding: '");
    s.resize(70 * 1024 * 1024 - 2, b'a');
    s.extend_from_slice(b"'\n");
    s
}

// ---- Running one case ----

/// Everything under `dir`: relative path → contents.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            if entry.path().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                out.insert(rel, fs::read(entry.path()).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// An output folder as a user might have it: an older crate plus files the generator does not own.
fn existing_output(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::create_dir_all(dir.join("src")).expect("can create the output folder");
    fs::write(dir.join("NOTES.md"), "sentinel: the generator must leave this alone\n").expect("can write");
    fs::write(dir.join("src/lib.rs"), "// an older generated crate\n").expect("can write");
    tree(dir)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a non-string panic".to_owned())
}

/// Generates on a thread of its own, catching panics and giving up after [`TIME_LIMIT`].
fn generate_guarded(spec: &Path) -> Result<Result<generator::Generated, generator::Error>, String> {
    let (send, receive) = mpsc::channel();
    let spec = spec.to_owned();
    std::thread::Builder::new()
        .name("generate".into())
        .stack_size(STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| generator::generate(&spec, &Options::default()));
            let _ = send.send(result.map_err(|p| panic_message(&*p)));
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match receive.recv_timeout(TIME_LIMIT) {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(message)) => Err(format!("panicked: {message}")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("still running after {TIME_LIMIT:?} (hang)")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the generating thread died".to_owned()),
    }
}

/// Runs one case and checks it; `Err` says how it misbehaved.
fn check(spec: &Path, expect: Expect) -> Result<(), String> {
    let label = spec.file_name().expect("a file name").to_string_lossy().into_owned();
    let out = scratch(&format!("out-{label}"));
    let before = existing_output(&out);
    let result = generate_guarded(spec)?;
    match (expect, result) {
        (Generates | GeneratesWith(_) | Warns(_), Ok(generated)) => {
            let mut paths = BTreeSet::new();
            for file in &generated.files {
                if !paths.insert(file.path.as_str()) {
                    return Err(format!("the crate lists `{}` twice", file.path));
                }
            }
            for needed in ["Cargo.toml", "src/lib.rs"] {
                if !paths.contains(needed) {
                    return Err(format!("the crate has no `{needed}`"));
                }
            }
            if let Warns(wanted) = expect
                && !generated.warnings.iter().any(|w| w.starts_with(&format!("{label}: ")) && w.contains(wanted))
            {
                return Err(format!("no warning naming `{label}` contains `{wanted}`: {:?}", generated.warnings));
            }
            if let GeneratesWith(snippets) = expect {
                for snippet in snippets {
                    if !generated.files.iter().any(|f| f.contents.contains(snippet)) {
                        return Err(format!("no generated file contains `{snippet}`"));
                    }
                }
            }
            check_written(&out, &generated.files)
        }
        (Generates | GeneratesWith(_) | Warns(_), Err(e)) => Err(format!("expected a crate, got: {e}")),
        (Fails(_), Ok(_)) => Err("expected an error, but it generated a crate".to_owned()),
        (Fails(wanted), Err(e)) => {
            let shown = e.to_string();
            if e.file != label || !shown.starts_with(&format!("{label}: ")) {
                return Err(format!("the error does not start with the file `{label}`: {shown}"));
            }
            if e.location.trim().is_empty() || e.message.trim().is_empty() {
                return Err(format!("the error lacks a location or a message: {e:?}"));
            }
            if !format!("{}: {}", e.location, e.message).contains(wanted) {
                return Err(format!("the error does not contain `{wanted}`: {shown}"));
            }
            // What the CLI does: nothing is written when generation fails.
            if tree(&out) != before {
                return Err("the output folder changed".to_owned());
            }
            Ok(())
        }
    }
}

/// `output::write` into a folder holding an older crate and a sentinel: afterwards it holds
/// exactly the new files and the sentinel, and no staging leftovers.
fn check_written(out: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    output::write(out, files).map_err(|e| format!("writing the crate failed: {e}"))?;
    let after = tree(out);
    let mut expected: BTreeMap<String, Vec<u8>> =
        files.iter().map(|f| (f.path.clone(), f.contents.clone().into_bytes())).collect();
    expected.insert("NOTES.md".to_owned(), b"sentinel: the generator must leave this alone\n".to_vec());
    if after != expected {
        let extra: Vec<&String> = after.keys().filter(|k| !expected.contains_key(*k)).collect();
        let wrong: Vec<&String> = expected.keys().filter(|k| after.get(*k) != expected.get(*k)).collect();
        return Err(format!("after writing, extra files {extra:?}, missing or different {wrong:?}"));
    }
    let changes = output::changes(out, files).map_err(|e| format!("{e}"))?;
    if !changes.is_empty() {
        return Err(format!("right after writing, `changes` still reports {changes:?}"));
    }
    Ok(())
}

/// Runs a case in a child process (this test binary, running only [`isolated_case`]), killed at
/// the time limit: a stack overflow or a hang there cannot take the suite down.
fn check_isolated(spec: &Path, expect: Expect) -> Result<(), String> {
    let expect_text = match expect {
        Generates | GeneratesWith(_) => "ok".to_owned(),
        Warns(wanted) => format!("warn:{wanted}"),
        Fails(wanted) => format!("err:{wanted}"),
    };
    let mut child = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args(["isolated_case", "--exact", "--nocapture", "--test-threads=1"])
        .env("BAD_SPECS_CASE", spec)
        .env("BAD_SPECS_EXPECT", expect_text)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > TIME_LIMIT + Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {TIME_LIMIT:?} (hang); killed"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if let Some(line) = stdout.lines().find_map(|l| l.split_once("ISOLATED-RESULT: ").map(|(_, r)| r)) {
        return if line == "passed" { Ok(()) } else { Err(line.to_owned()) };
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
    Err(format!("the child process died ({status}): {}", tail.into_iter().rev().collect::<Vec<_>>().join(" / ")))
}

/// The child side of [`check_isolated`]; does nothing in a normal run.
#[test]
fn isolated_case() {
    let (Some(spec), Some(expect)) = (std::env::var_os("BAD_SPECS_CASE"), std::env::var("BAD_SPECS_EXPECT").ok())
    else {
        return;
    };
    // The child lives only for this one case, so leaking the expected text is fine.
    let leak = |text: &str| -> &'static str { Box::leak(text.to_owned().into_boxed_str()) };
    let expect = match (expect.strip_prefix("err:"), expect.strip_prefix("warn:")) {
        (Some(wanted), _) => Fails(leak(wanted)),
        (None, Some(wanted)) => Warns(leak(wanted)),
        (None, None) => Generates,
    };
    match check(Path::new(&spec), expect) {
        Ok(()) => println!("ISOLATED-RESULT: passed"),
        Err(why) => println!("ISOLATED-RESULT: {why}"),
    }
}

// ---- The corpus ----

#[test]
fn every_bad_spec_generates_or_fails_cleanly() {
    let dir = corpus();
    let mut stored: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/bad exists")
        .map(|e| e.expect("a readable entry").file_name().to_string_lossy().into_owned())
        .collect();
    stored.sort();
    let listed: BTreeSet<&str> = CASES.iter().map(|(name, _)| *name).collect();
    let unlisted: Vec<&String> = stored.iter().filter(|s| !listed.contains(s.as_str())).collect();
    let missing: Vec<&&str> = listed.iter().filter(|l| !stored.iter().any(|s| s == *l)).collect();
    assert!(unlisted.is_empty(), "files in tests/fixtures/bad without an entry in CASES: {unlisted:?}");
    assert!(missing.is_empty(), "CASES entries without a file in tests/fixtures/bad: {missing:?}");
    for (name, expect) in CASES {
        let prefix_ok = name.starts_with("fuzz-")
            || match expect {
                Generates | GeneratesWith(_) | Warns(_) => name.starts_with("ok-"),
                Fails(_) => name.starts_with("err-"),
            };
        assert!(prefix_ok, "`{name}`: `ok-` files must generate and `err-` files must fail (`fuzz-` may do either)");
    }
    assert!(CASES.len() + GENERATED.len() >= 30, "the corpus shrank to {} cases", CASES.len() + GENERATED.len());

    let generated_dir = scratch("generated-specs");
    let mut cases: Vec<(String, PathBuf, Expect)> =
        CASES.iter().map(|(name, expect)| (name.to_string(), dir.join(name), *expect)).collect();
    for (name, build, expect) in GENERATED {
        let path = generated_dir.join(name);
        fs::write(&path, build()).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        cases.push((name.to_string(), path, *expect));
    }
    let all: BTreeSet<&str> = cases.iter().map(|(name, _, _)| name.as_str()).collect();
    for (name, _) in KNOWN_BUGS {
        assert!(all.contains(name), "KNOWN_BUGS names `{name}`, which is not a case");
    }

    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    let mut summary = String::new();
    for (name, path, expect) in &cases {
        let started = Instant::now();
        let result =
            if ISOLATED.contains(&name.as_str()) { check_isolated(path, *expect) } else { check(path, *expect) };
        let known = KNOWN_BUGS.iter().find(|(n, _)| n == name);
        let verdict = match (&result, known) {
            (Ok(()), None) => "ok".to_owned(),
            (Ok(()), Some(_)) => {
                fixed.push(name.clone());
                "FIXED".to_owned()
            }
            (Err(_), Some(_)) => "known bug".to_owned(),
            (Err(why), None) => {
                failures.push(format!("{name}: {why}"));
                "FAILED".to_owned()
            }
        };
        let _ = writeln!(
            summary,
            "{name:55} {verdict:10} {:>8.2?}  {}",
            started.elapsed(),
            result.err().unwrap_or_default()
        );
    }
    let _ = fs::remove_file(generated_dir.join("gen-over-size-limit.yaml"));
    eprintln!("{summary}");
    assert!(failures.is_empty(), "{} case(s) misbehave:\n{}", failures.len(), failures.join("\n"));
    assert!(fixed.is_empty(), "these now behave; remove them from KNOWN_BUGS: {fixed:?}");
}

// ---- The generated crates compile ----

/// The [`COMPILE`] cases as members of one scratch workspace under `target/bad-compile/`, checked
/// by one `cargo check` sharing `target/compile-check-target` (and `Cargo.lock`) with
/// `tests/fixtures.rs`, so nothing is downloaded and dependencies are built once.
#[test]
fn generated_crates_compile() {
    let root = workspace();
    let check_dir = root.join("target/bad-compile");
    fs::create_dir_all(&check_dir).expect("can create target/bad-compile");
    let crate_name = |case: &str| {
        format!("bad_{}", case.trim_end_matches(".yaml").trim_end_matches(".json").replace(['-', '.'], "_"))
    };
    // Members are updated in place (`output::write` leaves unchanged files alone, so a warm run
    // re-checks only what changed); members no longer listed are removed.
    for entry in fs::read_dir(&check_dir).expect("a readable folder").flatten() {
        let current = COMPILE.iter().any(|case| entry.file_name().to_string_lossy() == crate_name(case));
        if entry.path().is_dir() && !current {
            fs::remove_dir_all(entry.path())
                .unwrap_or_else(|e| panic!("cannot remove {}: {e}", entry.path().display()));
        }
    }
    let mut members: BTreeMap<String, &str> = BTreeMap::new();
    for case in COMPILE {
        assert!(
            CASES.iter().any(|(n, e)| n == case && matches!(e, Generates | GeneratesWith(_) | Warns(_))),
            "{case} is not a generating case"
        );
        let crate_name = crate_name(case);
        let options = Options {
            crate_name: Some(crate_name.clone()),
            spec_label: None,
            workspace_member: true,
            ..Default::default()
        };
        let generated = generator::generate(&corpus().join(case), &options).unwrap_or_else(|e| panic!("{e}"));
        output::write(&check_dir.join(&crate_name), &generated.files).unwrap_or_else(|e| panic!("{e}"));
        members.insert(crate_name, case);
    }
    fs::copy(root.join("Cargo.lock"), check_dir.join("Cargo.lock")).expect("can copy Cargo.lock");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = root.join("target/compile-check-target");
    let write_manifest = |names: &BTreeMap<String, &str>| {
        let list: Vec<String> = names.keys().map(|n| format!("{n:?}")).collect();
        let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", list.join(", "));
        fs::write(check_dir.join("Cargo.toml"), manifest).expect("can write the workspace manifest");
    };

    // A member whose own Cargo.toml is broken would stop cargo from loading the workspace at all:
    // find those first (cargo names the manifest it cannot parse) and set them aside.
    let mut failed: BTreeMap<String, String> = BTreeMap::new();
    loop {
        write_manifest(&members);
        let metadata = Command::new(&cargo)
            .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
            .current_dir(&check_dir)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo runs");
        if metadata.status.success() {
            break;
        }
        let stderr = String::from_utf8_lossy(&metadata.stderr);
        let broken = members.keys().find(|n| stderr.contains(&format!("{}/Cargo.toml", n))).cloned();
        let Some(broken) = broken else { panic!("cargo metadata failed:\n{stderr}") };
        let case = members.remove(&broken).expect("a member");
        failed.insert(case.to_owned(), format!("its Cargo.toml does not load: {}", first_error(&stderr)));
    }

    let started = Instant::now();
    let output = Command::new(&cargo)
        .args(["check", "--workspace", "--quiet", "--keep-going", "--message-format", "short"])
        .current_dir(&check_dir)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    eprintln!("cargo check over {} crates took {:.1?}", members.len(), started.elapsed());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (crate_name, case) in &members {
        if stderr.contains(&format!("could not compile `{crate_name}`")) {
            let errors: Vec<&str> =
                stderr.lines().filter(|l| l.starts_with(crate_name.as_str()) && l.contains("error")).take(3).collect();
            failed.insert(case.to_string(), format!("does not compile: {}", errors.join(" / ")));
        }
    }
    if !output.status.success() && failed.is_empty() {
        panic!("cargo check failed, but no crate is named as failing:\n{stderr}");
    }
    let mut report = String::new();
    let mut fixed = Vec::new();
    for case in COMPILE {
        let known = KNOWN_COMPILE_BUGS.iter().any(|(n, _)| n == case);
        match (failed.get(*case), known) {
            (Some(why), false) => {
                let _ = writeln!(report, "{case}: {why}");
            }
            (None, true) => fixed.push(*case),
            _ => {}
        }
    }
    for (name, _) in KNOWN_COMPILE_BUGS {
        assert!(COMPILE.contains(name), "KNOWN_COMPILE_BUGS names `{name}`, which is not in COMPILE");
    }
    assert!(report.is_empty(), "generated crates that do not compile (in {}):\n{report}", check_dir.display());
    assert!(fixed.is_empty(), "these compile now; remove them from KNOWN_COMPILE_BUGS: {fixed:?}");
}

fn first_error(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.trim().is_empty()).take(4).collect::<Vec<_>>().join(" / ")
}

// ---- The command line ----

/// The `xtask` binary, built fresh (cargo reports where it put it).
fn xtask_binary() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--quiet", "-p", "xtask", "--message-format", "json"])
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cannot build xtask:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "xtask")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo reports the xtask executable")
}

#[test]
fn cli_fails_with_one_error_line_and_writes_nothing() {
    let xtask = xtask_binary();
    for case in
        ["err-dangling-ref-property.yaml", "err-invalid-yaml.yaml", "err-openapi-2-5.yaml", "err-allof-cycle.yaml"]
    {
        let out = scratch(&format!("cli-{case}"));
        let before = existing_output(&out);
        let output = Command::new(&xtask)
            .args(["codegen", "--spec"])
            .arg(corpus().join(case))
            .arg("--out")
            .arg(&out)
            .current_dir(workspace())
            .output()
            .expect("xtask runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{case}: exit status {}; stderr:\n{stderr}", output.status);
        let line = stderr.trim_end();
        assert!(!line.contains('\n'), "{case}: expected one line on stderr, got:\n{stderr}");
        let rest = line
            .strip_prefix(&format!("error: {case}: "))
            .unwrap_or_else(|| panic!("{case}: stderr is not `error: {case}: <location>: <what>`: {stderr}"));
        let (location, message) =
            rest.split_once(": ").unwrap_or_else(|| panic!("{case}: no `<location>: <what>` in {stderr}"));
        assert!(!location.trim().is_empty() && !message.trim().is_empty(), "{case}: {stderr}");
        let expected = CASES.iter().find_map(|(n, e)| match e {
            Fails(wanted) if n == &case => Some(*wanted),
            _ => None,
        });
        let wanted = expected.expect("an error case");
        assert!(rest.contains(wanted), "{case}: `{wanted}` not in {stderr}");
        assert!(output.stdout.is_empty(), "{case}: printed {}", String::from_utf8_lossy(&output.stdout));
        assert!(tree(&out) == before, "{case}: the CLI changed the output folder {}", out.display());
    }
}

// ---- The generator's source ----

/// The library reports errors instead of panicking: no `unwrap()`, `expect(`, `panic!`, `todo!`
/// or `unimplemented!` outside `#[cfg(test)]` (everything after that line in a file is skipped,
/// and so are `tests.rs` files).
/// Comments, string literals and `quote!` bodies (code the generator writes, not runs) are not
/// the generator's own code and are skipped too.
#[test]
fn generator_source_has_no_panicking_shortcuts() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("a readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
                // A `tests.rs` is a `#[cfg(test)] mod tests;` of its own.
                out.push(path);
            }
        }
    }
    let src = workspace().join("generator/src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    assert!(files.len() > 5, "found only {files:?}");
    let mut offenders = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("readable source");
        let before_tests: String =
            text.lines().take_while(|l| !l.contains("#[cfg(test)]")).collect::<Vec<_>>().join("\n");
        let rel = file.strip_prefix(workspace()).unwrap_or(file).display().to_string();
        for (line, what) in panicking_calls(&before_tests) {
            let source = before_tests.lines().nth(line - 1).unwrap_or("").trim();
            offenders.push(format!("{rel}:{line}: `{what}`: {source}"));
        }
    }
    assert!(offenders.is_empty(), "the generator can panic here:\n{}", offenders.join("\n"));
}

/// `(line, what)` for every forbidden call in Rust source, outside comments, literals and `quote!`.
fn panicking_calls(source: &str) -> Vec<(usize, &'static str)> {
    const FORBIDDEN: [&str; 5] = [".unwrap()", ".expect(", "panic!", "todo!", "unimplemented!"];
    let code = strip_non_code(source);
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        for what in FORBIDDEN {
            if line.contains(what) {
                found.push((i + 1, what));
            }
        }
    }
    found
}

/// The source with comments, string and char literals and `quote!`/`quote_spanned!` bodies
/// blanked out (newlines kept, so line numbers hold).
fn strip_non_code(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    // Blanks `chars[from..to]`, keeping newlines.
    let blank = |out: &mut String, from: usize, to: usize| {
        for c in &chars[from..to] {
            out.push(if *c == '\n' { '\n' } else { ' ' });
        }
    };
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 16)].iter().collect();
        let end = if rest.starts_with("//") {
            chars[i..].iter().position(|c| *c == '\n').map_or(chars.len(), |p| i + p)
        } else if rest.starts_with("/*") {
            let mut depth = 0;
            let mut j = i;
            while j < chars.len() {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            j
        } else if let Some(hashes) = raw_string_start(&rest) {
            // r#"…"#: ends at a quote followed by the same number of hashes.
            let body = i + 2 + hashes;
            let closing: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let tail: String = chars[body..].iter().collect();
            tail.find(&closing).map_or(chars.len(), |p| body + tail[..p].chars().count() + closing.len())
        } else if chars[i] == '"' || (chars[i] == 'b' && chars.get(i + 1) == Some(&'"')) {
            let mut j = if chars[i] == 'b' { i + 2 } else { i + 1 };
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if chars[i] == '\'' && (chars.get(i + 2) == Some(&'\'') || chars.get(i + 1) == Some(&'\\')) {
            // A char literal (a lifetime has no closing quote right after one char).
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if (rest.starts_with("quote!") || rest.starts_with("quote_spanned!"))
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            macro_body_end(&chars, i)
        } else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        blank(&mut out, i, end);
        i = end;
    }
    out
}

/// `Some(number of #)` if `text` starts a raw (byte) string literal.
fn raw_string_start(text: &str) -> Option<usize> {
    let text = text.strip_prefix('b').unwrap_or(text);
    let after_r = text.strip_prefix('r')?;
    let hashes = after_r.chars().take_while(|c| *c == '#').count();
    after_r[hashes..].starts_with('"').then_some(hashes)
}

/// The index just past the delimited body of the macro call starting at `start`.
fn macro_body_end(chars: &[char], start: usize) -> usize {
    let Some(open) = chars[start..].iter().position(|c| matches!(c, '(' | '[' | '{')).map(|p| start + p) else {
        return chars.len();
    };
    let mut depth = 0usize;
    let mut j = open;
    while j < chars.len() {
        match chars[j] {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            '"' => {
                j += 1;
                while j < chars.len() && chars[j] != '"' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        j += 1;
    }
    chars.len()
}

#[test]
fn the_source_scan_sees_calls_but_not_text_or_generated_code() {
    let source = r#"
fn a() { x.unwrap(); }
// y.unwrap() in a comment
let s = "panic!(in a string)";
let t = quote!(#v.expect("generated code"));
let u = quote! { todo!() };
let c = '"'; z.expect("real");
/* block .unwrap() */ let r = r"unimplemented!()"; panic!("real");
"#;
    assert_eq!(panicking_calls(source), vec![(2, ".unwrap()"), (7, ".expect("), (8, "panic!")]);
}
