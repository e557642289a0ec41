//! Ties each example's values to what they fill: parameters, client parameters, the body, the
//! responses. An example that does not fit its operation is reported, never silently dropped.

use crate::example_files::{ExampleFile, Examples};
use crate::model::{Example, ExampleResponse, FinalStateVia, Group, Operation};
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
    let listed: Vec<u16> = op.responses.iter().map(|r| r.status).collect();
    if let Some(other) =
        example.responses.iter().find(|r| (200..300).contains(&r.status) && !listed.contains(&r.status))
    {
        let listed: Vec<String> = listed.iter().map(u16::to_string).collect();
        return Err(format!(
            "it answers {}, which `{}` does not list (it lists {})",
            other.status,
            op.operation_id,
            listed.join(", ")
        ));
    }
    if let Some(lro) = &op.long_running {
        let request_path = filled_path(op, &find);
        let final_path = |response: &ExampleResponse| match lro.final_state_via {
            FinalStateVia::Location => link_path(response, "location"),
            FinalStateVia::OriginalUri => Some(request_path.clone()),
            FinalStateVia::AzureAsyncOperation => None,
        };
        for response in &example.responses {
            let status =
                link_path(response, "azure-asyncoperation").or_else(|| link_path(response, "operation-location"));
            if let Some(status) = status.filter(|s| Some(s) == final_path(response).as_ref()) {
                return Err(format!(
                    "the {} response's status link is the URL of the final result ({status}), so a server \
                     cannot tell a status poll from the request for the result",
                    response.status
                ));
            }
        }
    }
    Ok(example)
}

/// The path of a link header, without scheme, host and query.
fn link_path(response: &ExampleResponse, name: &str) -> Option<String> {
    let (_, value) = response.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
    let without_scheme = value.split_once("://").map_or(value.as_str(), |(_, rest)| rest);
    let path = without_scheme.find('/').map_or("/", |i| &without_scheme[i..]);
    Some(path.split(['?', '#']).next().unwrap_or(path).to_owned())
}

/// The operation's path with the example's values in its placeholders.
fn filled_path(op: &Operation, find: &dyn Fn(&str) -> Option<Value>) -> String {
    let mut out = String::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + end];
        match find(name) {
            Some(Value::String(v)) => out.push_str(&v),
            Some(other) => out.push_str(&other.to_string()),
            None => out.push_str(&rest[start..=start + end]),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}
