//! Operations → the main client, one sub-client per group, their options structs, the shared
//! parameter rules, `Page` impls and typed response-header traits. Each method is a few calls
//! into the runtime; the docs carry what users need to call it.

use super::docs::Doc;
use super::types::{code_span, ident};
use crate::model::{
    Api, FinalStateVia, Group, HttpMethod, Operation, Param, ParamLocation, Rule, Ty, TypeKind, is_json_media,
};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

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

/// Shared `Rule` statics, one per distinct (name, constraints).
/// Names are kept as text (not `Ident`) so the table can be shared by the threads that emit files.
pub struct Rules {
    by_rule: Vec<(Rule, String)>,
}

impl Rules {
    pub fn collect(api: &Api) -> Self {
        let mut rules = Rules { by_rule: Vec::new() };
        let mut names = crate::naming::Names::values();
        let mut all: Vec<&Rule> = api.client_params.iter().map(|c| &c.rule).collect();
        for group in &api.groups {
            for op in &group.operations {
                all.extend(op.params.iter().filter(|p| p.location != ParamLocation::Header).map(|p| &p.rule));
            }
        }
        for rule in all {
            if !rules.by_rule.iter().any(|(r, _)| r == rule) {
                // Through `value_name` first: it keeps only ASCII identifier characters.
                let mut base =
                    crate::naming::value_name(&rule.wire_name).trim_start_matches("r#").to_shouty_snake_case();
                if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    base.insert_str(0, "P_");
                }
                rules.by_rule.push((rule.clone(), names.claim(&base)));
            }
        }
        rules
    }

    fn get(&self, rule: &Rule) -> TokenStream {
        let name = self.by_rule.iter().find(|(r, _)| r == rule).map_or("MISSING_RULE", |(_, n)| n.as_str());
        let name = format_ident!("{name}");
        quote!(&rules::#name)
    }

    pub fn file(&self) -> TokenStream {
        let items = self.by_rule.iter().map(|(rule, name)| {
            let name = format_ident!("{name}");
            let wire = &rule.wire_name;
            let opt_usize = |v: Option<usize>| v.map_or(quote!(None), |v| quote!(Some(#v)));
            let opt_f64 = |v: Option<f64>| v.map_or(quote!(None), |v| quote!(Some(#v)));
            let (min_len, max_len) = (opt_usize(rule.min_length), opt_usize(rule.max_length));
            let pattern = rule.pattern.as_deref().map_or(quote!(None), |p| quote!(Some(#p)));
            let (min, max) = (opt_f64(rule.minimum), opt_f64(rule.maximum));
            quote! {
                pub(crate) static #name: Rule = Rule::new(#wire, #min_len, #max_len, #pattern, #min, #max);
            }
        });
        if self.by_rule.is_empty() {
            return quote!();
        }
        quote! {
            use crate::runtime::Rule;
            #(#items)*
        }
    }
}

/// `clients/mod.rs`: the main client, its options, and the group accessors.
pub fn clients_mod(api: &Api, crate_name: &str) -> TokenStream {
    let client = format_ident!("{}", client_name(api));
    let options = format_ident!("{}Options", client_name(api));
    let mods = api.groups.iter().map(|g| {
        let m = format_ident!("{}", module_name(g));
        quote!(mod #m; pub use #m::*;)
    });
    let client_fields = api.client_params.iter().map(|c| {
        let name = ident(&c.name);
        quote!(#name: String,)
    });
    let ctor_args = api.client_params.iter().map(|c| {
        let name = ident(&c.name);
        quote!(#name: &str,)
    });
    let ctor_init = api.client_params.iter().map(|c| {
        let name = ident(&c.name);
        quote!(#name: #name.to_owned(),)
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
            pub fn #accessor(&self) -> #sub<'_> {
                #sub { client: self }
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
        mod rules;
        #(#mods)*

        #client_doc
        #[derive(Clone, Debug)]
        pub struct #client {
            core: Arc<Core>,
            #(#client_fields)*
        }

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
                })?;
                Ok(Self { core, #(#ctor_init)* })
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

/// One group's file: the sub-client, its methods and their options structs.
pub fn group_file(api: &Api, group: &Group, rules: &Rules, crate_name: &str) -> TokenStream {
    let client = format_ident!("{}", client_name(api));
    let sub = format_ident!("{}", group.client_name);
    let methods: Vec<TokenStream> =
        group.operations.iter().map(|op| method(api, group, op, rules, crate_name)).collect();
    let options: Vec<TokenStream> = group.operations.iter().map(|op| options_struct(api, group, op)).collect();
    let doc = group_doc(group).tokens();
    let uses = group_imports(group);
    quote! {
        #uses
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #sub<'a> {
            pub(super) client: &'a super::#client,
        }

        impl #sub<'_> {
            #(#methods)*
        }

        #(#options)*
    }
}

/// Only what the file uses, so no spec yields unused-import warnings.
fn group_imports(group: &Group) -> TokenStream {
    let ops = &group.operations;
    let any = |f: &dyn Fn(&Operation) -> bool| ops.iter().any(f);
    let mut uses = Vec::new();
    if ops.iter().any(|op| op.params.iter().any(|p| p.location != ParamLocation::Header)) {
        uses.push(quote!(
            use super::rules;
        ));
    }
    let plain = |op: &Operation| op.pageable.is_none() && op.long_running.is_none();
    if any(&|op| mentions_models(op)) {
        uses.push(quote!(
            use crate::models;
        ));
    }
    if any(&|op| op.long_running.is_some()) {
        uses.push(quote!(
            use crate::runtime::{FinalState, LroStatus};
        ));
    }
    let mut http = vec![quote!(Method)];
    if any(&|op| op.pageable.is_none()) {
        http.push(quote!(ClientMethodOptions));
    }
    if any(&|op| op.response_type.is_none()) {
        http.push(quote!(NoFormat));
    }
    if any(&|op| op.pageable.is_some()) {
        http.push(quote!(Pager));
        http.push(quote!(pager::PagerOptions));
    }
    if any(&|op| op.long_running.is_some()) {
        http.push(quote!(Poller));
    }
    if any(&plain) {
        http.push(quote!(Response));
    }
    uses.push(quote!(use azure_core::http::{#(#http),*};));
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

/// The sub-client's docs: what the group is and a table of its methods.
fn group_doc(group: &Group) -> Doc {
    let mut doc = Doc::new().paragraph(format!("The `{}` operations.", group.wire_name));
    doc = doc.paragraph("| Method | HTTP | Required parameters | Description |").line("| --- | --- | --- | --- |");
    for op in &group.operations {
        let required: Vec<String> = op
            .required_params()
            .filter(|p| !p.client)
            .map(|p| format!("`{}`", p.name.trim_start_matches("r#")))
            .collect();
        let mut required = required.join(", ");
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            if !required.is_empty() {
                required.push_str(", ");
            }
            required.push_str(&format!("`{}`", body.name.trim_start_matches("r#")));
        }
        let summary = first_sentence(op.description.as_deref().or(op.summary.as_deref()).unwrap_or(""));
        doc = doc.line(format!(
            "| [`{name}`](Self::{name}) | {method} | {required} | {summary} |",
            name = op.name.trim_start_matches("r#"),
            method = op.http_method.as_str(),
        ));
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
    if op.long_running.is_some() {
        quote!(azure_core::Result<Poller<LroStatus<#body #format>>>)
    } else if op.pageable.is_some() {
        quote!(azure_core::Result<Pager<#body>>)
    } else {
        quote!(azure_core::Result<Response<#body #format>>)
    }
}

/// The type of a required argument.
fn arg_type(api: &Api, p: &Param) -> TokenStream {
    match &p.ty {
        Ty::String(_) => quote!(&str),
        other => ty(api, other),
    }
}

fn method(api: &Api, group: &Group, op: &Operation, rules: &Rules, crate_name: &str) -> TokenStream {
    let name = ident(&op.name);
    let options = format_ident!("{}", op.options_name);
    let args = op.required_params().filter(|p| !p.client).map(|p| {
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
    let method_const = format_ident!("{}", http_method_variant(op.http_method));
    let path = &op.path;
    let path_args = path_args(api, op, rules);
    let mut steps: Vec<TokenStream> = Vec::new();
    for (name, value) in &op.fixed_query {
        steps.push(quote!(req.constant(#name, #value);));
    }
    for p in op.params.iter().filter(|p| !p.client) {
        steps.extend(param_step(api, p, rules));
    }
    if let Some(accept) = op.accept.iter().find(|m| !is_json_media(m)).map(|_| op.accept.join(", ")) {
        steps.push(quote!(req.accept(#accept);));
    }
    if let Some(body) = &op.body {
        let media = &body.content_type;
        let name = ident(&body.name);
        let value = if body.required { quote!(#name) } else { quote!(options.#name) };
        steps.push(match (body.is_json(), body.required) {
            (true, true) => quote!(req.json(#media, &#value)?;),
            (true, false) => quote!(if let Some(body) = &#value { req.json(#media, body)?; }),
            (false, true) => quote!(req.bytes(#media, #value);),
            (false, false) => quote!(if let Some(body) = #value { req.bytes(#media, body); }),
        });
    }
    let req_binding = if steps.is_empty() { quote!(let req) } else { quote!(let mut req) };
    let success: Vec<u16> = success_codes(op);
    let doc = method_doc(api, group, op, crate_name).tokens();
    let prelude = quote! {
        let options = options.unwrap_or_default();
        #req_binding = self.client.core.request(Method::#method_const, #path, &[#(#path_args),*])?;
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
        quote! {
            #doc
            pub fn #name(&self, #(#args)* #body_arg options: Option<#options<'_>>) -> #ret {
                #prelude
                Ok(self.client.core.poller(req, options.method_options.context, &[#(#success),*], FinalState::#final_state))
            }
        }
    } else if let Some(pageable) = &op.pageable {
        let next = pageable.next_link_wire_name.as_deref().map_or(quote!(None), |n| quote!(Some(#n)));
        quote! {
            #doc
            pub fn #name(&self, #(#args)* #body_arg options: Option<#options<'_>>) -> #ret {
                #prelude
                Ok(self.client.core.pager(req, options.method_options, #next))
            }
        }
    } else {
        quote! {
            #doc
            pub async fn #name(&self, #(#args)* #body_arg options: Option<#options<'_>>) -> #ret {
                #prelude
                self.client.core.send(&options.method_options.context, req, &[#(#success),*]).await
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

fn http_method_variant(m: HttpMethod) -> &'static str {
    match m {
        HttpMethod::Get => "Get",
        HttpMethod::Put => "Put",
        HttpMethod::Post => "Post",
        HttpMethod::Patch => "Patch",
        HttpMethod::Delete => "Delete",
        HttpMethod::Head => "Head",
        HttpMethod::Options => "Options",
    }
}

/// `(&rules::X, value)` for each placeholder, in path order.
fn path_args(api: &Api, op: &Operation, rules: &Rules) -> Vec<TokenStream> {
    let placeholders = op.path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n));
    placeholders
        .filter_map(|wire| op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire))
        .map(|p| {
            let rule = rules.get(&p.rule);
            let name = ident(&p.name);
            let value = if p.client {
                quote!(&self.client.#name)
            } else {
                match &p.ty {
                    Ty::String(_) => quote!(#name),
                    t if is_enum(api, t) => quote!(#name.as_str()),
                    _ => quote!(&#name.to_string()),
                }
            };
            quote!((#rule, #value))
        })
        .collect()
}

/// The request-building call for one query or header parameter.
fn param_step(api: &Api, p: &Param, rules: &Rules) -> Option<TokenStream> {
    let name = ident(&p.name);
    let source = if p.required { quote!(#name) } else { quote!(options.#name) };
    let enum_ty = is_enum(api, &p.ty);
    match p.location {
        ParamLocation::Path => None,
        ParamLocation::Query => {
            let rule = rules.get(&p.rule);
            let copy = matches!(p.ty, Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64);
            let value = match (p.required, enum_ty) {
                (true, true) => quote!(#source.as_str()),
                (false, true) => quote!(#source.as_ref().map(|v| v.as_str())),
                _ if copy || (p.required && matches!(p.ty, Ty::String(_))) => quote!(#source),
                _ => quote!(&#source),
            };
            Some(quote!(req.query(#rule, #value)?;))
        }
        ParamLocation::Header => {
            let header = p.wire_name.to_ascii_lowercase();
            let value = match (p.required, &p.ty, enum_ty) {
                (true, Ty::String(_), _) => quote!(Some(#source.to_owned())),
                (true, _, true) => quote!(Some(#source.as_str().to_owned())),
                (true, _, _) => quote!(Some(#source.to_string())),
                (false, Ty::String(_), _) => quote!(#source.clone()),
                (false, _, true) => quote!(#source.as_ref().map(|v| v.as_str().to_owned())),
                (false, _, _) => quote!(#source.as_ref().map(|v| v.to_string())),
            };
            Some(quote!(req.header(#header, #value);))
        }
    }
}

fn options_struct(api: &Api, group: &Group, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.options_name);
    let fields = op.optional_params().filter(|p| !p.client).map(|p| {
        let field = ident(&p.name);
        let t = ty(api, &p.ty);
        let doc = Doc::new().spec_text(p.description.as_deref()).paragraph(format!("`{}`", p.wire_name)).tokens();
        quote! { #doc pub #field: Option<#t>, }
    });
    let body = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let field = ident(&b.name);
        let t = ty(api, &b.ty);
        let doc = Doc::new().spec_text(b.description.as_deref()).paragraph("The request body.").tokens();
        quote! { #doc pub #field: Option<#t>, }
    });
    let method_options = if op.pageable.is_some() && op.long_running.is_none() {
        quote! {
            /// The call's context, and a continuation to resume paging from.
            pub method_options: PagerOptions<'a>,
        }
    } else {
        quote! {
            /// The call's context.
            pub method_options: ClientMethodOptions<'a>,
        }
    };
    let method = op.name.trim_start_matches("r#");
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

fn method_doc(api: &Api, group: &Group, op: &Operation, crate_name: &str) -> Doc {
    let mut doc = Doc::new().spec_text(op.description.as_deref().or(op.summary.as_deref()));
    doc = doc.paragraph(format!("`{}`: `{} {}`", op.operation_id, op.http_method.as_str(), op.path));
    if op.deprecated {
        doc = doc.paragraph("**Deprecated** by the service.");
    }
    let mut args: Vec<String> = op
        .required_params()
        .filter(|p| !p.client)
        .map(|p| {
            let text = p.description.as_deref().map(super::docs::sanitize).unwrap_or_default().replace('\n', " ");
            format!("* `{}` - {}", p.name.trim_start_matches("r#"), text.trim())
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let text = body.description.as_deref().map(super::docs::sanitize).unwrap_or_default().replace('\n', " ");
        args.push(format!("* `{}` - {} (`{}`)", body.name.trim_start_matches("r#"), text.trim(), body.content_type));
    }
    let optional: Vec<String> = op
        .optional_params()
        .filter(|p| !p.client)
        .map(|p| format!("`{}`", p.name.trim_start_matches("r#")))
        .chain(op.body.iter().filter(|b| !b.required).map(|b| format!("`{}`", b.name.trim_start_matches("r#"))))
        .collect();
    let options_line = if optional.is_empty() {
        format!("* `options` - The call's context; see [`{}`].", op.options_name)
    } else {
        format!("* `options` - {}; see [`{}`].", optional.join(", "), op.options_name)
    };
    args.push(options_line);
    // Arguments, responses and errors as three short paragraphs; the errors are explained once
    // in the crate docs.
    doc = doc.paragraph(args.join("\n"));
    let mut returns = format!("Returns {}", response_summary(api, op));
    returns.push_str("; other statuses and invalid arguments are [errors](crate#errors).");
    doc = doc.paragraph(returns);
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
    if op.long_running.is_some() {
        text.push_str(", through a [`Poller`]: `.await` it for the final result, or poll it as a stream of statuses");
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
    let body = if op.long_running.is_some() {
        format!("let result = {call}?.await?;")
    } else if op.pageable.is_some() {
        format!("let mut pager = {call}?;\nwhile let Some(item) = pager.try_next().await? {{\n    let _ = item;\n}}")
    } else {
        format!("let response = {call}.await?;")
    };
    let uses = if op.pageable.is_some() && op.long_running.is_none() { "# use futures::TryStreamExt;\n" } else { "" };
    format!(
        "```no_run\n{uses}# async fn example(client: &{crate_name}::{client}) -> azure_core::Result<()> {{\n{body}\n# Ok(()) }}\n```"
    )
}

/// `clients/pages.rs`: azure_core's `Page` for every page model.
pub fn pages_file(api: &Api) -> TokenStream {
    let mut pages: BTreeMap<String, TokenStream> = BTreeMap::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        let Some(p) = &op.pageable else { continue };
        let page = ident(&api.type_def(p.page_type).name);
        let field = ident(&p.item_field);
        let item = ty(api, &p.item_ty);
        let optional = if p.item_optional { quote!(, optional) } else { quote!() };
        pages.insert(
            api.type_def(p.page_type).name.clone(),
            quote!(crate::runtime::page!(models::#page, #field, #item #optional);),
        );
    }
    let items = pages.values();
    if pages.is_empty() {
        return quote!();
    }
    quote! {
        use crate::models;
        #(#items)*
    }
}

/// `headers.rs`: for each response body type, a trait reading the headers the spec declares.
pub fn headers_file(api: &Api) -> TokenStream {
    let mut by_body: BTreeMap<String, (TokenStream, Vec<&crate::model::ResponseHeader>)> = BTreeMap::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        for r in &op.responses {
            let key = match (&op.response_type, op.long_running.is_some()) {
                (Some(Ty::Named(id)), _) => api.type_def(*id).name.clone(),
                (None, _) => "NoBody".to_owned(),
                _ => continue,
            };
            let response_ty = match &op.response_type {
                Some(t) => {
                    let t = ty(api, t);
                    quote!(Response<#t>)
                }
                None => quote!(Response<(), NoFormat>),
            };
            let entry = by_body.entry(key).or_insert_with(|| (response_ty, Vec::new()));
            for h in &r.headers {
                if !entry.1.iter().any(|e| e.name == h.name) {
                    entry.1.push(h);
                }
            }
        }
    }
    by_body.retain(|_, (_, headers)| !headers.is_empty());
    let traits = by_body.iter().map(|(key, (response_ty, headers))| {
        let trait_name = format_ident!("{key}Headers");
        let subject = if key == "NoBody" {
            "responses without a body".to_owned()
        } else {
            format!("responses whose body is [`{key}`](crate::models::{key})")
        };
        let doc = format!(" The headers the spec declares for {subject}.");
        let sigs = headers.iter().map(|h| {
            let name = ident(&h.name);
            let t = ty(api, &h.ty);
            let doc = Doc::new()
                .paragraph(format!("{}{}", code_span(&h.wire_name), if h.description.is_some() { ":" } else { "" }))
                .spec_text(h.description.as_deref())
                .tokens();
            quote! { #doc fn #name(&self) -> azure_core::Result<Option<#t>>; }
        });
        let impls = headers.iter().map(|h| {
            let name = ident(&h.name);
            let t = ty(api, &h.ty);
            let wire = h.wire_name.to_ascii_lowercase();
            quote! {
                fn #name(&self) -> azure_core::Result<Option<#t>> {
                    crate::runtime::header(self.headers(), #wire)
                }
            }
        });
        quote! {
            #[doc = #doc]
            pub trait #trait_name {
                #(#sigs)*
            }
            impl #trait_name for #response_ty {
                #(#impls)*
            }
        }
    });
    let traits: Vec<TokenStream> = traits.collect();
    if traits.is_empty() {
        return quote!();
    }
    let needs_models = by_body.values().any(|(t, _)| t.to_string().contains("models"));
    let models = needs_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let no_format = by_body.contains_key("NoBody").then(|| {
        quote!(
            use azure_core::http::NoFormat;
        )
    });
    quote! {
        #models
        #no_format
        use azure_core::http::Response;
        #(#traits)*
    }
}
