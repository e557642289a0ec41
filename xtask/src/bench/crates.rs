//! The generated crate (2–4 in the list of [`super`]): its size and `cargo check` / `cargo build`
//! cost, with `--baseline` that of the same crate at another revision, and with `--compare` the
//! legacy crate's, their runs alternating.

use super::baseline::Baseline;
use super::measure::{Measured, log_dir, measure, median, run_ok};
use super::{CARGO_BUDGET, CARGO_RUNS, GENERATED_PACKAGE, LEGACY_DEFAULT_TAG, LEGACY_PACKAGE, LEGACY_VERSION, Result};
use crate::cargo::cargo_in;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Size and build cost of one crate.
pub(super) struct CrateStats {
    pub(super) lines: usize,
    /// The lines its default features compile: the legacy crate's default tag, or ours without
    /// the `fake` feature's files.
    pub(super) compiled_lines: Option<usize>,
    pub(super) check: Runs,
    pub(super) build: Runs,
    /// Ours: `cargo check` with the `fake` feature on, and the default check its runs alternated
    /// with (compared with each other, not with `check`, which ran in other rounds).
    pub(super) check_fake: Option<(Runs, Runs)>,
    /// Ours: the debug build as a workspace member builds it, with rustc's incremental cache
    /// (the timed runs above build every crate as a dependency is built, without one).
    pub(super) build_incremental: Option<Runs>,
}

/// The files of the generated crate that only its `fake` feature compiles.
const FAKE_FILES: [&str; 2] = ["fake.rs", "runtime/fake.rs"];

/// Repeated `cargo` runs: median wall and CPU time, largest peak RSS.
pub(super) struct Runs {
    pub(super) median: Duration,
    pub(super) cpu_median: Duration,
    pub(super) peak_rss_kib: u64,
    pub(super) count: usize,
}

/// The crates measured, each `None` when its option was not given.
pub(super) struct Crates {
    pub(super) ours: CrateStats,
    /// `--baseline`: the generated crate as committed at that revision.
    pub(super) baseline: Option<CrateStats>,
    /// `--compare`: the legacy crate.
    pub(super) legacy: Option<CrateStats>,
}

/// Which crate a job measures: how its lines are counted and where its stats go.
#[derive(Clone, Copy)]
enum Which {
    Ours,
    Baseline,
    Legacy,
}

/// One crate to check and build alone: `package` of the Cargo project in `dir`.
#[derive(Clone)]
struct CargoJob {
    which: Which,
    dir: PathBuf,
    target: PathBuf,
    package: &'static str,
    /// Names the job in progress lines and log files: ours and the baseline share a package name.
    label: String,
    /// `--features` to check it with.
    features: Option<&'static str>,
    /// With rustc's incremental cache, as cargo builds a workspace member: off for the compared
    /// runs, since users build the crate as a dependency (cargo never builds those
    /// incrementally), and the legacy crate is one in its scratch project.
    incremental: bool,
}

impl CargoJob {
    fn cargo(&self, args: &[&str]) -> std::process::Command {
        let mut command = cargo_in(&self.dir, &self.target, args);
        command.env("CARGO_INCREMENTAL", if self.incremental { "1" } else { "0" });
        command
    }
}

