//! Recursion: alias cycles cannot be expressed and are errors; a type that contains itself by
//! value (directly or through others) gets `Box` where the loop closes. Both work on strongly
//! connected components, so time stays linear in the number of types and references.

use crate::error::{Result, pointer};
use crate::load::Document;
use crate::model::{Ty, TypeDef, TypeId, TypeKind};

/// `A: {$ref: B}`, `B: {$ref: A}` names no type at all.
pub fn check_aliases(doc: &Document, types: &[TypeDef]) -> Result<()> {
    let alias_edges = |id: usize| match &types[id].kind {
        TypeKind::Alias(Ty::Named(next)) => vec![next.0],
        _ => Vec::new(),
    };
    for component in components(types.len(), alias_edges) {
        let cyclic = component.len() > 1 || alias_edges(component[0]).contains(&component[0]);
        if cyclic {
            let origin = component.iter().map(|i| &types[*i].origin).min().map_or("", String::as_str);
            let at = pointer("/components/schemas", origin);
            return Err(doc.error(at, "the schema is defined only as a `$ref` to itself (an alias cycle)"));
        }
    }
    Ok(())
}

/// Types a value of `id` holds inline (not behind `Vec` or a map, which already allocate).
fn by_value(types: &[TypeDef], id: usize) -> Vec<usize> {
    match &types[id].kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Polymorphic(p) => p.variants.iter().map(|v| v.ty.0).collect(),
        TypeKind::Union(variants) => variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn named(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Named(TypeId(id)) => Some(*id),
        _ => None,
    }
}

/// Boxes every by-value reference that stays inside its component (a loop closes through it).
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let mut component_of = vec![0; types.len()];
    let mut sizes = Vec::new();
    for (index, component) in components(types.len(), |id| by_value(types, id)).into_iter().enumerate() {
        sizes.push(component.len());
        for id in component {
            component_of[id] = index;
        }
    }
    let loops_back = |from: usize, ty: &Ty| named(ty).is_some_and(|to| component_of[to] == component_of[from]);
    for id in 0..types.len() {
        let self_loop = by_value(types, id).contains(&id);
        if sizes[component_of[id]] == 1 && !self_loop {
            continue;
        }
        match &mut types[id].kind {
            TypeKind::Struct(s) => {
                for field in s.fields.iter_mut().filter(|f| loops_back(id, &f.ty)) {
                    // A required field holding its own type could never be built (nor defaulted).
                    field.boxed = true;
                    field.required = false;
                }
            }
            TypeKind::Union(variants) => {
                for variant in variants.iter_mut().filter(|v| loops_back(id, &v.ty)) {
                    variant.boxed = true;
                }
            }
            _ => {}
        }
    }
}

/// Tarjan's strongly connected components, iteratively (hostile specs nest deeply).
fn components(count: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; count], vec![0; count], vec![false; count]);
    let (mut stack, mut result, mut next_index) = (Vec::new(), Vec::new(), 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and its remaining successors.
        let mut frames: Vec<(usize, Vec<usize>)> = vec![(root, edges(root))];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some((node, successors)) = frames.last_mut() {
            let node = *node;
            if let Some(next) = successors.pop() {
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, edges(next)));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _)) = frames.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                result.push(component);
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn finds_loops_and_singletons() {
        let edges = |n: usize| match n {
            0 => vec![1],
            1 => vec![0, 2],
            2 => vec![2],
            _ => vec![],
        };
        let mut found: Vec<Vec<usize>> = components(4, edges)
            .into_iter()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        found.sort();
        assert_eq!(found, vec![vec![0, 1], vec![2], vec![3]]);
    }
}
