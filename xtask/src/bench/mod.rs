//! `cargo xtask bench [--compare] [--baseline REV]`: the numbers the performance targets are judged by, measured in
//! one run on this machine and written to `BENCHMARKS.md` (and printed).
//!
//! What is measured, and why:
//!
//! 1. **Codegen** of the API Management Swagger in `spec/` (and, side by side, of its OpenAPI 3
//!    conversion in `../shared`), in process, median of [`CODEGEN_RUNS`]:
//!    each phase of [`generator::generate_timed`] plus [`generator::output::write`] into a temp dir,
//!    against its floor (`serde_json` parsing every file the Swagger job reads; for the OpenAPI 3
//!    file, `serde_yaml` → `openapiv3::OpenAPI`), interleaved so that all see the same machine. Peak RSS comes from one codegen in a
//!    child process (this binary again, with [`CHILD_ENV`] set).
//! 2. **The generated crate**: lines of Rust, and `cargo check` / debug `cargo build` of that crate
//!    alone (its dependencies built beforehand, `cargo clean -p` before each run) in a dedicated
//!    target dir. Peak RSS of a cargo run is `ru_maxrss` from `wait4`, which on Linux covers the
//!    child and every descendant it waited for, so it is the largest rustc's.
//! 3. With `--compare`, the same for the legacy `azure_mgmt_apimanagement` 0.21 from crates.io, in
//!    a scratch project under `target/bench-legacy/`, its runs alternating with ours so that the
//!    ratios survive a noisy machine.
//! 4. With `--baseline REV` (any git revision: `HEAD`, `main~2`, a hash), the same for the
//!    generated crate as committed at REV: `git archive REV generated` extracted under
//!    `target/bench-baseline/`, made a project of its own with the workspace's `Cargo.lock` (so
//!    that only the crate's code differs), its runs alternating with ours. Regenerate, then run
//!    with `--baseline HEAD`: the report says what the change did to the crate's build cost.
//! 5. **Runtime** of the generated client: a 100-item `BackendCollection` page decoded through the
//!    client's own path against `serde_json::from_slice` of the same bytes (the floor), end to end
//!    through a loopback HTTP server and through an in-memory transport, and request building.
//!
//! Timing only means something in a release build: a debug build re-runs itself through
//! `cargo run --release --features bench-runtime` (the feature pulls in the generated crate, which
//! `cargo xtask codegen` must never need to compile).

mod baseline;
mod codegen;
mod crates;
mod measure;
pub(crate) mod report;
mod runtime;

use baseline::Baseline;
use codegen::{bench_codegen, child_codegen};
use crates::bench_crates;
use report::{HEADER, Machine, Report};
use runtime::runtime_stats;
use std::error::Error;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// In-process codegen runs; the median counts.
const CODEGEN_RUNS: usize = 7;
/// `cargo check` / `cargo build` runs per crate; the median counts.
const CARGO_RUNS: usize = 5;
/// A crate whose runs take longer than this in total stops early (the table says how many ran).
const CARGO_BUDGET: Duration = Duration::from_secs(15 * 60);
/// Set in the child process that measures codegen's peak RSS.
const CHILD_ENV: &str = "XTASK_BENCH_CHILD";
/// The feature the release re-run needs (it pulls in the generated crate).
const FEATURE: &str = "bench-runtime";
const GENERATED_PACKAGE: &str = "api_management_client";
const LEGACY_PACKAGE: &str = "azure_mgmt_apimanagement";
const LEGACY_VERSION: &str = "0.21.0";
/// The legacy crate's `default_tag` feature: the only API version it compiles by default.
const LEGACY_DEFAULT_TAG: &str = "package_preview_2023_09";

/// What `cargo xtask bench` was asked for.
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    /// `--compare`: the legacy crate too.
    pub compare: bool,
    /// `--baseline REV`: the generated crate at that git revision too.
    pub baseline: Option<String>,
}

impl Options {
    /// The command line that asks for these options again (the release re-run's).
    fn to_args(&self) -> Vec<String> {
        let mut args = vec!["bench".to_owned()];
        if self.compare {
            args.push("--compare".to_owned());
        }
        if let Some(rev) = &self.baseline {
            args.extend(["--baseline".to_owned(), rev.clone()]);
        }
        args
    }
}

/// Runs the benchmarks (in release), or one codegen when this is the peak-RSS child.
pub fn run(options: &Options) -> ExitCode {
    if std::env::var_os(CHILD_ENV).is_some() {
        return exit(child_codegen());
    }
    // Before the release build too: a mistyped revision should not cost a rebuild to find out.
    let root = crate::workspace_root();
    let baseline = match options.baseline.as_deref().map(|rev| Baseline::resolve(&root, rev)).transpose() {
        Ok(baseline) => baseline,
        Err(error) => return exit(Err(error)),
    };
    if cfg!(debug_assertions) || !cfg!(feature = "bench-runtime") {
        return crate::cargo::rerun_in_release(&options.to_args(), Some(FEATURE));
    }
    exit(bench(&root, options.compare, baseline))
}

fn exit(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn bench(root: &Path, compare: bool, baseline: Option<Baseline>) -> Result<()> {
    if let Some(baseline) = &baseline {
        // First: a revision without a `generated/` fails now, not after the codegen runs.
        eprintln!("bench: extracting {GENERATED_PACKAGE} at {}", baseline.label());
        baseline.extract(root)?;
    }
    let machine = Machine::describe();
    eprintln!("bench: codegen ({CODEGEN_RUNS} runs)");
    let codegen = bench_codegen(root)?;
    eprintln!("bench: runtime of the generated client");
    let runtime = runtime_stats(root)?;
    let crates = bench_crates(root, compare, baseline.as_ref())?;
    let baseline = baseline.map(|b| b.label()).zip(crates.baseline);
    let report = Report { machine, codegen, ours: crates.ours, legacy: crates.legacy, baseline, runtime }.render();
    println!("{report}");
    fs::write(root.join("BENCHMARKS.md"), format!("{HEADER}\n{report}"))?;
    eprintln!("bench: wrote BENCHMARKS.md");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_release_rerun_is_asked_the_same() {
        let options = Options { compare: true, baseline: Some("HEAD~1".to_owned()) };
        assert_eq!(options.to_args(), ["bench", "--compare", "--baseline", "HEAD~1"]);
        assert_eq!(Options::default().to_args(), ["bench"]);
    }
}
