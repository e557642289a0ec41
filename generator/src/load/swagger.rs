//! Swagger 2.0 files → one OpenAPI 3 tree, as AutoRest converts them.
//!
//! Per operation: `body` parameters become a `requestBody` (named by `x-ms-requestBody-name`,
//! one content entry per `consumes` type), `formData` parameters one form schema, other
//! parameters keep their place with their type keywords moved into `schema` and
//! `collectionFormat` read as `style`/`explode`; responses get one content entry per `produces`
//! type. Shared parameters (`#/parameters/…`, in any file) become `components/parameters`, which
//! keeps AutoRest's rule that they are client-level unless `x-ms-parameter-location: method`.
//! `x-ms-examples` are read into [`Examples`] instead of the tree.

use super::Origin;
use super::components::Components;
use super::files::{SpecFiles, Target};
use crate::error::{Error, Result, pointer};
use crate::example_files::{ExampleFile, Examples};
use serde_json::{Map, Value, json};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Type keywords a non-body parameter or header writes beside `in`, which OpenAPI 3 wants in `schema`.
const SCHEMA_KEYWORDS: [&str; 19] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-ms-enum",
    "x-nullable",
    "$ref",
];

pub struct Converted {
    pub raw: Value,
    pub origins: Vec<Origin>,
    pub examples: Examples,
    pub warnings: Vec<String>,
}

struct Converter {
    components: Components,
    paths: Map<String, Value>,
    x_ms_paths: Map<String, Value>,
    origins: Vec<Origin>,
    examples: Examples,
    warnings: Vec<String>,
}

/// The content types an operation sends and accepts, from the operation or its file.
struct Media {
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// A converted parameter, by where it goes in OpenAPI 3.
enum Param {
    /// Stays in `parameters` (inline, or a `$ref` to a component).
    Plain(Value),
    Body(Value),
    Form {
        name: String,
        required: bool,
        schema: Value,
    },
}

/// Converts the Swagger files `inputs` (names under the spec root), in order.
pub fn convert(files: SpecFiles, inputs: &[String]) -> Result<Converted> {
    let mut converter = Converter {
        components: Components::new(files),
        paths: Map::new(),
        x_ms_paths: Map::new(),
        origins: Vec::new(),
        examples: Examples::default(),
        warnings: Vec::new(),
    };
    let mut roots = Vec::new();
    for name in inputs {
        let root = converter.components.files.file(name, name, "/")?;
        check_swagger(name, &root)?;
        converter.components.claim_definitions(name, &root)?;
        roots.push((name.clone(), root));
    }
    for (name, root) in &roots {
        converter.file(name, root)?;
    }
    converter.components.convert_pending()?;
    converter.document(&roots)
}

fn check_swagger(file: &str, root: &Value) -> Result<()> {
    match root.get("swagger") {
        Some(Value::String(v)) if v == "2.0" => Ok(()),
        Some(other) => {
            Err(Error::new(file, "/swagger", format!("unsupported Swagger version {other}; expected \"2.0\"")))
        }
        None => Err(Error::new(file, "/", "not a Swagger 2.0 document: no `swagger` field")),
    }
}

impl Converter {
    fn file(&mut self, file: &str, root: &Value) -> Result<()> {
        let media = Media { consumes: strings(root.get("consumes")), produces: strings(root.get("produces")) };
        for section in ["paths", "x-ms-paths"] {
            let Some(paths) = root.get(section) else { continue };
            let Some(paths) = paths.as_object() else {
                return Err(Error::new(file, format!("/{section}"), format!("`{section}` must be a mapping")));
            };
            for (path, item) in paths {
                let at = pointer(&format!("/{section}"), path);
                let converted = self.path_item(file, item, &at, &media)?;
                self.merge_path(section, path, converted, file, &at);
            }
        }
        Ok(())
    }

