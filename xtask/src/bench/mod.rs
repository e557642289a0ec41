//! `cargo xtask bench [--compare]`: the numbers the performance targets are judged by, measured in
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
//! 4. **Runtime** of the generated client: a 100-item `BackendCollection` page decoded through the
//!    client's own path against `serde_json::from_slice` of the same bytes (the floor), end to end
//!    through a loopback HTTP server and through an in-memory transport, and request building.
//!
//! Timing only means something in a release build: a debug build re-runs itself through
//! `cargo run --release --features bench-runtime` (the feature pulls in the generated crate, which
//! `cargo xtask codegen` must never need to compile).

mod codegen;
mod crates;
mod measure;
pub(crate) mod report;
mod runtime;

use codegen::{bench_codegen, child_codegen};
use crates::bench_crates;
use report::{HEADER, Machine, Report};
use runtime::runtime_stats;
use std::error::Error;
use std::fs;
use std::process::ExitCode;
use std::time::Duration;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// In-process codegen runs; the median counts.
const CODEGEN_RUNS: usize = 7;
/// `cargo check` / `cargo build` runs per crate; the median counts.
const CARGO_RUNS: usize = 3;
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

/// Runs the benchmarks (in release), or one codegen when this is the peak-RSS child.
pub fn run(compare: bool) -> ExitCode {
    if std::env::var_os(CHILD_ENV).is_some() {
        return exit(child_codegen());
    }
    if cfg!(debug_assertions) || !cfg!(feature = "bench-runtime") {
        return rerun_in_release(compare);
    }
    exit(bench(compare))
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

fn rerun_in_release(compare: bool) -> ExitCode {
    let mut args = vec!["bench".to_owned()];
    if compare {
        args.push("--compare".to_owned());
    }
    crate::cargo::rerun_in_release(&args, Some(FEATURE))
}

fn bench(compare: bool) -> Result<()> {
    let root = crate::workspace_root();
    let machine = Machine::describe();
    eprintln!("bench: codegen ({CODEGEN_RUNS} runs)");
    let codegen = bench_codegen(&root)?;
    eprintln!("bench: runtime of the generated client");
    let runtime = runtime_stats(&root)?;
    let (ours, legacy) = bench_crates(&root, compare)?;
    let report = Report { machine, codegen, ours, legacy, runtime }.render();
    println!("{report}");
    fs::write(root.join("BENCHMARKS.md"), format!("{HEADER}\n{report}"))?;
    eprintln!("bench: wrote BENCHMARKS.md");
    Ok(())
}
