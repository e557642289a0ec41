//! Operations → the main client, one sub-client per group and their options structs (the
//! statics they share are in `statics`, `Page` impls and header traits in `responses`). Each
//! method is a few calls into the runtime; the docs carry what users need to call it.

use super::docs::Doc;
use super::statics::{Rules, Shared, path_params};
use super::types::ident;
use crate::model::{Api, FinalStateVia, Group, Operation, Param, ParamLocation, Ty, TypeKind, is_json_media};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The main client's type name: `info.title`, ending in `Client`.
pub fn client_name(api: &Api) -> String {
    api.client_name.clone()
}

/// A type as written in `crate::clients` (models behind `models::`).
pub fn ty(api: &Api, t: &Ty) -> TokenStream {
    super::types::ty_in(api, t, super::types::Scope::Outside)
}

fn is_enum(api: &Api, t: &Ty) -> bool {
    matches!(t, Ty::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Enum(_)))
}

/// `clients/mod.rs`: the main client, its options, and the group accessors.
pub fn clients_mod(api: &Api, rules: &Rules, crate_name: &str) -> TokenStream {
    let client = format_ident!("{}", client_name(api));
    let options = format_ident!("{}Options", client_name(api));
    let mods = api.groups.iter().map(|g| {
        let m = format_ident!("{}", module_name(g));
        quote!(mod #m; pub use #m::*;)
    });
    let ctor_args = api.client_params.iter().map(|c| {
        let name = ident(&c.name);
        quote!(#name: &str,)
    });
    let client_values = rules.client_rules(api).map(|(rule, c)| {
        let name = ident(&c.name);
        quote!((#rule, #name.to_owned()))
    });
    let arg_docs: Vec<String> = api
        .client_params
        .iter()
        .map(|c| {
            let text = c.description.as_deref().map(super::docs::sanitize).unwrap_or_default().replace('\n', " ");
            format!("* `{}` - {text}", c.name.trim_start_matches("r#"))
        })
        .collect();
    let accessors = api.groups.iter().map(|g| {
        let accessor = ident(&g.accessor);
        let sub = format_ident!("{}", g.client_name);
        let doc = format!(" The `{}` operations.", g.wire_name);
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #sub {
                #sub { core: Arc::clone(&self.core) }
            }
        }
    });
    let ctor_example_args: String =
        api.client_params.iter().map(|c| format!("{:?}, ", placeholder(&c.wire_name))).collect();
    let client_doc = Doc::new()
        .paragraph(format!("The {} client: one sub-client per operation group, all sharing one pipeline.", api.title))
        .paragraph("# Example")
        .paragraph("```no_run")
        .line(format!("use {crate_name}::{client};"))
        .line("# async fn example() -> azure_core::Result<()> {")
        .line("let credential = azure_identity::DeveloperToolsCredential::new(None)?;")
        .line(format!("let client = {client}::new({ctor_example_args}credential, None)?;"))
        .line("# Ok(()) }")
        .line("```")
        .tokens();
    let new_doc = Doc::new()
        .paragraph("Creates a client that authenticates with `credential` (bearer tokens for `{endpoint}/.default`).")
        .paragraph("# Arguments")
        .paragraph(arg_docs.join("\n"))
        .line("* `credential` - Any `azure_identity` credential.")
        .line(format!(
            "* `options` - Endpoint, `api-version`, polling interval and azure_core client options; see [`{options}`]."
        ))
        .tokens();
    let endpoint = &api.endpoint;
    let api_version = &api.api_version;
    let options_doc = format!(" Options for [`{client}::new`].");
    let endpoint_doc = format!(" The service endpoint; default `{endpoint}`.");
    let version_doc = format!(" The `api-version` sent with every request; default `{api_version}`.");
    quote! {
        use crate::runtime::{Core, CoreOptions};
        use azure_core::credentials::TokenCredential;
        use azure_core::http::ClientOptions;
        use std::sync::Arc;

        mod pages;
        mod paths;
        mod rules;
        #(#mods)*

        #client_doc
        #[derive(Clone, Debug)]
        pub struct #client {
            core: Arc<Core>,
        }

        pub use crate::runtime::{CallOptions, PagerCallOptions};

        #[doc = #options_doc]
        #[derive(Clone, Debug)]
        pub struct #options {
            /// Retry, transport, logging and per-call/per-try policies.
            pub client_options: ClientOptions,
            #[doc = #endpoint_doc]
            pub endpoint: String,
            #[doc = #version_doc]
            pub api_version: String,
            /// The wait between polls of a long-running operation when the service sends no
            /// `Retry-After`; default 30 seconds.
            pub poll_interval: std::time::Duration,
        }

        impl Default for #options {
            fn default() -> Self {
                Self {
                    client_options: ClientOptions::default(),
                    endpoint: #endpoint.to_owned(),
                    api_version: #api_version.to_owned(),
                    poll_interval: std::time::Duration::from_secs(30),
                }
            }
        }

        impl #client {
            #new_doc
            pub fn new(#(#ctor_args)* credential: Arc<dyn TokenCredential>, options: Option<#options>) -> azure_core::Result<Self> {
                let options = options.unwrap_or_default();
                let core = Core::new(credential, CoreOptions {
                    crate_name: env!("CARGO_PKG_NAME"),
                    crate_version: env!("CARGO_PKG_VERSION"),
                    endpoint: options.endpoint,
                    api_version: options.api_version,
                    client_options: options.client_options,
                    poll_interval: options.poll_interval,
                    client_values: vec![#(#client_values),*],
                    path_rules: rules::path_rule,
                })?;
                Ok(Self { core })
            }

            /// The service endpoint requests go to.
            pub fn endpoint(&self) -> &azure_core::http::Url {
                self.core.endpoint()
            }

            #(#accessors)*
        }
    }
}