    /// Paths from several files meet in one tree; an operation written twice keeps the first.
    fn merge_path(&mut self, section: &str, path: &str, item: Map<String, Value>, file: &str, at: &str) {
        let target = if section == "paths" { &mut self.paths } else { &mut self.x_ms_paths };
        let existing = target.entry(path.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(existing) = existing else { return };
        for (key, value) in item {
            if existing.contains_key(&key) && METHODS.contains(&key.as_str()) {
                self.warnings.push(format!("{file}: {at}/{key}: `{key} {path}` is defined twice; the first is kept"));
                continue;
            }
            existing.entry(key).or_insert(value);
        }
        self.origins.push(Origin { prefix: at.to_owned(), file: file.to_owned(), pointer: at.to_owned() });
    }

    fn path_item(&mut self, file: &str, item: &Value, at: &str, media: &Media) -> Result<Map<String, Value>> {
        let Some(item) = item.as_object() else {
            return Err(Error::new(file, at, "a path item must be a mapping"));
        };
        let mut out = Map::new();
        for (key, value) in item {
            let key_at = pointer(at, key);
            match key.as_str() {
                "$ref" => return Err(Error::new(file, key_at, "a `$ref` path item is not supported")),
                "parameters" => {
                    let mut shared = Vec::new();
                    for (i, param) in list(file, value, &key_at)?.iter().enumerate() {
                        let param_at = pointer(&key_at, &i.to_string());
                        match self.param(file, param, &param_at, 0)? {
                            Param::Plain(p) => shared.push(p),
                            _ => {
                                let message = "a body or form parameter shared by a whole path is not supported";
                                return Err(Error::new(file, param_at, message));
                            }
                        }
                    }
                    out.insert(key.clone(), Value::Array(shared));
                }
                method if METHODS.contains(&method) => {
                    out.insert(key.clone(), self.operation(file, value, &key_at, media)?);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(out)
    }

    fn operation(&mut self, file: &str, op: &Value, at: &str, defaults: &Media) -> Result<Value> {
        let Some(op) = op.as_object() else { return Err(Error::new(file, at, "an operation must be a mapping")) };
        let own = |key: &str, fallback: &[String]| match op.get(key) {
            Some(list) => strings(Some(list)),
            None => fallback.to_vec(),
        };
        let media =
            Media { consumes: own("consumes", &defaults.consumes), produces: own("produces", &defaults.produces) };
        let mut out = Map::new();
        let mut params = Vec::new();
        let mut body = None;
        let mut form = (Map::new(), Vec::new());
        for (key, value) in op {
            let key_at = pointer(at, key);
            match key.as_str() {
                "parameters" => {
                    for (i, param) in list(file, value, &key_at)?.iter().enumerate() {
                        match self.param(file, param, &pointer(&key_at, &i.to_string()), 0)? {
                            Param::Plain(p) => params.push(p),
                            Param::Body(b) => body = Some(b),
                            Param::Form { name, required, schema } => {
                                if required {
                                    form.1.push(Value::String(name.clone()));
                                }
                                form.0.insert(name, schema);
                            }
                        }
                    }
                }
                "responses" => {
                    out.insert(key.clone(), self.responses(file, value, &key_at, &media.produces)?);
                }
                "x-ms-examples" => self.examples(file, op.get("operationId"), value, &key_at),
                "consumes" | "produces" | "schemes" | "security" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out.insert("parameters".into(), Value::Array(params));
        if let Some(body) = body {
            out.insert("requestBody".into(), request_body(body, &media.consumes));
        } else if !form.0.is_empty() {
            let schema = json!({ "type": "object", "properties": form.0, "required": form.1 });
            let content: Map<String, Value> =
                form_media(&media.consumes).into_iter().map(|m| (m, json!({ "schema": schema }))).collect();
            out.insert("requestBody".into(), json!({ "required": !form.1.is_empty(), "content": content }));
        }
        Ok(Value::Object(out))
    }

    fn param(&mut self, file: &str, param: &Value, at: &str, depth: usize) -> Result<Param> {
        if depth > 1 {
            // `follow` already resolved the whole chain: a `$ref` again means a loop.
            return Err(Error::new(file, at, "a parameter `$ref` leads into a loop of references"));
        }
        if param.get("$ref").is_some() {
            let (target, value) = self.components.follow(file, param, at)?;
            let shared = target.pointer.starts_with("/parameters/")
                && !matches!(value.get("in").and_then(Value::as_str), Some("body" | "formData"));
            if shared {
                let Target { file: target_file, pointer: target_at } = target.clone();
                let reference = self.components.parameter_ref(&target, file, at, |components, raw| {
                    plain_param(components, &target_file, raw, &target_at)
                })?;
                return Ok(Param::Plain(reference));
            }
            return self.param(&target.file.clone(), &value, &target.pointer, depth + 1);
        }
        let Some(object) = param.as_object() else { return Err(Error::new(file, at, "a parameter must be a mapping")) };
        let name = object.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        match object.get("in").and_then(Value::as_str) {
            Some("body") => {
                let schema = match object.get("schema") {
                    Some(schema) => self.components.schema(file, schema, &pointer(at, "schema"), 0)?,
                    None => json!({}),
                };
                let mut body = Map::new();
                for (key, value) in object {
                    match key.as_str() {
                        "description" | "required" => {
                            body.insert(key.clone(), value.clone());
                        }
                        k if k.starts_with("x-") => {
                            body.insert(key.clone(), value.clone());
                        }
                        _ => {}
                    }
                }
                body.insert("x-ms-requestBody-name".into(), Value::String(name));
                body.insert("schema".into(), schema);
                Ok(Param::Body(Value::Object(body)))
            }
            Some("formData") => {
                let required = object.get("required").and_then(Value::as_bool).unwrap_or(false);
                let schema = param_schema(&mut self.components, file, object, at)?;
                Ok(Param::Form { name, required, schema })
            }
            _ => plain_param(&mut self.components, file, param, at).map(Param::Plain),
        }
    }

    fn responses(&mut self, file: &str, responses: &Value, at: &str, produces: &[String]) -> Result<Value> {
        let Some(responses) = responses.as_object() else {
            return Err(Error::new(file, at, "`responses` must be a mapping"));
        };
        let mut out = Map::new();
        for (status, response) in responses {
            let status_at = pointer(at, status);
            if status.starts_with("x-") {
                out.insert(status.clone(), response.clone());
                continue;
            }
            let (target, response) = self.components.follow(file, response, &status_at)?;
            out.insert(status.clone(), self.response(&target.file, &response, &target.pointer, produces)?);
        }
        Ok(Value::Object(out))
    }

    fn response(&mut self, file: &str, response: &Value, at: &str, produces: &[String]) -> Result<Value> {
        let Some(object) = response.as_object() else {
            return Err(Error::new(file, at, "a response must be a mapping"));
        };
        let mut out = Map::new();
        let description = object.get("description").and_then(Value::as_str).unwrap_or_default();
        out.insert("description".into(), Value::String(description.to_owned()));
        if let Some(headers) = object.get("headers").and_then(Value::as_object) {
            let mut converted = Map::new();
            for (name, header) in headers {
                let header_at = pointer(&pointer(at, "headers"), name);
                let Some(header) = header.as_object() else { continue };
                let schema = param_schema(&mut self.components, file, header, &header_at)?;
                let mut h = Map::new();
                if let Some(description) = header.get("description") {
                    h.insert("description".into(), description.clone());
                }
                h.insert("schema".into(), schema);
                converted.insert(name.clone(), Value::Object(h));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(schema) = object.get("schema") {
            let schema = self.components.schema(file, schema, &pointer(at, "schema"), 0)?;
            let media = if produces.is_empty() { vec!["application/json".to_owned()] } else { produces.to_vec() };
            let content: Map<String, Value> = media.into_iter().map(|m| (m, json!({ "schema": schema }))).collect();
            out.insert("content".into(), Value::Object(content));
        }
        for (key, value) in object.iter().filter(|(k, _)| k.starts_with("x-")) {
            out.insert(key.clone(), value.clone());
        }
        Ok(Value::Object(out))
    }

    /// Reads each `x-ms-examples` file; one that cannot be read is reported, naming the file.
    fn examples(&mut self, file: &str, operation_id: Option<&Value>, examples: &Value, at: &str) {
        let Some(operation_id) = operation_id.and_then(Value::as_str) else { return };
        let Some(examples) = examples.as_object() else {
            self.warnings.push(format!("{file}: {at}: `x-ms-examples` is not a mapping; ignored"));
            return;
        };
        for (title, entry) in examples {
            let entry_at = pointer(at, title);
            let read = match entry.get("$ref").and_then(Value::as_str) {
                Some(reference) => self.components.files.resolve(file, reference, &entry_at).and_then(|target| {
                    let value = self.components.files.take(&target.file, file, &entry_at)?;
                    Ok((target.file, value))
                }),
                None => Ok((format!("{file}#{entry_at}"), entry.clone())),
            };
            match read {
                Ok((name, value)) => {
                    let file_name = name.rsplit('/').next().unwrap_or(&name).to_owned();
                    let files = self.examples.by_operation.entry(operation_id.to_owned()).or_default();
                    files.push(ExampleFile { file: file_name, value });
                }
                // A file that is there but unreadable names itself (and the line); one that is
                // not there is named as the operation references it.
                Err(error) if error.file != file => self.examples.problems.push(error.to_string()),
                Err(error) => {
                    let reference = entry.get("$ref").and_then(Value::as_str).unwrap_or(title);
                    let message = error.message;
                    self.examples.problems.push(format!("{reference} (of {operation_id}): {message}"));
                }
            }
        }
    }

    fn document(mut self, roots: &[(String, std::rc::Rc<Value>)]) -> Result<Converted> {
        let mut out = Map::new();
        out.insert("openapi".into(), "3.0.0".into());
        out.insert("info".into(), info(roots));
        if let Some(url) = roots.iter().find_map(|(_, root)| server_url(root)) {
            out.insert("servers".into(), json!([{ "url": url }]));
        }
        for (file, root) in roots {
            if root.get("x-ms-parameterized-host").is_some() {
                let message = "`x-ms-parameterized-host` is not read; the client's endpoint option sets the host";
                self.warnings.push(format!("{file}: /x-ms-parameterized-host: {message}"));
            }
        }
        out.insert("paths".into(), Value::Object(std::mem::take(&mut self.paths)));
        if !self.x_ms_paths.is_empty() {
            out.insert("x-ms-paths".into(), Value::Object(std::mem::take(&mut self.x_ms_paths)));
        }
        let components = &mut self.components;
        self.origins.extend(components.schemas.origins("/components/schemas"));
        self.origins.extend(components.parameters.origins("/components/parameters"));
        let schemas = std::mem::take(&mut components.schemas.values);
        let parameters = std::mem::take(&mut components.parameters.values);
        out.insert("components".into(), json!({ "schemas": schemas, "parameters": parameters }));
        Ok(Converted {
            raw: Value::Object(out),
            origins: self.origins,
            examples: self.examples,
            warnings: self.warnings,
        })
    }
}

/// A query, path or header parameter in OpenAPI 3 form.
fn plain_param(components: &mut Components, file: &str, param: &Value, at: &str) -> Result<Value> {
    let Some(object) = param.as_object() else { return Err(Error::new(file, at, "a parameter must be a mapping")) };
    let location = object.get("in").and_then(Value::as_str);
    if !matches!(location, Some("query" | "path" | "header")) {
        let found = location.unwrap_or("nothing");
        let message = format!("`in` is `{found}`; a parameter is in query, path, header, body or formData");
        return Err(Error::new(file, pointer(at, "in"), message));
    }
    let mut out = Map::new();
    for (key, value) in object {
        if !SCHEMA_KEYWORDS.contains(&key.as_str()) && !matches!(key.as_str(), "collectionFormat" | "schema") {
            out.insert(key.clone(), value.clone());
        }
    }
    let schema = match object.get("schema") {
        Some(schema) => components.schema(file, schema, &pointer(at, "schema"), 0)?,
        None => param_schema(components, file, object, at)?,
    };
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let format = object.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        let (style, explode) = match (location, format) {
            (Some("query"), "multi") => ("form", true),
            (Some("query"), "ssv") => ("spaceDelimited", false),
            (Some("query"), "pipes") => ("pipeDelimited", false),
            (Some("query"), _) => ("form", false),
            _ => ("simple", false),
        };
        out.insert("style".into(), style.into());
        out.insert("explode".into(), explode.into());
    }
    out.insert("schema".into(), schema);
    Ok(Value::Object(out))
}

/// The type keywords of a parameter or header, as a schema.
fn param_schema(components: &mut Components, file: &str, object: &Map<String, Value>, at: &str) -> Result<Value> {
    let schema: Map<String, Value> = object
        .iter()
        .filter(|(key, _)| SCHEMA_KEYWORDS.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    components.schema(file, &Value::Object(schema), at, 0)
}

fn request_body(body: Value, consumes: &[String]) -> Value {
    let Value::Object(mut body) = body else { return body };
    let schema = body.remove("schema").unwrap_or_else(|| json!({}));
    let media: Vec<String> = if consumes.is_empty() { vec!["application/json".to_owned()] } else { consumes.to_vec() };
    let content: Map<String, Value> = media.into_iter().map(|m| (m, json!({ "schema": schema }))).collect();
    body.insert("content".into(), Value::Object(content));
    Value::Object(body)
}

fn form_media(consumes: &[String]) -> Vec<String> {
    let form: Vec<String> = consumes.iter().filter(|m| m.contains("form")).cloned().collect();
    if form.is_empty() { vec!["application/x-www-form-urlencoded".to_owned()] } else { form }
}

fn list<'v>(file: &str, value: &'v Value, at: &str) -> Result<&'v Vec<Value>> {
    value.as_array().ok_or_else(|| Error::new(file, at, "expected a list"))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The title and version most input files share; the first description among files with that title.
fn info(roots: &[(String, std::rc::Rc<Value>)]) -> Value {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for (_, root) in roots {
        let title = root.pointer("/info/title").and_then(Value::as_str).unwrap_or("Client").to_owned();
        let version = root.pointer("/info/version").and_then(Value::as_str).unwrap_or("").to_owned();
        match counts.iter_mut().find(|(t, v, _)| *t == title && *v == version) {
            Some(entry) => entry.2 += 1,
            None => counts.push((title, version, 1)),
        }
    }
    let best = counts.iter().enumerate().max_by_key(|(i, (_, _, n))| (*n, std::cmp::Reverse(*i))).map(|(_, c)| c);
    let Some((title, version, _)) = best else { return json!({ "title": "Client", "version": "" }) };
    // The description most files share speaks for the whole API; one file's speaks for its part.
    let mut descriptions: Vec<(&str, usize)> = Vec::new();
    let same_title = roots.iter().filter(|(_, r)| r.pointer("/info/title").and_then(Value::as_str) == Some(title));
    for text in same_title.filter_map(|(_, r)| r.pointer("/info/description").and_then(Value::as_str)) {
        match descriptions.iter_mut().find(|(d, _)| *d == text) {
            Some(entry) => entry.1 += 1,
            None if !text.trim().is_empty() => descriptions.push((text, 1)),
            None => {}
        }
    }
    let description = descriptions
        .iter()
        .enumerate()
        .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
        .map(|(_, (text, _))| Value::String((*text).to_owned()));
    let mut info = json!({ "title": title, "version": version });
    if let Some(description) = description {
        info["description"] = description;
    }
    info
}

fn server_url(root: &Value) -> Option<String> {
    let host = root.get("host").and_then(Value::as_str)?;
    let schemes = strings(root.get("schemes"));
    let scheme = if schemes.is_empty() || schemes.iter().any(|s| s == "https") { "https" } else { &schemes[0] };
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    Some(format!("{scheme}://{host}{}", base.trim_end_matches('/')))
}
