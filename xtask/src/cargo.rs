//! Running cargo from xtask: the cargo that runs us, in a folder with a target folder of its
//! own, and xtask re-run as a release build (timings mean something only there).

use std::path::Path;
use std::process::{Command, ExitCode};

/// Set on the release re-run, so a re-run that is still not one stops instead of looping.
const RERUN_ENV: &str = "XTASK_RELEASE_RERUN";

pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `cargo ARGS` in `dir` with `target` as its target folder, so scratch builds never touch the
/// workspace's own.
pub fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = cargo();
    command.current_dir(dir).env("CARGO_TARGET_DIR", target).args(args);
    command
}

/// Runs `cargo xtask ARGS` again as a release build (with `features`), passing its exit code on.
pub fn rerun_in_release(args: &[String], features: Option<&str>) -> ExitCode {
    if std::env::var_os(RERUN_ENV).is_some() {
        eprintln!("error: the release re-run is still a debug build or lacks the features it needs");
        return ExitCode::FAILURE;
    }
    let mut command = cargo();
    command.current_dir(crate::workspace_root()).env(RERUN_ENV, "1");
    command.args(["run", "--quiet", "--release", "-p", "xtask"]);
    if let Some(features) = features {
        command.args(["--features", features]);
    }
    command.arg("--").args(args);
    eprintln!("{}: timing needs a release build; running {command:?}", args.first().map_or("xtask", String::as_str));
    exit_code(command.status())
}

/// A child's exit status as ours (failure when it could not run or was killed).
pub fn exit_code(status: std::io::Result<std::process::ExitStatus>) -> ExitCode {
    match status {
        Ok(status) => ExitCode::from(status.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(1)),
        Err(error) => {
            eprintln!("error: cannot run cargo: {error}");
            ExitCode::FAILURE
        }
    }
}
