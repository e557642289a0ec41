//! Generates a Rust client crate for an Azure Resource Manager API from its description: Azure's
//! own multi-file Swagger 2.0 (a file, a folder, or an AutoRest readme tag) or an OpenAPI 3 file.
//!
//! The data flows one way: [`load`] (spec files → one `openapiv3` document, Swagger converted and
//! `$ref`s resolved inside the spec root, `x-ms-examples` read) → [`lower`] (→ the resolved
//! [`model`]; its `example_mapping` ties each example to its operation) → [`emit`] (→ token
//! streams) → [`format`](mod@format) (prettyplease) → [`output`] (files). [`example_files`] reads
//! examples kept beside an OpenAPI 3 file (which has lost `x-ms-examples`); [`surface`] lists the
//! generated crate's public surface from the model.
//! [`crate_options`] (the crate's name, spec label and do-not-edit preamble) is read by both
//! `emit` and `format` and reads neither, so the modules import each other without cycles.
//!
//! The generated crate's runtime is hand-written Rust under `generator/runtime/runtime/`, one
//! module per concern (`duration`, `date_time`, `enums`, `json`, `http`, `validate`, `auth`,
//! `pager`, `poller`, gathered by `mod.rs`); [`emit`] copies it verbatim, after the preamble,
//! into the generated crate's `src/runtime/`, where generated code names everything as
//! `crate::runtime::…`.

pub mod crate_options;
pub mod emit;
pub mod error;
pub mod example_files;
pub mod format;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod output;
pub mod release;
pub mod surface;

pub use error::{Error, Result};

use crate_options::CrateOptions;
use output::GeneratedFile;
use std::path::Path;
use std::time::{Duration, Instant};

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Defaults to `info.title` in snake case.
    pub crate_name: Option<String>,
    /// How the spec is named in errors and preambles; defaults to the file name.
    pub spec_label: Option<String>,
    /// Generate as a member of an enclosing Cargo workspace.
    pub workspace_member: bool,
    /// For an AutoRest readme: the tag whose input files to read.
    pub tag: Option<String>,
    /// The folder no `$ref` may leave (default: the one holding `specification/`).
    pub spec_root: Option<std::path::PathBuf>,
    /// What the last generation left in the output folder (`API.md`, `CHANGELOG.md`), to
    /// version this one against; see [`output::previous`].
    pub previous: Option<release::Previous>,
}

/// A generated crate, in memory.
#[derive(Debug)]
pub struct Generated {
    pub crate_name: String,
    pub files: Vec<GeneratedFile>,
    pub models: usize,
    pub operations: usize,
    pub groups: usize,
    /// Examples turned into tests of the generated crate.
    pub examples: usize,
    /// `file: reason` for each example that could not be.
    pub example_problems: Vec<String>,
    /// Spec defects tolerated, each naming its file and JSON pointer.
    pub warnings: Vec<String>,
    /// The crate's version, chosen from what changed since the previous generation.
    pub version: String,
    /// What changed since the previous generation (`None` on a first one).
    pub since: Option<release::Since>,
}

/// The command generated preambles tell people to run.
pub const COMMAND: &str = "cargo xtask codegen";

/// Loads and lowers a spec into the intermediate model.
pub fn load_model(spec: &Path, label: &str) -> Result<model::Api> {
    let doc = load::load(spec, label)?;
    lower_document(&doc, spec)
}

/// Lowers a loaded spec with its examples: the spec's own `x-ms-examples` when it has them,
/// else an `examples/operations.yaml` mapping beside it.
fn lower_document(doc: &load::Document, spec: &Path) -> Result<model::Api> {
    let examples = doc.examples.clone().unwrap_or_else(|| example_files::load(spec));
    lower::lower_with_examples(doc, examples)
}

fn input<'a>(spec: &'a Path, options: &'a Options) -> load::Input<'a> {
    load::Input { path: spec, tag: options.tag.as_deref(), spec_root: options.spec_root.as_deref() }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// The public surface of the crate `spec` gives, with the spec's API version: what
/// `cargo xtask diff` compares, without generating anything.
pub fn surface_of(spec: &Path, options: &Options) -> Result<(surface::Surface, String)> {
    let label = spec.display().to_string();
    let doc = load::load_input(&input(spec, options), &label)?;
    let api = lower_document(&doc, spec)?;
    Ok((surface::Surface::of(&api), api.api_version))
}

/// Wall time of each generation phase, for benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading the file and parsing it into `openapiv3`.
    pub parse: Duration,
    /// Lowering to the intermediate model.
    pub model: Duration,
    /// Building token streams.
    pub emit: Duration,
    /// prettyplease formatting.
    pub format: Duration,
}

/// Loads, lowers and emits; nothing touches the disk but reading the spec.
pub fn generate(spec: &Path, options: &Options) -> Result<Generated> {
    generate_timed(spec, options).map(|(generated, _)| generated)
}

/// [`generate`], also reporting how long each phase took.
pub fn generate_timed(spec: &Path, options: &Options) -> Result<(Generated, Timings)> {
    let label = options.spec_label.clone().unwrap_or_else(|| {
        spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned())
    });
    let mut timings = Timings::default();
    let started = Instant::now();
    let doc = load::load_input(&input(spec, options), &label)?;
    timings.parse = started.elapsed();
    let started = Instant::now();
    let api = lower_document(&doc, spec)?;
    timings.model = started.elapsed();
    let mut crate_options = CrateOptions {
        crate_name: options.crate_name.clone().unwrap_or_else(|| naming::crate_name(&api.title)),
        spec_label: label,
        command: COMMAND.to_owned(),
        workspace_member: options.workspace_member,
        version: String::new(),
    };
    let operations = api.groups.iter().map(|g| g.operations.len()).sum();
    let preamble = crate_options.markdown_preamble();
    let head = release::Head {
        crate_name: &crate_options.crate_name,
        api_version: &api.api_version,
        preamble: &preamble,
        counts: format!(
            "{} in {}, {}",
            plural(operations, "operation"),
            plural(api.groups.len(), "group"),
            plural(api.types.len(), "model")
        ),
    };
    let release = release::plan(options.previous.as_ref(), &surface::Surface::of(&api), &head)?;
    crate_options.version = release.version.clone();
    let mut files = emit::emit_timed(&api, &crate_options, &mut timings)?;
    files.push(GeneratedFile::new("API.md", release.api_md));
    files.push(GeneratedFile::new("CHANGELOG.md", release.changelog));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let generated = Generated {
        crate_name: crate_options.crate_name,
        files,
        models: api.types.len(),
        operations,
        groups: api.groups.len(),
        examples: api.groups.iter().flat_map(|g| &g.operations).map(|op| op.examples.len()).sum(),
        example_problems: api.example_problems.clone(),
        warnings: doc.warnings.iter().chain(&api.warnings).cloned().collect(),
        version: release.version,
        since: release.since,
    };
    Ok((generated, timings))
}
