//! Parsed spec → intermediate model. All reading of the spec happens here (and in `load`).

mod cycles;
mod examples;
mod operations;
mod types;
mod view;

use crate::error::Result;
use crate::load::Document;
use crate::model::Api;

/// ARM's endpoint, used when a spec lists no server.
const DEFAULT_ENDPOINT: &str = "https://management.azure.com";

pub fn lower(doc: &Document) -> Result<Api> {
    lower_with_examples(doc, crate::examples::Examples::default())
}

/// [`lower`], tying the spec's examples to their operations.
pub fn lower_with_examples(doc: &Document, examples: crate::examples::Examples) -> Result<Api> {
    let info = &doc.api.info;
    let mut types = types::TypeLowering::new(doc);
    types.define_all()?;
    types.apply_polymorphism()?;
    let mut operations = operations::lower(doc, &mut types)?;
    let example_problems = examples::attach(&mut operations.groups, examples);
    types.finish()?;
    let endpoint = doc
        .api
        .servers
        .first()
        .map(|s| s.url.trim_end_matches('/').to_owned())
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
    Ok(Api {
        title: info.title.clone(),
        description: info.description.clone(),
        api_version: info.version.clone(),
        endpoint,
        types: types.into_types(),
        client_params: operations.client_params,
        groups: operations.groups,
        error_type: operations.error_type,
        example_problems,
    })
}
