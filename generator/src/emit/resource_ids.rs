//! Typed resource ids: `src/ids.rs` (one id type per resource type), the by-id form of each
//! method reading one resource, and the models that carry such an id. All three are one runtime
//! macro call each, so a resource type or by-id method costs a line or two, not a body.

use super::clients::{arg_type, body_type, return_type};
use super::statics::Shared;
use super::types::ident;
use crate::model::{Api, ById, Group, Operation, ResourceParent};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The `//!` docs of `src/ids.rs`.
pub fn ids_doc(api: &Api) -> String {
    let example = api.resources.iter().find(|k| k.parent != ResourceParent::ResourceGroup).unwrap_or(&api.resources[0]);
    let parent = match example.parent {
        ResourceParent::Kind(p) => api.resources[p].id_name.clone(),
        runtime => format!("kind::{}", runtime.marker(api)),
    };
    format!(
        "Typed ARM resource ids: one type per resource type of the API, each a \
         [`ResourceId`](crate::ResourceId) of its [`kind`].\n\n\
         An id parses from the text ARM uses (`\"/subscriptions/…\".parse::<{0}>()?`, its segment names \
         matched whatever their case, its values percent-decoded), displays in canonical form, and \
         knows its parent (a [`{0}`]'s `parent()` is a [`{1}`]). Each method reading one resource has a \
         by-id form (`get_by_id(&id, None)`); any other method takes an id's values with \
         `let [group, service, name] = id.args()?;`. Each model that is a resource gives its `id` typed \
         ([`Resource::resource_id`](crate::Resource::resource_id)).\n\n\
         | id | template |\n| --- | --- |\n{2}",
        example.id_name,
        parent,
        api.resources.iter().map(|k| format!("| [`{}`] | `{}` |\n", k.id_name, k.template)).collect::<String>()
    )
}

/// `src/ids.rs`: one `resource_ids!` entry per resource type (marker, id, path static, parent).
pub fn ids_file(api: &Api, shared: &Shared) -> TokenStream {
    let entries = api.resources.iter().map(|kind| {
        let marker = format_ident!("{}", kind.name);
        let id = format_ident!("{}", kind.id_name);
        let (g, o) = kind.operation;
        let path = shared.paths.name(&api.groups[g].operations[o], &shared.rules);
        let parent = format_ident!("{}", kind.parent.marker(api));
        quote!(#marker #id #path #parent)
    });
    quote!(crate::runtime::resource_ids!(#(#entries),*);)
}

/// A group's `by_id!` call: for each by-id method, its method, the id values it passes on, its
/// other required arguments, its id and options types, and what it returns.
pub fn by_id_macro(api: &Api, group: &Group) -> Option<TokenStream> {
    let entries: Vec<TokenStream> =
        group.operations.iter().filter_map(|op| op.by_id.as_ref().map(|by_id| by_id_entry(api, op, by_id))).collect();
    if entries.is_empty() {
        return None;
    }
    let client = format_ident!("{}", group.client_name);
    Some(quote!(crate::runtime::by_id!(#client v { #(#entries)* });))
}

fn by_id_entry(api: &Api, op: &Operation, by_id: &ById) -> TokenStream {
    let (name, method) = (ident(&by_id.name), ident(&op.name));
    let leading: Vec<&crate::model::Param> = op.required_params().filter(|p| !p.client).collect();
    // A string passes as `&String`; an extensible enum converts from the id's text.
    let values = leading.iter().zip(&by_id.path_values).map(|(p, i)| {
        let i = Literal::usize_unsuffixed(*i);
        if matches!(p.ty, crate::model::Ty::String(_)) { quote!(&v[#i]) } else { quote!(v[#i].as_str().into()) }
    });
    let rest = leading.iter().skip(by_id.path_values.len()).map(|p| {
        let (arg, t) = (ident(&p.name), arg_type(api, p));
        quote!(#arg: #t)
    });
    let body = op.body.as_ref().filter(|b| b.required).map(|b| {
        let (arg, t) = (ident(&b.name), body_type(api, b));
        quote!(#arg: #t)
    });
    let args = rest.chain(body);
    let id = format_ident!("{}", api.resources[by_id.kind].id_name);
    let options = format_ident!("{}", op.options_name);
    let ret = return_type(api, op);
    quote!(#name #method(#(#values),*) (#(#args),*) #id, #options -> #ret;)
}

/// `models/mod.rs`'s `resources!` call: the models that are resources.
pub fn resources_macro(api: &Api) -> Option<TokenStream> {
    if api.resource_models.is_empty() {
        return None;
    }
    let names = api.resource_models.iter().map(|id| format_ident!("{}", api.type_def(*id).name));
    Some(quote!(crate::runtime::resources!(#(#names),*);))
}
