//! Paths and operations → groups of typed operations. Client-level parameters are separated
//! out (AutoRest's rule: a parameter defined in `components/parameters` is client-level unless it
//! says `x-ms-parameter-location: method`; an inline one is method-level unless it says `client`).

use super::types::TypeLowering;
use super::view::View;
use crate::error::{Result, pointer};
use crate::load::Document;
use crate::model::{
    Body, ClientParam, FinalStateVia, Group, HttpMethod, LongRunning, Operation, Pageable, Param, ParamLocation,
    Response, ResponseHeader, Rule, StringKind, Ty, TypeId, TypeKind, is_json_media,
};
use crate::naming::{self, Names};
use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode};
use serde_json::Value;
use std::collections::BTreeMap;

const API_VERSION: &str = "api-version";

pub struct Lowered {
    pub client_params: Vec<ClientParam>,
    pub groups: Vec<Group>,
    pub error_type: Option<TypeId>,
}

pub fn lower<'d>(doc: &'d Document, types: &mut TypeLowering<'d>, client_name: &str) -> Result<Lowered> {
    let mut state = State {
        doc,
        types,
        client_params: Vec::new(),
        groups: BTreeMap::new(),
        error_refs: BTreeMap::new(),
        operation_ids: BTreeMap::new(),
    };
    for (path, item) in &doc.api.paths.paths {
        let at = pointer("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => return Err(doc.error(at, "a `$ref` path item is not supported")),
        };
        state.path_item(path, &[], item, &at)?;
    }
    // `x-ms-paths` holds paths that differ from others only by a fixed query (`/items?op=export`).
    for (key, item) in &doc.x_ms_paths {
        let (path, query) = key.split_once('?').unwrap_or((key.as_str(), ""));
        let fixed: Vec<(String, String)> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                pair.split_once('=').map_or((pair.to_owned(), String::new()), |(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect();
        state.path_item(path, &fixed, item, &pointer("/x-ms-paths", key))?;
    }
    let error_type =
        state.error_refs.iter().max_by_key(|(id, count)| (**count, std::cmp::Reverse(**id))).map(|(id, _)| *id);
    check_page_models(doc, &state.groups)?;
    let client_params = name_client_params(state.client_params);
    let groups = name_groups(state.groups, client_name);
    Ok(Lowered { client_params, groups, error_type })
}

struct State<'d, 't> {
    doc: &'d Document,
    types: &'t mut TypeLowering<'d>,
    client_params: Vec<ClientParam>,
    /// Operations by group wire name, before names are decided.
    groups: BTreeMap<String, Vec<Operation>>,
    /// How often each schema is named as the `default` response.
    error_refs: BTreeMap<TypeId, usize>,
    /// Where each operationId was first seen.
    operation_ids: BTreeMap<String, String>,
}

/// A parameter as written, after following `$ref`.
struct RawParam<'a> {
    data: &'a openapiv3::ParameterData,
    location: ParamLocation,
    client: bool,
    at: String,
}

