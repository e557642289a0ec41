//! Spec text → a raw JSON tree: JSON as it is, YAML through its own tree so duplicate keys,
//! non-finite numbers and merge keys are handled, with the failing place named.

use crate::error::{Error, Result, pointer};

/// Parses text (JSON if it starts with `{`, else YAML) into a JSON tree; a leading BOM is ignored.
pub fn parse_tree(text: &str, label: &str) -> Result<serde_json::Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
