//! `cargo xtask codegen`: the thin command line over the `generator` library.

mod bench;
mod cargo;
mod changes;
mod corpus;
mod spector;

use generator::output::{self, Change};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--spec PATH --out DIR] [--tag TAG] [--spec-root DIR] [--crate-name NAME]

  (no options)       regenerate generated/ from the API Management 2024-05-01 Swagger in spec/
  --check            write nothing; exit 1 listing every stale, missing or extra file
  --spec PATH        a Swagger 2.0 file, a folder of them, an AutoRest readme.md, or an
                     OpenAPI 3 file (YAML or JSON); told apart by content
  --out DIR          where to write a standalone crate (with --spec)
  --tag TAG          with a readme: the tag whose input files to read (default: the readme's)
  --spec-root DIR    the folder no $ref may leave (default: the one holding specification/)
  --crate-name NAME  defaults to the spec's info.title in snake case

Each generation compares the crate's public surface with the API.md already in the output
folder, sets the version (semver) and adds a CHANGELOG.md section; it prints the verdict.

usage: cargo xtask diff OLD NEW [--tag TAG] [--spec-root DIR]

  prints what changes for the generated crate's callers from spec OLD to spec NEW (any two
  inputs --spec takes), and the version step it calls for; writes nothing

usage: cargo xtask bench [--compare] [--baseline REV]

  measures codegen, the generated crate's build cost and the client's runtime; writes
  BENCHMARKS.md (timed in release: it rebuilds xtask first)
  --compare          the legacy azure_mgmt_apimanagement crate too, its runs alternating with ours
  --baseline REV     the generated crate as committed at git revision REV too (e.g. HEAD after
                     regenerating), its runs alternating with ours";

/// The spec and crate this repository maintains: Azure's own publication, as committed.
pub(crate) const DEFAULT_SPEC: &str =
    "spec/specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01";
const DEFAULT_OUT: &str = "generated";
const DEFAULT_CRATE: &str = "api_management_client";

struct Args {
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    tag: Option<String>,
    spec_root: Option<PathBuf>,
}

enum Task {
    Codegen(Args),
    Diff(changes::DiffArgs),
}

fn parse_task(mut args: impl Iterator<Item = String>) -> Result<Task, String> {
    match args.next().as_deref() {
        Some("codegen") => parse_args(args).map(Task::Codegen),
        Some("diff") => parse_diff(args).map(Task::Diff),
        Some(other) => Err(format!("unknown task `{other}`")),
        None => Err("no task given".into()),
    }
}

