//! The generated crate's public surface, derived from the intermediate model (never by reading
//! generated Rust): every client method with its arguments and return type, every options
//! struct and typed header, every model field with its optionality and marks, every enum with
//! its values, every handler of the `fake` feature. Each item is one stable line, so the
//! surface is committed as `API.md`, read back ([`parse_lines`]) and compared ([`diff()`]) when
//! the spec changes.

mod diff;
mod text;

pub use diff::{Change, Impact, Report, Verdict, diff};
pub use text::parse_lines;

use crate::model::{Api, Operation, Ty, TypeKind};
use std::collections::BTreeMap;

/// A method or constructor argument as callers pass it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub name: String,
    pub ty: String,
}

/// One item of the surface. Its key (`method backend.get`, `field BackendContract.properties`)
/// is kept beside it in [`Surface::items`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The main client's constructor arguments (besides the credential and options).
    Client {
        args: Vec<Arg>,
    },
    /// A client method: its arguments in order (the last is always its options) and what it
    /// returns (`Response<T>`, `Pager<T>` or `Poller<T>`).
    Method {
        args: Vec<Arg>,
        returns: String,
    },
    /// A method's options type: its own struct, or an alias of the shared call options.
    Options {
        alias_of: Option<String>,
    },
    /// An optional parameter in an options struct; its type is always `Option<…>`.
    OptionField {
        ty: String,
    },
    Struct,
    /// A model field; `ty` is `Option<…>` unless the field is required.
    Field {
        ty: String,
        read_only: bool,
        secret: bool,
    },
    /// An enum's wire values in spec order; an extensible enum keeps values it does not know.
    Enum {
        extensible: bool,
        values: Vec<String>,
    },
    Alias {
        target: String,
    },
    /// A type chosen by a discriminator property: `(wire value, type)` pairs.
    Polymorphic {
        discriminator: String,
        variants: Vec<(String, String)>,
    },
    Union {
        variants: Vec<String>,
    },
    /// A typed response header accessor; its type is always `Option<…>`.
    Header {
        ty: String,
    },
    /// A typed resource id: its template and its parent's id type (`{template} in {parent}`).
    ResourceId {
        target: String,
    },
    /// A handler of the `fake` feature: the body it reads (`()` for none) and what it returns.
    Fake {
        body: String,
        reply: String,
    },
}

/// The public surface of one generated crate, keyed by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    pub items: BTreeMap<String, Item>,
}

impl Surface {
    /// The surface of the crate generated from `api`.
    pub fn of(api: &Api) -> Surface {
        let mut items = BTreeMap::new();
        let args = api.client_params.iter().map(|p| Arg { name: p.name.clone(), ty: "&str".into() }).collect();
        items.insert(format!("client {}", api.client_name), Item::Client { args });
        for group in &api.groups {
            for op in &group.operations {
                operation_items(api, &group.accessor, op, &mut items);
            }
        }
        for def in &api.types {
            type_items(api, &def.name, &def.kind, &mut items);
        }
        for kind in &api.resources {
            let target = format!("{} in {}Id", kind.template, kind.parent.marker(api));
            items.insert(format!("id {}", kind.id_name), Item::ResourceId { target });
        }
        for set in api.header_sets() {
            for header in &set.headers {
                let ty = format!("Option<{}>", ty(api, &header.ty));
                items.insert(format!("header {}.{}", set.trait_name, header.name), Item::Header { ty });
            }
        }
        Surface { items }
    }

    /// One line per item, sorted by key.
    pub fn lines(&self) -> Vec<String> {
        self.items.iter().map(|(key, item)| text::line(key, item)).collect()
    }
}

/// The surface of `api` as sorted lines.
pub fn lines(api: &Api) -> Vec<String> {
    Surface::of(api).lines()
}

