//! The spec's examples → `tests/examples.rs` in the generated crate: each example's request is
//! expected exactly (method, encoded path, query, headers, JSON body) by a local server that
//! answers with the example's responses; the typed result must hold every field.

use super::clients::{client_name, ty};
use super::types::ident;
use crate::model::{Api, Example, ExampleResponse, Group, Operation, ParamLocation, Ty, TypeKind};
use crate::naming::{self, Names};
use proc_macro2::{Ident, TokenStream};
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
        #[path = "examples/cases.rs"]
        mod cases;
    }
}

pub fn support_file(api: &Api, crate_name: &str) -> String {
    SUPPORT.replace("__OPTIONS__", &format!("{crate_name}::{}Options", client_name(api)))
}

/// The generated tests name the crate under test through this alias, so their code does not
/// depend on the crate's name.
const CRATE_ALIAS: &str = "crate_under_test";

pub fn tests_file(api: &Api, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{crate_name}");
    let placeholder = format_ident!("{CRATE_ALIAS}");
    let mut names = Names::values();
    let mut tests = Vec::new();
    for (group, op) in operations(api) {
        for example in &op.examples {
            let stem = example.file.trim_end_matches(".json");
            let name = names.claim(&naming::value_name(&format!("{}_{stem}", op.operation_id)));
            tests.push(example_test(api, group, op, example, &name));
        }
    }
    let harness = harness_tests(api);
    let body = quote! { #(#tests)* #harness };
    // Import only what the tests use, so no spec yields unused-import warnings.
    let text = body.to_string();
    let used = |needle: &str| text.contains(needle);
    let mut imports = vec![quote!(use #krate as #placeholder;)];
    if used("assert_eq ! (response .") {
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
    let matchers: Vec<Ident> = ["header", "method", "path", "query_param"]
        .into_iter()
        .filter(|m| used(&format!("{m} (")))
        .map(|m| format_ident!("{m}"))
        .collect();
    quote! {
        use crate::support;
        #(#imports)*
        use wiremock::matchers::{#(#matchers),*};
        use wiremock::{Mock, MockServer};

        #body
    }
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
        path.push_str(&encode_segment(&value_of(&rest[open + 1..close]).unwrap_or_default()));
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

fn mock(expected: &Expected, broken: Break) -> TokenStream {
    let method = &expected.method;
    let path = if broken == Break::Path { format!("{}x", expected.path) } else { expected.path.clone() };
    let query = expected.query.iter().enumerate().map(|(i, (k, v))| {
        let v = if broken == Break::Query && i == 0 { format!("{v}x") } else { v.clone() };
        quote!(.and(query_param(#k, #v)))
    });
    let headers = expected.headers.iter().enumerate().map(|(i, (k, v))| {
        let v = if broken == Break::Header && i == 0 { format!("{v}x") } else { v.clone() };
        quote!(.and(header(#k, #v)))
    });
    let body = expected.body.as_ref().map(|b| {
        let mut b = b.clone();
        if broken == Break::Body {
            b = serde_json::json!({ "unexpected": b });
        }
        let text = raw(&b.to_string());
        quote!(.and(support::body(#text)))
    });
    quote! { Mock::given(method(#method)).and(path(#path)) #(#query)* #(#headers)* #body }
}

/// The call of the generated method with the example's values.
fn call(api: &Api, group: &Group, op: &Operation, example: &Example) -> TokenStream {
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
        let text = raw(&value.to_string());
        let expr = quote!(support::parse::<#body_ty>(#text));
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

fn client(example: &Example, api: &Api) -> TokenStream {
    let client = format_ident!("{}", client_name(api));
    let args = api.client_params.iter().map(|c| {
        let value = example.client_params.iter().find(|(w, _)| *w == c.wire_name).map(|(_, v)| text(v));
        let value = value.unwrap_or_else(|| format!("example-{}", c.wire_name));
        quote!(#value)
    });
    let version = example.api_version.clone().unwrap_or_else(|| api.api_version.clone());
    quote! {
        let client = crate_under_test::#client::new(#(#args,)* support::credential(), Some(support::options(&server.uri(), #version)))
            .expect("a client for the local server");
    }
}

fn respond(response: &ExampleResponse, body: Option<&str>) -> TokenStream {
    let status = response.status;
    let headers = response.headers.iter().map(|(k, v)| quote!((#k, #v)));
    let body = body.map_or(quote!(None), |b| {
        let b = raw(b);
        quote!(Some(#b))
    });
    quote!(support::respond(#status, &[#(#headers),*], #body, &server.uri()))
}

fn example_test(api: &Api, group: &Group, op: &Operation, example: &Example, name: &str) -> TokenStream {
    let test = format_ident!("{name}");
    let doc = format!(" `{}`: `{}`.", example.file, op.operation_id);
    let blocks: Vec<TokenStream> = if op.long_running.is_some() {
        vec![long_running_block(api, group, op, example)]
    } else if op.pageable.is_some() {
        example
            .responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .map(|r| paging_block(api, group, op, example, r))
            .collect()
    } else {
        example
            .responses
            .iter()
            .filter(|r| (200..300).contains(&r.status))
            .map(|r| plain_block(api, group, op, example, r))
            .collect()
    };
    quote! {
        #[doc = #doc]
        #[tokio::test]
        async fn #test() {
            support::within(async { #({ #blocks })* }).await;
        }
    }
}

/// Checks the typed headers the spec declares for this response and the example gives.
fn header_checks(op: &Operation, response: &ExampleResponse) -> Vec<TokenStream> {
    let declared =
        op.responses.iter().find(|r| r.status == response.status).map(|r| r.headers.as_slice()).unwrap_or(&[]);
    declared
        .iter()
        .filter(|h| matches!(h.ty, Ty::String(_)))
        .filter_map(|h| {
            let value = response.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(&h.wire_name))?.1.clone();
            let accessor = ident(&h.name);
            let wire = &h.wire_name;
            Some(quote! {
                assert_eq!(response.#accessor().expect(#wire).as_deref(), Some(#value), "typed header {}", #wire);
            })
        })
        .collect()
}

fn body_check(api: &Api, op: &Operation, response: &ExampleResponse, subject: TokenStream) -> TokenStream {
    match (&response.body, &op.response_type) {
        (Some(body), Some(t)) => {
            let t = ty(api, t);
            let text = raw(&body.to_string());
            quote!(support::check_body::<#t>(#subject.to_raw_response().body(), #text);)
        }
        _ => quote!(),
    }
}

fn plain_block(api: &Api, group: &Group, op: &Operation, example: &Example, response: &ExampleResponse) -> TokenStream {
    let expected = expected(api, op, example);
    let mock = mock(&expected, Break::Nothing);
    let body_text = response.body.as_ref().map(Value::to_string);
    let respond = respond(response, body_text.as_deref());
    let client = client(example, api);
    let call = call(api, group, op, example);
    let status = response.status;
    let headers = header_checks(op, response);
    let body = body_check(api, op, response, quote!(response));
    quote! {
        let server = MockServer::start().await;
        #mock.respond_with(#respond).expect(1).mount(&server).await;
        #client
        let response = #call.await.expect("the example request succeeds");
        assert_eq!(u16::from(response.status()), #status);
        #(#headers)*
        #body
    }
}

fn paging_block(
    api: &Api,
    group: &Group,
    op: &Operation,
    example: &Example,
    response: &ExampleResponse,
) -> TokenStream {
    let Some(pageable) = &op.pageable else { return quote!() };
    let expected = expected(api, op, example);
    let mock = mock(&expected, Break::Nothing);
    let client = client(example, api);
    let call = call(api, group, op, example);
    let body = raw(&response.body.as_ref().map(Value::to_string).unwrap_or_else(|| "{}".to_owned()));
    let items = response
        .body
        .as_ref()
        .and_then(|b| b.get(&pageable.item_wire_name))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let page_ty = ty(api, &Ty::Named(pageable.page_type));
    let version = &expected.query[0].1;
    let served = match &pageable.next_link_wire_name {
        // A second page reached through the next link, so following it is tested too.
        Some(next) => quote! {
            let first = support::page(#body, #next, Some(&format!("{}/example-next-page", server.uri())));
            let second = support::page(#body, #next, None);
            #mock.respond_with(support::respond(200, &[], Some(&first), &server.uri())).expect(1).mount(&server).await;
            Mock::given(method("GET")).and(path("/example-next-page")).and(query_param("api-version", #version))
                .respond_with(support::respond(200, &[], Some(&second), &server.uri())).expect(1).mount(&server).await;
            let pages = [first, second];
        },
        None => quote! {
            #mock.respond_with(support::respond(200, &[], Some(#body), &server.uri())).expect(1).mount(&server).await;
            let pages = [#body.to_owned()];
        },
    };
    // Every page holds the example's items; `* 0` and `* 1` would be noise (and clippy lints).
    let expected_items = match items {
        0 => quote!(0),
        1 => quote!(pages.len()),
        n => quote!(pages.len() * #n),
    };
    let field = ident(&pageable.item_field);
    let count = if pageable.item_optional {
        quote!(model.#field.unwrap_or_default().len())
    } else {
        quote!(model.#field.len())
    };
    quote! {
        let server = MockServer::start().await;
        #served
        #client
        let mut pager = #call.expect("the example request builds").into_pages();
        let (mut seen_pages, mut seen_items) = (0, 0);
        while let Some(page) = pager.try_next().await.expect("every page arrives") {
            support::check_body::<#page_ty>(page.to_raw_response().body(), &pages[seen_pages]);
            let model = page.into_model().expect("the page reads as its model");
            seen_items += #count;
            seen_pages += 1;
        }
        assert_eq!((seen_pages, seen_items), (pages.len(), #expected_items));
    }
}

/// The first response starts the operation; polling links are served locally and answer
/// "Succeeded"; the final GET (original URI or Location) answers with the example's result.
fn long_running_block(api: &Api, group: &Group, op: &Operation, example: &Example) -> TokenStream {
    let expected = expected(api, op, example);
    let mock = mock(&expected, Break::Nothing);
    let client = client(example, api);
    let call = call(api, group, op, example);
    let success: Vec<&ExampleResponse> = example.responses.iter().filter(|r| (200..300).contains(&r.status)).collect();
    let initial = success.iter().find(|r| r.status == 202 || r.status == 201).or(success.first()).copied();
    let Some(initial) = initial else { return quote!() };
    let result = success
        .iter()
        .find(|r| r.status == 200 && r.body.is_some())
        .or(success.iter().find(|r| r.body.is_some()))
        .copied();
    let result_text = result.and_then(|r| r.body.as_ref()).map(Value::to_string);
    let initial_body = initial.body.as_ref().map(Value::to_string);
    let respond_initial = respond(initial, initial_body.as_deref());
    let path = &expected.path;
    let final_body = result_text.clone().unwrap_or_default();
    let polls = initial.headers.iter().filter(|(k, _)| {
        ["location", "azure-asyncoperation", "operation-location"].contains(&k.to_ascii_lowercase().as_str())
    });
    let poll_mocks = polls.map(|(name, value)| {
        let async_op = !name.eq_ignore_ascii_case("location");
        let answer = raw(if async_op { r#"{"status":"Succeeded"}"# } else { &final_body });
        let priority: u8 = if async_op { 1 } else { 5 };
        quote! {
            let link = support::local_link(#name, #value, &server.uri());
            let link: azure_core::http::Url = link.parse().expect("a local link");
            // A status link may share its path with `Location`: the status answers first.
            Mock::given(method("GET")).and(path(link.path()))
                .respond_with(support::respond(200, &[], Some(#answer), &server.uri()))
                .with_priority(#priority).mount(&server).await;
        }
    });
    let final_raw = raw(&final_body);
    let final_get = (op.http_method != crate::model::HttpMethod::Get).then(|| {
        quote! {
            Mock::given(method("GET")).and(path(#path))
                .respond_with(support::respond(200, &[], Some(#final_raw), &server.uri())).mount(&server).await;
        }
    });
    let check = match (&result_text, &op.response_type) {
        (Some(text), Some(t)) => {
            let t = ty(api, t);
            let text = raw(text);
            quote!(support::check_body::<#t>(result.to_raw_response().body(), #text);)
        }
        _ => quote!(let _ = result;),
    };
    quote! {
        let server = MockServer::start().await;
        #mock.respond_with(#respond_initial).expect(1).mount(&server).await;
        #(#poll_mocks)*
        #final_get
        #client
        let result = #call.expect("the example request builds").await.expect("the operation completes");
        #check
    }
}

/// Shows the harness cannot pass a wrong request: each expectation, deliberately broken, makes
/// the first plain example fail.
fn harness_tests(api: &Api) -> TokenStream {
    let plain = |op: &Operation| op.pageable.is_none() && op.long_running.is_none();
    let candidates: Vec<(&Group, &Operation, &Example)> = operations(api)
        .filter(|(_, op)| plain(op))
        .flat_map(|(g, op)| op.examples.iter().map(move |e| (g, op, e)))
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
        let response = example.responses.iter().find(|r| (200..300).contains(&r.status))?;
        let expected = expected(api, op, example);
        let mock = mock(&expected, *broken);
        let body_text = response.body.as_ref().map(Value::to_string);
        let respond = respond(response, body_text.as_deref());
        let client = client(example, api);
        let call = call(api, group, op, example);
        let test = format_ident!("harness_fails_when_the_{what}_differs");
        let doc = format!(" `{}` with a wrong {what} expected: the call must fail.", example.file);
        Some(quote! {
            #[doc = #doc]
            #[tokio::test]
            async fn #test() {
                let server = MockServer::start().await;
                #mock.respond_with(#respond).mount(&server).await;
                #client
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
         `tests/examples/cases.rs`.\n"
    );
    if !api.example_problems.is_empty() {
        out.push_str("\nNot tests, with the reason:\n\n");
        for problem in &api.example_problems {
            out.push_str(&format!("- {}\n", problem.replace('\n', " ")));
        }
    }
    out
}
