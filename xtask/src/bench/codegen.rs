//! Codegen timing (1 in the list of [`super`]): the API Management Swagger generated in process,
//! phase by phase, against the floor of `serde_json` parsing every file it reads; side by side,
//! the same API from its OpenAPI 3 conversion (`../shared`, when present) against its own floor
//! (`serde_yaml` → `openapiv3`); and the Swagger job's peak RSS in a child process.

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
    /// `serde_json` parsing every file the Swagger job reads.
    pub(super) floor: Duration,
    pub(super) files: usize,
    pub(super) peak_rss_kib: u64,
    /// The OpenAPI 3 conversion of the same API, when `../shared` is there.
    pub(super) openapi3: Option<OpenApi3>,
}

/// Codegen from the OpenAPI 3 file: its total and its parse floor, medians.
pub(super) struct OpenApi3 {
    pub(super) total: Duration,
    pub(super) floor: Duration,
}

/// The same API as one OpenAPI 3 file (AutoRest's conversion), beside the project.
const OPENAPI3: &str = "../shared/spec/apimanagement/2024-05-01.yaml";

struct CodegenSample {
    timings: generator::Timings,
    write: Duration,
    total: Duration,
    files: usize,
}

pub(super) fn bench_codegen(root: &Path) -> Result<Codegen> {
    let (spec, _, options) = crate::default_job(root, None);
    let read = swagger_inputs(root)?;
    let openapi3 = Some(root.join(OPENAPI3)).filter(|p| p.exists());
    let out = scratch_dir("codegen");
    codegen_once(&spec, &options, &out)?; // warm-up: page cache, allocator
    json_floor(&read)?;
    let (mut samples, mut floors, mut others) = (Vec::new(), Vec::new(), Vec::new());
    // Alternated run by run, so load on the machine falls on both sides alike.
    for _ in 0..CODEGEN_RUNS {
        floors.push(json_floor(&read)?);
        samples.push(codegen_once(&spec, &options, &out)?);
        if let Some(path) = &openapi3 {
            let floor = yaml_floor(path)?;
            others.push((codegen_once(path, &options, &out)?.total, floor));
        }
    }
    let _ = fs::remove_dir_all(&out);
    let logs = log_dir(root)?;
    let exe = std::env::current_exe()?;
    let child = measure(Command::new(exe).arg("bench").env(CHILD_ENV, "1"), &logs.join("codegen-child.log"))?;
    let pick = |f: fn(&CodegenSample) -> Duration| median(samples.iter().map(f).collect());
    let openapi3 = (!others.is_empty()).then(|| OpenApi3 {
        total: median(others.iter().map(|o| o.0).collect()),
        floor: median(others.iter().map(|o| o.1).collect()),
    });
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
        openapi3,
    })
}

/// Every file the Swagger job reads: the version's folder (Swagger and examples) and common-types.
fn swagger_inputs(root: &Path) -> Result<Vec<std::path::PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(&root.join(crate::DEFAULT_SPEC), &mut files)?;
    walk(&root.join("spec/specification/common-types"), &mut files)?;
    files.sort();
    Ok(files)
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

/// The least a Swagger reader must do: read each file and parse it as JSON.
fn json_floor(files: &[std::path::PathBuf]) -> Result<Duration> {
    let started = Instant::now();
    for file in files {
        let text = fs::read_to_string(file)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // Published example files may be invalid JSON; reading them is the floor's work too.
        black_box(serde_json::from_str::<serde_json::Value>(text).ok());
    }
    Ok(started.elapsed())
}

/// The least an OpenAPI 3 reader must do: read the file and parse it into `openapiv3`.
fn yaml_floor(spec: &Path) -> Result<Duration> {
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
