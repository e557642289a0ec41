//! Reading a spec file: YAML or JSON text → a raw JSON tree plus the typed `openapiv3` document.
//!
//! The raw tree is kept because `openapiv3` drops keywords written beside a `$ref`
//! (`x-ms-client-flatten`, `readOnly`, `description`), and because it lets errors name the exact
//! JSON pointer that failed to parse.

use crate::error::{Error, Result, pointer};
use serde::Deserialize;
use std::path::Path;

/// Refuse absurd inputs before parsing: the largest real ARM spec is a few MB.
const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

/// A parsed spec: the raw tree and the typed document.
pub struct Document {
    /// The name errors and the generated preamble use for this file.
    pub file: String,
    pub raw: serde_json::Value,
    pub api: openapiv3::OpenAPI,
    /// `x-ms-paths`: paths that differ from others only by a fixed query (`/items?op=export`).
    /// They live in an extension, so openapiv3 leaves them raw; parsed here like `paths`.
    pub x_ms_paths: Vec<(String, openapiv3::PathItem)>,
}

impl Document {
    /// The raw value at a JSON pointer, if present.
    pub fn raw_at(&self, pointer: &str) -> Option<&serde_json::Value> {
        self.raw.pointer(pointer)
    }

    pub fn error(&self, location: impl Into<String>, message: impl Into<String>) -> Error {
        Error::new(&self.file, location, message)
    }
}

/// Reads and parses the spec at `path`; `label` is how errors name it.
pub fn load(path: &Path, label: &str) -> Result<Document> {
    let meta = std::fs::metadata(path).map_err(|e| Error::new(label, "/", format!("cannot read the spec: {e}")))?;
    if meta.len() > MAX_SPEC_BYTES {
        return Err(Error::new(label, "/", format!("the spec is {} bytes; the limit is {MAX_SPEC_BYTES}", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::new(label, "/", format!("cannot read the spec: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| Error::new(label, "/", format!("the spec is not UTF-8 text: {e}")))?;
    parse(&text, label)
}

/// Parses spec text (JSON if it starts with `{`, else YAML).
pub fn parse(text: &str, label: &str) -> Result<Document> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = parse_tree(text, label)?;
    check_version(&raw, label)?;
    let api = openapiv3::OpenAPI::deserialize(&raw).map_err(|e| locate_parse_error(&raw, label, e))?;
    let x_ms_paths = x_ms_paths(&raw, label)?;
    Ok(Document { file: label.to_owned(), raw, api, x_ms_paths })
}

fn x_ms_paths(raw: &serde_json::Value, label: &str) -> Result<Vec<(String, openapiv3::PathItem)>> {
    let Some(entries) = raw.get("x-ms-paths") else { return Ok(Vec::new()) };
    let Some(entries) = entries.as_object() else {
        return Err(Error::new(label, "/x-ms-paths", "`x-ms-paths` must be a mapping of paths to path items"));
    };
    entries
        .iter()
        .map(|(key, value)| {
            openapiv3::PathItem::deserialize(value)
                .map(|item| (key.clone(), item))
                .map_err(|e| Error::new(label, pointer("/x-ms-paths", key), format!("not a valid path item: {e}")))
        })
        .collect()
}

fn parse_tree(text: &str, label: &str) -> Result<serde_json::Value> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            Error::new(label, format!("line {} column {}", e.line(), e.column()), format!("invalid JSON: {e}"))
        });
    }
    // Through the YAML tree, not straight into JSON: only it rejects duplicate keys and
    // non-finite numbers, and it handles merge keys (`<<`) and non-string keys (`200:`).
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let location =
            e.location().map_or_else(|| "/".to_owned(), |l| format!("line {} column {}", l.line(), l.column()));
        Error::new(label, location, format!("invalid YAML: {e}"))
    })?;
    yaml.apply_merge().map_err(|e| Error::new(label, "/", format!("invalid YAML merge key: {e}")))?;
    yaml_to_json(yaml).map_err(|failure| failure.into_error(label))
}

