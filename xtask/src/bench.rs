//! `cargo xtask bench [--compare]`: the numbers the performance targets are judged by, measured in
//! one run on this machine and written to `BENCHMARKS.md` (and printed).
//!
//! What is measured, and why:
//!
//! 1. **Codegen** of `spec/apimanagement/2024-05-01.yaml`, in process, median of [`CODEGEN_RUNS`]:
//!    each phase of [`generator::generate_timed`] plus [`generator::output::write`] into a temp dir,
//!    against the *parse floor* (`serde_yaml` → `openapiv3::OpenAPI` of the same file, no more),
//!    interleaved with it so that both see the same machine. Peak RSS comes from one codegen in a
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

use std::error::Error;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// In-process codegen runs; the median counts.
const CODEGEN_RUNS: usize = 7;
/// `cargo check` / `cargo build` runs per crate; the median counts.
const CARGO_RUNS: usize = 3;
/// A crate whose runs take longer than this in total stops early (the table says how many ran).
const CARGO_BUDGET: Duration = Duration::from_secs(15 * 60);
/// Set in the child process that measures codegen's peak RSS.
const CHILD_ENV: &str = "XTASK_BENCH_CHILD";
/// Set when re-running in release, so a misconfigured build cannot loop.
const REEXEC_ENV: &str = "XTASK_BENCH_RELEASE";
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
    if std::env::var_os(REEXEC_ENV).is_some() {
        eprintln!("error: the release re-run is still a debug build or lacks the `{FEATURE}` feature");
        return ExitCode::FAILURE;
    }
    eprintln!("bench: timing needs a release build; running `cargo run --release -p xtask --features {FEATURE}`");
    let mut command = cargo();
    command.current_dir(super::workspace_root()).env(REEXEC_ENV, "1");
    command.args(["run", "--release", "-p", "xtask", "--features", FEATURE, "--", "bench"]);
    if compare {
        command.arg("--compare");
    }
    match command.status() {
        Ok(status) => ExitCode::from(status.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(1)),
        Err(error) => {
            eprintln!("error: cannot run cargo: {error}");
            ExitCode::FAILURE
        }
    }
}

fn bench(compare: bool) -> Result<()> {
    let root = super::workspace_root();
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

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// One finished child process: wall time and peak resident set.
#[derive(Debug, Clone, Copy)]
struct Measured {
    wall: Duration,
    peak_rss_kib: u64,
}

/// Runs `command` to completion (output to `log`) and measures it.
fn measure(command: &mut Command, log: &Path) -> Result<Measured> {
    let output = File::create(log)?;
    command.stdin(Stdio::null()).stdout(output.try_clone()?).stderr(output);
    let started = Instant::now();
    let child = command.spawn()?;
    let (status, usage) = wait4(child.id())?;
    let wall = started.elapsed();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("{command:?} failed; see {}", log.display()).into());
    }
    Ok(Measured { wall, peak_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0) })
}

/// `waitpid` that also returns the child's resource usage. On Linux, `ru_maxrss` (KiB) is the
/// larger of the child's own peak and that of every descendant it waited for.
fn wait4(pid: u32) -> Result<(i32, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid)?;
    let mut status = 0;
    // SAFETY: `rusage` is plain integers; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for; both pointers are to live locals.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            return Ok((status, usage));
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error.into());
        }
    }
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `cargo ARGS` in `dir` with its own target dir, so benchmarks never clean the user's.
fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = cargo();
    command.current_dir(dir).env("CARGO_TARGET_DIR", target).args(args);
    command
}

