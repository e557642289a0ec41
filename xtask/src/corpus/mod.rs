//! `cargo xtask corpus [DIR|FILE…] [--jobs N] [--filter TEXT]`: generates a standalone crate
//! from every spec it is given and `cargo check`s it (all targets; a warning counts as a
//! failure), then prints a table and writes it to `CORPUS.md`. It exits non-zero if any spec
//! fails to generate or compile. Not part of CI (it takes a while); its last full run is
//! committed.
//!
//! Every crate is checked against the workspace's own `Cargo.lock` and one shared target folder
//! per job (`target/corpus/target-N`), so dependencies are built once per job, not per spec.
//! Generation is timed in a release build, so `cargo xtask corpus` re-runs itself with
//! `--release` first.

mod check;
mod report;

use crate::bench::report::Machine;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What `cargo xtask corpus` reads when given no paths: every spec beside the project and its own.
const DEFAULT_DIRS: [&str; 5] = [
    "../shared/spec/corpus",
    "../shared/spec/keyvault",
    "../shared/spec/storage",
    "../shared/spec/apimanagement",
    crate::DEFAULT_SPEC,
];

struct Args {
    paths: Vec<PathBuf>,
    jobs: usize,
    filter: Option<String>,
}

/// One spec's outcome.
pub(crate) struct Outcome {
    pub(crate) name: String,
    pub(crate) operations: usize,
    pub(crate) models: usize,
    /// The error that refused the spec, if it was.
    pub(crate) refused: Option<String>,
    /// Tolerated spec defects, each naming its file and place.
    pub(crate) warnings: Vec<String>,
    pub(crate) generate_time: Duration,
    pub(crate) check: Option<check::Checked>,
}

impl Outcome {
    pub(crate) fn passed(&self) -> bool {
        self.refused.is_none() && self.check.as_ref().is_some_and(|c| c.ok && c.warnings == 0)
    }
}

pub fn run(args: impl Iterator<Item = String>) -> ExitCode {
    let args = match parse(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\nusage: cargo xtask corpus [DIR|FILE…] [--jobs N] [--filter TEXT]");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) {
        return crate::cargo::rerun_in_release(&std::env::args().skip(1).collect::<Vec<_>>(), None);
    }
    match corpus(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args { paths: Vec::new(), jobs: 1, filter: None };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" | "-j" => {
                let value = args.next().ok_or("--jobs needs a number")?;
                parsed.jobs =
                    value.parse().ok().filter(|n| *n > 0).ok_or(format!("--jobs {value}: not a number > 0"))?;
            }
            "--filter" => parsed.filter = Some(args.next().ok_or("--filter needs a value")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            path => parsed.paths.push(path.into()),
        }
    }
    Ok(parsed)
}

/// Every spec under `paths`: a file is one spec; a folder holding Swagger files (or an AutoRest
/// `readme.md`) is one spec; any other folder holds one spec per YAML or JSON file.
fn specs(root: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for path in paths {
        let path = if path.is_absolute() { path.clone() } else { root.join(path) };
        if path.is_file() || is_swagger_folder(&path) {
            found.push(path);
            continue;
        }
        let entries = std::fs::read_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
            .collect();
        files.sort();
        found.extend(files);
    }
    Ok(found)
}

fn is_swagger_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    entries.filter_map(|e| e.ok()).any(|e| {
        let p = e.path();
        p.extension().is_some_and(|x| x == "json")
            && std::fs::read_to_string(&p).is_ok_and(|text| text.contains("\"swagger\""))
    })
}

/// A short unique name for the spec: a Swagger folder is `service-version-swagger`; a file is
/// its stem, after its folder's name when the stem is only a version (`apimanagement-2024-05-01`).
fn spec_name(spec: &Path) -> String {
    let stem = spec.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let parent = |path: &Path| path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
    if spec.is_dir() {
        let service = spec.ancestors().find_map(|a| {
            let up = a.parent()?;
            (up.file_name()? == "specification").then(|| a.file_name().map(|n| n.to_string_lossy().into_owned()))?
        });
        return format!("{}-{stem}-swagger", service.unwrap_or_default());
    }
    match parent(spec) {
        Some(folder) if stem.starts_with(|c: char| c.is_ascii_digit()) => format!("{folder}-{stem}"),
        _ => stem,
    }
}

fn corpus(args: &Args) -> Result<bool, String> {
    let root = crate::workspace_root();
    let paths: Vec<PathBuf> =
        if args.paths.is_empty() { DEFAULT_DIRS.iter().map(PathBuf::from).collect() } else { args.paths.clone() };
    let missing: Vec<String> =
        paths.iter().filter(|p| !root.join(p).exists() && !p.exists()).map(|p| p.display().to_string()).collect();
    for path in &missing {
        eprintln!("corpus: skipped {path}: not here");
    }
    let present: Vec<PathBuf> = paths.into_iter().filter(|p| root.join(p).exists() || p.exists()).collect();
    let mut specs = specs(&root, &present)?;
    if let Some(filter) = &args.filter {
        specs.retain(|s| spec_name(s).contains(filter.as_str()));
    }
    let scratch = root.join("target/corpus");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let machine = Machine::describe();
    let started = Instant::now();
    let mut outcomes = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let name = spec_name(spec);
        let outcome = generate(&name, spec, &scratch.join("crates").join(&name));
        eprintln!(
            "corpus: [{}/{}] {name}: {}",
            i + 1,
            specs.len(),
            outcome.refused.as_deref().map_or_else(
                || format!(
                    "generated in {:.2} s ({} warnings)",
                    outcome.generate_time.as_secs_f64(),
                    outcome.warnings.len()
                ),
                |e| format!("refused: {e}")
            )
        );
        outcomes.push(outcome);
    }
    check::check_all(&root, &scratch, &mut outcomes, args.jobs);
    let table = report::render(&outcomes, &machine, started.elapsed(), &missing);
    println!("{table}");
    if args.paths.is_empty() && args.filter.is_none() {
        std::fs::write(root.join("CORPUS.md"), &table).map_err(|e| format!("CORPUS.md: {e}"))?;
        eprintln!("corpus: wrote CORPUS.md");
    }
    Ok(outcomes.iter().all(Outcome::passed))
}

fn generate(name: &str, spec: &Path, out: &Path) -> Outcome {
    let options = generator::Options {
        crate_name: Some(format!("corpus_{}", name.replace(['-', '.'], "_"))),
        ..Default::default()
    };
    let started = Instant::now();
    let result = generator::generate(spec, &options);
    let generate_time = started.elapsed();
    let mut outcome = Outcome {
        name: name.to_owned(),
        operations: 0,
        models: 0,
        refused: None,
        warnings: Vec::new(),
        generate_time,
        check: None,
    };
    match result {
        Ok(generated) => {
            let _ = std::fs::remove_dir_all(out);
            outcome.operations = generated.operations;
            outcome.models = generated.models;
            outcome.warnings = generated.warnings.clone();
            if let Err(e) = generator::output::write(out, &generated.files) {
                outcome.refused = Some(format!("cannot write: {e}"));
            }
        }
        Err(error) => outcome.refused = Some(error.to_string()),
    }
    outcome
}
