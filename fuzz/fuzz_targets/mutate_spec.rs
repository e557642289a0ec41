//! Structure-aware: the fuzzer's bytes pick a real-looking seed spec and a list of structural
//! mutations (replace a value with another type, delete a key, duplicate a subtree, inject a
//! `$ref`, rename a key, wrap a schema in `allOf`…) applied at JSON pointers into its parsed tree.
//! The result is serialized to JSON and run through parse → lower → emit.
//!
//! Beyond "never panics", it checks two contracts of the generator:
//! - every error names the spec (`file` is the label) and has a location and a message;
//! - a generated crate never lists the same file twice.
//!
//! With `GENERATOR_FUZZ_SKIP_KNOWN=1`, failures matching [`KNOWN`] (bugs already recorded in
//! `tests/tests/bad_specs.rs`) are skipped, so a run can look for new ones. With
//! `GENERATOR_FUZZ_DUMP=<file>`, each input's spec is written there before it runs (to turn a
//! crash artifact into a spec file).

#![no_main]

use generator::crate_options::CrateOptions;
use libfuzzer_sys::arbitrary::{Result as ArbitraryResult, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;

const LABEL: &str = "fuzz.json";

/// Seeds: the feature fixtures and small slices of the real specs (see `seeds/slice.py`).
const SEEDS: &[(&str, &str)] = &[
    ("allof.yaml", include_str!("../../tests/fixtures/allof.yaml")),
    ("enums.yaml", include_str!("../../tests/fixtures/enums.yaml")),
    ("formats.yaml", include_str!("../../tests/fixtures/formats.yaml")),
    ("maps.yaml", include_str!("../../tests/fixtures/maps.yaml")),
    ("names.yaml", include_str!("../../tests/fixtures/names.yaml")),
    ("recursion.yaml", include_str!("../../tests/fixtures/recursion.yaml")),
    ("storage-usages.json", include_str!("../seeds/storage-usages.json")),
    ("keyvault-secrets.json", include_str!("../seeds/keyvault-secrets.json")),
    ("apim-loggers.json", include_str!("../seeds/apim-loggers.json")),
];

/// Substrings of panic messages or error texts of bugs already recorded; skipped only with
/// `GENERATOR_FUZZ_SKIP_KNOWN=1`.
const KNOWN: &[&str] = &[
    // Parameter names whose upper-case form is not an identifier (`x²`, `٣`): `format_ident!` panics.
    "is not a valid Ident",
    // Group names that are keywords (`Impl`, `Mod`, `Async`) make `mod impl;`: reported with the
    // generated file as `file`.
    "the generator produced invalid Rust",
    // Groups named `Rules`/`Pages` produce a second `src/clients/rules.rs`/`pages.rs`.
    "lists the same file twice",
];

/// Strings that reach interesting code: keywords, collisions, references, odd characters.
const WORDS: &[&str] = &[
    "",
    "$ref",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "impl",
    "mod",
    "async",
    "rules",
    "pages",
    "headers",
    "models",
    "runtime",
    "Rules_List",
    "Impl_Get",
    "Default",
    "Default_Get",
    "_",
    "__",
    "Foo_",
    "_Foo",
    "x²",
    "٣",
    "日本",
    "café",
    "e\u{301}",
    "😀",
    "\r",
    "a\rb",
    "\n",
    "\t",
    "\\",
    "\"",
    "'",
    "*/",
    "```",
    "[x]",
    "<br>",
    "{id}",
    "{}",
    "/a/{b}",
    "/a/{b}/{b}",
    "#/components/schemas/",
    "#/components/schemas/Missing",
    "#/components/parameters/Missing",
    "#/components/requestBodies/Missing",
    "#/definitions/X",
    "other.yaml#/components/schemas/X",
    "#",
    "object",
    "array",
    "string",
    "integer",
    "number",
    "boolean",
    "banana",
    "date-time",
    "date-time-rfc1123",
    "byte",
    "duration",
    "int32",
    "uuid",
    "password",
    "x-ms-enum",
    "x-ms-pageable",
    "x-ms-client-name",
    "x-ms-client-flatten",
    "x-ms-long-running-operation",
    "x-ms-parameter-location",
    "x-ms-requestBody-name",
    "modelAsString",
    "nextLinkName",
    "itemName",
    "value",
    "values",
    "name",
    "nextLink",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "properties",
    "required",
    "enum",
    "additionalProperties",
    "items",
    "readOnly",
    "nullable",
    "default",
    "description",
    "application/json",
    "application/octet-stream",
    "text/plain",
    "path",
    "query",
    "header",
    "cookie",
    "client",
    "method",
    "api-version",
    "200",
    "201",
    "204",
    "0",
    "-1",
    "1.0",
    "10",
    "UnknownValue",
    "Model",
    "Option",
    "Error",
    "NoBody",
    "additional_properties",
    "options",
    "new",
    "Client",
    "Options",
    "a_b",
    "A-B",
    "aB",
];

fn seeds() -> &'static [Value] {
    static SEEDS_PARSED: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS_PARSED.get_or_init(|| {
        if std::env::var_os("GENERATOR_FUZZ_SKIP_KNOWN").is_some_and(|v| v == "1") {
            skip_known_panics();
        }
        SEEDS
            .iter()
            .map(|(name, text)| match generator::load::parse(text, name) {
                Ok(doc) => doc.raw,
                Err(e) => panic!("seed {name} does not parse: {e}"),
            })
            .collect()
    })
}