fn run_ok(command: &mut Command, log: &Path) -> Result<()> {
    measure(command, log).map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// 1. Codegen
// ---------------------------------------------------------------------------------------------

/// Medians of the in-process runs, and the child's peak RSS.
struct Codegen {
    /// `emit` and `format` are CPU time summed over the generator's worker threads.
    timings: generator::Timings,
    /// Wall time of emit and format together: the total less the other phases.
    emit_format: Duration,
    write: Duration,
    total: Duration,
    floor: Duration,
    files: usize,
    peak_rss_kib: u64,
}

struct CodegenSample {
    timings: generator::Timings,
    write: Duration,
    total: Duration,
    files: usize,
}

fn bench_codegen(root: &Path) -> Result<Codegen> {
    let (spec, _, options) = super::default_job(root, None);
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
fn child_codegen() -> Result<()> {
    let (spec, _, options) = super::default_job(&super::workspace_root(), None);
    let out = scratch_dir("codegen-child");
    let result = codegen_once(&spec, &options, &out);
    let _ = fs::remove_dir_all(&out);
    result.map(|_| ())
}

fn scratch_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xtask-bench-{name}-{}", std::process::id()))
}

fn log_dir(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/bench/logs");
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

// ---------------------------------------------------------------------------------------------
// 2–3. Crate size and build cost
// ---------------------------------------------------------------------------------------------

/// Size and build cost of one crate.
struct CrateStats {
    lines: usize,
    /// For the legacy crate: the lines its default features compile.
    compiled_lines: Option<usize>,
    check: Runs,
    build: Runs,
}

/// Repeated `cargo` runs: median wall time, largest peak RSS.
struct Runs {
    median: Duration,
    peak_rss_kib: u64,
    count: usize,
}

/// One crate to check and build alone: `package` of the Cargo project in `dir`.
struct CargoJob {
    dir: PathBuf,
    target: PathBuf,
    package: &'static str,
}

/// The generated crate and, with `compare`, the legacy one: their runs alternate, so both see
/// the same machine.
fn bench_crates(root: &Path, compare: bool) -> Result<(CrateStats, Option<CrateStats>)> {
    let mut jobs =
        vec![CargoJob { dir: root.to_owned(), target: root.join("target/bench"), package: GENERATED_PACKAGE }];
    if compare {
        eprintln!("bench: {LEGACY_PACKAGE} {LEGACY_VERSION} too (several minutes)");
        let project = root.join("target/bench-legacy");
        write_legacy_project(&project)?;
        jobs.push(CargoJob { target: project.join("target"), dir: project, package: LEGACY_PACKAGE });
    }
    for job in &jobs {
        build_dependencies(job)?;
    }
    let checks = time_cargo(&jobs, "check")?;
    let builds = time_cargo(&jobs, "build")?;
    let mut runs = checks.into_iter().zip(builds);
    let (check, build) = runs.next().ok_or("no cargo runs")?;
    let ours = CrateStats { lines: rust_lines(&root.join("generated/src"))?, compiled_lines: None, check, build };
    let legacy = match runs.next() {
        Some((check, build)) => {
            let (lines, compiled) = legacy_lines()?;
            Some(CrateStats { lines, compiled_lines: Some(compiled), check, build })
        }
        None => None,
    };
    Ok((ours, legacy))
}

/// All the legacy crate's lines, and those of its default tag (what it compiles).
fn legacy_lines() -> Result<(usize, usize)> {
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
    let logs = log_dir(&super::workspace_root())?;
    for mode in ["check", "build"] {
        eprintln!("bench:   {}: dependencies ({mode})", job.package);
        let log = logs.join(format!("{}-{mode}-deps.log", job.package));
        run_ok(&mut cargo_in(&job.dir, &job.target, &[mode, "-p", job.package]), &log)?;
    }
    Ok(())
}

/// `cargo clean -p` then `cargo MODE -p`, for each job in turn, [`CARGO_RUNS`] rounds (fewer
/// when they exceed [`CARGO_BUDGET`]).
fn time_cargo(jobs: &[CargoJob], mode: &str) -> Result<Vec<Runs>> {
    let logs = log_dir(&super::workspace_root())?;
    let (started, mut samples) = (Instant::now(), vec![Vec::<Measured>::new(); jobs.len()]);
    for _ in 0..CARGO_RUNS {
        if started.elapsed() > CARGO_BUDGET {
            break;
        }
        for (job, samples) in jobs.iter().zip(&mut samples) {
            let (dir, target, package) = (&job.dir, &job.target, job.package);
            run_ok(&mut cargo_in(dir, target, &["clean", "-p", package]), &logs.join(format!("{package}-clean.log")))?;
            let log = logs.join(format!("{package}-{mode}.log"));
            let measured = measure(&mut cargo_in(dir, target, &[mode, "-p", package]), &log)?;
            eprintln!("bench:   {package}: cargo {mode} {:.1} s", measured.wall.as_secs_f64());
            samples.push(measured);
        }
    }
    Ok(samples.iter().map(|samples| summarize(samples)).collect())
}

fn summarize(samples: &[Measured]) -> Runs {
    Runs {
        median: median(samples.iter().map(|s| s.wall).collect()),
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

// ---------------------------------------------------------------------------------------------
// 4. Runtime of the generated client
// ---------------------------------------------------------------------------------------------

/// Per-page and per-call times (medians of batch means).
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
struct Runtime {
    page_bytes: usize,
    /// `serde_json::from_slice::<BackendCollection>`: the floor.
    floor: Duration,
    /// `Response::<BackendCollection>::into_model` of a response holding the same bytes.
    into_model: Duration,
    /// The pager's `nextLink` scan (the generated runtime's own `scan_string_field`).
    scan: Duration,
    /// What the pager does with a page body: the scan, then `into_model`.
    decode_path: Duration,
    /// `list_by_service` → `into_pages().try_next()` → `into_model()`, in-memory transport.
    page_in_memory: Duration,
    /// The same through reqwest and a loopback HTTP/1.1 server.
    page_loopback: Duration,
    /// `runtime::Core::request` for the `Backend_Get` path (validation, encoding, URL).
    request: Duration,
    /// `backend().get(…)` → `into_model()`, in-memory transport and loopback HTTP.
    get_in_memory: Duration,
    get_loopback: Duration,
}

#[cfg(feature = "bench-runtime")]
fn runtime_stats(root: &Path) -> Result<Runtime> {
    client_runtime::measure(root)
}

#[cfg(not(feature = "bench-runtime"))]
fn runtime_stats(_: &Path) -> Result<Runtime> {
    Err(format!("xtask was built without the `{FEATURE}` feature").into())
}

/// One benchmarked operation; [`op`] makes one from any closure returning a `Result`.
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
type Op<'a> = Box<dyn FnMut() -> Result<()> + 'a>;

#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
fn op<'a, T>(mut f: impl FnMut() -> Result<T> + 'a) -> Op<'a> {
    Box::new(move || f().map(|value| drop(black_box(value))))
}

/// A benchmark loop of our own: each op is warmed up and its batch sized to `BATCH`; then the
/// ops' batches run in turn, `BATCHES` rounds, so ops compared with each other see the same
/// machine. Returns each op's median batch mean (time per call).
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
fn per_call<const N: usize>(mut ops: [Op<'_>; N]) -> Result<[Duration; N]> {
    const BATCH: Duration = Duration::from_millis(50);
    const BATCHES: usize = 15;
    let mut iterations = [0u32; N];
    for (op, iterations) in ops.iter_mut().zip(&mut iterations) {
        *iterations = calibrate(op, BATCH)?;
    }
    let mut means: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(BATCHES));
    for _ in 0..BATCHES {
        for ((op, &iterations), means) in ops.iter_mut().zip(&iterations).zip(&mut means) {
            let started = Instant::now();
            for _ in 0..iterations {
                op()?;
            }
            means.push(started.elapsed() / iterations);
        }
    }
    Ok(means.map(median))
}

/// Warms `op` up for a while and returns how many calls fill `batch`.
#[cfg_attr(not(feature = "bench-runtime"), allow(dead_code))]
fn calibrate(op: &mut Op<'_>, batch: Duration) -> Result<u32> {
    const WARM_UP: Duration = Duration::from_millis(200);
    let (started, mut calls) = (Instant::now(), 0u32);
    while calls < 3 || started.elapsed() < WARM_UP {
        op()?;
        calls += 1;
    }
    let once = (started.elapsed() / calls).max(Duration::from_nanos(20));
    Ok(u32::try_from(batch.as_nanos() / once.as_nanos()).unwrap_or(u32::MAX).clamp(5, 1_000_000))
}

#[cfg(feature = "bench-runtime")]
mod client_runtime {
    //! The generated client against an in-memory transport and a loopback server.

    use super::{Result, Runtime, op, per_call};
    use api_management_client::models::{BackendCollection, BackendContract};
    use api_management_client::runtime::{Core, CoreOptions, Path as UrlPath, Rule};
    use api_management_client::{ApiManagementClient, ApiManagementClientOptions};
    use azure_core::Bytes;
    use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
    use azure_core::http::headers::Headers;
    use azure_core::http::{
        AsyncRawResponse, ClientOptions, HttpClient, RawResponse, Request, Response, StatusCode, Transport,
    };
    use futures::TryStreamExt;
    use serde_json::{Value, json};
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::path::Path;
    use std::sync::Arc;
    use std::time::Duration;

    const EXAMPLE: &str = "spec/apimanagement/examples/ApiManagementListBackends.json";
    const PAGE_ITEMS: usize = 100;
    const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
    const SERVICE: &str = "/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1";
    static BACKEND_GET: UrlPath = UrlPath::with_rules(
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service/{serviceName}/backends/{backendId}",
        &[&SUBSCRIPTION_ID, &RESOURCE_GROUP_NAME, &SERVICE_NAME, &BACKEND_ID],
    );

    // The generated crate's `clients::rules` is private: these copy the ones `Backend_Get` uses.
    static SUBSCRIPTION_ID: Rule = Rule::new("subscriptionId");
    static RESOURCE_GROUP_NAME: Rule = Rule::new("resourceGroupName").min_len(1).max_len(90);
    static SERVICE_NAME: Rule =
        Rule::new("serviceName").min_len(1).max_len(50).pattern("^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$");
    static BACKEND_ID: Rule = Rule::new("backendId").min_len(1).max_len(80);

    /// The bodies every server answers with: a page for `…/backends`, one item otherwise.
    #[derive(Debug, Clone)]
    struct Bodies {
        page: Bytes,
        item: Bytes,
    }

    impl Bodies {
        fn for_path(&self, path: &str) -> Bytes {
            if path.ends_with("/backends") { self.page.clone() } else { self.item.clone() }
        }
    }

    pub(super) fn measure(root: &Path) -> Result<Runtime> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let endpoint = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let bodies = bodies(root, &endpoint)?;
        serve(listener, bodies.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let loopback = client(&endpoint, ClientOptions::default())?;
        let transport = Transport::new(Arc::new(InMemory(bodies.clone())));
        let in_memory = client(&endpoint, ClientOptions { transport: Some(transport), ..Default::default() })?;
        let core = core(&endpoint)?;
        let page = &bodies.page;
        let [floor, into_model, scan, decode_path, page_in_memory] = per_call([
            op(|| Ok(serde_json::from_slice::<BackendCollection>(page)?)),
            op(|| decode(page)),
            op(|| Ok(api_management_client::runtime::scan_string_field(page, "nextLink"))),
            op(|| Ok((api_management_client::runtime::scan_string_field(page, "nextLink"), decode(page)?))),
            op(|| runtime.block_on(first_page(&in_memory))),
        ])?;
        let [page_loopback, request, get_in_memory, get_loopback] = per_call([
            op(|| runtime.block_on(first_page(&loopback))),
            op(|| build_request(&core)),
            op(|| runtime.block_on(get(&in_memory))),
            op(|| runtime.block_on(get(&loopback))),
        ])?;
        Ok(Runtime {
            page_bytes: page.len(),
            floor,
            into_model,
            scan,
            decode_path,
            page_in_memory,
            page_loopback,
            request,
            get_in_memory,
            get_loopback,
        })
    }

    fn decode(body: &Bytes) -> Result<BackendCollection> {
        let raw = RawResponse::from_bytes(StatusCode::Ok, Headers::new(), body.clone());
        Ok(Response::<BackendCollection>::from(raw).into_model()?)
    }

    async fn first_page(client: &ApiManagementClient) -> Result<BackendCollection> {
        let mut pages = client.backend().list_by_service("rg1", "apimService1", None)?.into_pages();
        let page = pages.try_next().await?.ok_or("the pager returned no page")?;
        Ok(page.into_model()?)
    }

    async fn get(client: &ApiManagementClient) -> Result<BackendContract> {
        Ok(client.backend().get("rg1", "apimService1", "backend-000", None).await?.into_model()?)
    }

    fn build_request(core: &Core) -> Result<()> {
        // The client-level `subscriptionId` comes from the core, as in a generated method.
        let path = ["rg1", "apimService1", "backend-000"];
        std::hint::black_box(core.get(&BACKEND_GET, &path).finish()?);
        Ok(())
    }

    fn client(endpoint: &str, client_options: ClientOptions) -> Result<ApiManagementClient> {
        let options =
            ApiManagementClientOptions { endpoint: endpoint.to_owned(), client_options, ..Default::default() };
        Ok(ApiManagementClient::new(SUBSCRIPTION, Arc::new(FakeCredential), Some(options))?)
    }

    fn core(endpoint: &str) -> Result<Arc<Core>> {
        let options = CoreOptions {
            crate_name: "bench",
            crate_version: "0.0.0",
            endpoint: endpoint.to_owned(),
            api_version: "2024-05-01".to_owned(),
            client_options: ClientOptions::default(),
            poll_interval: Duration::from_secs(30),
            client_values: vec![(&SUBSCRIPTION_ID, SUBSCRIPTION.to_owned())],
            path_rules: |_| None,
        };
        Ok(Core::new(Arc::new(FakeCredential), options)?)
    }

    /// The example's backends repeated to [`PAGE_ITEMS`] under distinct names, with a `nextLink`
    /// on the same origin (the pager refuses others); and one item for `get`.
    fn bodies(root: &Path, endpoint: &str) -> Result<Bodies> {
        let example: Value = serde_json::from_slice(&std::fs::read(root.join(EXAMPLE))?)?;
        let items = example
            .pointer("/responses/200/body/value")
            .and_then(Value::as_array)
            .filter(|items| !items.is_empty())
            .ok_or_else(|| format!("{EXAMPLE} has no responses.200.body.value items"))?;
        let value: Vec<Value> = (0..PAGE_ITEMS).map(|i| renamed(&items[i % items.len()], i)).collect();
        let next_link =
            format!("{endpoint}/subscriptions/{SUBSCRIPTION}{SERVICE}/backends?api-version=2024-05-01&$skiptoken=2");
        let page = json!({ "value": value, "count": PAGE_ITEMS, "nextLink": next_link });
        Ok(Bodies { page: serde_json::to_vec(&page)?.into(), item: serde_json::to_vec(&renamed(&items[0], 0))?.into() })
    }

    fn renamed(item: &Value, index: usize) -> Value {
        let name = format!("backend-{index:03}");
        let mut item = item.clone();
        if let Some((parent, _)) = item.get("id").and_then(Value::as_str).and_then(|id| id.rsplit_once('/')) {
            item["id"] = Value::from(format!("{parent}/{name}"));
        }
        item["name"] = Value::from(name);
        item
    }

    /// A credential that never calls anything.
    #[derive(Debug)]
    struct FakeCredential;

    #[async_trait::async_trait]
    impl TokenCredential for FakeCredential {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            let expires = azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1);
            Ok(AccessToken::new(Secret::new("bench-token"), expires))
        }
    }

    /// A transport answering from memory: the client's own cost without sockets.
    #[derive(Debug)]
    struct InMemory(Bodies);

    #[async_trait::async_trait]
    impl HttpClient for InMemory {
        async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
            let mut headers = Headers::new();
            headers.insert("content-type", "application/json");
            Ok(AsyncRawResponse::from_bytes(StatusCode::Ok, headers, self.0.for_path(request.url().path())))
        }
    }

    /// A minimal keep-alive HTTP/1.1 server on the loopback address: every GET gets a 200 with the
    /// body for its path. It lives as long as this process, which ends when the benchmark does.
    fn serve(listener: TcpListener, bodies: Bodies) {
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let bodies = bodies.clone();
                std::thread::spawn(move || answer(stream, &bodies));
            }
        });
    }

    fn answer(mut stream: TcpStream, bodies: &Bodies) -> std::io::Result<()> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let (mut pending, mut buffer) = (Vec::new(), [0u8; 8192]);
        loop {
            let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") else {
                let read = stream.read(&mut buffer)?;
                if read == 0 {
                    return Ok(());
                }
                pending.extend_from_slice(&buffer[..read]);
                continue;
            };
            let head = String::from_utf8_lossy(&pending[..end]).into_owned();
            pending.drain(..end + 4);
            let target = head.split_whitespace().nth(1).unwrap_or("/");
            let body = bodies.for_path(target.split('?').next().unwrap_or(target));
            let mut response =
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
                    .into_bytes();
            response.extend_from_slice(&body);
            stream.write_all(&response)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const HEADER: &str = "# Benchmarks

