//! An OpenAPI 3 tree → the typed `openapiv3` document, with errors naming the JSON pointer that
//! failed to parse (serde alone only says what, not where).

use super::Document;
use crate::error::{Error, Result, pointer};
use serde::Deserialize;

/// Types the raw tree of an OpenAPI 3 document. `origins` say where its parts were written when
/// the tree was converted from other files (empty when it was read as it is).
pub fn typed(raw: serde_json::Value, label: &str, origins: Vec<super::Origin>) -> Result<Document> {
    check_version(&raw, label)?;
    let api = openapiv3::OpenAPI::deserialize(&raw)
        .map_err(|e| super::translate(&origins, locate_parse_error(&raw, label, e)))?;
    let x_ms_paths = x_ms_paths(&raw, label).map_err(|e| super::translate(&origins, e))?;
    Ok(Document { file: label.to_owned(), raw, api, x_ms_paths, origins, examples: None, warnings: Vec::new() })
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

fn check_version(raw: &serde_json::Value, label: &str) -> Result<()> {
    let Some(root) = raw.as_object() else {
        return Err(Error::new(label, "/", "not an OpenAPI document: the top level is not a mapping"));
    };
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
