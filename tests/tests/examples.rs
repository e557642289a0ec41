//! Every JSON body in the spec's own examples (`x-ms-examples`) reads into its model, and no
//! field of it is silently dropped: unknown keys are caught while deserializing, and the model
//! serialized back must agree with the example on every key it writes.

use api_management_client::models;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Azure's own publication of the spec, as committed.
const SPEC: &str = "spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01";

/// Deserializes `body` as `T`, failing on any ignored key or on a value that does not survive.
fn check<T: DeserializeOwned + Serialize>(body: &Value) -> Result<(), String> {
    let mut ignored = Vec::new();
    let model: T =
        serde_ignored::deserialize(body, |path| ignored.push(path.to_string())).map_err(|e| e.to_string())?;
    if !ignored.is_empty() {
        return Err(format!("fields dropped while reading: {ignored:?}"));
    }
    let back = serde_json::to_value(&model).map_err(|e| e.to_string())?;
    agrees(&back, body, "")
}

/// `written` may leave keys out (read-only fields are never sent) but every key it writes must
/// hold the example's value. A `null` in the example holds nothing to lose.
fn agrees(written: &Value, example: &Value, at: &str) -> Result<(), String> {
    match (written, example) {
        (_, Value::Null) => Ok(()),
        (Value::Object(w), Value::Object(e)) => w.iter().try_for_each(|(k, v)| match e.get(k) {
            Some(ev) => agrees(v, ev, &format!("{at}/{k}")),
            None => Err(format!("{at}/{k}: written but not in the example")),
        }),
        (Value::Array(w), Value::Array(e)) if w.len() == e.len() => {
            w.iter().zip(e).enumerate().try_for_each(|(i, (wv, ev))| agrees(wv, ev, &format!("{at}/{i}")))
        }
        (Value::Number(w), Value::Number(e)) if w.as_f64() == e.as_f64() => Ok(()),
        (w, e) if w == e => Ok(()),
        (w, e) => Err(format!("{at}: wrote {w}, the example has {e}")),
    }
}

/// The models the Backend examples use; a new example naming another model fails loudly here.
fn check_as(schema: &str, body: &Value) -> Result<(), String> {
    match generator::naming::type_name(schema).as_str() {
        "BackendContract" => check::<models::BackendContract>(body),
        "BackendCollection" => check::<models::BackendCollection>(body),
        "BackendUpdateParameters" => check::<models::BackendUpdateParameters>(body),
        "BackendReconnectContract" => check::<models::BackendReconnectContract>(body),
        other => Err(format!("model {other} is not wired into this test; add it to `check_as`")),
    }
}

/// The `$ref` schema name of a JSON body, if any.
fn body_schema(content: Option<&Value>) -> Option<String> {
    let reference = content?.get("application/json")?.get("schema")?.get("$ref")?.as_str()?;
    reference.strip_prefix("#/components/schemas/").map(str::to_owned)
}

fn find_operation<'a>(spec: &'a Value, operation_id: &str) -> Option<&'a Value> {
    spec["paths"]
        .as_object()?
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
}

#[test]
fn every_example_body_reads_into_its_model_without_loss() {
    let spec = root().join(SPEC);
    let doc = generator::load::load(&spec, "2024-05-01").unwrap_or_else(|e| panic!("{e}"));
    let examples = doc.examples.as_ref().expect("the Swagger carries its x-ms-examples");
    let (mut checked, mut failures) = (0, Vec::new());
    let backend = examples.by_operation.iter().filter(|(id, _)| id.starts_with("Backend_"));
    for (operation_id, files) in backend {
        let operation =
            find_operation(&doc.raw, operation_id).unwrap_or_else(|| panic!("{operation_id} is not in the spec"));
        for example in files {
            let (file, example) = (&example.file, &example.value);
            let mut bodies = Vec::new();
            if let Some(schema) = body_schema(operation.pointer("/requestBody/content")) {
                let name = operation["requestBody"]["x-ms-requestBody-name"].as_str().unwrap_or("body");
                let body =
                    example["parameters"].get(name).unwrap_or_else(|| panic!("{file}: no request body `{name}`"));
                bodies.push((format!("request `{name}`"), schema, body.clone()));
            }
            for (status, response) in example["responses"].as_object().expect("responses") {
                let Some(body) = response.get("body") else { continue };
                let schema = body_schema(operation.pointer(&format!("/responses/{status}/content")))
                    .unwrap_or_else(|| panic!("{file}: the spec declares no body for {status}"));
                bodies.push((format!("response {status}"), schema, body.clone()));
            }
            for (what, schema, body) in bodies {
                checked += 1;
                if let Err(e) = check_as(&schema, &body) {
                    failures.push(format!("{file} {what} as {schema}: {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} bodies failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 14, "expected every Backend example body to be checked, got {checked}");
}

#[test]
fn a_dropped_field_is_caught() {
    let body = serde_json::json!({"properties": {"url": "https://x", "protocol": "http", "notInTheSpec": 1}});
    let error = check::<models::BackendContract>(&body).expect_err("an unknown key must fail the check");
    assert!(error.contains("notInTheSpec"), "{error}");
}

#[test]
fn a_changed_value_is_caught() {
    assert!(agrees(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 2}), "").is_err());
    assert!(agrees(&serde_json::json!({"b": 1}), &serde_json::json!({}), "").is_err());
}