impl<'d> State<'d, '_> {
    fn path_item(&mut self, path: &str, fixed: &[(String, String)], item: &'d PathItem, at: &str) -> Result<()> {
        let shared: Vec<RawParam> = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| self.raw_param(p, &pointer(&pointer(at, "parameters"), &i.to_string())))
            .collect::<Result<_>>()?;
        let methods = [
            (HttpMethod::Get, "get", &item.get),
            (HttpMethod::Put, "put", &item.put),
            (HttpMethod::Post, "post", &item.post),
            (HttpMethod::Delete, "delete", &item.delete),
            (HttpMethod::Options, "options", &item.options),
            (HttpMethod::Head, "head", &item.head),
            (HttpMethod::Patch, "patch", &item.patch),
        ];
        for (method, key, op) in methods {
            if let Some(op) = op {
                let op_at = pointer(at, key);
                if method == HttpMethod::Options {
                    // azure_core's `Method` has no OPTIONS: such a client could not be built.
                    return Err(self
                        .doc
                        .error(&op_at, "OPTIONS operations are not supported (azure_core cannot send them)"));
                }
                let (group, mut operation) = self.operation(path, method, op, &shared, &op_at)?;
                operation.fixed_query = fixed.to_vec();
                self.groups.entry(group).or_default().push(operation);
            }
        }
        Ok(())
    }

    fn raw_param(&self, param: &'d ReferenceOr<Parameter>, at: &str) -> Result<RawParam<'d>> {
        let (param, at, from_components) = match param {
            ReferenceOr::Item(p) => (p, at.to_owned(), false),
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix("#/components/parameters/") else {
                    return Err(self.doc.error(at, format!("unsupported parameter `$ref` `{reference}`")));
                };
                let found = self.doc.api.components.as_ref().and_then(|c| c.parameters.get(name));
                match found {
                    Some(ReferenceOr::Item(p)) => (p, pointer("/components/parameters", name), true),
                    _ => return Err(self.doc.error(at, format!("`$ref` to `{reference}`, which does not exist"))),
                }
            }
        };
        let (data, location) = match param {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { .. } => return Err(self.doc.error(at, "cookie parameters are not supported")),
        };
        let declared = data.extensions.get("x-ms-parameter-location").and_then(Value::as_str);
        let client = match declared {
            Some("client") => true,
            Some("method") => false,
            _ => from_components || data.name == API_VERSION,
        };
        Ok(RawParam { data, location, client, at })
    }

    /// Defects AutoRest tolerates: a repeated operationId (each copy still becomes a method,
    /// named apart), an `x-ms-odata` naming no schema.
    fn check_extensions(&mut self, op: &openapiv3::Operation, id: &str, at: &str) {
        if op.operation_id.is_some() {
            match self.operation_ids.get(id) {
                Some(first) => {
                    let message =
                        format!("operationId `{id}` is also used at {first}; this one gets a name of its own");
                    self.types.warn(&pointer(at, "operationId"), message);
                }
                None => {
                    self.operation_ids.insert(id.to_owned(), at.to_owned());
                }
            }
        }
        if let Some(Value::String(target)) = op.extensions.get("x-ms-odata") {
            let name = target.rsplit('/').next().unwrap_or(target);
            let schemas = self.doc.api.components.as_ref().map(|c| &c.schemas);
            if !schemas.is_some_and(|s| s.contains_key(name)) {
                let message = format!("x-ms-odata names `{target}`, which is not defined; ignored");
                self.types.warn(&pointer(at, "x-ms-odata"), message);
            }
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        op: &'d openapiv3::Operation,
        shared: &[RawParam<'d>],
        at: &str,
    ) -> Result<(String, Operation)> {
        let id = op.operation_id.clone().unwrap_or_else(|| synthesized_id(method, path));
        self.check_extensions(op, &id, at);
        let (group, method_part) = match id.split_once('_') {
            Some((g, m)) if !g.is_empty() && !m.is_empty() => (g.to_owned(), m.to_owned()),
            _ => ("Default".to_owned(), id.clone()),
        };
        let hint = format!("{}{}", naming::type_name(&group), naming::type_name(&method_part));
        let mut raw: Vec<RawParam> = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            raw.push(self.raw_param(p, &pointer(&pointer(at, "parameters"), &i.to_string()))?);
        }
        // Path-level parameters apply unless the operation redefines them.
        for p in shared {
            if !raw.iter().any(|r| r.data.name == p.data.name && r.location == p.location) {
                raw.push(RawParam { data: p.data, location: p.location, client: p.client, at: p.at.clone() });
            }
        }
        check_path_params(self.doc, path, &raw, at)?;
        let mut params = Vec::new();
        for p in &raw {
            if p.data.name == API_VERSION && p.location == ParamLocation::Query {
                continue;
            }
            let param = self.param(p, &hint)?;
            if param.client {
                self.note_client_param(&param);
            }
            params.push(param);
        }
        // Spec order within each location: path, then query, then header.
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => 0,
            ParamLocation::Query => 1,
            ParamLocation::Header => 2,
        });
        let body = self.body(op, &hint, at)?;
        let (responses, accept) = self.responses(op, &hint, at)?;
        let mut response_type = response_type(&responses);
        if op.extensions.contains_key("x-ms-pageable") && response_type == Some(Ty::Json) {
            // Success responses with different bodies: AutoRest pages through the 200's.
            if let Some(page) = responses.iter().find(|r| r.status == 200).and_then(|r| r.body.clone()) {
                let message = "success responses have different bodies; the 200 response's is the page model";
                self.types.warn(&pointer(at, "responses"), message);
                response_type = Some(page);
            }
        }
        let pageable = self.pageable(op, response_type.as_ref(), at)?;
        let long_running = long_running(op, method);
        Ok((
            group,
            Operation {
                operation_id: id,
                name: method_part,
                options_name: String::new(),
                resume: None,
                by_id: None,
                http_method: method,
                path: path.to_owned(),
                fixed_query: Vec::new(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params,
                body,
                responses,
                response_type,
                accept,
                pageable,
                long_running,
                examples: Vec::new(),
            },
        ))
    }

    fn param(&mut self, raw: &RawParam, hint: &str) -> Result<Param> {
        let data = raw.data;
        let (ty, rule) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let name_hint = format!("{hint}{}", naming::type_name(&data.name));
                let ty = self.types.ty(schema, &name_hint, &pointer(&raw.at, "schema"))?;
                let mut rule = Rule { wire_name: data.name.clone(), ..Rule::default() };
                if let ReferenceOr::Item(schema) = schema {
                    let c = View::of(schema).constraints;
                    (rule.min_length, rule.max_length, rule.pattern) = (c.min_length, c.max_length, c.pattern);
                    (rule.minimum, rule.maximum) = (c.minimum, c.maximum);
                }
                (ty, rule)
            }
            ParameterSchemaOrContent::Content(_) => {
                (Ty::String(StringKind::Plain), Rule { wire_name: data.name.clone(), ..Rule::default() })
            }
        };
        Ok(Param {
            name: String::new(),
            wire_name: data.name.clone(),
            location: raw.location,
            ty,
            // Path parameters are always required, whatever the spec says.
            required: data.required || raw.location == ParamLocation::Path,
            description: data.description.clone(),
            rule,
            client: raw.client,
            skip_url_encoding: raw.location == ParamLocation::Path
                && data.extensions.get("x-ms-skip-url-encoding") == Some(&Value::Bool(true)),
        })
    }

    fn note_client_param(&mut self, param: &Param) {
        if !self.client_params.iter().any(|c| c.wire_name == param.wire_name) {
            self.client_params.push(ClientParam {
                name: naming::value_name(&param.wire_name),
                wire_name: param.wire_name.clone(),
                description: param.description.clone(),
                rule: param.rule.clone(),
            });
        }
    }

    fn body(&mut self, op: &'d openapiv3::Operation, hint: &str, at: &str) -> Result<Option<Body>> {
        let Some(body) = &op.request_body else { return Ok(None) };
        let at = pointer(at, "requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/").unwrap_or(reference);
                match self.doc.api.components.as_ref().and_then(|c| c.request_bodies.get(name)) {
                    Some(ReferenceOr::Item(b)) => b,
                    _ => return Err(self.doc.error(at, format!("`$ref` to `{reference}`, which does not exist"))),
                }
            }
        };
        let Some((media, content)) =
            body.content.iter().find(|(m, _)| is_json_media(m)).or_else(|| body.content.iter().next())
        else {
            return Ok(None);
        };
        let name = body.extensions.get("x-ms-requestBody-name").and_then(Value::as_str).unwrap_or("body");
        let ty = match (&content.schema, is_json_media(media)) {
            (Some(schema), true) => self.types.ty(
                schema,
                &format!("{hint}Request"),
                &pointer(&pointer(&pointer(&at, "content"), media), "schema"),
            )?,
            _ => Ty::Bytes,
        };
        Ok(Some(Body {
            name: name.to_owned(),
            wire_name: name.to_owned(),
            ty,
            required: body.required,
            content_type: media.clone(),
            description: body.description.clone(),
        }))
    }

    fn responses(
        &mut self,
        op: &'d openapiv3::Operation,
        hint: &str,
        at: &str,
    ) -> Result<(Vec<Response>, Vec<String>)> {
        let mut responses = Vec::new();
        let mut accept: Vec<String> = Vec::new();
        let at = pointer(at, "responses");
        if let Some(ReferenceOr::Item(default)) = &op.responses.default
            && let Some(Ty::Named(id)) =
                self.content_ty(&default.content, &format!("{hint}Error"), &pointer(&at, "default"))?
        {
            *self.error_refs.entry(id).or_default() += 1;
        }
        for (status, response) in &op.responses.responses {
            let StatusCode::Code(code) = status else { continue };
            if !(200..300).contains(code) {
                continue;
            }
            let resp_at = pointer(&at, &code.to_string());
            let ReferenceOr::Item(response) = response else {
                return Err(self.doc.error(resp_at, "a `$ref` response is not supported"));
            };
            for media in response.content.keys() {
                if !accept.contains(media) {
                    accept.push(media.clone());
                }
            }
            let body = self.content_ty(&response.content, &format!("{hint}Response"), &resp_at)?;
            let headers = response
                .headers
                .iter()
                .map(|(name, header)| ResponseHeader {
                    wire_name: name.clone(),
                    name: naming::value_name(&name.to_ascii_lowercase()),
                    ty: header_ty(header),
                    description: match header {
                        ReferenceOr::Item(h) => h.description.clone(),
                        ReferenceOr::Reference { .. } => None,
                    },
                })
                .collect();
            responses.push(Response { status: *code, description: Some(response.description.clone()), body, headers });
        }
        accept.sort_by_key(|m| !is_json_media(m));
        Ok((responses, accept))
    }

    fn content_ty(
        &mut self,
        content: &'d indexmap::IndexMap<String, openapiv3::MediaType>,
        hint: &str,
        at: &str,
    ) -> Result<Option<Ty>> {
        let Some((media, media_type)) = content.iter().find(|(m, _)| is_json_media(m)) else { return Ok(None) };
        match &media_type.schema {
            // A file (binary stream) under a JSON media type is still a stream, not a JSON model.
            Some(ReferenceOr::Item(schema)) if is_binary(schema) => Ok(None),
            Some(schema) => {
                self.types.ty(schema, hint, &pointer(&pointer(&pointer(at, "content"), media), "schema")).map(Some)
            }
            None => Ok(None),
        }
    }

    fn pageable(&self, op: &openapiv3::Operation, response: Option<&Ty>, at: &str) -> Result<Option<Pageable>> {
        let Some(ext) = op.extensions.get("x-ms-pageable") else { return Ok(None) };
        let at = pointer(at, "x-ms-pageable");
        let item_wire = ext.get("itemName").and_then(Value::as_str).unwrap_or("value");
        let next_link = match ext.get("nextLinkName") {
            Some(Value::String(name)) => Some(name.clone()),
            _ => None,
        };
        let Some(Ty::Named(page_type)) = response else {
            return Err(self.doc.error(at, "a pageable operation needs an object response model"));
        };
        let TypeKind::Struct(page) = &self.types.types[page_type.0].kind else {
            return Err(self.doc.error(at, "a pageable operation needs an object response model"));
        };
        let Some(items) = page.fields.iter().find(|f| f.wire_name == item_wire) else {
            let model = &self.types.types[page_type.0].name;
            return Err(self.doc.error(at, format!("the page model `{model}` has no `{item_wire}` property")));
        };
        let Ty::Vec(item_ty) = &items.ty else {
            return Err(self.doc.error(at, format!("the page property `{item_wire}` is not an array")));
        };
        Ok(Some(Pageable {
            item_field: items.name.clone(),
            item_wire_name: item_wire.to_owned(),
            item_ty: (**item_ty).clone(),
            item_optional: !items.required,
            next_link_wire_name: next_link,
            page_type: *page_type,
        }))
    }
}

