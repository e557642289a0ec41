//! Ties each example's values to what they fill: parameters, client parameters, the body, the
//! responses. An example that does not fit its operation is reported, never silently dropped.

use crate::examples::{ExampleFile, Examples};
use crate::model::{Example, ExampleResponse, Group, Operation};
use serde_json::Value;

/// Attaches examples to their operations; returns `file: reason` for each one left out.
pub fn attach(groups: &mut [Group], input: Examples) -> Vec<String> {
    let mut problems = input.problems;
    for (operation_id, files) in input.by_operation {
        let operation =
            groups.iter_mut().flat_map(|g| g.operations.iter_mut()).find(|op| op.operation_id == operation_id);
        let Some(operation) = operation else {
            problems.extend(files.iter().map(|f| format!("{}: operation `{operation_id}` is not in the spec", f.file)));
            continue;
        };
        for file in files {
            match map(operation, &file) {
                Ok(example) => operation.examples.push(example),
                Err(reason) => problems.push(format!("{}: {reason}", file.file)),
            }
        }
    }
    problems
}

fn map(op: &Operation, file: &ExampleFile) -> Result<Example, String> {
    let params = file.value.get("parameters").and_then(Value::as_object).ok_or("no `parameters` object")?;
    let find = |wire: &str| params.iter().find(|(k, _)| k.eq_ignore_ascii_case(wire)).map(|(_, v)| v.clone());
    let mut example = Example {
        file: file.file.clone(),
        params: Vec::new(),
        client_params: Vec::new(),
        api_version: find("api-version").and_then(|v| v.as_str().map(str::to_owned)),
        body: None,
        responses: Vec::new(),
    };
    for (index, param) in op.params.iter().enumerate() {
        match (find(&param.wire_name), param.client) {
            (Some(value), true) => example.client_params.push((param.wire_name.clone(), value)),
            (Some(value), false) => example.params.push((index, value)),
            (None, _) if param.required => return Err(format!("required parameter `{}` not found", param.wire_name)),
            (None, _) => {}
        }
    }
    if let Some(body) = &op.body {
        example.body = find(&body.wire_name);
        if example.body.is_none() && body.required {
            return Err(format!("the request body `{}` not found", body.wire_name));
        }
    }
    let known = |key: &str| {
        key.eq_ignore_ascii_case("api-version")
            || op.params.iter().any(|p| p.wire_name.eq_ignore_ascii_case(key))
            || op.body.as_ref().is_some_and(|b| b.wire_name.eq_ignore_ascii_case(key))
    };
    if let Some(unknown) = params.keys().find(|k| !known(k)) {
        return Err(format!("parameter `{unknown}` is not a parameter of `{}`", op.operation_id));
    }
    let responses = file.value.get("responses").and_then(Value::as_object).ok_or("no `responses` object")?;
    for (status, response) in responses {
        let status: u16 = status.parse().map_err(|_| format!("response status `{status}` is not a number"))?;
        let headers = response
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect()
            })
            .unwrap_or_default();
        example.responses.push(ExampleResponse { status, headers, body: response.get("body").cloned() });
    }
    Ok(example)
}
