//! Resource types, read from the operations' paths: a template ending in `type/{name}` is a
//! resource's, and its parent's template is the same less that pair (and less the
//! `providers/Namespace` before it). Each resource type gets a typed id, and each method reading
//! exactly its path a by-id form.

use crate::model::{ById, Group, HttpMethod, Operation, ParamLocation, ResourceKind, ResourceParent, Ty, TypeDef};
use crate::model::{TypeId, TypeKind};

/// The runtime's own resource types, which the API's may not be named after.
const RUNTIME_KINDS: [&str; 3] = ["ArmTenant", "ArmSubscription", "ArmResourceGroup"];

/// The resource types of `groups`, sorted by id name; sets each eligible operation's `by_id`.
pub fn lower(groups: &mut [Group], types: &[TypeDef]) -> Vec<ResourceKind> {
    let mut found: Vec<(Vec<String>, (usize, usize))> = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for (o, op) in group.operations.iter().enumerate() {
            let Some(shape) = resource_shape(op) else { continue };
            match found.iter_mut().find(|(s, _)| *s == shape) {
                // The group that reads the resource names it (`Backend_Get` → `BackendId`).
                Some((_, at)) if is_read(op) && !is_read(&groups[at.0].operations[at.1]) => *at = (g, o),
                Some(_) => {}
                None => found.push((shape, (g, o))),
            }
        }
    }
    let shapes: Vec<Vec<String>> = found.iter().map(|(shape, _)| shape.clone()).collect();
    let parents: Vec<ResourceParent> = shapes.iter().map(|shape| parent(shape, &shapes)).collect();
    let names = kind_names(groups, &found, &parents);
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let position = |i: usize| order.iter().position(|o| *o == i).unwrap_or(i);
    let kinds = order
        .iter()
        .map(|&i| {
            let (g, o) = found[i].1;
            ResourceKind {
                id_name: format!("{}Id", names[i]),
                name: names[i].clone(),
                template: groups[g].operations[o].path.clone(),
                parent: match parents[i] {
                    ResourceParent::Kind(p) => ResourceParent::Kind(position(p)),
                    other => other,
                },
                operation: (g, o),
            }
        })
        .collect();
    let sorted_shapes: Vec<Vec<String>> = order.iter().map(|&i| shapes[i].clone()).collect();
    for group in groups.iter_mut() {
        set_by_id(group, &sorted_shapes, types);
    }
    kinds
}

/// Each resource type is named after the group that reads it (`Backend`). Where a group reads
/// several, the shallowest one named like its path keeps the group's name, one nested in
/// another resource type takes that type's name first (`Tag` in an API: `ApiTag`), and any
/// other is named after its path (`privateLinkResources/{…}`: `PrivateLinkResource`).
fn kind_names(groups: &[Group], found: &[(Vec<String>, (usize, usize))], parents: &[ResourceParent]) -> Vec<String> {
    let group_name = |i: usize| crate::naming::type_name(&groups[found[i].1.0].wire_name);
    let literal = |i: usize| {
        let shape = &found[i].0;
        let plural = &shape[shape.len() - 2];
        let (g, o) = found[i].1;
        let path = &groups[g].operations[o].path;
        // The segment as the spec writes it (the shape lowercases it).
        let written = path.split('/').rev().nth(1).unwrap_or(plural);
        crate::naming::type_name(written.strip_suffix('s').unwrap_or(written))
    };
    let mut names = crate::naming::Names::types();
    RUNTIME_KINDS.iter().for_each(|n| names.reserve(n));
    let mut result = vec![String::new(); found.len()];
    let mut by_depth: Vec<usize> = (0..found.len()).collect();
    by_depth.sort_by_key(|&i| (found[i].0.len(), i));
    for i in by_depth {
        let group = group_name(i);
        let shared = found.iter().filter(|(_, at)| at.0 == found[i].1.0).count() > 1;
        let base = if !shared || (literal(i) == group && !names.is_taken(&group)) {
            group
        } else if literal(i) != group {
            literal(i)
        } else {
            match parents[i] {
                ResourceParent::Kind(p) if !result[p].is_empty() => format!("{}{group}", result[p]),
                _ => group,
            }
        };
        result[i] = names.claim(&base);
    }
    result
}

/// The models a by-id `get` returns that carry their `id` as an optional string.
pub fn resource_models(types: &[TypeDef], groups: &[Group]) -> Vec<TypeId> {
    let mut models: Vec<TypeId> = groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter(|op| op.by_id.is_some() && op.http_method == HttpMethod::Get)
        .filter_map(|op| match &op.response_type {
            Some(Ty::Named(id)) if has_id(&types[id.0]) => Some(*id),
            _ => None,
        })
        .collect();
    models.sort_by(|a, b| types[a.0].name.cmp(&types[b.0].name));
    models.dedup();
    models
}