/// The options of `bench` (the task name already read).
fn parse_bench(mut args: impl Iterator<Item = String>) -> Result<bench::Options, String> {
    let mut options = bench::Options::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--compare" => options.compare = true,
            "--baseline" => options.baseline = Some(args.next().ok_or("--baseline needs a git revision")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

fn parse_diff(mut args: impl Iterator<Item = String>) -> Result<changes::DiffArgs, String> {
    let mut paths = Vec::new();
    let mut options = generator::Options::default();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--tag" => options.tag = Some(value("--tag")?),
            "--spec-root" => options.spec_root = Some(value("--spec-root")?.into()),
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    match <[PathBuf; 2]>::try_from(paths) {
        Ok([old, new]) => Ok(changes::DiffArgs { old, new, options }),
        Err(_) => Err("diff takes two specs: OLD NEW".into()),
    }
}

/// The options of `codegen` (the task name already read).
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args { check: false, spec: None, out: None, crate_name: None, tag: None, spec_root: None };
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = Some(value("--spec")?.into()),
            "--out" => parsed.out = Some(value("--out")?.into()),
            "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
            "--tag" => parsed.tag = Some(value("--tag")?),
            "--spec-root" => parsed.spec_root = Some(value("--spec-root")?.into()),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if parsed.spec.is_some() != parsed.out.is_some() {
        return Err("--spec and --out go together".into());
    }
    Ok(parsed)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Tolerated spec defects and examples that could not become tests are named, never skipped silently.
fn report_warnings(generated: &generator::Generated) {
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    for problem in &generated.example_problems {
        eprintln!("warning: example not turned into a test: {problem}");
    }
}

/// The repository's own job: the API Management spec into `generated/`, a workspace member.
fn default_job(root: &Path, crate_name: Option<String>) -> (PathBuf, PathBuf, generator::Options) {
    let options = generator::Options {
        crate_name: Some(crate_name.unwrap_or_else(|| DEFAULT_CRATE.to_owned())),
        spec_label: Some(DEFAULT_SPEC.to_owned()),
        workspace_member: true,
        ..Default::default()
    };
    (root.join(DEFAULT_SPEC), root.join(DEFAULT_OUT), options)
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("bench") {
        return match parse_bench(std::env::args().skip(2)) {
            Ok(options) => bench::run(&options),
            Err(message) => usage_error(&message),
        };
    }
    if std::env::args().nth(1).as_deref() == Some("corpus") {
        return corpus::run(std::env::args().skip(2));
    }
    if std::env::args().nth(1).as_deref() == Some("spector") {
        return spector::run();
    }
    let task = match parse_task(std::env::args().skip(1)) {
        Ok(task) => task,
        Err(message) => return usage_error(&message),
    };
    let result = match &task {
        Task::Codegen(args) => run(args),
        Task::Diff(args) => changes::diff(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The message (none for `--help`) and the usage, exit code 2.
fn usage_error(message: &str) -> ExitCode {
    if !message.is_empty() {
        eprintln!("error: {message}");
    }
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn run(args: &Args) -> Result<ExitCode, generator::Error> {
    let started = Instant::now();
    let root = workspace_root();
    let (spec, out, options) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let options = generator::Options {
                crate_name: args.crate_name.clone(),
                tag: args.tag.clone(),
                spec_root: args.spec_root.clone(),
                ..Default::default()
            };
            (spec.clone(), out.clone(), options)
        }
        _ => default_job(&root, args.crate_name.clone()),
    };
    let options = generator::Options { previous: output::previous(&out)?, ..options };
    let generated = generator::generate(&spec, &options)?;
    if args.check {
        let changes = output::changes(&out, &generated.files)?;
        if changes.is_empty() {
            println!("{} is up to date ({} files)", out.display(), generated.files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{} is stale; run `cargo xtask codegen`:", out.display());
        for (path, change) in &changes {
            eprintln!("  {change:8} {path}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let changes = output::write(&out, &generated.files)?;
    let written = changes.iter().filter(|(_, c)| *c != Change::Extra).count();
    let removed = changes.len() - written;
    println!(
        "generated {} into {}: {} operations in {} groups, {} models, {} examples as tests, {} files ({written} written, {removed} removed) in {:.2} s",
        generated.crate_name,
        out.display(),
        generated.operations,
        generated.groups,
        generated.models,
        generated.examples,
        generated.files.len(),
        started.elapsed().as_secs_f64()
    );
    report_warnings(&generated);
    if let Some(since) = &generated.since {
        changes::print_since(since, &generated.version, &out.join("CHANGELOG.md").display().to_string());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` catches a stale `generated/` just as `cargo xtask codegen --check` does.
    #[test]
    fn generated_crate_is_up_to_date() {
        let (spec, out, options) = default_job(&workspace_root(), None);
        let previous = output::previous(&out).unwrap_or_else(|e| panic!("error: {e}"));
        let options = generator::Options { previous, ..options };
        let generated = generator::generate(&spec, &options).unwrap_or_else(|e| panic!("error: {e}"));
        let changes = output::changes(&out, &generated.files).unwrap_or_else(|e| panic!("error: {e}"));
        let listing: Vec<String> = changes.iter().map(|(path, change)| format!("{change} {path}")).collect();
        assert!(changes.is_empty(), "generated/ is stale; run `cargo xtask codegen`:\n{}", listing.join("\n"));
    }

    #[test]
    fn arguments_parse() {
        let args = |list: &[&str]| parse_task(list.iter().map(|s| s.to_string()));
        assert!(matches!(args(&["codegen", "--check"]), Ok(Task::Codegen(a)) if a.check));
        assert!(args(&["codegen", "--spec", "a.yaml"]).is_err(), "--spec without --out");
        assert!(args(&["codegen", "--bogus"]).is_err());
        assert!(args(&["bench"]).is_err());
        assert!(matches!(args(&["diff", "old", "new", "--tag", "t"]), Ok(Task::Diff(d)) if d.options.tag.is_some()));
        assert!(args(&["diff", "old"]).is_err(), "diff needs two specs");
        assert!(args(&["diff", "a", "b", "--bogus"]).is_err());
    }

    #[test]
    fn bench_arguments_parse() {
        let args = |list: &[&str]| parse_bench(list.iter().map(|s| s.to_string()));
        assert_eq!(args(&[]), Ok(bench::Options::default()));
        assert_eq!(
            args(&["--baseline", "HEAD", "--compare"]),
            Ok(bench::Options { compare: true, baseline: Some("HEAD".to_owned()) })
        );
        assert!(args(&["--baseline"]).is_err(), "--baseline needs a revision");
        assert!(args(&["--bogus"]).is_err());
    }
}