/// A path placeholder without a parameter (or the reverse) would build a wrong URL.
fn check_path_params(doc: &Document, path: &str, params: &[RawParam], at: &str) -> Result<()> {
    let placeholders: Vec<&str> = crate::model::placeholders(path).collect();
    for name in &placeholders {
        if !params.iter().any(|p| p.location == ParamLocation::Path && p.data.name == *name) {
            return Err(doc.error(at, format!("the path has `{{{name}}}` but no path parameter `{name}`")));
        }
    }
    for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
        if !placeholders.contains(&p.data.name.as_str()) {
            return Err(doc.error(&p.at, format!("path parameter `{}` does not appear in the path", p.data.name)));
        }
    }
    Ok(())
}

fn header_ty(header: &ReferenceOr<openapiv3::Header>) -> Ty {
    let ReferenceOr::Item(header) = header else { return Ty::String(StringKind::Plain) };
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &header.format else {
        return Ty::String(StringKind::Plain);
    };
    let view = View::of(schema);
    match (view.typ, view.format.as_deref()) {
        (Some("integer"), _) => Ty::I64,
        (Some("boolean"), _) => Ty::Bool,
        (Some("string"), Some("date-time" | "date-time-rfc1123")) => Ty::DateTime,
        _ => Ty::String(StringKind::Plain),
    }
}

