//! Intermediate model → the files of a crate. Reads only [`crate::model`].

mod client_docs;
mod clients;
mod crate_files;
pub mod docs;
mod examples;
mod fakes;
mod resource_ids;
mod responses;
mod statics;
pub mod types;

use crate::crate_options::CrateOptions;
use crate::error::Result;
use crate::format::{RustFile, format_rust};
use crate::model::{Api, Ty, TypeKind};
use crate::output::GeneratedFile;
use proc_macro2::TokenStream;
use quote::quote;

/// Every file of the generated crate, formatted.
pub fn emit(api: &Api, options: &CrateOptions) -> Result<Vec<GeneratedFile>> {
    emit_timed(api, options, &mut crate::Timings::default())
}

/// One Rust file to produce: its path, its `//!` docs, and how to build its tokens.
struct Job<'a> {
    path: String,
    inner_doc: String,
    build: Box<dyn Fn() -> TokenStream + Send + Sync + 'a>,
}

fn job<'a>(path: &str, doc: &str, build: impl Fn() -> TokenStream + Send + Sync + 'a) -> Job<'a> {
    Job { path: path.to_owned(), inner_doc: doc.to_owned(), build: Box::new(build) }
}

/// [`emit`], adding the time spent building tokens and formatting to `timings` (summed over
/// the worker threads, so it is CPU time rather than wall time).
pub fn emit_timed(api: &Api, options: &CrateOptions, timings: &mut crate::Timings) -> Result<Vec<GeneratedFile>> {
    let shared = statics::Shared::collect(api);
    let shared = &shared;
    let crate_name = options.crate_name.as_str();
    let mut jobs = vec![
        job("src/lib.rs", &crate_files::crate_doc(api, options), move || crate_files::lib_rs(api)),
        job("src/models/mod.rs", "Request and response models.", move || models_mod(api)),
        job("src/models/enums.rs", "Enumerations from the spec (`enum`, `x-ms-enum`).", move || enums_file(api)),
        job("src/models/types.rs", "Structs and aliases from the spec's schemas.", move || types_file(api)),
        job("src/headers.rs", "Typed access to the response headers the spec declares.", move || {
            responses::headers_file(api)
        }),
        job("src/clients/mod.rs", "The client and its sub-clients.", move || {
            clients::clients_mod(api, &shared.rules, crate_name)
        }),
        job("src/clients/rules.rs", "What parameter values must satisfy, shared by all operations.", move || {
            shared.rules.file()
        }),
        job(
            "src/clients/paths.rs",
            "The operations' path templates, shared by the operations on each path.",
            move || shared.paths.file(&shared.rules),
        ),
        job("src/clients/pages.rs", "azure_core's `Page` for each page model.", move || responses::pages_file(api)),
    ];
    jobs.push(job("src/fake.rs", &fakes::fake_doc(api, crate_name), move || fakes::fake_file(api, shared)));
    if !api.resources.is_empty() {
        jobs.push(job("src/ids.rs", &resource_ids::ids_doc(api), move || resource_ids::ids_file(api, shared)));
    }
    for group in &api.groups {
        let path = format!("src/clients/{}.rs", clients::module_name(group));
        let doc = format!("The `{}` operations.", group.wire_name);
        jobs.push(job(&path, &doc, move || clients::group_file(api, group, shared, crate_name)));
    }
    let with_examples = examples::has_examples(api);
    if with_examples {
        let doc = "The spec's own examples, replayed against a local server: one test per example.";
        jobs.push(job("tests/examples.rs", doc, examples::root_file));
        let doc = "The spec's examples as tests, a module per operation group, and checks that the harness rejects a wrong request.";
        jobs.push(job("tests/examples/cases/mod.rs", doc, move || examples::cases_mod(api, crate_name)));
        for (group, module) in examples::groups_with_examples(api) {
            let doc = format!("One test per example of the `{}` operations.", group.wire_name);
            jobs.push(job(&format!("tests/examples/cases/{module}.rs"), &doc, move || {
                examples::group_file(api, group, crate_name)
            }));
        }
    }
    let mut files = vec![GeneratedFile::new("Cargo.toml", crate_files::cargo_toml(api, options))];
    files.extend(crate_files::runtime_files(options));
    if with_examples {
        let support = format!("{}{}", options.preamble("//"), examples::support_file(api, crate_name));
        files.push(GeneratedFile::new("tests/examples/support.rs", support));
    }
    if with_examples || !api.example_problems.is_empty() {
        let report = format!("{}{}", options.markdown_preamble(), examples::report(api));
        files.push(GeneratedFile::new("EXAMPLES.md", report));
    }
    for result in run_jobs(&jobs, options, timings) {
        files.push(result?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = files.windows(2).find(|pair| pair[0].path == pair[1].path) {
        let path = &pair[0].path;
        return Err(crate::Error::new(&options.spec_label, "/", format!("two generated files would be `{path}`")));
    }
    Ok(files)
}

/// Builds and formats the files on every core: each worker takes the next job, so the output
/// is the same whatever the thread count (files are sorted afterwards).
fn run_jobs(jobs: &[Job], options: &CrateOptions, timings: &mut crate::Timings) -> Vec<Result<GeneratedFile>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len().max(1));
    let work = || {
        let (mut done, mut emit, mut format) = (Vec::new(), Duration::ZERO, Duration::ZERO);
        while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
            let started = Instant::now();
            let tokens = (job.build)();
            emit += started.elapsed();
            let started = Instant::now();
            let file = RustFile { path: &job.path, tokens, inner_doc: &job.inner_doc, options };
            done.push(format_rust(file).map(|text| GeneratedFile::new(job.path.as_str(), text)));
            format += started.elapsed();
        }
        (done, emit, format)
    };
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    let mut files = Vec::with_capacity(jobs.len());
    for result in results {
        match result {
            Ok((done, emit, format)) => {
                files.extend(done);
                timings.emit += emit;
                timings.format += format;
            }
            Err(_) => {
                files.push(Err(crate::Error::new(&options.spec_label, "generated code", "an emitter thread failed")))
            }
        }
    }
    files
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
    let types = api.types.iter().any(|d| !matches!(d.kind, TypeKind::Enum(_))).then(|| {
        quote!(
            pub use types::*;
        )
    });
    let content = request_content(api);
    let resources = resource_ids::resources_macro(api);
    quote! {
        mod enums;
        mod types;
        pub use crate::runtime::Duration;
        #enums
        #types
        #content
        #resources
    }
}

