//! What list and typed-header responses need: azure_core's `Page` for each page model
//! (`clients/pages.rs`) and a trait per response body reading the headers the spec declares
//! (`headers.rs`).

use super::clients::ty;
use super::docs::Doc;
use super::types::{code_span, ident};
use crate::model::{Api, Ty};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

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
    let sets = api.header_sets();
    let mut impls = Vec::new();
    let traits = sets.iter().map(|set| {
        let trait_name = format_ident!("{}", set.trait_name);
        let response_ty = match set.body {
            Some(t) => {
                let t = ty(api, t);
                quote!(Response<#t>)
            }
            None => quote!(Response<(), NoFormat>),
        };
        let subject = match set.body {
            Some(Ty::Named(id)) => {
                let key = &api.type_def(*id).name;
                format!("responses whose body is [`{key}`](crate::models::{key})")
            }
            _ => "responses without a body".to_owned(),
        };
        let doc = format!(" The headers the spec declares for {subject}.");
        let headers = &set.headers;
        let sigs = headers.iter().map(|h| {
            let name = ident(&h.name);
            let t = ty(api, &h.ty);
            let doc = Doc::new().labeled(&code_span(&h.wire_name), h.description.as_deref()).tokens();
            quote! { #doc fn #name(&self) -> azure_core::Result<Option<#t>>; }
        });
        let reads = headers.iter().map(|h| {
            let name = ident(&h.name);
            let t = ty(api, &h.ty);
            let wire = h.wire_name.to_ascii_lowercase();
            quote!(#name: #t = #wire)
        });
        impls.push(quote!(#trait_name for #response_ty { #(#reads),* }));
        quote! {
            #[doc = #doc]
            pub trait #trait_name {
                #(#sigs)*
            }
        }
    });
    let traits: Vec<TokenStream> = traits.collect();
    let impls = quote!(crate::runtime::response_headers!(#(#impls);*););
    if traits.is_empty() {
        return quote!();
    }
    let needs_models = sets.iter().any(|set| set.body.is_some());
    let models = needs_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let no_format = sets.iter().any(|set| set.body.is_none()).then(|| {
        quote!(
            use azure_core::http::NoFormat;
        )
    });
    quote! {
        #models
        #no_format
        use azure_core::http::Response;
        #(#traits)*
        #impls
    }
}
