//! What a regeneration changes for the generated crate's callers, on the console: the summary
//! `cargo xtask codegen` prints, and `cargo xtask diff OLD NEW`, which compares two specs'
//! surfaces without writing anything.

use generator::release::Since;
use generator::surface::{self, Impact, Report, Verdict};
use std::path::PathBuf;
use std::process::ExitCode;

/// How many changes of each kind the codegen summary lists before pointing at the changelog.
const SUMMARY_LIMIT: usize = 15;

/// After a regeneration: the verdict and the first changes of each kind.
pub fn print_since(since: &Since, version: &str, changelog: &str) {
    if since.verdict == Verdict::None {
        return;
    }
    println!(
        "public API: {} {} → {version}: {}",
        since.verdict,
        since.version,
        counts(&since.report, &since.api_version, None)
    );
    print_report(&since.report, Some(SUMMARY_LIMIT));
    println!("  (all of it in {changelog})");
}

fn counts(report: &Report, old_api: &str, new_api: Option<&str>) -> String {
    let api = match new_api {
        Some(new) if new != old_api => format!(", API version {old_api} → {new}"),
        _ => String::new(),
    };
    format!(
        "{} breaking, {} added, {} other{api}",
        report.count(Impact::Breaking),
        report.count(Impact::Added),
        report.count(Impact::Other)
    )
}

fn print_report(report: &Report, limit: Option<usize>) {
    for (impact, title) in [(Impact::Breaking, "breaking"), (Impact::Added, "added"), (Impact::Other, "other")] {
        let changes: Vec<_> = report.of(impact).collect();
        let shown = limit.unwrap_or(changes.len()).min(changes.len());
        for change in &changes[..shown] {
            println!("  {title:8} {}", change.text);
        }
        if shown < changes.len() {
            println!("  {title:8} … and {} more", changes.len() - shown);
        }
    }
}

pub struct DiffArgs {
    pub old: PathBuf,
    pub new: PathBuf,
    pub options: generator::Options,
}

/// `cargo xtask diff OLD NEW`: every change between the crates the two specs give, and the
/// version step it calls for. Writes nothing.
pub fn diff(args: &DiffArgs) -> Result<ExitCode, generator::Error> {
    let (old, old_api) = generator::surface_of(&args.old, &args.options)?;
    let (new, new_api) = generator::surface_of(&args.new, &args.options)?;
    let report = surface::diff(&old, &new);
    let verdict = report.verdict(old_api != new_api);
    println!("{} → {}", args.old.display(), args.new.display());
    println!("verdict: {verdict} ({})", counts(&report, &old_api, Some(&new_api)));
    print_report(&report, None);
    Ok(ExitCode::SUCCESS)
}
