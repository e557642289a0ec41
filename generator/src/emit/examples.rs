//! The spec's examples → `tests/examples.rs` in the generated crate: each example's request is
//! expected exactly (method, encoded path, query, headers, JSON body) by a local server that
//! answers with the example's responses; the typed result must hold every field.

use super::clients::{client_name, ty};
use super::types::ident;
use crate::model::{Api, Example, ExampleResponse, Group, Operation, ParamLocation, Ty, TypeKind};
use crate::naming::{self, Names};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// The support module every example test file uses.
const SUPPORT: &str = include_str!("../../runtime/example_support.rs");

pub fn has_examples(api: &Api) -> bool {
    operations(api).any(|(_, op)| !op.examples.is_empty())
}

fn operations(api: &Api) -> impl Iterator<Item = (&Group, &Operation)> {
    api.groups.iter().flat_map(|g| g.operations.iter().map(move |op| (g, op)))
}

/// `tests/examples.rs`: the test crate's root. The modules live under `tests/examples/` and are
/// skipped by rustfmt, so `cargo fmt` leaves prettyplease's output byte for byte.
pub fn root_file() -> TokenStream {
    // The helpers serve every kind of example; a spec need not have every kind.
    quote! {
        #[rustfmt::skip]
        #[allow(dead_code)]
        #[path = "examples/support.rs"]
        mod support;
        #[rustfmt::skip]
        #[path = "examples/cases/mod.rs"]
        mod cases;
    }
}

pub fn support_file(api: &Api, crate_name: &str) -> String {
    SUPPORT.replace("__OPTIONS__", &format!("{crate_name}::{}Options", client_name(api)))
}

/// The generated tests name the crate under test through this alias, so their code does not
/// depend on the crate's name.
const CRATE_ALIAS: &str = "crate_under_test";

/// The groups with examples, each with its test module's name.
pub fn groups_with_examples(api: &Api) -> impl Iterator<Item = (&Group, String)> {
    api.groups
        .iter()
        .filter(|g| g.operations.iter().any(|op| !op.examples.is_empty()))
        .map(|g| (g, super::clients::module_name(g)))
}