Written by `cargo xtask bench --compare` (`cargo xtask bench` leaves out the legacy crate); run it
again to refresh this file. It rebuilds `xtask` in release with the `bench-runtime` feature, then
measures everything below in one run on one machine:

- **Codegen** of `spec/apimanagement/2024-05-01.yaml`, in process (median of 7), phase by phase,
  against the parse floor: reading the file and `serde_yaml` → `openapiv3::OpenAPI`, nothing else.
  Peak RSS is one codegen in a child process.
- **The generated crate** `api_management_client`: lines of Rust under `generated/src`, and
  `cargo check` / debug `cargo build` of that crate alone (dependencies built first,
  `cargo clean -p` before each run, target dir `target/bench`). Peak RSS is `ru_maxrss` from
  `wait4` on cargo, which includes the rustc it ran.
- **The legacy crate** `azure_mgmt_apimanagement` 0.21.0 (crates.io, default features), the same
  way in `target/bench-legacy/`, its runs alternating with ours so the ratios hold on a noisy
  machine.
- **Runtime**: a 100-item `BackendCollection` page (the spec example's backends, renamed, plus a
  `nextLink`) decoded through the client against `serde_json::from_slice` of the same bytes;
  the operations compared take turns, batch by batch (15 rounds of ~50 ms
  batches after a warm-up), and each time is the median batch mean.