/// A conversion failure. Its place is collected on the way back up, so the nodes that convert
/// fine (all of them, in a valid spec) cost no pointer string.
struct Failure {
    /// Segments from the failing node up to the root.
    path: Vec<String>,
    message: String,
}

impl Failure {
    fn new(message: String) -> Self {
        Failure { path: Vec::new(), message }
    }

    fn under(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }

    fn into_error(self, label: &str) -> Error {
        let location = self.path.iter().rev().fold(String::new(), |at, segment| pointer(&at, segment));
        Error::new(label, at_or_root(&location), self.message)
    }
}

/// YAML allows non-string keys (`200:` for a status code); JSON and OpenAPI want strings.
fn yaml_to_json(value: serde_yaml::Value) -> Result<serde_json::Value, Failure> {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => {
            yaml_number(&n).ok_or_else(|| Failure::new(format!("number {n} cannot be represented in JSON")))?
        }
        Y::String(s) => J::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(yaml_to_json(item).map_err(|f| f.under(i.to_string()))?);
            }
            J::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(Failure::new(format!("unsupported mapping key {other:?}"))),
                };
                match yaml_to_json(v) {
                    Ok(child) => out.insert(key, child),
                    Err(failure) => return Err(failure.under(key)),
                };
            }
            J::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

fn yaml_number(n: &serde_yaml::Number) -> Option<serde_json::Value> {
    if let Some(i) = n.as_i64() {
        Some(i.into())
    } else if let Some(u) = n.as_u64() {
        Some(u.into())
    } else {
        n.as_f64().and_then(serde_json::Number::from_f64).map(serde_json::Value::Number)
    }
}

fn at_or_root(at: &str) -> &str {
    if at.is_empty() { "/" } else { at }
}

fn check_version(raw: &serde_json::Value, label: &str) -> Result<()> {
    let Some(root) = raw.as_object() else {
        return Err(Error::new(label, "/", "not an OpenAPI document: the top level is not a mapping"));
    };
    if root.contains_key("swagger") {
        return Err(Error::new(
            label,
            "/swagger",
            "Swagger 2.0 is not supported; convert the spec to OpenAPI 3 first (for example with AutoRest)",
        ));
    }
    match root.get("openapi") {
        Some(serde_json::Value::String(v)) if v.starts_with("3.") => Ok(()),
        Some(other) => Err(Error::new(label, "/openapi", format!("unsupported OpenAPI version {other}; expected 3.x"))),
        None => Err(Error::new(label, "/", "not an OpenAPI document: no `openapi` field")),
    }
}

/// serde's error does not say where it happened; re-parse the parts one at a time to find out.
fn locate_parse_error(raw: &serde_json::Value, label: &str, error: serde_json::Error) -> Error {
    const SECTIONS: [&str; 5] = [
        "/paths",
        "/components/schemas",
        "/components/parameters",
        "/components/responses",
        "/components/requestBodies",
    ];
    for section in SECTIONS {
        let Some(value) = raw.pointer(section) else { continue };
        let Some(entries) = value.as_object() else {
            return Error::new(label, section, format!("not valid OpenAPI: expected a mapping, found {}", kind(value)));
        };
        for (name, value) in entries {
            if let Some(detail) = section_error(section, value) {
                return Error::new(label, pointer(section, name), format!("not valid OpenAPI: {detail}"));
            }
        }
    }
    Error::new(label, "/", format!("not valid OpenAPI: {error}"))
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
    }
}

fn section_error(section: &str, value: &serde_json::Value) -> Option<String> {
    use openapiv3::ReferenceOr;
    let result = match section {
        "/paths" => openapiv3::PathItem::deserialize(value).err(),
        "/components/schemas" => ReferenceOr::<openapiv3::Schema>::deserialize(value).err(),
        "/components/parameters" => ReferenceOr::<openapiv3::Parameter>::deserialize(value).err(),
        "/components/responses" => ReferenceOr::<openapiv3::Response>::deserialize(value).err(),
        _ => ReferenceOr::<openapiv3::RequestBody>::deserialize(value).err(),
    };
    result.map(|e| e.to_string())
}