/// A keyword accessor (`r#impl`) is fine as a method but not as a module file: `impl_`.
pub fn module_name(group: &Group) -> String {
    match group.accessor.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => group.accessor.clone(),
    }
}

/// One group's file: the sub-client, its methods and their options.
pub fn group_file(api: &Api, group: &Group, shared: &Shared, crate_name: &str) -> TokenStream {
    let sub = format_ident!("{}", group.client_name);
    let args = GroupArgs::collect(group);
    let methods: Vec<TokenStream> =
        group.operations.iter().map(|op| method(api, group, op, shared, &args, crate_name)).collect();
    let options: Vec<TokenStream> = group.operations.iter().map(|op| options_struct(api, group, op)).collect();
    let doc = group_doc(api, group, &args, crate_name).tokens();
    let uses = group_imports(group);
    quote! {
        #uses
        #doc
        // Owned, as the official SDK's sub-clients are: it can be stored, cloned and moved
        // into a task; cloning shares the parent's pipeline.
        #[derive(Clone, Debug)]
        pub struct #sub {
            pub(super) core: Arc<Core>,
        }

        impl #sub {
            #(#methods)*
        }

        #(#options)*
    }
}

/// Only what the file uses, so no spec yields unused-import warnings.
fn group_imports(group: &Group) -> TokenStream {
    let ops = &group.operations;
    let any = |f: &dyn Fn(&Operation) -> bool| ops.iter().any(f);
    let mut shared = vec![quote!(paths)];
    if any(&|op| op.params.iter().any(|p| !p.client && p.location == ParamLocation::Query)) {
        shared.push(quote!(rules));
    }
    let mut uses = vec![quote!(use super::{#(#shared),*};)];
    if any(&|op| mentions_models(op)) {
        uses.push(quote!(
            use crate::models;
        ));
    }
    let plain = |op: &Operation| op.pageable.is_none() && op.long_running.is_none();
    // Sorted, as rustfmt would write them.
    let mut runtime = Vec::new();
    if any(&plain) {
        runtime.push(quote!(Call));
    }
    runtime.push(quote!(Core));
    let polled = |op: &Operation| op.long_running.is_some() && op.pageable.is_none();
    if any(&|op| op.long_running.is_some()) {
        runtime.push(quote!(FinalState));
    }
    if any(&polled) {
        runtime.push(quote!(LroStatus));
    }
    uses.push(quote!(use crate::runtime::{#(#runtime),*};));
    let mut http = Vec::new();
    if any(&|op| op.response_type.is_none()) {
        http.push(quote!(NoFormat));
    }
    if any(&|op| op.pageable.is_some()) {
        http.push(quote!(Pager));
    }
    if any(&polled) {
        http.push(quote!(Poller));
    }
    if any(&plain) {
        http.push(quote!(Response));
    }
    if !http.is_empty() {
        uses.push(quote!(use azure_core::http::{#(#http),*};));
    }
    uses.push(quote!(
        use std::sync::Arc;
    ));
    quote! { #(#uses)* }
}

fn mentions_models(op: &Operation) -> bool {
    fn named(t: &Ty) -> bool {
        match t {
            Ty::Named(_) | Ty::Duration => true,
            Ty::Vec(inner) | Ty::Map(inner) => named(inner),
            _ => false,
        }
    }
    op.params.iter().any(|p| !p.client && named(&p.ty))
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
        || op.response_type.as_ref().is_some_and(named)
}

/// A method argument's name and its description, as the docs give them.
fn required_args(op: &Operation) -> Vec<(String, String)> {
    let text = |d: Option<&str>| d.map(super::docs::sanitize).unwrap_or_default().replace('\n', " ").trim().to_owned();
    let mut args: Vec<(String, String)> = op
        .required_params()
        .filter(|p| !p.client)
        .map(|p| (p.name.trim_start_matches("r#").to_owned(), text(p.description.as_deref())))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push((body.name.trim_start_matches("r#").to_owned(), text(body.description.as_deref())));
    }
    args
}

/// The group's arguments, each described once in the sub-client's docs (with its first
/// description); a method lists only those it describes differently.
struct GroupArgs {
    described: Vec<(String, String)>,
}

impl GroupArgs {
    fn collect(group: &Group) -> Self {
        let mut described: Vec<(String, String)> = Vec::new();
        for (name, text) in group.operations.iter().flat_map(required_args) {
            if !described.iter().any(|(n, _)| *n == name) {
                described.push((name, text));
            }
        }
        GroupArgs { described }
    }

    fn is_shared(&self, name: &str, text: &str) -> bool {
        self.described.iter().any(|(n, t)| n == name && t == text)
    }
}

/// The sub-client's docs: what the group is, a table of its methods, and their arguments.
fn group_doc(api: &Api, group: &Group, args: &GroupArgs, crate_name: &str) -> Doc {
    let mut doc = Doc::new().paragraph(format!("The `{}` operations.", group.wire_name));
    doc = doc.paragraph("| Method | HTTP | Required parameters | Description |").line("| --- | --- | --- | --- |");
    for op in &group.operations {
        let required: Vec<String> = required_args(op).into_iter().map(|(name, _)| format!("`{name}`")).collect();
        let summary = first_sentence(op.description.as_deref().or(op.summary.as_deref()).unwrap_or(""));
        doc = doc.line(format!(
            "| [`{name}`](Self::{name}) | {method} | {required} | {summary} |",
            name = op.name.trim_start_matches("r#"),
            method = op.http_method.as_str(),
            required = required.join(", "),
        ));
    }
    if !args.described.is_empty() {
        let list: Vec<String> = args.described.iter().map(|(name, text)| format!("* `{name}` - {text}")).collect();
        doc = doc.paragraph("Arguments, unless a method says otherwise:").paragraph(list.join("\n"));
    }
    if let Some(first) = group.operations.first() {
        doc = doc.paragraph("# Example").paragraph(example(api, group, first, crate_name));
    }
    doc
}

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let end = line.find(". ").map_or(line.len(), |i| i + 1);
    super::docs::sanitize(&line[..end]).replace('|', "\\|")
}

/// A placeholder value for docs examples.
fn placeholder(wire: &str) -> String {
    format!("my-{}", wire.trim_start_matches('$').replace(|c: char| !c.is_ascii_alphanumeric(), "-"))
}

/// What the method returns, as written in the signature.
fn return_type(api: &Api, op: &Operation) -> TokenStream {
    let (body, format) = match &op.response_type {
        Some(t) => (ty(api, t), quote!()),
        None => (quote!(()), quote!(, NoFormat)),
    };
    if op.long_running.is_some() && op.pageable.is_none() {
        quote!(azure_core::Result<Poller<LroStatus<#body #format>>>)
    } else if op.pageable.is_some() {
        quote!(azure_core::Result<Pager<#body>>)
    } else {
        quote!(Call<'a, Response<#body #format>>)
    }
}

/// The type of a required argument.
fn arg_type(api: &Api, p: &Param) -> TokenStream {
    match &p.ty {
        Ty::String(_) => quote!(&str),
        other => ty(api, other),
    }
}

fn method(
    api: &Api,
    group: &Group,
    op: &Operation,
    shared: &Shared,
    args: &GroupArgs,
    crate_name: &str,
) -> TokenStream {
    let name = ident(&op.name);
    let options = format_ident!("{}", op.options_name);
    let params = op.required_params().filter(|p| !p.client).map(|p| {
        let name = ident(&p.name);
        let t = arg_type(api, p);
        quote!(#name: #t,)
    });
    let body_arg = op.body.as_ref().filter(|b| b.required).map(|b| {
        let name = ident(&b.name);
        let t = ty(api, &b.ty);
        quote!(#name: #t,)
    });
    let ret = return_type(api, op);
    let path = shared.paths.get(op, &shared.rules);
    let start = format_ident!("{}", op.http_method.as_str().to_ascii_lowercase());
    let path_args = path_args(api, op);
    let mut steps: Vec<TokenStream> = Vec::new();
    for (name, value) in &op.fixed_query {
        steps.push(quote!(req.constant(#name, #value);));
    }
    for p in op.params.iter().filter(|p| !p.client) {
        steps.extend(param_step(api, p, &shared.rules));
    }
    if let Some(accept) = op.accept.iter().find(|m| !is_json_media(m)).map(|_| op.accept.join(", ")) {
        steps.push(quote!(req.accept(#accept);));
    }
    if let Some(body) = &op.body {
        let media = &body.content_type;
        let name = ident(&body.name);
        let value = if body.required { quote!(#name) } else { quote!(options.#name) };
        steps.push(match (body.is_json(), body.required) {
            (true, true) => quote!(req.json(#media, &#value);),
            (true, false) => quote!(if let Some(body) = &#value { req.json(#media, body); }),
            (false, true) => quote!(req.bytes(#media, #value);),
            (false, false) => quote!(if let Some(body) = #value { req.bytes(#media, body); }),
        });
    }
    // A binding of its own keeps the request line short.
    let (path_binding, path_values) = if path_args.is_empty() {
        (quote!(), quote!(&[]))
    } else {
        (quote!(let path = [#(#path_args),*];), quote!(&path))
    };
    let req_binding = if steps.is_empty() { quote!(let req) } else { quote!(let mut req) };
    let success: Vec<proc_macro2::Literal> =
        success_codes(op).into_iter().map(proc_macro2::Literal::u16_unsuffixed).collect();
    let doc = method_doc(api, group, op, args, crate_name).tokens();
    // Shared options need no unwrapping here: the runtime's `call` and `list` take them as given.
    let shared_options = !op.has_own_options() && op.long_running.is_none();
    let unwrap = (!shared_options).then(|| quote!(let options = options.unwrap_or_default();));
    let prelude = quote! {
        #unwrap
        #path_binding
        #req_binding = self.core.#start(#path, #path_values);
        #(#steps)*
    };
    if let Some(lro) = op.long_running {
        let final_state = format_ident!(
            "{}",
            match lro.final_state_via {
                FinalStateVia::OriginalUri => "OriginalUri",
                FinalStateVia::Location => "Location",
                FinalStateVia::AzureAsyncOperation => "LastStatus",
            }
        );
        let finish = match &op.pageable {
            // The operation's result is the first page of a list.
            Some(pageable) => {
                let next = pageable.next_link_wire_name.as_deref().map_or(quote!(None), |n| quote!(Some(#n)));
                quote!(self.core.lro_pager(req, options.method_options, &[#(#success),*], FinalState::#final_state, #next))
            }
            None => quote!(self.core.poller(req, options.method_options, &[#(#success),*], FinalState::#final_state)),
        };
        quote! {
            #doc
            pub fn #name(&self, #(#params)* #body_arg options: Option<#options<'_>>) -> #ret {
                #prelude
                #finish
            }
        }
    } else if let Some(pageable) = &op.pageable {
        let next = pageable.next_link_wire_name.as_deref().map_or(quote!(None), |n| quote!(Some(#n)));
        let finish = if shared_options {
            quote!(self.core.list(req, options, #next))
        } else {
            quote!(self.core.pager(req, options.method_options, #next))
        };
        quote! {
            #doc
            pub fn #name(&self, #(#params)* #body_arg options: Option<#options<'_>>) -> #ret {
                #prelude
                #finish
            }
        }
    } else {
        let finish = if shared_options {
            quote!(self.core.call(req, options, &[#(#success),*]))
        } else {
            quote!(self.core.send(req, options.method_options, &[#(#success),*]))
        };
        quote! {
            #doc
            pub fn #name<'a>(&'a self, #(#params)* #body_arg options: Option<#options<'a>>) -> #ret {
                #prelude
                #finish
            }
        }
    }
}

fn success_codes(op: &Operation) -> Vec<u16> {
    let mut codes: Vec<u16> = op.responses.iter().map(|r| r.status).collect();
    if codes.is_empty() {
        codes = vec![200];
    }
    codes
}

/// The method's value for each of its own placeholders, in path order (the runtime supplies
/// the client-level ones).
fn path_args(api: &Api, op: &Operation) -> Vec<TokenStream> {
    path_params(op)
        .filter(|p| !p.client)
        .map(|p| {
            let name = ident(&p.name);
            match &p.ty {
                Ty::String(_) => quote!(#name),
                t if is_enum(api, t) => quote!(#name.as_str()),
                _ => quote!(&#name.to_string()),
            }
        })
        .collect()
}

/// The request-building call for one query or header parameter.
fn param_step(api: &Api, p: &Param, rules: &Rules) -> Option<TokenStream> {
    let name = ident(&p.name);
    let source = if p.required { quote!(#name) } else { quote!(options.#name) };
    match p.location {
        ParamLocation::Path => None,
        ParamLocation::Query => {
            let rule = rules.get(&p.rule, false);
            let value = param_value(api, p, &source);
            Some(quote!(req.query(#rule, #value);))
        }
        ParamLocation::Header => {
            let header = p.wire_name.to_ascii_lowercase();
            let value = param_value(api, p, &source);
            Some(quote!(req.header(#header, #value);))
        }
    }
}

/// A query or header value as the runtime's `QueryValue` takes it. Date-times sent as HTTP
/// dates and bytes sent as base64 are wrapped, so the type says how they are written.
fn param_value(api: &Api, p: &Param, source: &TokenStream) -> TokenStream {
    let wrapper = match api.resolve(&p.ty) {
        Ty::DateTimeRfc1123 => Some(quote!(crate::runtime::Rfc7231)),
        Ty::Bytes => Some(quote!(crate::runtime::Base64)),
        _ => None,
    };
    let copy = is_copy(api, &p.ty);
    match (wrapper, p.required) {
        (Some(wrap), true) => quote!(#wrap(#source)),
        (Some(wrap), false) if copy => quote!(#source.map(#wrap)),
        (Some(wrap), false) => quote!(#source.clone().map(#wrap)),
        (None, _) if copy || (p.required && matches!(p.ty, Ty::String(_))) => quote!(#source),
        (None, _) => quote!(&#source),
    }
}

/// Types whose values are `Copy` in the generated crate: passed by value, not borrowed.
fn is_copy(api: &Api, t: &Ty) -> bool {
    match api.resolve(t) {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::DateTime | Ty::DateTimeRfc1123 => true,
        Ty::Named(id) => matches!(&api.type_def(*id).kind, TypeKind::Enum(e) if !e.extensible),
        _ => false,
    }
}

/// A struct of the method's optional parameters; without any, an alias of the shared
/// [`CallOptions`] (or `PagerCallOptions`), which user code writes the same way.
fn options_struct(api: &Api, group: &Group, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.options_name);
    let method = op.name.trim_start_matches("r#");
    let paging = op.pageable.is_some() && op.long_running.is_none();
    let fields: Vec<TokenStream> = op
        .optional_params()
        .filter(|p| !p.client)
        .map(|p| {
            let field = ident(&p.name);
            let t = ty(api, &p.ty);
            let doc = Doc::new().spec_text(p.description.as_deref()).note(format!("(`{}`)", p.wire_name)).tokens();
            quote! { #doc pub #field: Option<#t>, }
        })
        .collect();
    let body = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let field = ident(&b.name);
        let t = ty(api, &b.ty);
        let doc = Doc::new().spec_text(b.description.as_deref()).note("(The request body.)").tokens();
        quote! { #doc pub #field: Option<#t>, }
    });
    if !op.has_own_options() {
        let doc = format!(" The options of [`{}::{method}`]: its context only.", group.client_name);
        let shared = if paging { quote!(super::PagerCallOptions) } else { quote!(super::CallOptions) };
        return quote! {
            #[doc = #doc]
            pub type #name<'a> = #shared<'a>;
        };
    }
    let method_options = if paging {
        quote! {
            /// The call's context, and a continuation to resume paging from.
            pub method_options: azure_core::http::pager::PagerOptions<'a>,
        }
    } else {
        quote! {
            /// The call's context.
            pub method_options: azure_core::http::ClientMethodOptions<'a>,
        }
    };
    let doc = format!(" Optional parameters of [`{}::{method}`].", group.client_name);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default)]
        pub struct #name<'a> {
            #(#fields)*
            #body
            #method_options
        }
    }
}

fn method_doc(api: &Api, group: &Group, op: &Operation, shared_args: &GroupArgs, crate_name: &str) -> Doc {
    let mut doc = Doc::new().spec_text(op.description.as_deref().or(op.summary.as_deref()));
    doc = doc.paragraph(format!(
        "`{} {}` (`{}`) returns {}.",
        op.http_method.as_str(),
        op.path,
        op.operation_id,
        response_summary(api, op)
    ));
    if op.deprecated {
        doc = doc.paragraph("**Deprecated** by the service.");
    }
    let own: Vec<String> = required_args(op)
        .into_iter()
        .filter(|(name, text)| !shared_args.is_shared(name, text))
        .map(|(name, text)| format!("* `{name}` - {text}"))
        .collect();
    if !own.is_empty() {
        doc = doc.paragraph(own.join("\n"));
    }
    // The spec's own example gives real values; otherwise the sub-client's one example shows the
    // pattern (and for its first method, that example is this one).
    let first = group.operations.first().is_some_and(|f| std::ptr::eq(f, op));
    if op.examples.is_empty() || first {
        return doc;
    }
    doc.paragraph(example(api, group, op, crate_name))
}

/// `200: [`BackendContract`] with `ETag`, 201: …`, then what the call returns for paging or polling.
fn response_summary(api: &Api, op: &Operation) -> String {
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| {
            let body = match &r.body {
                Some(Ty::Named(id)) => format!(" [`{0}`](crate::models::{0})", api.type_def(*id).name),
                Some(_) => " a JSON value".to_owned(),
                None => String::new(),
            };
            let headers: Vec<String> = r.headers.iter().map(|h| format!("`{}`", h.wire_name)).collect();
            let headers = if headers.is_empty() { String::new() } else { format!(" with {}", headers.join(", ")) };
            format!("{}{body}{headers}", r.status)
        })
        .collect();
    let mut text = statuses.join(", ");
    if let Some(p) = &op.pageable {
        let next = p.next_link_wire_name.as_deref().map(|n| format!(", following `{n}`")).unwrap_or_default();
        text.push_str(&format!(", as a [`Pager`] over the `{}` items of each page{next}", p.item_wire_name));
    }
    match (op.long_running.is_some(), op.pageable.is_some()) {
        (true, true) => text.push_str(" once the long-running operation is done (the first page waits for it)"),
        (true, false) => text
            .push_str(", through a [`Poller`]: `.await` it for the final result, or poll it as a stream of statuses"),
        _ => {}
    }
    text
}

fn example(api: &Api, group: &Group, op: &Operation, crate_name: &str) -> String {
    let client = client_name(api);
    // The spec's first example, when there is one, gives real values.
    let sample =
        |index: usize| op.examples.first().and_then(|e| e.params.iter().find(|(i, _)| *i == index)).map(|(_, v)| v);
    let mut args: Vec<String> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required && !p.client)
        .map(|(index, p)| match (&p.ty, sample(index)) {
            (Ty::String(_), Some(serde_json::Value::String(value))) => format!("{value:?}"),
            (Ty::String(_), _) => format!("{:?}", placeholder(&p.wire_name)),
            (Ty::I32 | Ty::I64 | Ty::F64, Some(value @ serde_json::Value::Number(_))) => value.to_string(),
            (Ty::Bool, Some(value @ serde_json::Value::Bool(_))) => value.to_string(),
            _ => "Default::default()".to_owned(),
        })
        .collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("Default::default()".to_owned());
    }
    args.push("None".to_owned());
    let call = format!("client.{}().{}({})", group.accessor, op.name, args.join(", "));
    let body = if op.long_running.is_some() && op.pageable.is_none() {
        format!("let result = {call}?.await?;")
    } else if op.pageable.is_some() {
        format!("let mut pager = {call}?;\nwhile let Some(item) = pager.try_next().await? {{\n    let _ = item;\n}}")
    } else {
        format!("let response = {call}.await?;")
    };
    let uses = if op.pageable.is_some() { "# use futures::TryStreamExt;\n" } else { "" };
    format!(
        "```no_run\n{uses}# async fn example(client: &{crate_name}::{client}) -> azure_core::Result<()> {{\n{body}\n# Ok(()) }}\n```"
    )
}
