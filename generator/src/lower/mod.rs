//! Parsed spec → intermediate model. All reading of the spec happens here (and in `load`).

mod cycles;
mod example_mapping;
mod operations;
mod resources;
mod types;
mod view;

use crate::error::Result;
use crate::load::Document;
use crate::model::Api;

/// ARM's endpoint, used when a spec lists no server.
const DEFAULT_ENDPOINT: &str = "https://management.azure.com";

/// Text the generator puts inside its own one-line docs and strings: no control characters.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

/// `info.title` as a type name ending in `Client`.
fn main_client_name(title: &str) -> String {
    let name = crate::naming::type_name(title);
    if name.ends_with("Client") { name } else { format!("{name}Client") }
}

pub fn lower(doc: &Document) -> Result<Api> {
    lower_with_examples(doc, crate::example_files::Examples::default())
}

/// [`lower`], tying the spec's examples to their operations.
pub fn lower_with_examples(doc: &Document, examples: crate::example_files::Examples) -> Result<Api> {
    let info = &doc.api.info;
    let mut types = types::TypeLowering::new(doc);
    types.define_all()?;
    types.apply_polymorphism()?;
    let client_name = main_client_name(&info.title);
    let mut operations = operations::lower(doc, &mut types, &client_name)?;
    let example_problems = example_mapping::attach(&mut operations.groups, examples);
    types.finish()?;
    let endpoint = doc
        .api
        .servers
        .first()
        .map(|s| one_line(&s.url).trim_end_matches('/').to_owned())
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .filter(|url| !url.contains(char::is_whitespace))
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    let (mut types, warnings) = types.into_parts();
    mark_request_types(&mut types, &operations.groups);
    let resources = resources::lower(&mut operations.groups, &types);
    let resource_models = resources::resource_models(&types, &operations.groups);
    Ok(Api {
        title: one_line(&info.title),
        client_name,
        description: info.description.clone(),
        api_version: one_line(&info.version),
        endpoint,
        types,
        client_params: operations.client_params,
        groups: operations.groups,
        error_type: operations.error_type,
        example_problems,
        warnings,
        resources,
        resource_models,
    })
}

/// Marks every type a caller builds: those of request bodies and parameters, and everything
/// they contain (fields, items, map values, variants, alias targets).
fn mark_request_types(types: &mut [crate::model::TypeDef], groups: &[crate::model::Group]) {
    use crate::model::{Ty, TypeKind};
    fn named(ty: &Ty, out: &mut Vec<usize>) {
        match ty {
            Ty::Named(id) => out.push(id.0),
            Ty::Vec(inner) | Ty::Map(inner) => named(inner, out),
            _ => {}
        }
    }
    let mut stack = Vec::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        op.body.iter().for_each(|b| named(&b.ty, &mut stack));
        op.params.iter().filter(|p| !p.client).for_each(|p| named(&p.ty, &mut stack));
    }
    while let Some(id) = stack.pop() {
        let Some(def) = types.get_mut(id) else { continue };
        if def.in_requests {
            continue;
        }
        def.in_requests = true;
        match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| named(&f.ty, &mut stack));
                s.additional_properties.iter().for_each(|t| named(t, &mut stack));
            }
            TypeKind::Alias(target) => named(target, &mut stack),
            TypeKind::Polymorphic(p) => stack.extend(p.variants.iter().map(|v| v.ty.0)),
            TypeKind::Union(variants) => variants.iter().for_each(|v| named(&v.ty, &mut stack)),
            TypeKind::Enum(_) => {}
        }
    }
}
