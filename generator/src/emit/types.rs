//! Model types: one struct, enum or alias per [`TypeDef`]. Serde attributes stay minimal; the
//! repeated enum conversions live in the runtime's macros.

use super::docs::Doc;
use crate::model::{Api, Constraints, Enum, Field, StringKind, Struct, Ty, TypeDef, TypeKind};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// Parses a decided name (possibly `r#raw`) into an identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// Where a type is written: inside `crate::models` (which imports what it uses) or elsewhere
/// (which names models through `models::` and the rest by path).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Models,
    Outside,
}

/// The Rust type of a type expression, as written inside `crate::models`.
pub fn ty_tokens(api: &Api, ty: &Ty) -> TokenStream {
    ty_in(api, ty, Scope::Models)
}

/// The Rust type of a type expression, as written in `scope`.
pub fn ty_in(api: &Api, ty: &Ty, scope: Scope) -> TokenStream {
    let inside = scope == Scope::Models;
    match ty {
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::String(_) => quote!(String),
        Ty::DateTime | Ty::DateTimeRfc1123 if inside => quote!(OffsetDateTime),
        Ty::DateTime | Ty::DateTimeRfc1123 => quote!(time::OffsetDateTime),
        Ty::Duration if inside => quote!(Duration),
        Ty::Duration => quote!(models::Duration),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::Json if inside => quote!(Value),
        Ty::Json => quote!(serde_json::Value),
        Ty::Vec(inner) => {
            let inner = ty_in(api, inner, scope);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) if inside => {
            let inner = ty_in(api, inner, scope);
            quote!(BTreeMap<String, #inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_in(api, inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Named(id) => {
            let name = ident(&api.type_def(*id).name);
            if inside { quote!(#name) } else { quote!(models::#name) }
        }
    }
}

/// One item (struct, enum or alias) for a type.
pub fn type_item(api: &Api, def: &TypeDef) -> TokenStream {
    let (item, entry) = type_item_parts(api, def);
    let serde = entry.map(|entry| quote!(crate::runtime::json_object!(#entry);));
    quote! { #item #serde }
}

/// A type's item, and apart from it a struct's `json_object!` entry (how each field is read and
/// written): a file lists all its entries in one call, two lines per struct fewer than a call
/// each.
pub fn type_item_parts(api: &Api, def: &TypeDef) -> (TokenStream, Option<TokenStream>) {
    let name = ident(&def.name);
    let item = match &def.kind {
        TypeKind::Struct(s) => return (struct_item(api, def, &name, s), Some(json_object(api, &name, s))),
        TypeKind::Enum(e) => enum_item(def, &name, e),
        TypeKind::Alias(ty) => {
            let doc = Doc::new().spec_text(def.description.as_deref()).tokens();
            let ty = ty_tokens(api, ty);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Polymorphic(p) => polymorphic_item(api, def, &name, p),
        TypeKind::Union(variants) => union_item(api, def, &name, variants),
    };
    (item, None)
}

fn struct_item(api: &Api, def: &TypeDef, name: &Ident, s: &Struct) -> TokenStream {
    let mut doc = Doc::new().spec_text(def.description.as_deref());
    if !s.parents.is_empty() {
        let parents: Vec<String> = s.parents.iter().map(|p| format!("[`{}`]", api.type_def(*p).name)).collect();
        doc = doc.note(format!("Includes the properties of {} (`allOf`).", parents.join(", ")));
    }
    let doc = doc.tokens();
    let (derive_debug, safe) =
        if s.has_secret() { (quote!(SafeDebug), quote!(#[safe(true)])) } else { (quote!(Debug), quote!()) };
    let fields = s.fields.iter().map(|f| field_tokens(api, f));
    let additional = s.additional_properties.as_ref().map(|ty| {
        let ty = ty_tokens(api, ty);
        quote! {
            /// Properties not declared by the schema, kept as received.
            pub additional_properties: BTreeMap<String, #ty>,
        }
    });
    // `OffsetDateTime` has no `Default`; such structs get a hand-rolled one so
    // `..Default::default()` still works.
    let manual_default = s.fields.iter().any(|f| f.required && is_date_time(api, &f.ty));
    let derive_default = if manual_default { quote!() } else { quote!(Default,) };
    let default_impl = manual_default.then(|| default_impl(api, name, s));
    // Callers never build a type only read from responses, so it may gain fields freely.
    let non_exhaustive = (!def.in_requests).then(|| quote!(#[non_exhaustive]));
    quote! {
        #doc
        #[derive(Clone, #derive_debug, #derive_default)]
        #safe
        #non_exhaustive
        pub struct #name {
            #(#fields)*
            #additional
        }
        #default_impl
    }
}

/// A struct's `json_object!` entry: how each field is read and written.
fn json_object(api: &Api, name: &Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        let adapter = match api.resolve(&f.ty) {
            Ty::DateTime => "_dt",
            Ty::DateTimeRfc1123 => "_rfc1123",
            Ty::Bytes => "_b64",
            _ => "",
        };
        // Map values may be `null` on the wire; only reading needs to know.
        let read_adapter = match api.resolve(&f.ty) {
            Ty::Map(value) if !matches!(api.resolve(value), Ty::Json) => "_map",
            _ => adapter,
        };
        let read = format_ident!("{}{read_adapter}", if f.required { "req" } else { "opt" });
        let write = if f.read_only {
            format_ident!("skip")
        } else if !f.required {
            format_ident!("opt{adapter}")
        } else if !adapter.is_empty() {
            format_ident!("req{adapter}")
        } else if has_unset_value(api, &f.ty) {
            format_ident!("unset")
        } else {
            format_ident!("req")
        };
        // `opt opt`, by far the most common, is the default and left out.
        if read == "opt" && write == "opt" { quote!(#field #wire) } else { quote!(#field #wire #read #write) }
    });
    let extra = s.additional_properties.as_ref().map(|_| quote!(extra additional_properties));
    quote! { #name { #(#fields),* } #extra }
}

fn is_date_time(api: &Api, ty: &Ty) -> bool {
    matches!(api.resolve(ty), Ty::DateTime | Ty::DateTimeRfc1123)
}

fn default_impl(api: &Api, name: &Ident, s: &Struct) -> TokenStream {
    let values = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        if f.required && is_date_time(api, &f.ty) {
            quote!(#field: OffsetDateTime::UNIX_EPOCH)
        } else {
            quote!(#field: Default::default())
        }
    });
    let additional = s.additional_properties.as_ref().map(|_| quote!(additional_properties: Default::default(),));
    quote! {
        /// Required timestamps default to the Unix epoch.
        impl Default for #name {
            fn default() -> Self {
                Self { #(#values,)* #additional }
            }
        }
    }
}

fn field_tokens(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let mut ty = ty_tokens(api, &field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if !field.required {
        ty = quote!(Option<#ty>);
    }
    let doc = field_doc(field).tokens();
    let hide = if field.secret { quote!(#[safe(false)]) } else { quote!() };
    quote! { #doc #hide pub #name: #ty, }
}

/// Types with a value meaning "not set" (`runtime::Unset`), which required fields leave out.
fn has_unset_value(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::String(_) | Ty::Vec(_) | Ty::Map(_) => true,
        Ty::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(e) => e.extensible,
            TypeKind::Alias(inner) => has_unset_value(api, inner),
            TypeKind::Struct(_) | TypeKind::Polymorphic(_) | TypeKind::Union(_) => false,
        },
        _ => false,
    }
}

fn field_doc(field: &Field) -> Doc {
    let mut notes = Vec::new();
    if field.read_only {
        notes.push("Read-only: set by the service, never sent.".to_owned());
    }
    if field.secret {
        notes.push("Secret: hidden from `Debug` output.".to_owned());
    }
    match field.ty {
        Ty::String(StringKind::Uuid) => notes.push("A UUID.".to_owned()),
        Ty::String(StringKind::ArmId) => notes.push("An Azure Resource Manager resource ID.".to_owned()),
        Ty::String(StringKind::Uri) => notes.push("A URI.".to_owned()),
        Ty::String(StringKind::Date) => notes.push("A date (`YYYY-MM-DD`).".to_owned()),
        Ty::DateTimeRfc1123 => notes.push("RFC 7231 on the wire (`Tue, 02 Jan 2024 03:04:05 GMT`).".to_owned()),
        _ if nested_kind(&field.ty) == Some(StringKind::DateTimeText) => {
            notes.push("Date-times as RFC 3339 text.".to_owned())
        }
        _ if nested_kind(&field.ty) == Some(StringKind::Base64) => notes.push("Bytes as base64 text.".to_owned()),
        _ => {}
    }
    let constraints = constraint_text(&field.constraints);
    if !constraints.is_empty() {
        notes.push(constraints);
    }
    Doc::new().spec_text(field.description.as_deref()).note(notes.join(" "))
}

/// The string kind inside an array or map, if any.
fn nested_kind(ty: &Ty) -> Option<StringKind> {
    match ty {
        Ty::Vec(inner) | Ty::Map(inner) => match inner.as_ref() {
            Ty::String(kind) => Some(*kind),
            other => nested_kind(other),
        },
        _ => None,
    }
}

/// `Length 1..=300. Pattern: `^[a-z]+$`. Default: `"x"`.` — what the spec enforces, in one line.
pub fn constraint_text(c: &Constraints) -> String {
    let mut parts = Vec::new();
    if let Some(range) = range_text(c.min_length.map(|v| v as f64), c.max_length.map(|v| v as f64), false, false) {
        parts.push(format!("Length {range}."));
    }
    if let Some(range) = range_text(c.minimum, c.maximum, c.exclusive_minimum, c.exclusive_maximum) {
        parts.push(format!("Range {range}."));
    }
    if let Some(range) = range_text(c.min_items.map(|v| v as f64), c.max_items.map(|v| v as f64), false, false) {
        parts.push(format!("Items {range}."));
    }
    if let Some(pattern) = &c.pattern {
        parts.push(format!("Pattern: {}.", code_span(pattern)));
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| code_span(&v.to_string())).collect();
        parts.push(format!("One of {}.", values.join(", ")));
    }
    if let Some(default) = &c.default {
        parts.push(format!("Default: {}.", code_span(&default.to_string())));
    }
    parts.join(" ")
}

fn range_text(min: Option<f64>, max: Option<f64>, exclusive_min: bool, exclusive_max: bool) -> Option<String> {
    let num = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { v.to_string() };
    match (min, max) {
        (None, None) => None,
        (Some(lo), None) => Some(format!("{} {}", if exclusive_min { ">" } else { ">=" }, num(lo))),
        (None, Some(hi)) => Some(format!("{} {}", if exclusive_max { "<" } else { "<=" }, num(hi))),
        (Some(lo), Some(hi)) => {
            let lo_op = if exclusive_min { ">" } else { ">=" };
            let hi_op = if exclusive_max { "<" } else { "<=" };
            Some(format!("{lo_op} {} and {hi_op} {}", num(lo), num(hi)))
        }
    }
}

/// A Markdown code span that holds any text, backticks included.
pub fn code_span(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

fn enum_item(def: &TypeDef, name: &Ident, e: &Enum) -> TokenStream {
    let default_doc = match e.variants.first() {
        Some(first) if !e.extensible => {
            format!("`Default` is [`{0}`](Self::{0}), the first value the spec lists.", first.name)
        }
        _ => {
            "`Default` is an empty [`UnknownValue`](Self::UnknownValue): not set, and left out of requests.".to_owned()
        }
    };
    let doc = Doc::new().spec_text(def.description.as_deref()).note(default_doc).tokens();
    let variants = e.variants.iter().map(|v| {
        let vdoc = match &v.description {
            Some(text) => Doc::new().spec_text(Some(text)),
            None => Doc::new().paragraph(code_span(&v.wire_value)),
        };
        let vdoc = vdoc.tokens();
        let vname = ident(&v.name);
        quote! { #vdoc #vname, }
    });
    let pairs = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire_value;
        quote!(#vname = #wire)
    });
    if e.extensible {
        quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value this version of the client does not know, kept exactly as received.
                UnknownValue(String),
            }
            crate::runtime::extensible_enum!(#name { #(#pairs),* });
        }
    } else {
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
            }
            crate::runtime::closed_enum!(#name { #(#pairs),* });
        }
    }
}

/// An enum over the schemas sharing a discriminator; unknown kinds are kept as received.
fn polymorphic_item(api: &Api, def: &TypeDef, name: &Ident, p: &crate::model::Polymorphic) -> TokenStream {
    let base = &api.type_def(p.base).name;
    let doc = Doc::new()
        .spec_text(def.description.as_deref())
        .paragraph(format!(
            "Fields typed [`{base}`] in the spec hold this: the variant is chosen by `{}`, which is written \
             from the variant when sending. `Default` is the first variant.",
            p.discriminator
        ))
        .tokens();
    let variants = p.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ident(&api.type_def(v.ty).name);
        let vdoc = format!(" `{}` = {}", p.discriminator, code_span(&v.wire_value));
        quote! { #[doc = #vdoc] #variant(#ty), }
    });
    let pairs = p.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote!(#variant = #wire)
    });
    let tag = &p.discriminator;
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A kind this version of the client does not know, kept exactly as received.
            UnknownKind(Value),
        }
        crate::runtime::polymorphic!(#name, #tag, { #(#pairs),* });
    }
}

/// `oneOf`/`anyOf`: the first alternative the value reads as (serde's `untagged`).
fn union_item(api: &Api, def: &TypeDef, name: &Ident, variants: &[crate::model::UnionVariant]) -> TokenStream {
    let doc = Doc::new()
        .spec_text(def.description.as_deref())
        .paragraph("One of several shapes (`oneOf`/`anyOf`): reading takes the first alternative that fits.")
        .tokens();
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = ty_tokens(api, &v.ty);
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        quote! { #variant(#ty), }
    });
    let default = variants.first().map(|v| {
        let variant = ident(&v.name);
        quote! {
            /// The first alternative's default.
            impl Default for #name {
                fn default() -> Self {
                    Self::#variant(Default::default())
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, Deserialize, Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#arms)*
        }
        #default
    }
}