/// The generated crate and, with `baseline` and `compare`, the same crate at another revision and
/// the legacy one: their runs alternate, so all see the same machine.
pub(super) fn bench_crates(root: &Path, compare: bool, baseline: Option<&Baseline>) -> Result<Crates> {
    let jobs = cargo_jobs(root, compare, baseline)?;
    for job in &jobs {
        build_dependencies(job)?;
    }
    let checks = time_cargo(&jobs, "check")?;
    let builds = time_cargo(&jobs, "build")?;
    // The `fake` feature on, alternating with the default check it is compared with.
    let with_fake = CargoJob { features: Some("fake"), label: format!("{GENERATED_PACKAGE}+fake"), ..jobs[0].clone() };
    let mut fake_checks = time_cargo(&[jobs[0].clone(), with_fake], "check")?.into_iter();
    let fake_pair = fake_checks.next().zip(fake_checks.next());
    let incremental =
        CargoJob { incremental: true, label: format!("{GENERATED_PACKAGE}+incremental"), ..jobs[0].clone() };
    let mut build_incremental = time_cargo(&[incremental], "build")?.pop();
    let (mut ours, mut baseline, mut legacy, mut fake_pair) = (None, None, None, fake_pair);
    for (job, (check, build)) in jobs.iter().zip(checks.into_iter().zip(builds)) {
        let slot = match job.which {
            Which::Ours => &mut ours,
            Which::Baseline => &mut baseline,
            Which::Legacy => &mut legacy,
        };
        let (check_fake, build_incremental) = match job.which {
            Which::Ours => (fake_pair.take(), build_incremental.take()),
            _ => (None, None),
        };
        let mut stats = crate_stats(job, check, build, check_fake)?;
        stats.build_incremental = build_incremental;
        *slot = Some(stats);
    }
    Ok(Crates { ours: ours.ok_or("no cargo runs")?, baseline, legacy })
}

/// A job's runs with its size: the crate's `src/` for ours and the baseline, the downloaded
/// source for the legacy crate.
fn crate_stats(job: &CargoJob, check: Runs, build: Runs, check_fake: Option<(Runs, Runs)>) -> Result<CrateStats> {
    let (lines, compiled_lines) = match job.which {
        Which::Ours => {
            let src = job.dir.join("generated/src");
            let all = rust_lines(&src)?;
            let mut fake = 0;
            for file in FAKE_FILES.iter().map(|f| src.join(f)).filter(|f| f.exists()) {
                fake += rust_lines_of(&file)?;
            }
            (all, Some(all - fake))
        }
        Which::Baseline => (rust_lines(&job.dir.join("src"))?, None),
        Which::Legacy => {
            let (lines, compiled) = legacy_lines()?;
            (lines, Some(compiled))
        }
    };
    Ok(CrateStats { lines, compiled_lines, check, build, check_fake, build_incremental: None })
}

/// Ours first, then the baseline (next to ours, as they are the pair compared most closely), then
/// the legacy crate (whose project is written here; the baseline's is extracted already).
fn cargo_jobs(root: &Path, compare: bool, baseline: Option<&Baseline>) -> Result<Vec<CargoJob>> {
    let ours = CargoJob {
        which: Which::Ours,
        dir: root.to_owned(),
        target: root.join("target/bench"),
        package: GENERATED_PACKAGE,
        label: GENERATED_PACKAGE.to_owned(),
        features: None,
        incremental: false,
    };
    let mut jobs = vec![ours];
    if let Some(baseline) = baseline {
        jobs.push(CargoJob {
            which: Which::Baseline,
            dir: baseline.crate_dir.clone(),
            target: Baseline::target_dir(root),
            package: GENERATED_PACKAGE,
            label: format!("{GENERATED_PACKAGE}@{}", baseline.short),
            features: None,
            incremental: false,
        });
    }
    if compare {
        eprintln!("bench: {LEGACY_PACKAGE} {LEGACY_VERSION} too (several minutes)");
        let project = root.join("target/bench-legacy");
        write_legacy_project(&project)?;
        jobs.push(CargoJob {
            which: Which::Legacy,
            target: project.join("target"),
            dir: project,
            package: LEGACY_PACKAGE,
            label: LEGACY_PACKAGE.to_owned(),
            features: None,
            incremental: false,
        });
    }
    Ok(jobs)
}

/// All the legacy crate's lines, and those of its default tag (what it compiles).
pub(super) fn legacy_lines() -> Result<(usize, usize)> {
    let source = legacy_source()?;
    let compiled = rust_lines(&source.join(LEGACY_DEFAULT_TAG))? + rust_lines_of(&source.join("lib.rs"))?;
    Ok((rust_lines(&source)?, compiled))
}

