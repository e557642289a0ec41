//! Intermediate model → the files of a crate. Reads only [`crate::model`].

mod clients;
mod crate_files;
pub mod docs;
mod examples;
pub mod types;

use crate::error::Result;
use crate::format::{RustFile, format_rust};
use crate::model::{Api, Ty, TypeKind};
use crate::output::GeneratedFile;
use proc_macro2::TokenStream;
use quote::quote;

/// How the crate is packaged.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    pub crate_name: String,
    /// How the preamble names the spec (relative, so output does not depend on the machine).
    pub spec_label: String,
    /// The command the preamble tells people to run.
    pub command: String,
    /// A member of an enclosing workspace (no `[workspace]` table of its own).
    pub workspace_member: bool,
}

/// Every file of the generated crate, formatted.
pub fn emit(api: &Api, options: &CrateOptions) -> Result<Vec<GeneratedFile>> {
    emit_timed(api, options, &mut crate::Timings::default())
}

/// [`emit`], adding the time spent building tokens and formatting to `timings`.
pub fn emit_timed(api: &Api, options: &CrateOptions, timings: &mut crate::Timings) -> Result<Vec<GeneratedFile>> {
    let started = std::time::Instant::now();
    let rules = clients::Rules::collect(api);
    let mut rust_files: Vec<(String, TokenStream, String)> = vec![
        ("src/lib.rs".into(), crate_files::lib_rs(api), crate_files::crate_doc(api, options)),
        ("src/models/mod.rs".into(), models_mod(api), "Request and response models.".into()),
        ("src/models/enums.rs".into(), enums_file(api), "Enumerations from the spec (`enum`, `x-ms-enum`).".into()),
        ("src/models/types.rs".into(), types_file(api), "Structs and aliases from the spec's schemas.".into()),
        (
            "src/headers.rs".into(),
            clients::headers_file(api),
            "Typed access to the response headers the spec declares.".into(),
        ),
        (
            "src/clients/mod.rs".into(),
            clients::clients_mod(api, &options.crate_name),
            "The client and its sub-clients.".into(),
        ),
        (
            "src/clients/rules.rs".into(),
            rules.file(),
            "What parameter values must satisfy, shared by all operations.".into(),
        ),
        ("src/clients/pages.rs".into(), clients::pages_file(api), "azure_core's `Page` for each page model.".into()),
    ];
    for group in &api.groups {
        let path = format!("src/clients/{}.rs", clients::module_name(group));
        let doc = format!("The `{}` operations.", group.wire_name);
        rust_files.push((path, clients::group_file(api, group, &rules, &options.crate_name), doc));
    }
    let with_examples = examples::has_examples(api);
    if with_examples {
        let doc = "The spec's own examples, replayed against a local server: one test per example.";
        rust_files.push(("tests/examples.rs".into(), examples::root_file(), doc.into()));
        let doc = "One test per example of the spec, plus checks that the harness rejects a wrong request.";
        rust_files.push(("tests/examples/cases.rs".into(), examples::tests_file(api, &options.crate_name), doc.into()));
    }
    timings.emit += started.elapsed();
    let started = std::time::Instant::now();
    let mut files = vec![
        GeneratedFile::new("Cargo.toml", crate_files::cargo_toml(api, options)),
        GeneratedFile::new("src/runtime.rs", crate_files::runtime_rs(options)),
    ];
    if with_examples {
        let support =
            format!("{}{}", crate::format::preamble(options, "//"), examples::support_file(api, &options.crate_name));
        files.push(GeneratedFile::new("tests/examples/support.rs", support));
    }
    for (path, tokens, inner_doc) in rust_files {
        let file = RustFile { path: &path, tokens, inner_doc: &inner_doc, options };
        files.push(GeneratedFile::new(path.as_str(), format_rust(file)?));
    }
    timings.format += started.elapsed();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The formatted source of one named type, for snapshots and review.
pub fn type_source(api: &Api, name: &str) -> Option<String> {
    let def = api.type_named(name)?;
    let tokens = types::type_item(api, def);
    crate::format::unparse(tokens).ok()
}

fn models_mod(api: &Api) -> TokenStream {
    let enums = api.types.iter().any(|d| matches!(d.kind, TypeKind::Enum(_))).then(|| {
        quote!(
            pub use enums::*;
        )
    });
    quote! {
        mod enums;
        mod types;
        pub use crate::runtime::Duration;
        #enums
        pub use types::*;
    }
}

fn enums_file(api: &Api) -> TokenStream {
    let items = sorted(api, |k| matches!(k, TypeKind::Enum(_))).map(|def| types::type_item(api, def));
    quote! { #(#items)* }
}

fn types_file(api: &Api) -> TokenStream {
    let defs: Vec<_> = sorted(api, |k| !matches!(k, TypeKind::Enum(_))).collect();
    let imports = type_imports(api, &defs);
    let items = defs.iter().map(|def| types::type_item(api, def));
    quote! {
        #imports
        #(#items)*
    }
}

fn sorted(api: &Api, keep: impl Fn(&TypeKind) -> bool) -> impl Iterator<Item = &crate::model::TypeDef> {
    let mut defs: Vec<_> = api.types.iter().filter(|d| keep(&d.kind)).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs.into_iter()
}

/// Only what the file uses, so the crate has no unused-import warnings for any spec.
fn type_imports(api: &Api, defs: &[&crate::model::TypeDef]) -> TokenStream {
    let mut uses = Uses::default();
    for def in defs {
        match &def.kind {
            TypeKind::Struct(s) => {
                uses.safe_debug |= s.has_secret();
                uses.map |= s.additional_properties.is_some();
                if let Some(ty) = &s.additional_properties {
                    uses.visit(api, ty);
                }
                s.fields.iter().for_each(|f| uses.visit(api, &f.ty));
            }
            TypeKind::Alias(ty) => uses.visit(api, ty),
            TypeKind::Polymorphic(_) => uses.json = true,
            TypeKind::Union(variants) => {
                uses.serde = true;
                variants.iter().for_each(|v| uses.visit(api, &v.ty));
            }
            TypeKind::Enum(_) => {}
        }
    }
    let mut imports = Vec::new();
    if uses.super_items {
        imports.push(quote!(
            use super::*;
        ));
    }
    if uses.safe_debug {
        imports.push(quote!(
            use azure_core::fmt::SafeDebug;
        ));
    }
    if uses.serde {
        imports.push(quote!(
            use serde::{Deserialize, Serialize};
        ));
    }
    if uses.json {
        imports.push(quote!(
            use serde_json::Value;
        ));
    }
    if uses.map {
        imports.push(quote!(
            use std::collections::BTreeMap;
        ));
    }
    if uses.date_time {
        imports.push(quote!(
            use time::OffsetDateTime;
        ));
    }
    quote! { #(#imports)* }
}

#[derive(Default)]
struct Uses {
    serde: bool,
    safe_debug: bool,
    json: bool,
    map: bool,
    date_time: bool,
    /// Enums or `Duration`, which come from `super`.
    super_items: bool,
}

impl Uses {
    fn visit(&mut self, api: &Api, ty: &Ty) {
        match ty {
            Ty::Json => self.json = true,
            Ty::DateTime | Ty::DateTimeRfc1123 => self.date_time = true,
            Ty::Named(id) => self.super_items |= matches!(api.type_def(*id).kind, TypeKind::Enum(_)),
            Ty::Duration => self.super_items = true,
            Ty::Map(inner) => {
                self.map = true;
                self.visit(api, inner);
            }
            Ty::Vec(inner) => self.visit(api, inner),
            _ => {}
        }
    }
}
