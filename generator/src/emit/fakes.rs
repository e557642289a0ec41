//! `src/fake.rs`, compiled only with the crate's `fake` feature: the `Fake` server handle, an
//! accessor per operation group, and each operation's typed handler registration (one
//! `fakes!` entry each; the routing, checks, paging and polling are the runtime's).

use super::clients::{client_name, success_codes, ty};
use super::statics::Shared;
use super::types::ident;
use crate::model::{Api, Group, Operation};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The `//!` docs of `src/fake.rs`.
pub fn fake_doc(api: &Api, crate_name: &str) -> String {
    let client = client_name(api);
    let args: String =
        api.client_params.iter().map(|c| format!("{:?}, ", super::client_docs::placeholder(&c.wire_name))).collect();
    let args = args.trim_end_matches(", ");
    format!(
        "An in-memory fake of the service for your own tests, with the `fake` feature: register a \
         handler per operation, make the client with [`Fake::client`], and it runs unchanged, \
         with no socket.\n\n\
         The fake checks each request as the client does (`api-version`, each path value against \
         the spec's rules; `FakeRequest::body` reads the body as the operation's type), serves a \
         list's items in pages linked by `nextLink` ([`Fake::page_size`]), and keeps a \
         long-running operation `InProgress` for [`Fake::polls`] polls before its result. A \
         handler's `Err(FakeError)` is the service's error; a request no handler matches is a 404.\n\n\
         ```\n\
         use {crate_name}::fake::Fake;\n\
         let fake = Fake::new();\n\
         let client: {crate_name}::{client} = fake.client({args})?;\n\
         # let _ = client;\n\
         # Ok::<(), azure_core::Error>(())\n\
         ```"
    )
}

/// `src/fake.rs`.
pub fn fake_file(api: &Api, shared: &Shared) -> TokenStream {
    let client = format_ident!("{}", client_name(api));
    let options = format_ident!("{}Options", client_name(api));
    let ctor_args: Vec<TokenStream> = api
        .client_params
        .iter()
        .map(|c| {
            let name = ident(&c.name);
            quote!(#name: &str)
        })
        .collect();
    let ctor_values = api.client_params.iter().map(|c| ident(&c.name));
    let api_version = &api.api_version;
    let groups = api.groups.iter().filter(|g| g.operations.iter().any(Operation::has_fake));
    let accessors = groups.clone().map(|group| {
        let (accessor, fake) = (ident(&group.accessor), fake_name(group));
        let doc = format!(" Handlers of the `{}` operations.", group.wire_name);
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #fake<'_> {
                #fake(&self.server)
            }
        }
    });
    let group_items = groups.map(|group| group_fakes(api, group, shared));
    quote! {
        use crate::clients::{#client, #options};
        use crate::runtime::{FakeCredential, FakeServer};
        #[allow(unused_imports)]
        use crate::models;
        use std::sync::Arc;
        pub use crate::runtime::{FAKE_ENDPOINT, FakeError, FakeRequest};

        /// The fake server: its handlers, and the client that talks to it.
        #[derive(Clone)]
        pub struct Fake {
            server: Arc<FakeServer>,
        }

        impl Default for Fake {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Fake {
            /// A fake with no handlers, 2 items per page and 2 polls per long-running operation.
            pub fn new() -> Self {
                Fake { server: FakeServer::new(#api_version, crate::clients::rules::path_rule) }
            }

            /// A client whose transport is this fake (and whose credential is a fake one).
            pub fn client(&self, #(#ctor_args),*) -> azure_core::Result<#client> {
                #client::new(#(#ctor_values,)* Arc::new(FakeCredential), Some(self.options()))
            }

            /// Client options with this fake as the transport, no retries and no poll wait, to
            /// make a client of one's own.
            pub fn options(&self) -> #options {
                let client_options = azure_core::http::ClientOptions {
                    transport: Some(self.server.transport()),
                    retry: azure_core::http::RetryOptions::none(),
                    ..Default::default()
                };
                #options {
                    client_options,
                    endpoint: crate::runtime::FAKE_ENDPOINT.to_owned(),
                    poll_interval: std::time::Duration::ZERO,
                    ..Default::default()
                }
            }

            /// Items per page of a list.
            pub fn page_size(&self, items: usize) -> &Self {
                self.server.set_page_size(items);
                self
            }

            /// `InProgress` polls before a long-running operation gives its result.
            pub fn polls(&self, polls: usize) -> &Self {
                self.server.set_polls(polls);
                self
            }

            #(#accessors)*
        }

        #(#group_items)*
    }
}

fn fake_name(group: &Group) -> proc_macro2::Ident {
    let base = group.client_name.strip_suffix("Client").unwrap_or(&group.client_name);
    format_ident!("{base}Fake")
}

fn group_fakes(api: &Api, group: &Group, shared: &Shared) -> TokenStream {
    let fake = fake_name(group);
    let doc = format!(" The `{}` operations' handlers: `on_<method>` for each method.", group.wire_name);
    let entries = group.operations.iter().filter(|op| op.has_fake()).map(|op| {
        let on = format_ident!("{}", op.fake_handler());
        let name = &op.operation_id;
        // azure_core's `Method` variant: `GET` → `Get`.
        let (first, rest) = op.http_method.as_str().split_at(1);
        let method = format_ident!("{first}{}", rest.to_ascii_lowercase());
        let path = shared.paths.name(op, &shared.rules);
        let constants = op.fixed_query.iter().map(|(k, v)| quote!((#k #v)));
        let codes = success_codes(op).into_iter().map(proc_macro2::Literal::u16_unsuffixed);
        let body = match op.fake_body() {
            Some(b) => ty(api, &b.ty),
            None => quote!(()),
        };
        let (out, kind) = match (&op.pageable, &op.response_type) {
            (Some(p), _) => {
                let item = ty(api, &p.item_ty);
                let field = &p.item_wire_name;
                let next = p.next_link_wire_name.as_deref().map_or(quote!(None), |n| quote!(Some(#n)));
                (quote!(Vec<#item>), quote!(List(#field, #next)))
            }
            (None, response) => {
                let out = response.as_ref().map_or(quote!(()), |t| ty(api, t));
                (out, if op.long_running.is_some() { quote!(LongRunning) } else { quote!(Call) })
            }
        };
        quote!(#on #name #method #path [#(#constants)*] [#(#codes)*] #body => #out, #kind;)
    });
    quote! {
        #[doc = #doc]
        pub struct #fake<'a>(&'a FakeServer);
        crate::runtime::fakes!(#fake { #(#entries)* });
    }
}
