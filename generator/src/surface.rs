//! The generated crate's public surface as sorted, stable lines, derived from the intermediate
//! model (never by reading generated Rust): one line per client method and per model field,
//! enum, union or polymorphic type. Two specs that give the same lines give crates that callers
//! use the same way.

use crate::model::{Api, ParamLocation, Ty, TypeKind};

/// Every item of the surface, sorted.
pub fn lines(api: &Api) -> Vec<String> {
    let mut out = Vec::new();
    for param in &api.client_params {
        out.push(format!("client {}::new {}: &str", api.client_name, param.name));
    }
    for group in &api.groups {
        for op in &group.operations {
            out.push(method(api, &group.accessor, op));
        }
    }
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    let mut marks = String::new();
                    if field.read_only {
                        marks.push_str(" read-only");
                    }
                    if field.secret {
                        marks.push_str(" secret");
                    }
                    let ty = ty(api, &field.ty);
                    let ty = if field.required { ty } else { format!("Option<{ty}>") };
                    out.push(format!("model {}.{}: {ty}{marks}", def.name, field.name));
                }
                if let Some(extra) = &s.additional_properties {
                    out.push(format!("model {}.additional_properties: BTreeMap<String, {}>", def.name, ty(api, extra)));
                }
                if s.fields.is_empty() && s.additional_properties.is_none() {
                    out.push(format!("model {} {{}}", def.name));
                }
            }
            TypeKind::Enum(e) => {
                let values: Vec<&str> = e.variants.iter().map(|v| v.wire_value.as_str()).collect();
                let kind = if e.extensible { "extensible" } else { "closed" };
                out.push(format!("enum {} ({kind}) = {}", def.name, values.join(" | ")));
            }
            TypeKind::Alias(target) => out.push(format!("alias {} = {}", def.name, ty(api, target))),
            TypeKind::Polymorphic(p) => {
                let variants: Vec<String> =
                    p.variants.iter().map(|v| format!("{}={}", v.wire_value, api.types[v.ty.0].name)).collect();
                out.push(format!("polymorphic {} by {} = {}", def.name, p.discriminator, variants.join(" | ")));
            }
            TypeKind::Union(variants) => {
                let variants: Vec<String> = variants.iter().map(|v| ty(api, &v.ty)).collect();
                out.push(format!("union {} = {}", def.name, variants.join(" | ")));
            }
        }
    }
    out.sort();
    out
}

fn method(api: &Api, accessor: &str, op: &crate::model::Operation) -> String {
    let mut args: Vec<String> = Vec::new();
    let mut optional: Vec<String> = Vec::new();
    for p in op.params.iter().filter(|p| !p.client) {
        let arg = format!("{}: {}", p.name, ty(api, &p.ty));
        if p.required || p.location == ParamLocation::Path { args.push(arg) } else { optional.push(arg) }
    }
    if let Some(body) = &op.body {
        let arg = format!("{}: {}", body.name, ty(api, &body.ty));
        if body.required { args.push(arg) } else { optional.push(arg) }
    }
    let output = op.response_type.as_ref().map_or_else(|| "()".to_owned(), |t| ty(api, t));
    let output = match (&op.pageable, &op.long_running) {
        (Some(p), _) => format!("Pager<{}>", ty(api, &p.item_ty)),
        (None, Some(_)) => format!("Poller<{output}>"),
        (None, None) => output,
    };
    format!("method {accessor}.{}({}) [{}] -> {output}", op.name, args.join(", "), optional.join(", "))
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
