//! Recursion: alias cycles cannot be expressed and are errors; a struct that contains itself by
//! value (directly or through others) gets `Box` on the fields that close the loop.

use crate::error::{Result, pointer};
use crate::load::Document;
use crate::model::{Ty, TypeDef, TypeId, TypeKind};
use std::collections::BTreeSet;

/// `A: {$ref: B}`, `B: {$ref: A}` names no type at all.
pub fn check_aliases(doc: &Document, types: &[TypeDef]) -> Result<()> {
    for (start, def) in types.iter().enumerate() {
        let mut seen = BTreeSet::from([start]);
        let mut current = def;
        while let TypeKind::Alias(Ty::Named(next)) = &current.kind {
            if !seen.insert(next.0) {
                let at = pointer("/components/schemas", &def.origin);
                return Err(doc.error(at, "the schema is defined only as a `$ref` to itself (an alias cycle)"));
            }
            current = &types[next.0];
        }
    }
    Ok(())
}

/// Types a value of `id` holds inline (not behind `Vec` or a map, which already allocate).
fn by_value(types: &[TypeDef], id: TypeId) -> Vec<TypeId> {
    match &types[id.0].kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Polymorphic(p) => p.variants.iter().map(|v| v.ty).collect(),
        TypeKind::Union(variants) => variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn named(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        _ => None,
    }
}

fn reaches(types: &[TypeDef], from: TypeId, target: TypeId) -> bool {
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if seen.insert(id) {
            stack.extend(by_value(types, id));
        }
    }
    false
}

pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let mut to_box = Vec::new();
    for (i, def) in types.iter().enumerate() {
        if let TypeKind::Struct(s) = &def.kind {
            for (f, field) in s.fields.iter().enumerate() {
                if let Some(target) = named(&field.ty)
                    && reaches(types, target, TypeId(i))
                {
                    to_box.push((i, f));
                }
            }
        }
    }
    for (i, f) in to_box {
        if let TypeKind::Struct(s) = &mut types[i].kind {
            // A required field holding its own type could never be built (nor defaulted): optional.
            s.fields[f].boxed = true;
            s.fields[f].required = false;
        }
    }
}
