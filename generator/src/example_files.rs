//! Example files as read, before they are tied to operations: the types both inputs fill, and the
//! reader for an OpenAPI 3 spec's `examples/` folder, where `operations.yaml` maps operationIds
//! to files (the OpenAPI 3 conversion drops `x-ms-examples`; Swagger input reads them in `load`).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One example file as written.
#[derive(Debug, Clone)]
pub struct ExampleFile {
    /// The file name (`ApiManagementGetBackend.json`).
    pub file: String,
    pub value: Value,
}

/// Examples by operationId, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub by_operation: BTreeMap<String, Vec<ExampleFile>>,
    /// `file: reason` for every example that could not be used.
    pub problems: Vec<String>,
}

/// Reads `<spec dir>/examples/operations.yaml` and the files it names; no folder, no examples.
pub fn load(spec: &Path) -> Examples {
    let mut examples = Examples::default();
    let Some(dir) = spec.parent().map(|d| d.join("examples")) else { return examples };
    let mapping_path = dir.join("operations.yaml");
    if !mapping_path.is_file() {
        return examples;
    }
    let mapping: BTreeMap<String, Vec<String>> = match std::fs::read_to_string(&mapping_path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_yaml::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(mapping) => mapping,
        Err(e) => {
            examples.problems.push(format!("examples/operations.yaml: cannot read the mapping: {e}"));
            return examples;
        }
    };
    for (operation, files) in mapping {
        for file in files {
            let read = std::fs::read_to_string(dir.join(&file)).map_err(|e| e.to_string());
            match read.and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| e.to_string())) {
                Ok(value) => {
                    examples.by_operation.entry(operation.clone()).or_default().push(ExampleFile { file, value })
                }
                Err(e) => examples.problems.push(format!("{file}: {e}")),
            }
        }
    }
    examples
}