Absolute times move with whatever else runs on the machine (the load average is recorded
below); the ratios are the robust numbers, as both sides of each are measured in the same run.
";

struct Machine {
    cores: usize,
    cpu: String,
    memory: String,
    rustc: String,
    date: String,
    load_at_start: String,
}

impl Machine {
    fn describe() -> Self {
        let proc = |file: &str, key: &str| {
            fs::read_to_string(file).ok().and_then(|text| {
                text.lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_owned())
            })
        };
        let memory = proc("/proc/meminfo", "MemTotal")
            .and_then(|kib| kib.trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or_else(|| "unknown".to_owned(), |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0));
        let rustc =
            Command::new("rustc").arg("-V").output().ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu: proc("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown CPU".to_owned()),
            memory,
            rustc: rustc.unwrap_or_else(|| "rustc (unknown version)".to_owned()),
            date: utc_now(),
            load_at_start: load_average(),
        }
    }
}

/// The 1-minute load average: how much else was running (2 means two busy processes).
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// `YYYY-MM-DD HH:MM UTC` from the system clock.
fn utc_now() -> String {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days(i64::try_from(seconds / 86_400).unwrap_or(0));
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", seconds % 86_400 / 3600, seconds % 3600 / 60)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

struct Report {
    machine: Machine,
    codegen: Codegen,
    ours: CrateStats,
    legacy: Option<CrateStats>,
    runtime: Runtime,
}

/// The targets from the performance issue: (target, measured, met?). `None` is "not measured".
type Target = (&'static str, String, Option<bool>);

const LINES_TARGET: usize = 35_000;
const PEAK_TARGET_MB: f64 = 800.0;

impl Report {
    fn render(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        let _ = writeln!(
            out,
            "Measured {} on {} cores ({}), {} memory; {}. Load average {} at the start, {} at the end.\n",
            m.date,
            m.cores,
            m.cpu,
            m.memory,
            m.rustc,
            m.load_at_start,
            load_average()
        );
        self.render_targets(&mut out);
        self.render_codegen(&mut out);
        self.render_crates(&mut out);
        self.render_runtime(&mut out);
        out
    }

    fn targets(&self) -> Vec<Target> {
        let (c, r) = (&self.codegen, &self.runtime);
        let codegen_ratio = ratio(c.total, c.floor);
        let decode_ratio = ratio(r.decode_path, r.floor);
        let peak_mb = mb(self.ours.check.peak_rss_kib.max(self.ours.build.peak_rss_kib));
        let check = self.legacy.as_ref().map(|legacy| ratio(self.ours.check.median, legacy.check.median));
        vec![
            ("codegen total ≤ 5 × the parse floor", format!("{codegen_ratio:.2} ×"), Some(codegen_ratio <= 5.0)),
            (
                "generated crate ≤ 35,000 lines of Rust",
                thousands(self.ours.lines),
                Some(self.ours.lines <= LINES_TARGET),
            ),
            (
                "its `cargo check` ≤ 1/3 of the legacy crate's",
                check.map_or_else(|| "n/a (run with --compare)".to_owned(), |r| format!("{r:.2} ×")),
                check.map(|r| r <= 1.0 / 3.0),
            ),
            ("its peak memory (check or build) ≤ 800 MB", format!("{peak_mb:.0} MB"), Some(peak_mb <= PEAK_TARGET_MB)),
            ("page decoding ≤ 1.1 × the serde_json floor", format!("{decode_ratio:.2} ×"), Some(decode_ratio <= 1.1)),
        ]
    }

    fn render_targets(&self, out: &mut String) {
        let _ = writeln!(out, "## Targets\n\n| target | measured | met |\n| --- | --- | --- |");
        for (target, measured, met) in self.targets() {
            let mark = match met {
                Some(true) => "✔",
                Some(false) => "✘",
                None => "n/a",
            };
            let _ = writeln!(out, "| {target} | {measured} | {mark} |");
        }
        out.push('\n');
    }

    fn render_codegen(&self, out: &mut String) {
        let c = &self.codegen;
        let t = &c.timings;
        let _ = writeln!(out, "## Codegen (median of {CODEGEN_RUNS} in-process runs, {} files)\n", c.files);
        let _ = writeln!(out, "| phase | time | × parse floor |\n| --- | --: | --: |");
        let rows = [
            ("parse (YAML → raw tree → `openapiv3`)", t.parse),
            ("model (lowering)", t.model),
            ("emit + format (wall: total less the other phases)", c.emit_format),
            ("· emit (token streams), CPU time over worker threads", t.emit),
            ("· format (prettyplease), CPU time over worker threads", t.format),
            ("write (into an empty temp dir)", c.write),
            ("**total**", c.total),
            ("parse floor (`serde_yaml` → `openapiv3::OpenAPI`)", c.floor),
        ];
        for (phase, time) in rows {
            let _ = writeln!(out, "| {phase} | {} | {:.2} |", duration(time), ratio(time, c.floor));
        }
        let _ = writeln!(out, "| peak RSS (one codegen, child process) | {:.0} MB | |\n", mb(c.peak_rss_kib));
    }

    fn render_crates(&self, out: &mut String) {
        let (ours, legacy) = (&self.ours, self.legacy.as_ref());
        let _ = writeln!(out, "## Generated crate vs legacy crate (dependencies prebuilt)\n");
        let _ = writeln!(
            out,
            "| | `{GENERATED_PACKAGE}` | `{LEGACY_PACKAGE}` {LEGACY_VERSION} | ours ÷ legacy |\n| --- | --: | --: | --: |"
        );
        let legacy_lines = legacy.map(|l| {
            let compiled =
                l.compiled_lines.map_or(String::new(), |c| format!(" ({} in its default tag)", thousands(c)));
            format!("{}{compiled}", thousands(l.lines))
        });
        let compiled_ratio = legacy.and_then(|l| l.compiled_lines).map(|c| ours.lines as f64 / c as f64);
        row(out, "lines of Rust", thousands(ours.lines), legacy_lines, compiled_ratio);
        for (name, pick) in
            [("`cargo check`", pick_check as fn(&CrateStats) -> &Runs), ("`cargo build` (debug)", pick_build)]
        {
            let (a, b) = (pick(ours), legacy.map(pick));
            let runs = |r: &Runs| format!(" (median of {})", r.count);
            row(
                out,
                &format!("{name} wall time"),
                format!("{}{}", duration(a.median), runs(a)),
                b.map(|b| format!("{}{}", duration(b.median), runs(b))),
                b.map(|b| ratio(a.median, b.median)),
            );
            row(
                out,
                &format!("{name} peak RSS"),
                format!("{:.0} MB", mb(a.peak_rss_kib)),
                b.map(|b| format!("{:.0} MB", mb(b.peak_rss_kib))),
                b.map(|b| a.peak_rss_kib as f64 / b.peak_rss_kib.max(1) as f64),
            );
        }
        if legacy.is_some() {
            let _ = writeln!(out, "\nLines ratio is against the legacy crate's default tag (what it compiles).");
        }
        out.push('\n');
    }

    fn render_runtime(&self, out: &mut String) {
        let r = &self.runtime;
        let _ = writeln!(
            out,
            "## Runtime (100-item `BackendCollection` page, {:.1} KB)\n\n| per page or call | time | × serde_json floor |\n| --- | --: | --: |",
            r.page_bytes as f64 / 1000.0
        );
        let rows = [
            ("`serde_json::from_slice::<BackendCollection>` (floor)", r.floor, true),
            ("`Response::<BackendCollection>::into_model`", r.into_model, true),
            ("pager `nextLink` scan", r.scan, true),
            ("**page decoding**: scan + `into_model`", r.decode_path, true),
            ("`list_by_service` first page → model, in-memory transport", r.page_in_memory, true),
            ("`list_by_service` first page → model, loopback HTTP", r.page_loopback, true),
            ("request building (`runtime::Core::request`, `Backend_Get`)", r.request, false),
            ("`backend().get` → model, in-memory transport", r.get_in_memory, false),
            ("`backend().get` → model, loopback HTTP", r.get_loopback, false),
        ];
        for (what, time, relative) in rows {
            let vs = if relative { format!("{:.2}", ratio(time, r.floor)) } else { String::new() };
            let _ = writeln!(out, "| {what} | {} | {vs} |", duration(time));
        }
    }
}

fn pick_check(stats: &CrateStats) -> &Runs {
    &stats.check
}

fn pick_build(stats: &CrateStats) -> &Runs {
    &stats.build
}

fn row(out: &mut String, what: &str, ours: String, legacy: Option<String>, ratio: Option<f64>) {
    let legacy = legacy.unwrap_or_else(|| "n/a (run with --compare)".to_owned());
    let ratio = ratio.map_or_else(String::new, |r| format!("{r:.2}"));
    let _ = writeln!(out, "| {what} | {ours} | {legacy} | {ratio} |");
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// KiB → MB (10⁶ bytes).
fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

fn duration(d: Duration) -> String {
    let seconds = d.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_gregorian() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(58_895), "58,895");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(duration(Duration::from_micros(1500)), "1.5 ms");
        assert_eq!(median(vec![Duration::from_secs(3), Duration::from_secs(1), Duration::from_secs(2)]).as_secs(), 2);
    }
}
