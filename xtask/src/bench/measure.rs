//! Measuring a child process (wall and CPU time, peak RSS through `wait4`), and where the benchmarks
//! keep their scratch files and logs.

use super::Result;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(super) fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// One finished child process: wall and CPU time, and peak resident set.
#[derive(Debug, Clone, Copy)]
pub(super) struct Measured {
    pub(super) wall: Duration,
    /// User + system CPU time of the child and the descendants it waited for (cargo's rustc):
    /// unlike wall time, barely moved by other work on a shared machine.
    pub(super) cpu: Duration,
    pub(super) peak_rss_kib: u64,
}

/// Runs `command` to completion (output to `log`) and measures it.
pub(super) fn measure(command: &mut Command, log: &Path) -> Result<Measured> {
    let output = File::create(log)?;
    command.stdin(Stdio::null()).stdout(output.try_clone()?).stderr(output);
    let started = Instant::now();
    let child = command.spawn()?;
    let (status, usage) = wait4(child.id())?;
    let wall = started.elapsed();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("{command:?} failed; see {}", log.display()).into());
    }
    let cpu = timeval(usage.ru_utime) + timeval(usage.ru_stime);
    Ok(Measured { wall, cpu, peak_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0) })
}

fn timeval(t: libc::timeval) -> Duration {
    let micros = u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec).unwrap_or(0);
    Duration::from_micros(micros)
}

/// `waitpid` that also returns the child's resource usage. On Linux, `ru_maxrss` (KiB) is the
/// larger of the child's own peak and that of every descendant it waited for.
pub(super) fn wait4(pid: u32) -> Result<(i32, libc::rusage)> {
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

pub(super) fn run_ok(command: &mut Command, log: &Path) -> Result<()> {
    measure(command, log).map(|_| ())
}

pub(super) fn scratch_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xtask-bench-{name}-{}", std::process::id()))
}

pub(super) fn log_dir(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/bench/logs");
    fs::create_dir_all(&dir)?;
    Ok(dir)
}
