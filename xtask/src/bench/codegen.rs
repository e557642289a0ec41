//! Codegen timing (1 in the list of [`super`]): the API Management spec generated in process,
//! phase by phase, against the parse floor (`serde_yaml` → `openapiv3`), and its peak RSS in a
//! child process.

use super::measure::{log_dir, measure, median, scratch_dir};
use super::{CHILD_ENV, CODEGEN_RUNS, Result};
use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Medians of the in-process runs, and the child's peak RSS.
pub(super) struct Codegen {
    /// `emit` and `format` are CPU time summed over the generator's worker threads.
    pub(super) timings: generator::Timings,
    /// Wall time of emit and format together: the total less the other phases.
    pub(super) emit_format: Duration,
    pub(super) write: Duration,
    pub(super) total: Duration,
    pub(super) floor: Duration,
    pub(super) files: usize,
    pub(super) peak_rss_kib: u64,
}

struct CodegenSample {
    timings: generator::Timings,
    write: Duration,
    total: Duration,
    files: usize,
}

pub(super) fn bench_codegen(root: &Path) -> Result<Codegen> {
    let (spec, _, options) = crate::default_job(root, None);
    let out = scratch_dir("codegen");
    codegen_once(&spec, &options, &out)?; // warm-up: page cache, allocator
    parse_floor(&spec)?;
    let (mut samples, mut floors) = (Vec::new(), Vec::new());
    for _ in 0..CODEGEN_RUNS {
        floors.push(parse_floor(&spec)?);
        samples.push(codegen_once(&spec, &options, &out)?);
    }
    let _ = fs::remove_dir_all(&out);
    let logs = log_dir(root)?;
    let exe = std::env::current_exe()?;
    let child = measure(Command::new(exe).arg("bench").env(CHILD_ENV, "1"), &logs.join("codegen-child.log"))?;
    let pick = |f: fn(&CodegenSample) -> Duration| median(samples.iter().map(f).collect());
    Ok(Codegen {
        timings: generator::Timings {
            parse: pick(|s| s.timings.parse),
            model: pick(|s| s.timings.model),
            emit: pick(|s| s.timings.emit),
            format: pick(|s| s.timings.format),
        },
        emit_format: pick(|s| s.total.saturating_sub(s.timings.parse + s.timings.model + s.write)),
        write: pick(|s| s.write),
        total: pick(|s| s.total),
        floor: median(floors),
        files: samples.first().map_or(0, |s| s.files),
        peak_rss_kib: child.peak_rss_kib,
    })
}

/// The whole job, as `cargo xtask codegen` does it, but into an empty `out`.
fn codegen_once(spec: &Path, options: &generator::Options, out: &Path) -> Result<CodegenSample> {
    let _ = fs::remove_dir_all(out);
    let started = Instant::now();
    let (generated, timings) = generator::generate_timed(spec, options)?;
    let write_started = Instant::now();
    generator::output::write(out, &generated.files)?;
    let write = write_started.elapsed();
    let total = started.elapsed();
    Ok(CodegenSample { timings, write, total, files: generated.files.len() })
}

/// The least any generator must do: read the file and parse it into `openapiv3`.
fn parse_floor(spec: &Path) -> Result<Duration> {
    let started = Instant::now();
    let text = fs::read_to_string(spec)?;
    let document: openapiv3::OpenAPI = serde_yaml::from_str(&text)?;
    let elapsed = started.elapsed();
    black_box(document);
    Ok(elapsed)
}

/// The peak-RSS child: one codegen, then exit.
pub(super) fn child_codegen() -> Result<()> {
    let (spec, _, options) = crate::default_job(&crate::workspace_root(), None);
    let out = scratch_dir("codegen-child");
    let result = codegen_once(&spec, &options, &out);
    let _ = fs::remove_dir_all(&out);
    result.map(|_| ())
}
