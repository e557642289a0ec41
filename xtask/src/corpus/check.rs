//! `cargo check --all-targets` of each generated crate, then `cargo check --features fake` of
//! its library (the in-memory fake server for users' tests), on `--jobs` workers, each with its
//! own target folder (cargo locks a target folder, so workers cannot share one).

use super::Outcome;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What `cargo check` said of one crate.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub(crate) ok: bool,
    pub(crate) warnings: usize,
    /// The first error (or, if none, the first warning), one line.
    pub(crate) first_problem: Option<String>,
    pub(crate) time: Duration,
}

/// Checks every generated crate in `outcomes`, filling in `check`.
pub(super) fn check_all(root: &Path, scratch: &Path, outcomes: &mut [Outcome], jobs: usize) {
    let todo: Vec<usize> = (0..outcomes.len()).filter(|&i| outcomes[i].refused.is_none()).collect();
    let Some(&smallest) = todo.iter().min_by_key(|&&i| outcomes[i].operations + outcomes[i].models) else {
        return;
    };
    let lock = root.join("Cargo.lock");
    let crates = scratch.join("crates");
    let names: Vec<String> = outcomes.iter().map(|o| o.name.clone()).collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Checked)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..jobs.min(todo.len()) {
            let (todo, names, next, results, lock, crates) = (&todo, &names, &next, &results, &lock, &crates);
            scope.spawn(move || {
                let target = scratch.join(format!("target-{worker}"));
                // Dependencies first, untimed, on the smallest crate.
                let _ = check(&crates.join(&names[smallest]), &target, lock);
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = todo.get(n) else { break };
                    let checked = check(&crates.join(&names[i]), &target, lock);
                    eprintln!(
                        "corpus: check [{}/{}] {}: {} in {:.1} s",
                        n + 1,
                        todo.len(),
                        names[i],
                        summary(&checked),
                        checked.time.as_secs_f64()
                    );
                    results.lock().unwrap_or_else(|e| e.into_inner()).push((i, checked));
                }
            });
        }
    });
    for (i, checked) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        outcomes[i].check = Some(checked);
    }
}

fn summary(checked: &Checked) -> String {
    match (&checked.first_problem, checked.ok) {
        (None, true) => "ok".to_owned(),
        (Some(problem), true) => format!("{} warnings, first: {problem}", checked.warnings),
        (problem, false) => format!("failed: {}", problem.as_deref().unwrap_or("(no message)")),
    }
}

/// Both checks of one crate: default features with every target, then the library with `fake`
/// (which only adds library code); the second's problems are marked as its.
fn check(dir: &Path, target: &Path, lock: &Path) -> Checked {
    let _ = std::fs::copy(lock, dir.join("Cargo.lock"));
    let default = check_with(dir, target, &["--all-targets"]);
    let fake = check_with(dir, target, &["--lib", "--features", "fake"]);
    let first_problem = default.first_problem.or_else(|| fake.first_problem.map(|p| format!("with `fake`: {p}")));
    Checked {
        ok: default.ok && fake.ok,
        warnings: default.warnings + fake.warnings,
        first_problem,
        time: default.time + fake.time,
    }
}

fn check_with(dir: &Path, target: &Path, args: &[&str]) -> Checked {
    let started = Instant::now();
    let mut command = crate::cargo::cargo_in(dir, target, &["check", "--message-format", "short", "--color", "never"]);
    let output = command.args(args).output();
    let time = started.elapsed();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return Checked { ok: false, warnings: 0, first_problem: Some(format!("cannot run cargo: {e}")), time };
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let diagnostics: Vec<&str> = stderr.lines().filter(|l| is_diagnostic(l)).collect();
    let first_error = diagnostics
        .iter()
        .find(|l| l.contains(": error"))
        .copied()
        .or_else(|| stderr.lines().find(|l| l.starts_with("error")))
        .map(str::to_owned);
    let warnings: Vec<&str> = diagnostics.iter().copied().filter(|l| l.contains(": warning")).collect();
    let first_problem = first_error.or_else(|| warnings.first().map(|l| (*l).to_owned()));
    Checked { ok: output.status.success(), warnings: warnings.len(), first_problem, time }
}

/// `src/lib.rs:3:5: warning: unused import` (short format), not cargo's own summaries.
fn is_diagnostic(line: &str) -> bool {
    let Some((place, rest)) = line.split_once(": ") else { return false };
    place.contains(".rs:") && (rest.starts_with("error") || rest.starts_with("warning"))
}

#[cfg(test)]
mod tests {
    use super::is_diagnostic;

    #[test]
    fn diagnostics_are_the_compilers_not_cargos_summaries() {
        assert!(is_diagnostic("src/lib.rs:3:5: warning: unused import: `Pager`"));
        assert!(is_diagnostic("src/clients/a.rs:112:51: error[E0277]: the trait bound is not satisfied"));
        assert!(!is_diagnostic("warning: `corpus_x` (lib) generated 1 warning"));
        assert!(!is_diagnostic("error: could not compile `corpus_x` (lib) due to 1 previous error"));
    }
}