fn operation_items(api: &Api, accessor: &str, op: &Operation, items: &mut BTreeMap<String, Item>) {
    let string_as_str = |t: &Ty| match t {
        Ty::String(_) => "&str".to_owned(),
        other => ty(api, other),
    };
    let mut args: Vec<Arg> = op
        .required_params()
        .filter(|p| !p.client)
        .map(|p| Arg { name: p.name.clone(), ty: string_as_str(&p.ty) })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push(Arg { name: body.name.clone(), ty: body_ty(api, body) });
    }
    args.push(Arg { name: "options".into(), ty: format!("Option<{}>", op.options_name) });
    let body = op.response_type.as_ref().map_or_else(|| "()".to_owned(), |t| ty(api, t));
    // A long-running list pages through its result once the operation is done.
    let returns = if op.pageable.is_some() {
        format!("Pager<{body}>")
    } else if op.long_running.is_some() {
        format!("Poller<{body}>")
    } else {
        format!("Response<{body}>")
    };
    if let Some((resume, resume_options)) = &op.resume {
        let args = vec![
            Arg { name: "token".into(), ty: "&str".into() },
            Arg { name: "options".into(), ty: format!("Option<{resume_options}>") },
        ];
        items.insert(format!("method {accessor}.{resume}"), Item::Method { args, returns: returns.clone() });
        items.insert(format!("options {resume_options}"), Item::Options { alias_of: None });
    }
    if let Some(by_id) = &op.by_id {
        let id = Arg { name: "id".into(), ty: format!("&{}", api.resources[by_id.kind].id_name) };
        let rest = args.iter().skip(by_id.path_values.len()).cloned();
        let args = std::iter::once(id).chain(rest).collect();
        items.insert(format!("method {accessor}.{}", by_id.name), Item::Method { args, returns: returns.clone() });
    }
    items.insert(format!("method {accessor}.{}", op.name), Item::Method { args, returns });
    items.insert(format!("options {}", op.options_name), Item::Options { alias_of: None });
    for p in op.optional_params().filter(|p| !p.client) {
        let ty = format!("Option<{}>", ty(api, &p.ty));
        items.insert(format!("option {}.{}", op.options_name, p.name), Item::OptionField { ty });
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let ty = format!("Option<{}>", body_ty(api, body));
        items.insert(format!("option {}.{}", op.options_name, body.name), Item::OptionField { ty });
    }
    if op.has_fake() {
        let body = op.fake_body().map_or_else(|| "()".to_owned(), |b| ty(api, &b.ty));
        // A list's handler gives all the items; the fake serves them in pages.
        let reply = match &op.pageable {
            Some(p) => format!("Vec<{}>", ty(api, &p.item_ty)),
            None => op.response_type.as_ref().map_or_else(|| "()".to_owned(), |t| ty(api, t)),
        };
        items.insert(format!("fake {accessor}.{}", op.fake_handler()), Item::Fake { body, reply });
    }
}

/// A request body's type as the method takes it.
fn body_ty(api: &Api, body: &crate::model::Body) -> String {
    let t = ty(api, &body.ty);
    if api.body_is_content(body) { format!("RequestContent<{t}>") } else { t }
}

fn type_items(api: &Api, name: &str, kind: &TypeKind, items: &mut BTreeMap<String, Item>) {
    match kind {
        TypeKind::Struct(s) => {
            items.insert(format!("struct {name}"), Item::Struct);
            for field in &s.fields {
                let t = ty(api, &field.ty);
                let ty = if field.required { t } else { format!("Option<{t}>") };
                let item = Item::Field { ty, read_only: field.read_only, secret: field.secret };
                items.insert(format!("field {name}.{}", field.name), item);
            }
            if let Some(extra) = &s.additional_properties {
                let item = Item::Field {
                    ty: format!("BTreeMap<String, {}>", ty(api, extra)),
                    read_only: false,
                    secret: false,
                };
                items.insert(format!("field {name}.additional_properties"), item);
            }
        }
        TypeKind::Enum(e) => {
            let values = e.variants.iter().map(|v| v.wire_value.clone()).collect();
            items.insert(format!("enum {name}"), Item::Enum { extensible: e.extensible, values });
        }
        TypeKind::Alias(target) => {
            items.insert(format!("alias {name}"), Item::Alias { target: ty(api, target) });
        }
        TypeKind::Polymorphic(p) => {
            let variants = p.variants.iter().map(|v| (v.wire_value.clone(), api.types[v.ty.0].name.clone())).collect();
            let item = Item::Polymorphic { discriminator: p.discriminator.clone(), variants };
            items.insert(format!("polymorphic {name}"), item);
        }
        TypeKind::Union(variants) => {
            let variants = variants.iter().map(|v| ty(api, &v.ty)).collect();
            items.insert(format!("union {name}"), Item::Union { variants });
        }
    }
}

/// A type as callers write it.
pub fn ty(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::String(_) => "String".into(),
        Ty::DateTime | Ty::DateTimeRfc1123 => "OffsetDateTime".into(),
        Ty::Duration => "Duration".into(),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::Json => "Value".into(),
        Ty::Vec(inner) => format!("Vec<{}>", self::ty(api, inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", self::ty(api, inner)),
        Ty::Named(id) => api.types[id.0].name.clone(),
    }
}