fn has_id(def: &TypeDef) -> bool {
    let TypeKind::Struct(s) = &def.kind else { return false };
    s.fields.iter().any(|f| f.name == "id" && f.wire_name == "id" && !f.required && matches!(f.ty, Ty::String(_)))
}

/// A plain read of one resource (not a list, not an export through `x-ms-paths`).
fn is_read(op: &Operation) -> bool {
    op.http_method == HttpMethod::Get && op.pageable.is_none() && op.response_type.is_some()
}

/// The path's segments with placeholders as `{}` and literals lowercased (ARM compares them
/// without case), if it is a resource's: `/…/type/{name}`, every placeholder a whole segment
/// whose value is one segment.
fn resource_shape(op: &Operation) -> Option<Vec<String>> {
    let body = op.path.strip_prefix('/')?;
    if !op.fixed_query.is_empty() || op.params.iter().any(|p| p.skip_url_encoding) {
        return None;
    }
    let mut shape = Vec::new();
    for segment in body.split('/') {
        let placeholder = segment.starts_with('{') && segment.ends_with('}') && segment.matches('{').count() == 1;
        if segment.is_empty() || (!placeholder && (segment.contains('{') || segment.contains('}'))) {
            return None;
        }
        shape.push(if placeholder { "{}".to_owned() } else { segment.to_ascii_lowercase() });
    }
    let n = shape.len();
    (n >= 2 && shape[n - 1] == "{}" && shape[n - 2] != "{}").then_some(shape)
}

/// The parent of the resource type of `shape`: the nearest enclosing template that is the
/// runtime's (tenant, subscription, resource group) or one of `shapes`.
fn parent(shape: &[String], shapes: &[Vec<String>]) -> ResourceParent {
    let mut rest = &shape[..shape.len() - 2];
    loop {
        if rest.len() >= 2 && rest[rest.len() - 2] == "providers" && rest[rest.len() - 1] != "{}" {
            rest = &rest[..rest.len() - 2];
        }
        match rest {
            [] => return ResourceParent::Tenant,
            [s, v] if s == "subscriptions" && v == "{}" => return ResourceParent::Subscription,
            [s, v, r, g] if s == "subscriptions" && v == "{}" && r == "resourcegroups" && g == "{}" => {
                return ResourceParent::ResourceGroup;
            }
            _ => {}
        }
        if let Some(i) = shapes.iter().position(|s| s == rest) {
            return ResourceParent::Kind(i);
        }
        // Not a resource of this API (no operation on it): its own parent, then.
        rest = &rest[..rest.len().saturating_sub(if rest.last().is_some_and(|s| s == "{}") { 2 } else { 1 })];
    }
}

/// Gives each method acting on exactly one resource (get, create, update, delete, head) a
/// by-id form, when its leading arguments are that resource's path values.
fn set_by_id(group: &mut Group, shapes: &[Vec<String>], types: &[TypeDef]) {
    let mut taken: Vec<String> = group.operations.iter().map(|op| op.name.clone()).collect();
    taken.extend(group.operations.iter().filter_map(|op| op.resume.as_ref().map(|r| r.0.clone())));
    for op in &mut group.operations {
        let Some(kind) = resource_shape(op).and_then(|shape| shapes.iter().position(|s| *s == shape)) else {
            continue;
        };
        // Reads only: each by-id method costs `cargo check` about as much as a small method
        // (3.5 M instructions, measured), so the other methods take an id through
        // `ResourceId::args` rather than a form each.
        let acts_on_one = op.http_method == HttpMethod::Get && op.pageable.is_none();
        // A method whose path values all come from the client gains nothing from an id.
        let Some(path_values) = path_values(op, types).filter(|v| acts_on_one && !v.is_empty()) else { continue };
        let name = format!("{}_by_id", op.name.trim_start_matches("r#"));
        if taken.contains(&name) {
            continue;
        }
        taken.push(name.clone());
        op.by_id = Some(ById { name, kind, path_values });
    }
}

/// For each of the method's leading required arguments, the index of the path placeholder it
/// fills, if those arguments are exactly its path values and each is a string or an extensible
/// enum (which converts from the id's text).
fn path_values(op: &Operation, types: &[TypeDef]) -> Option<Vec<usize>> {
    let placeholders: Vec<&str> = crate::model::placeholders(&op.path).collect();
    let own = |p: &&crate::model::Param| p.location == ParamLocation::Path && !p.client;
    let count = op.params.iter().filter(own).count();
    let leading: Vec<_> = op.required_params().filter(|p| !p.client).take(count).collect();
    if leading.len() != count || !leading.iter().all(own) {
        return None;
    }
    leading
        .iter()
        .map(|p| {
            let from_text = match &p.ty {
                Ty::String(_) => true,
                Ty::Named(id) => matches!(&types[id.0].kind, TypeKind::Enum(e) if e.extensible),
                _ => false,
            };
            placeholders.iter().position(|w| *w == p.wire_name).filter(|_| from_text)
        })
        .collect()
}