/// The one body type of the success responses; differing bodies fall back to a free-form value.
/// `type: file`, or `type: string, format: binary`: a body read as bytes.
fn is_binary(schema: &openapiv3::Schema) -> bool {
    let view = super::view::View::of(schema);
    view.typ == Some("file") || (view.typ == Some("string") && view.format.as_deref() == Some("binary"))
}

fn response_type(responses: &[Response]) -> Option<Ty> {
    let mut bodies = responses.iter().filter_map(|r| r.body.as_ref());
    let first = bodies.next()?;
    Some(if bodies.all(|b| b == first) { first.clone() } else { Ty::Json })
}

fn long_running(op: &openapiv3::Operation, method: HttpMethod) -> Option<LongRunning> {
    if op.extensions.get("x-ms-long-running-operation") != Some(&Value::Bool(true)) {
        return None;
    }
    let via = op
        .extensions
        .get("x-ms-long-running-operation-options")
        .and_then(|o| o.get("final-state-via"))
        .and_then(Value::as_str);
    let final_state_via = match via {
        Some("original-uri") => FinalStateVia::OriginalUri,
        Some("location") => FinalStateVia::Location,
        Some("azure-async-operation") | Some("operation-location") => FinalStateVia::AzureAsyncOperation,
        _ if matches!(method, HttpMethod::Put | HttpMethod::Patch) => FinalStateVia::OriginalUri,
        _ => FinalStateVia::Location,
    };
    Some(LongRunning { final_state_via })
}