/// libfuzzer-sys aborts on any panic; let known ones unwind to the `catch_unwind` below instead.
fn skip_known_panics() {
    let abort = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if !KNOWN.iter().any(|k| message.contains(k)) {
            abort(info);
        }
    }));
}

#[derive(Clone, Debug)]
enum Key {
    Name(String),
    Index(usize),
}

/// Every node's path from the root, root included, in document order.
fn paths(value: &Value) -> Vec<Vec<Key>> {
    fn walk(value: &Value, at: &mut Vec<Key>, out: &mut Vec<Vec<Key>>) {
        out.push(at.clone());
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    at.push(Key::Name(k.clone()));
                    walk(v, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(Key::Index(i));
                    walk(v, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'v>(root: &'v mut Value, path: &[Key]) -> Option<&'v mut Value> {
    let mut current = root;
    for key in path {
        current = match (current, key) {
            (Value::Object(map), Key::Name(k)) => map.get_mut(k)?,
            (Value::Array(items), Key::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn node<'v>(root: &'v Value, path: &[Key]) -> Option<&'v Value> {
    let mut current = root;
    for key in path {
        current = match (current, key) {
            (Value::Object(map), Key::Name(k)) => map.get(k)?,
            (Value::Array(items), Key::Index(i)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn word(u: &mut Unstructured) -> ArbitraryResult<String> {
    Ok(match u.int_in_range(0..=9)? {
        // Mostly the dictionary; sometimes two words joined, sometimes raw fuzzer text.
        0 => format!("{}{}", u.choose(WORDS)?, u.choose(WORDS)?),
        1 => format!("{}_{}", u.choose(WORDS)?, u.choose(WORDS)?),
        2 => u.arbitrary::<&str>()?.chars().take(24).collect(),
        _ => (*u.choose(WORDS)?).to_owned(),
    })
}

/// A `$ref` string: usually to a schema that exists, so cycles and aliases come up.
fn reference(u: &mut Unstructured, root: &Value) -> ArbitraryResult<String> {
    let names: Vec<&String> =
        root.pointer("/components/schemas").and_then(Value::as_object).map(|m| m.keys().collect()).unwrap_or_default();
    Ok(match u.int_in_range(0..=5)? {
        0..=3 if !names.is_empty() => {
            let name = u.choose(&names)?;
            format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))
        }
        4 => format!("#/components/schemas/{}", word(u)?),
        _ => word(u)?,
    })
}

fn scalar(u: &mut Unstructured) -> ArbitraryResult<Value> {
    Ok(match u.int_in_range(0..=9)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => Value::from(u.arbitrary::<u64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        5 => Value::from(u.int_in_range(-3..=300)?),
        _ => Value::String(word(u)?),
    })
}

/// A small value of any type.
fn value(u: &mut Unstructured, root: &Value, depth: u32) -> ArbitraryResult<Value> {
    if depth > 2 {
        return scalar(u);
    }
    Ok(match u.int_in_range(0..=7)? {
        0 => Value::Array(Vec::new()),
        1 => Value::Object(Map::new()),
        2 => {
            let n = u.int_in_range(0..=3)?;
            Value::Array((0..n).map(|_| value(u, root, depth + 1)).collect::<ArbitraryResult<_>>()?)
        }
        3 => {
            let n = u.int_in_range(0..=3)?;
            let mut map = Map::new();
            for _ in 0..n {
                map.insert(word(u)?, value(u, root, depth + 1)?);
            }
            Value::Object(map)
        }
        4 => Value::Object(Map::from_iter([("$ref".to_owned(), Value::String(reference(u, root)?))])),
        _ => scalar(u)?,
    })
}

/// The nodes that name things, by kind: operationIds, parameter names, titles, keys under
/// `schemas`/`properties`/`headers`, enum values. Most bugs are in naming, and a uniform pick
/// over the whole tree rarely lands on an operationId, so the kind is chosen first.
fn name_nodes(all: &[Vec<Key>]) -> Vec<Vec<Vec<Key>>> {
    let mut kinds: Vec<Vec<Vec<Key>>> = vec![Vec::new(); 7];
    for path in all {
        let at = |back: usize| path.len().checked_sub(back).and_then(|i| path.get(i));
        let name = |back: usize| match at(back) {
            Some(Key::Name(k)) => Some(k.as_str()),
            _ => None,
        };
        let kind = match (name(1), name(2)) {
            (Some("operationId"), _) => 0,
            (Some("name"), _) => 1,
            (Some("title"), _) => 2,
            (_, Some("schemas")) => 3,
            (_, Some("properties")) => 4,
            (_, Some("headers")) => 5,
            (None, Some("enum")) => 6,
            _ => continue,
        };
        kinds[kind].push(path.clone());
    }
    kinds.retain(|k| !k.is_empty());
    kinds
}

/// Applies one mutation at a node chosen by the fuzzer.
fn mutate(u: &mut Unstructured, root: &mut Value) -> ArbitraryResult<()> {
    let all = paths(root);
    let target = u.choose(&all)?.clone();
    match u.int_in_range(0..=11)? {
        // Rename something that is named: a key under `schemas`/`properties`/`headers`, or a
        // string value that is an operationId, a parameter or enum name, an enum value.
        10 | 11 => {
            let kinds = name_nodes(&all);
            if kinds.is_empty() {
                return Ok(());
            }
            let kind = u.choose(&kinds)?;
            let target = u.choose(kind)?.clone();
            let new_name = word(u)?;
            let Some((last, parent)) = target.split_last() else { return Ok(()) };
            let Some(parent) = node_mut(root, parent) else { return Ok(()) };
            match (parent, last) {
                (Value::Object(map), Key::Name(k)) => match map.get_mut(k) {
                    Some(Value::String(s)) => *s = new_name,
                    Some(_) => {
                        if let Some(v) = map.shift_remove(k) {
                            map.insert(new_name, v);
                        }
                    }
                    None => {}
                },
                (Value::Array(items), Key::Index(i)) => {
                    if let Some(item) = items.get_mut(*i) {
                        *item = Value::String(new_name);
                    }
                }
                _ => {}
            }
        }
        // Replace the node with a value of some (usually other) type.
        0 | 1 => {
            let new = value(u, root, 0)?;
            if let Some(node) = node_mut(root, &target) {
                *node = new;
            }
        }
        // Delete it from its parent.
        2 => {
            if let Some((last, parent)) = target.split_last()
                && let Some(parent) = node_mut(root, parent)
            {
                match (parent, last) {
                    (Value::Object(map), Key::Name(k)) => {
                        map.shift_remove(k);
                    }
                    (Value::Array(items), Key::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Copy another subtree over it, or beside it under a new key.
        3 | 4 => {
            let source = u.choose(&all)?.clone();
            let Some(copy) = node(root, &source).cloned() else { return Ok(()) };
            let key = word(u)?;
            let beside = u.arbitrary::<bool>()?;
            match node_mut(root, &target) {
                Some(Value::Object(map)) if beside => {
                    map.insert(key, copy);
                }
                Some(Value::Array(items)) if beside => items.push(copy),
                Some(node) => *node = copy,
                None => {}
            }
        }
        // Turn it into a `$ref`, or add a `$ref` beside its keywords.
        5 => {
            let reference = Value::String(reference(u, root)?);
            match node_mut(root, &target) {
                Some(Value::Object(map)) if u.arbitrary::<bool>()? => {
                    map.insert("$ref".to_owned(), reference);
                }
                Some(node) => *node = Value::Object(Map::from_iter([("$ref".to_owned(), reference)])),
                None => {}
            }
        }
        // Rename a key (keeping its value), or add a key.
        6 => {
            let new_key = word(u)?;
            let new_value = value(u, root, 1)?;
            let rename = u.arbitrary::<bool>()?;
            if let Some(Value::Object(map)) = node_mut(root, &target) {
                let keys: Vec<String> = map.keys().cloned().collect();
                if rename && !keys.is_empty() {
                    let old = u.choose(&keys)?;
                    if let Some(v) = map.shift_remove(old) {
                        map.insert(new_key, v);
                    }
                } else {
                    map.insert(new_key, new_value);
                }
            }
        }
        // Wrap it: `allOf: [it]`, `[it]`, `{items: it}`, `{properties: {x: it}}`.
        7 => {
            let how = u.int_in_range(0..=3)?;
            let key = word(u)?;
            if let Some(node) = node_mut(root, &target) {
                let inner = node.take();
                *node = match how {
                    0 => Value::Object(Map::from_iter([("allOf".to_owned(), Value::Array(vec![inner]))])),
                    1 => Value::Array(vec![inner]),
                    2 => Value::Object(Map::from_iter([("items".to_owned(), inner)])),
                    _ => Value::Object(Map::from_iter([(
                        "properties".to_owned(),
                        Value::Object(Map::from_iter([(key, inner)])),
                    )])),
                };
            }
        }
        // Edit a string in place.
        _ => {
            let extra = word(u)?;
            let at_end = u.arbitrary::<bool>()?;
            if let Some(Value::String(s)) = node_mut(root, &target) {
                if at_end {
                    s.push_str(&extra);
                } else {
                    *s = format!("{extra}{s}");
                }
            }
        }
    }
    Ok(())
}

fn skip_known() -> bool {
    std::env::var_os("GENERATOR_FUZZ_SKIP_KNOWN").is_some_and(|v| v == "1")
}

fn check_error(error: &generator::Error, phase: &str) {
    let text = error.to_string();
    if skip_known() && KNOWN.iter().any(|k| text.contains(k)) {
        return;
    }
    assert_eq!(error.file, LABEL, "a {phase} error does not name the spec: {text}");
    assert!(!error.location.is_empty(), "a {phase} error without a location: {text}");
    assert!(!error.message.is_empty(), "a {phase} error without a message: {text}");
}

fn run(text: &str) {
    let doc = match generator::load::parse(text, LABEL) {
        Ok(doc) => doc,
        Err(e) => return check_error(&e, "parse"),
    };
    let api = match generator::lower::lower(&doc) {
        Ok(api) => api,
        Err(e) => return check_error(&e, "lower"),
    };
    let options = CrateOptions {
        crate_name: "fuzz_client".to_owned(),
        spec_label: LABEL.to_owned(),
        command: generator::COMMAND.to_owned(),
        workspace_member: false,
        version: "0.1.0".to_owned(),
    };
    match generator::emit::emit(&api, &options) {
        Ok(files) => {
            let mut seen = BTreeSet::new();
            for file in &files {
                if !seen.insert(file.path.as_str()) {
                    let message = format!("the generated crate lists the same file twice: {}", file.path);
                    if skip_known() && KNOWN.iter().any(|k| message.contains(k)) {
                        return;
                    }
                    panic!("{message}");
                }
            }
        }
        Err(e) => check_error(&e, "emit"),
    }
}

fuzz_target!(|data: &[u8]| {
    let seeds = seeds();
    let mut u = Unstructured::new(data);
    let Ok(index) = u.choose_index(seeds.len()) else { return };
    let mut spec = seeds[index].clone();
    let Ok(count) = u.int_in_range(1..=8u8) else { return };
    for _ in 0..count {
        if mutate(&mut u, &mut spec).is_err() {
            break;
        }
    }
    let Ok(text) = serde_json::to_string_pretty(&spec) else { return };
    // To turn a crash artifact (steering bytes) into the spec it builds.
    if let Some(path) = std::env::var_os("GENERATOR_FUZZ_DUMP") {
        let _ = std::fs::write(path, &text);
    }
    if skip_known() {
        // Known panics unwind (see `skip_known_panics`) and end here.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| run(&text)));
    } else {
        run(&text);
    }
});