/// `tests/examples/cases/mod.rs`: the client every test builds, the checks that the harness
/// rejects a wrong request, and one module per operation group.
pub fn cases_mod(api: &Api, crate_name: &str) -> TokenStream {
    let client = client_fn(api);
    let harness = harness_tests(api);
    let modules = groups_with_examples(api).map(|(_, module)| {
        let module = format_ident!("{module}");
        quote!(mod #module;)
    });
    let body = quote! { #client #harness };
    let imports = imports(&body, crate_name, false);
    quote! {
        #(#modules)*
        #imports
        #body
    }
}

/// `tests/examples/cases/<group>.rs`: one test per example of the group's operations. One file
/// per group keeps a spec change's diff local and lets the files be formatted in parallel.
pub fn group_file(api: &Api, group: &Group, crate_name: &str) -> TokenStream {
    let mut names = Names::values();
    let mut tests = Vec::new();
    for op in &group.operations {
        for example in &op.examples {
            let stem = example.file.trim_end_matches(".json");
            let name = names.claim(&naming::value_name(&format!("{}_{stem}", op.operation_id)));
            tests.push(example_test(api, group, op, example, &name));
        }
    }
    let body = quote! { #(#tests)* };
    let imports = imports(&body, crate_name, true);
    quote! {
        #imports
        #body
    }
}

/// Only what `body` uses, so no spec yields unused-import warnings.
fn imports(body: &TokenStream, crate_name: &str, child: bool) -> TokenStream {
    let krate = format_ident!("{crate_name}");
    let placeholder = format_ident!("{CRATE_ALIAS}");
    let text = body.to_string();
    let used = |needle: &str| text.contains(needle);
    let mut imports = vec![quote!(
        use crate::support;
    )];
    if child {
        imports.push(quote!(
            use super::client;
        ));
    }
    if used(CRATE_ALIAS) {
        imports.push(quote!(use #krate as #placeholder;));
    }
    if used("check_header") {
        imports.push(quote!(use #krate::headers::*;));
    }
    if used("models ::") {
        imports.push(quote!(use #krate::models;));
    }
    if used("try_next") {
        imports.push(quote!(
            use futures::TryStreamExt;
        ));
    }
    quote!(#(#imports)*)
}

/// A raw string literal (`r#"…"#`), so embedded JSON reads as JSON.
fn raw(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    literal.parse().unwrap_or_else(|_| quote!(#text))
}

/// What one request should look like, as the example gives it.
struct Expected {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

fn expected(api: &Api, op: &Operation, example: &Example) -> Expected {
    let value_of = |wire: &str| -> Option<String> {
        example
            .params
            .iter()
            .find(|(i, _)| op.params[*i].wire_name == wire)
            .map(|(_, v)| v)
            .or_else(|| example.client_params.iter().find(|(w, _)| w == wire).map(|(_, v)| v))
            .map(text)
    };
    let mut path = String::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let wire = &rest[open + 1..close];
        let value = value_of(wire).unwrap_or_default();
        let spans = op.params.iter().any(|p| p.wire_name == wire && p.skip_url_encoding);
        if spans {
            // An ARM id keeps its `/`; the template already has the leading one.
            let value = if path.ends_with('/') { value.trim_start_matches('/') } else { &value };
            path.push_str(&value.split('/').map(encode_segment).collect::<Vec<_>>().join("/"));
        } else {
            path.push_str(&encode_segment(&value));
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    path.push_str(rest);
    let mut query =
        vec![("api-version".to_owned(), example.api_version.clone().unwrap_or_else(|| api.api_version.clone()))];
    query.extend(op.fixed_query.iter().cloned());
    let mut headers = Vec::new();
    for (index, value) in &example.params {
        let param = &op.params[*index];
        match param.location {
            ParamLocation::Query => query.push((param.wire_name.clone(), text(value))),
            ParamLocation::Header => headers.push((param.wire_name.to_ascii_lowercase(), text(value))),
            ParamLocation::Path => {}
        }
    }
    let body = match (&example.body, &op.body) {
        (Some(value), Some(body)) => Some(sendable(api, &body.ty, value)),
        _ => None,
    };
    Expected { method: op.http_method.as_str().to_owned(), path, query, headers, body }
}

/// How a value looks in a URL or header.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Percent-encoding of a path segment, written independently of the runtime's so a wrong
/// encoding there cannot agree with itself here.
fn encode_segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The example body as the client sends it: read-only properties and nulls are never sent.
fn sendable(api: &Api, t: &Ty, value: &Value) -> Value {
    match (api.resolve(t), value) {
        (Ty::Named(id), Value::Object(map)) => {
            let TypeKind::Struct(def) = &api.type_def(*id).kind else { return value.clone() };
            let kept = map.iter().filter(|(_, v)| !v.is_null()).filter_map(|(k, v)| {
                match def.fields.iter().find(|f| &f.wire_name == k) {
                    Some(field) if field.read_only => None,
                    Some(field) => Some((k.clone(), sendable(api, &field.ty, v))),
                    None => Some((k.clone(), v.clone())),
                }
            });
            Value::Object(kept.collect())
        }
        (Ty::Vec(inner), Value::Array(items)) => Value::Array(items.iter().map(|v| sendable(api, inner, v)).collect()),
        (Ty::Map(inner), Value::Object(map)) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), sendable(api, inner, v))).collect())
        }
        _ => value.clone(),
    }
}

/// A deliberate mismatch, to show each expectation can fail.
#[derive(Clone, Copy, PartialEq)]
enum Break {
    Nothing,
    Path,
    Query,
    Header,
    Body,
}

/// The example as the test's `support::Exchange` (`runtime/example_support.rs`) reads it: the
/// expected request (broken as asked) and the success responses, as one JSON text.
fn exchange(api: &Api, op: &Operation, example: &Example, broken: Break) -> TokenStream {
    let expected = expected(api, op, example);
    let spoil = |value: &str, yes: bool| if yes { format!("{value}x") } else { value.to_owned() };
    let pairs = |pairs: &[(String, String)], yes: bool| -> Value {
        let list = pairs.iter().enumerate().map(|(i, (k, v))| serde_json::json!([k, spoil(v, yes && i == 0)]));
        Value::Array(list.collect())
    };
    let mut request = serde_json::json!({
        "method": expected.method,
        "path": spoil(&expected.path, broken == Break::Path),
        "query": pairs(&expected.query, broken == Break::Query),
        "headers": pairs(&expected.headers, broken == Break::Header),
    });
    if let Some(body) = &expected.body {
        let body = if broken == Break::Body { serde_json::json!({ "unexpected": body }) } else { body.clone() };
        request["body"] = body;
    }
    let responses: Vec<Value> = success(example)
        .map(|r| {
            let headers: Vec<Value> = r.headers.iter().map(|(k, v)| serde_json::json!([k, v])).collect();
            let mut response = serde_json::json!({ "status": r.status, "headers": headers });
            if let Some(body) = &r.body {
                response["body"] = body.clone();
            }
            response
        })
        .collect();
    let client: Vec<String> = api
        .client_params
        .iter()
        .map(|c| {
            let value = example.client_params.iter().find(|(w, _)| *w == c.wire_name).map(|(_, v)| text(v));
            value.unwrap_or_else(|| format!("example-{}", c.wire_name))
        })
        .collect();
    let version = example.api_version.clone().unwrap_or_else(|| api.api_version.clone());
    let mut value =
        serde_json::json!({ "request": request, "responses": responses, "client": client, "apiVersion": version });
    if let Some(pageable) = &op.pageable {
        value["pages"] =
            serde_json::json!({ "nextLink": pageable.next_link_wire_name, "items": pageable.item_wire_name });
    }
    let text = raw(&value.to_string());
    quote!(support::Exchange::new(#text))
}

fn success(example: &Example) -> impl Iterator<Item = &ExampleResponse> {
    example.responses.iter().filter(|r| (200..300).contains(&r.status))
}

/// The call of the generated method with the example's values.
fn call(api: &Api, group: &Group, op: &Operation, example: &Example, broken: Break) -> TokenStream {
    let accessor = ident(&group.accessor);
    let method = ident(&op.name);
    let mut args = Vec::new();
    let mut option_fields = Vec::new();
    for (index, param) in op.params.iter().enumerate() {
        if param.client {
            continue;
        }
        let Some((_, value)) = example.params.iter().find(|(i, _)| *i == index) else { continue };
        let expr = value_expr(api, &param.ty, value, param.required);
        if param.required {
            args.push(expr);
        } else {
            let field = ident(&param.name);
            option_fields.push(quote!(#field: Some(#expr)));
        }
    }
    if let (Some(body), Some(value)) = (&op.body, &example.body) {
        let body_ty = ty(api, &body.ty);
        // The exchange holds the body as sent (when a test breaks it, the call keeps the example's).
        let expr = if broken == Break::Body {
            let text = raw(&value.to_string());
            quote!(support::parse::<#body_ty>(#text))
        } else {
            quote!(exchange.request_body::<#body_ty>())
        };
        // A `RequestContent` body is the model converted, as a user would pass it.
        let expr = if api.body_is_content(body) { quote!(#expr.try_into().expect("the body converts")) } else { expr };
        if body.required {
            args.push(expr);
        } else {
            let field = ident(&body.name);
            option_fields.push(quote!(#field: Some(#expr)));
        }
    }
    let options_name = format_ident!("{}", op.options_name);
    let options = if option_fields.is_empty() {
        quote!(None)
    } else {
        quote!(Some(crate_under_test::clients::#options_name { #(#option_fields,)* ..Default::default() }))
    };
    quote!(client.#accessor().#method(#(#args,)* #options))
}

fn value_expr(api: &Api, t: &Ty, value: &Value, required: bool) -> TokenStream {
    let text = text(value);
    match api.resolve(t) {
        Ty::String(_) if required => quote!(#text),
        Ty::String(_) => quote!(#text.to_owned()),
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Named(_) | Ty::Duration => {
            let t = ty(api, t);
            quote!(#text.parse::<#t>().expect("the example value parses"))
        }
        _ => {
            let t = ty(api, t);
            let json = raw(&value.to_string());
            quote!(support::parse::<#t>(#json))
        }
    }
}

/// The one function that builds a client in every test, from the example's client parameters
/// and `api-version` (kept in its exchange).
fn client_fn(api: &Api) -> TokenStream {
    let client = format_ident!("{}", client_name(api));
    let args = (0..api.client_params.len()).map(|i| quote!(exchange.client_arg(#i)));
    quote! {
        /// The client under test, pointed at a local server.
        fn client(server: &wiremock::MockServer, exchange: &support::Exchange) -> crate_under_test::#client {
            let options = support::options(&server.uri(), exchange.api_version());
            crate_under_test::#client::new(#(#args,)* support::credential(), Some(options)).expect("a client for the local server")
        }
    }
}

fn example_test(api: &Api, group: &Group, op: &Operation, example: &Example, name: &str) -> TokenStream {
    let test = format_ident!("{name}");
    let doc = format!(" `{}`: `{}`.", example.file, op.operation_id);
    let exchange = exchange(api, op, example, Break::Nothing);
    let blocks: Vec<TokenStream> = if op.long_running.is_some() && op.pageable.is_some() {
        vec![long_running_list_block(api, group, op, example)]
    } else if op.long_running.is_some() {
        vec![long_running_block(api, group, op, example)]
    } else {
        let block = if op.pageable.is_some() { paging_block } else { plain_block };
        success(example)
            .enumerate()
            .map(|(index, r)| block(api, group, op, example, (Literal::usize_unsuffixed(index), r)))
            .collect()
    };
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test() {
            let exchange = #exchange;
            support::within(async { #({ #blocks })* }).await;
        }
    }
}

/// Checks the typed headers the spec declares for this response and the example gives.
fn header_checks(op: &Operation, index: &Literal, response: &ExampleResponse) -> Vec<TokenStream> {
    let declared =
        op.responses.iter().find(|r| r.status == response.status).map(|r| r.headers.as_slice()).unwrap_or(&[]);
    declared
        .iter()
        .filter(|h| matches!(h.ty, Ty::String(_)))
        .filter(|h| response.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(&h.wire_name)))
        .map(|h| {
            let accessor = ident(&h.name);
            let wire = &h.wire_name;
            quote!(exchange.check_header(#index, #wire, response.#accessor().expect(#wire).as_deref());)
        })
        .collect()
}

fn plain_block(
    api: &Api,
    group: &Group,
    op: &Operation,
    example: &Example,
    (index, response): (Literal, &ExampleResponse),
) -> TokenStream {
    let call = call(api, group, op, example, Break::Nothing);
    let headers = header_checks(op, &index, response);
    let body = match (&response.body, &op.response_type) {
        (Some(_), Some(t)) => {
            let t = ty(api, t);
            quote!(exchange.check_body::<#t>(#index, response.to_raw_response().body());)
        }
        _ => quote!(),
    };
    quote! {
        let server = exchange.serve(#index).await;
        let client = client(&server, &exchange);
        let response = #call.await.expect("the example request succeeds");
        exchange.check_status(#index, u16::from(response.status()));
        #(#headers)*
        #body
    }
}

fn paging_block(
    api: &Api,
    group: &Group,
    op: &Operation,
    example: &Example,
    (index, _): (Literal, &ExampleResponse),
) -> TokenStream {
    let Some(pageable) = &op.pageable else { return quote!() };
    let call = call(api, group, op, example, Break::Nothing);
    let page_ty = ty(api, &Ty::Named(pageable.page_type));
    let field = ident(&pageable.item_field);
    let count = if pageable.item_optional {
        quote!(model.#field.unwrap_or_default().len())
    } else {
        quote!(model.#field.len())
    };
    quote! {
        let (server, pages) = exchange.serve_pages(#index).await;
        let client = client(&server, &exchange);
        let mut pager = #call.expect("the example request builds").into_pages();
        let mut items = 0;
        while let Some(page) = pager.try_next().await.expect("every page arrives") {
            pages.check::<#page_ty>(page.to_raw_response().body());
            let model = page.into_model().expect("the page reads as its model");
            items += #count;
        }
        pages.done(items);
    }
}

fn long_running_block(api: &Api, group: &Group, op: &Operation, example: &Example) -> TokenStream {
    let call = call(api, group, op, example, Break::Nothing);
    let has_result = success(example).any(|r| r.body.is_some());
    let check = match (&op.response_type, has_result) {
        (Some(t), true) => {
            let t = ty(api, t);
            quote!(exchange.check_result::<#t>(result.to_raw_response().body());)
        }
        _ => quote!(let _ = result;),
    };
    quote! {
        let server = exchange.serve_long_running().await;
        let client = client(&server, &exchange);
        let result = #call.expect("the example request builds").await.expect("the operation completes");
        #check
    }
}

/// A long-running list: the operation is driven to its end, and its result is the first page.
fn long_running_list_block(api: &Api, group: &Group, op: &Operation, example: &Example) -> TokenStream {
    let Some(pageable) = &op.pageable else { return quote!() };
    let call = call(api, group, op, example, Break::Nothing);
    let page_ty = ty(api, &Ty::Named(pageable.page_type));
    quote! {
        let server = exchange.serve_long_running().await;
        let client = client(&server, &exchange);
        let mut pages = #call.expect("the example request builds").into_pages();
        let page = pages.try_next().await.expect("the operation completes").expect("a first page");
        exchange.check_result::<#page_ty>(page.to_raw_response().body());
    }
}

/// Shows the harness cannot pass a wrong request: each expectation, deliberately broken, makes
/// the first plain example fail.
fn harness_tests(api: &Api) -> TokenStream {
    let plain = |op: &Operation| op.pageable.is_none() && op.long_running.is_none();
    let candidates: Vec<(&Group, &Operation, &Example)> = operations(api)
        .filter(|(_, op)| plain(op))
        .flat_map(|(g, op)| op.examples.iter().map(move |e| (g, op, e)))
        .filter(|(_, _, e)| success(e).next().is_some())
        .collect();
    let cases = [(Break::Path, "path"), (Break::Query, "query"), (Break::Header, "header"), (Break::Body, "body")];
    let tests = cases.iter().filter_map(|(broken, what)| {
        let (group, op, example) = candidates.iter().find(|(_, op, e)| {
            let expected = expected(api, op, e);
            match broken {
                Break::Header => !expected.headers.is_empty(),
                Break::Body => expected.body.is_some(),
                _ => true,
            }
        })?;
        let exchange = exchange(api, op, example, *broken);
        let call = call(api, group, op, example, *broken);
        let test = format_ident!("harness_fails_when_the_{what}_differs");
        let doc = format!(" `{}` with a wrong {what} expected: the call must fail.", example.file);
        Some(quote! {
            #[doc = #doc]
            #[tokio::test]
            async fn #test() {
                let exchange = #exchange;
                let server = exchange.serve_unverified(0).await;
                let client = client(&server, &exchange);
                assert!(#call.await.is_err(), "a request that does not match the expectation must not succeed");
            }
        })
    });
    quote! { #(#tests)* }
}

/// `EXAMPLES.md`: how many of the spec's examples are tests, and why each other one is not.
pub fn report(api: &Api) -> String {
    let tests: usize = api.groups.iter().flat_map(|g| &g.operations).map(|op| op.examples.len()).sum();
    let total = tests + api.example_problems.len();
    let mut out = format!(
        "# The spec's examples as tests\n\n{tests} of the {total} `x-ms-examples` entries are tests in \
         `tests/examples/cases/`.\n"
    );
    if !api.example_problems.is_empty() {
        out.push_str("\nNot tests, with the reason:\n\n");
        for problem in &api.example_problems {
            out.push_str(&format!("- {}\n", problem.replace('\n', " ")));
        }
    }
    out
}