/// `GET /things/{id}` without an operationId becomes `Default_GetThingsId`.
fn synthesized_id(method: HttpMethod, path: &str) -> String {
    let words: String =
        path.split(['/', '{', '}', '-', '.']).filter(|s| !s.is_empty()).map(naming::type_name).collect();
    format!("Default_{}{words}", naming::type_name(&method.as_str().to_ascii_lowercase()))
}

/// Decides group, method, options and parameter names, deterministically in group order.
/// A page model yields one kind of item: two operations paging different properties of the
/// same model cannot share its `Page` implementation.
fn check_page_models(doc: &Document, groups: &BTreeMap<String, Vec<Operation>>) -> Result<()> {
    let mut seen: BTreeMap<TypeId, (&str, &str)> = BTreeMap::new();
    for op in groups.values().flatten() {
        let Some(p) = &op.pageable else { continue };
        match seen.get(&p.page_type) {
            Some((item, first)) if *item != p.item_wire_name => {
                return Err(doc.error(
                    format!("operation {}", op.operation_id),
                    format!(
                        "x-ms-pageable pages `{}` of a model that {first} pages by `{item}`; one model needs one item name",
                        p.item_wire_name
                    ),
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(p.page_type, (&p.item_wire_name, &op.operation_id));
            }
        }
    }
    Ok(())
}

/// Constructor arguments: unique, and clear of the constructor's own `credential` and `options`
/// and the client's `core` field.
fn name_client_params(mut params: Vec<ClientParam>) -> Vec<ClientParam> {
    let mut names = Names::values();
    for reserved in ["credential", "options", "core"] {
        names.reserve(reserved);
    }
    for param in &mut params {
        param.name = names.claim(&param.name);
    }
    params
}

fn name_groups(groups: BTreeMap<String, Vec<Operation>>, client_name: &str) -> Vec<Group> {
    let mut client_names = Names::types();
    client_names.reserve(client_name);
    client_names.reserve(&format!("{client_name}Options"));
    // Accessors are also module names: keep clear of the client's own methods and modules.
    let mut accessors = Names::values();
    for reserved in ["new", "endpoint", "rules", "pages", "paths"] {
        accessors.reserve(reserved);
    }
    let mut named: Vec<Group> = groups
        .into_iter()
        .map(|(wire, operations)| Group {
            client_name: client_names.claim(&format!("{}Client", naming::type_name(&wire))),
            accessor: accessors.claim(&naming::value_name(&wire)),
            wire_name: wire,
            operations,
        })
        .collect();
    for group in &mut named {
        let mut methods = Names::values();
        for op in &mut group.operations {
            let base = naming::value_name(&op.name);
            // `{Client}{Method}Options`, as the official Azure SDK names them.
            let bare = base.trim_start_matches("r#");
            let options = format!("{}{}Options", group.client_name, naming::type_name(bare));
            op.options_name = client_names.claim(&options);
            // As the official Azure SDK names them: a long-running method starts the operation.
            let name = match op.long_running {
                Some(_) => format!("begin_{}", base.trim_start_matches("r#")),
                None => base.clone(),
            };
            op.name = methods.claim(&name);
            if op.long_running.is_some() && op.pageable.is_none() {
                let method = methods.claim(&format!("resume_{bare}"));
                let options = format!("{}Resume{}Options", group.client_name, naming::type_name(bare));
                op.resume = Some((method, client_names.claim(&options)));
            }
            let mut params = Names::values();
            params.reserve("options");
            if let Some(body) = &mut op.body {
                body.name = params.claim(&naming::value_name(&body.name));
            }
            for p in &mut op.params {
                p.name = params.claim(&naming::value_name(&p.wire_name));
            }
        }
    }
    named
}