/// A scratch project depending on the legacy crate with its default features.
fn write_legacy_project(project: &Path) -> Result<()> {
    fs::create_dir_all(project.join("src"))?;
    let manifest = format!(
        "# Scratch project of `cargo xtask bench --compare`.\n[package]\nname = \"legacy-bench\"\n\
         version = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         {LEGACY_PACKAGE} = \"={LEGACY_VERSION}\"\n\n[workspace]\n"
    );
    write_if_changed(&project.join("Cargo.toml"), &manifest)?;
    write_if_changed(&project.join("src/lib.rs"), "")?;
    Ok(())
}

fn write_if_changed(path: &Path, contents: &str) -> io::Result<()> {
    if fs::read_to_string(path).is_ok_and(|existing| existing == contents) {
        return Ok(());
    }
    fs::write(path, contents)
}

/// The legacy crate's downloaded source: `$CARGO_HOME/registry/src/*/NAME-VERSION/src`.
fn legacy_source() -> Result<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let wanted = format!("{LEGACY_PACKAGE}-{LEGACY_VERSION}");
    for index in fs::read_dir(home.join("registry/src"))? {
        let source = index?.path().join(&wanted).join("src");
        if source.is_dir() {
            return Ok(source);
        }
    }
    Err(format!("{wanted} is not in {}", home.join("registry/src").display()).into())
}

/// `cargo check` and `cargo build` once each, so that the timed runs build `package` alone.
fn build_dependencies(job: &CargoJob) -> Result<()> {
    let logs = log_dir(&crate::workspace_root())?;
    for mode in ["check", "build"] {
        eprintln!("bench:   {}: dependencies ({mode})", job.label);
        let log = logs.join(format!("{}-{mode}-deps.log", job.label));
        run_ok(&mut job.cargo(&[mode, "-p", job.package]), &log)?;
    }
    Ok(())
}

/// `cargo clean -p` then `cargo MODE -p`, for each job in turn, [`CARGO_RUNS`] rounds (fewer
/// when they exceed [`CARGO_BUDGET`]).
fn time_cargo(jobs: &[CargoJob], mode: &str) -> Result<Vec<Runs>> {
    let logs = log_dir(&crate::workspace_root())?;
    let (started, mut samples) = (Instant::now(), vec![Vec::<Measured>::new(); jobs.len()]);
    for _ in 0..CARGO_RUNS {
        if started.elapsed() > CARGO_BUDGET {
            break;
        }
        for (job, samples) in jobs.iter().zip(&mut samples) {
            let (package, label) = (job.package, &job.label);
            run_ok(&mut job.cargo(&["clean", "-p", package]), &logs.join(format!("{label}-clean.log")))?;
            let log = logs.join(format!("{label}-{mode}.log"));
            let mut args = vec![mode, "-p", package];
            args.extend(job.features.iter().flat_map(|f| ["--features", *f]));
            let measured = measure(&mut job.cargo(&args), &log)?;
            eprintln!("bench:   {label}: cargo {mode} {:.1} s", measured.wall.as_secs_f64());
            samples.push(measured);
        }
    }
    Ok(samples.iter().map(|samples| summarize(samples)).collect())
}

fn summarize(samples: &[Measured]) -> Runs {
    Runs {
        median: median(samples.iter().map(|s| s.wall).collect()),
        cpu_median: median(samples.iter().map(|s| s.cpu).collect()),
        peak_rss_kib: samples.iter().map(|s| s.peak_rss_kib).max().unwrap_or(0),
        count: samples.len(),
    }
}

/// Lines in every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> io::Result<usize> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            total += rust_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            total += rust_lines_of(&path)?;
        }
    }
    Ok(total)
}

fn rust_lines_of(file: &Path) -> io::Result<usize> {
    Ok(fs::read_to_string(file)?.lines().count())
}
