//! Operations → the main client, one sub-client per group and their options structs (the
//! statics they share are in `statics`, `Page` impls and header traits in `responses`). Each
//! method is a few calls into the runtime; the docs carry what users need to call it.

use super::client_docs::{GroupArgs, group_doc, method_doc, placeholder};
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
    let mods: Vec<_> = api.groups.iter().map(|g| format_ident!("{}", module_name(g))).collect();
    let mods = (!mods.is_empty()).then(|| quote!(crate::runtime::groups!(#(#mods),*);));
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
        let wire = &g.wire_name;
        quote!(#accessor => #sub #wire)
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
    let prelude = prelude(api);
    let namespace = match provider_namespace(api) {
        Some(ns) => quote!(Some(#ns)),
        None => quote!(None),
    };
    let options_doc = format!(" Options for [`{client}::new`].");
    let endpoint_doc = format!(" The service endpoint; default `{endpoint}`.");
    let version_doc = format!(" The `api-version` sent with every request; default `{api_version}`.");
    quote! {
        use crate::runtime::{Core, CoreOptions};
        use azure_core::credentials::TokenCredential;
        use azure_core::http::ClientOptions;
        use std::sync::Arc;

        mod pages;
        pub(crate) mod paths;
        pub(crate) mod rules;
        #prelude
        #mods

        #client_doc
        #[derive(Clone, Debug)]
        pub struct #client {
            core: Arc<Core>,
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
                    namespace: #namespace,
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
        }

        crate::runtime::sub_clients!(#client { #(#accessors),* });
    }
}

/// The resource provider most paths name (`…/providers/Microsoft.ApiManagement/…`): the
/// `az.namespace` of the client's spans. `None` for an API without one (a data plane).
fn provider_namespace(api: &Api) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        let Some((_, rest)) = op.path.rsplit_once("/providers/") else { continue };
        let namespace = rest.split('/').next().unwrap_or("");
        if !namespace.is_empty() && !namespace.contains('{') {
            *counts.entry(namespace).or_default() += 1;
        }
    }
    // Most used; ties go to the first in order, so the choice is deterministic.
    let best = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    Some(best.0.to_string())
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
    let methods: Vec<TokenStream> = group
        .operations
        .iter()
        .map(|op| {
            let resume = resume_method(api, group, op);
            let method = method(api, op, shared, &args);
            quote!(#method #resume)
        })
        .collect();
    let options: Vec<TokenStream> = group.operations.iter().filter_map(|op| options_struct(api, group, op)).collect();
    let declared = options_macro(group);
    let by_id = super::resource_ids::by_id_macro(api, group);
    let doc = group_doc(api, group, &args, crate_name).tokens();
    quote! {
        use super::prelude::*;
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

        #by_id
        #(#options)*
        #declared
    }
}

/// `resume_…`: the operation's poller again, from a status's resume token.
fn resume_method(api: &Api, group: &Group, op: &Operation) -> Option<TokenStream> {
    let (name, options) = op.resume.as_ref()?;
    let (method, options) = (ident(name), format_ident!("{options}"));
    let ret = return_type(api, op);
    let begin = format!("{}.{}", group.client_name, op.name.trim_start_matches("r#"));
    let doc = format!(
        " Resumes [`{0}`](Self::{0}) from the [`resume_token`](crate::ResumeToken::resume_token) of one of \
         its statuses, in this client or another for the same endpoint, to the same result. A token \
         of another operation or endpoint is an error, and then nothing is sent.",
        op.name.trim_start_matches("r#")
    );
    Some(quote! {
        #[doc = #doc]
        pub fn #method(&self, token: &str, options: Option<#options<'_>>) -> #ret {
            self.core.resume(token, options, #begin)
        }
    })
}

/// One `options!` call per group: it declares the options structs of methods without optional
/// parameters and gives every method's options its tracing name (`BackendClient.get`).
fn options_macro(group: &Group) -> TokenStream {
    let client = format_ident!("{}", group.client_name);
    let entries = group.operations.iter().map(|op| {
        let method = op.name.trim_start_matches("r#");
        let name = format_ident!("{}", op.options_name);
        let paging = op.pageable.is_some() && op.long_running.is_none();
        let kind = format_ident!(
            "{}",
            match (op.has_own_options(), paging) {
                (false, false) => "call",
                (false, true) => "list",
                (true, false) => "own",
                (true, true) => "own_list",
            }
        );
        let resume = op.resume.as_ref().map(|(method, options)| {
            let (method, options) = (method.trim_start_matches("r#"), format_ident!("{options}"));
            quote!(, #method => #options call)
        });
        quote!(#method => #name #kind #resume)
    });
    quote! {
        crate::runtime::options!(#client { #(#entries),* });
    }
}

/// `clients::prelude`: what the group files use, glob-imported by each (one line instead of a
/// block per file). Only what some operation uses, so no spec yields unused-import warnings.
fn prelude(api: &Api) -> TokenStream {
    let ops: Vec<&Operation> = api.groups.iter().flat_map(|g| &g.operations).collect();
    if ops.is_empty() {
        return TokenStream::new();
    }
    let any = |f: &dyn Fn(&Operation) -> bool| ops.iter().any(|op| f(op));
    let mut shared = vec![quote!(paths)];
    if any(&|op| op.params.iter().any(|p| !p.client && p.location == ParamLocation::Query)) {
        shared.push(quote!(rules));
    }
    let mut uses = vec![quote!(pub(super) use super::{#(#shared),*};)];
    if any(&|op| mentions_models(op)) {
        uses.push(quote!(
            pub(super) use crate::models;
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
    uses.push(quote!(pub(super) use crate::runtime::{#(#runtime),*};));
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
    if any(&|op| op.body.as_ref().is_some_and(|b| api.body_is_content(b))) {
        http.push(quote!(RequestContent));
    }
    if any(&plain) {
        http.push(quote!(Response));
    }
    if !http.is_empty() {
        uses.push(quote!(pub(super) use azure_core::http::{#(#http),*};));
    }
    uses.push(quote!(
        pub(super) use std::sync::Arc;
    ));
    quote! {
        /// What the group files use.
        mod prelude {
            #(#uses)*
        }
    }
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

/// What the method returns, as written in the signature.
pub(super) fn return_type(api: &Api, op: &Operation) -> TokenStream {
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
pub(super) fn arg_type(api: &Api, p: &Param) -> TokenStream {
    match &p.ty {
        Ty::String(_) => quote!(&str),
        other => ty(api, other),
    }
}

fn method(api: &Api, op: &Operation, shared: &Shared, args: &GroupArgs) -> TokenStream {
    let name = ident(&op.name);
    let options = format_ident!("{}", op.options_name);
    let params = op.required_params().filter(|p| !p.client).map(|p| {
        let name = ident(&p.name);
        let t = arg_type(api, p);
        quote!(#name: #t,)
    });
    let body_arg = op.body.as_ref().filter(|b| b.required).map(|b| {
        let name = ident(&b.name);
        let t = body_type(api, b);
        quote!(#name: #t,)
    });
    let arg_count = 2 + op.required_params().filter(|p| !p.client).count() + usize::from(body_arg.is_some());
    // Clippy's limit is 7 with `self`; a deep resource path takes one argument per segment.
    let allow = (arg_count > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
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
        // Optional bodies are borrowed: the method hands its options on afterwards.
        steps.push(match (api.body_is_content(body), body.is_json(), body.required) {
            (true, _, true) => quote!(req.content(#media, #value.body());),
            (true, _, false) => quote!(if let Some(body) = &#value { req.content(#media, body.body()); }),
            (false, true, true) => quote!(req.json(#media, &#value);),
            (false, true, false) => quote!(if let Some(body) = &#value { req.json(#media, body); }),
            (false, false, true) => quote!(req.bytes(#media, #value);),
            (false, false, false) => quote!(if let Some(body) = &#value { req.bytes(#media, body.clone()); }),
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
    let doc = method_doc(api, op, args).tokens();
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
                quote!(self.core.lro_pager(req, options, &[#(#success),*], FinalState::#final_state, #next))
            }
            None => quote!(self.core.poller(req, options, &[#(#success),*], FinalState::#final_state)),
        };
        quote! {
            #doc
            #allow
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
            quote!(self.core.pager(req, options, #next))
        };
        quote! {
            #doc
            #allow
            pub fn #name(&self, #(#params)* #body_arg options: Option<#options<'_>>) -> #ret {
                #prelude
                #finish
            }
        }
    } else {
        let finish = if shared_options {
            quote!(self.core.call(req, options, &[#(#success),*]))
        } else {
            quote!(self.core.send(req, options, &[#(#success),*]))
        };
        quote! {
            #doc
            #allow
            pub fn #name<'a>(&'a self, #(#params)* #body_arg options: Option<#options<'a>>) -> #ret {
                #prelude
                #finish
            }
        }
    }
}

pub(super) fn success_codes(op: &Operation) -> Vec<u16> {
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

/// The struct of a method's optional parameters, written out (methods without any get theirs
/// from [`options_macro`]).
fn options_struct(api: &Api, group: &Group, op: &Operation) -> Option<TokenStream> {
    if !op.has_own_options() {
        return None;
    }
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
        let t = body_type(api, b);
        let doc = Doc::new().spec_text(b.description.as_deref()).note("(The request body.)").tokens();
        quote! { #doc pub #field: Option<#t>, }
    });
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
    let doc = format!(" The options of [`{}::{method}`].", group.client_name);
    Some(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default)]
        pub struct #name<'a> {
            #(#fields)*
            #body
            #method_options
        }
    })
}

/// A request body's type as the method takes it: `RequestContent<T>` where it converts.
pub(super) fn body_type(api: &Api, body: &crate::model::Body) -> TokenStream {
    let t = ty(api, &body.ty);
    if api.body_is_content(body) { quote!(RequestContent<#t>) } else { t }
}