/// The crate's own types that methods take as `RequestContent` bodies, each made convertible
/// into it (`model.try_into()?`).
fn request_content(api: &Api) -> TokenStream {
    let mut names: Vec<&str> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| op.body.as_ref())
        .filter_map(|b| api.content_model(b).map(|def| def.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return TokenStream::new();
    }
    let names = names.iter().map(|n| quote::format_ident!("{n}"));
    quote!(crate::runtime::request_content!(#(#names),*);)
}

fn enums_file(api: &Api) -> TokenStream {
    let items = sorted(api, |k| matches!(k, TypeKind::Enum(_))).map(|def| types::type_item(api, def));
    quote! { #(#items)* }
}

fn types_file(api: &Api) -> TokenStream {
    let defs: Vec<_> = sorted(api, |k| !matches!(k, TypeKind::Enum(_))).collect();
    let imports = type_imports(api, &defs);
    let (items, entries): (Vec<_>, Vec<_>) = defs.iter().map(|def| types::type_item_parts(api, def)).unzip();
    let entries: Vec<TokenStream> = entries.into_iter().flatten().collect();
    let serde = (!entries.is_empty()).then(|| quote!(crate::runtime::json_object!(#(#entries);*);));
    quote! {
        #imports
        #(#items)*
        #serde
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
    let wanted = [
        (
            uses.super_items,
            quote!(
                use super::*;
            ),
        ),
        (
            uses.safe_debug,
            quote!(
                use azure_core::fmt::SafeDebug;
            ),
        ),
        (
            uses.serde,
            quote!(
                use serde::{Deserialize, Serialize};
            ),
        ),
        (
            uses.json,
            quote!(
                use serde_json::Value;
            ),
        ),
        (
            uses.map,
            quote!(
                use std::collections::BTreeMap;
            ),
        ),
        (
            uses.date_time,
            quote!(
                use time::OffsetDateTime;
            ),
        ),
    ];
    let imports = wanted.into_iter().filter_map(|(used, import)| used.then_some(import));
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
