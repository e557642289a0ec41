//! `--baseline REV` (4 in the list of [`super`]): the generated crate as committed at a git
//! revision, extracted into a standalone project so that it checks and builds side by side with
//! the current one, and a change's effect on the crate's build cost is measured in one run.

use super::Result;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder of the workspace that holds the generated crate, at any revision.
const GENERATED_DIR: &str = "generated";

/// A git revision whose generated crate is measured alongside ours.
pub(super) struct Baseline {
    /// The revision as given on the command line (`HEAD`, `main~3`, a hash).
    pub(super) rev: String,
    /// `git rev-parse --short` of it: what the extraction folder and the report name.
    pub(super) short: String,
    /// The extracted crate: `target/bench-baseline/src-SHORT/generated`.
    pub(super) crate_dir: PathBuf,
}

impl Baseline {
    /// Resolves `rev` in the repository at `root`, so that a typo fails before minutes of
    /// measuring rather than after them.
    pub(super) fn resolve(root: &Path, rev: &str) -> Result<Self> {
        // `^{commit}`: a tag or branch names the commit it points at; `--verify` makes anything
        // else (a path, a typo) an error instead of an echo.
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--verify", "--quiet", "--short"])
            .arg(format!("{rev}^{{commit}}"))
            .output()
            .map_err(|error| format!("--baseline {rev}: cannot run git: {error}"))?;
        let short = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !output.status.success() || short.is_empty() {
            return Err(
                format!("--baseline {rev}: `{rev}` is not a commit of the repository in {}", root.display()).into()
            );
        }
        let crate_dir = root.join("target/bench-baseline").join(format!("src-{short}")).join(GENERATED_DIR);
        Ok(Baseline { rev: rev.to_owned(), short, crate_dir })
    }

    /// How the report names it: the revision as given and its short hash (once when they are
    /// the same).
    pub(super) fn label(&self) -> String {
        label(&self.rev, &self.short)
    }

    /// The baseline crate's own target dir, shared across revisions so that its dependencies
    /// stay built from one run to the next.
    pub(super) fn target_dir(root: &Path) -> PathBuf {
        root.join("target/bench-baseline/target")
    }

    /// Extracts REV's `generated/` into [`Self::crate_dir`] afresh (a previous run's leftovers
    /// could hide a change) and makes it a project of its own.
    pub(super) fn extract(&self, root: &Path) -> Result<()> {
        let source = self.crate_dir.parent().ok_or("the baseline's folder has no parent")?;
        if source.exists() {
            fs::remove_dir_all(source)?;
        }
        fs::create_dir_all(source)?;
        archive_into(root, &self.short, source).map_err(|error| format!("--baseline {}: {error}", self.rev))?;
        let manifest = self.crate_dir.join("Cargo.toml");
        let text = fs::read_to_string(&manifest)
            .map_err(|error| format!("--baseline {}: no {}: {error}", self.rev, manifest.display()))?;
        if let Some(standalone) = standalone_manifest(&text) {
            fs::write(&manifest, standalone)?;
        }
        // The workspace's lock file: the baseline builds the dependency versions ours does, so
        // only the crate's own code differs between the two.
        fs::copy(root.join("Cargo.lock"), self.crate_dir.join("Cargo.lock"))?;
        Ok(())
    }
}

fn label(rev: &str, short: &str) -> String {
    if rev == short { short.to_owned() } else { format!("{rev} ({short})") }
}

/// `git archive REV generated | tar -x -C into`.
fn archive_into(root: &Path, rev: &str, into: &Path) -> Result<()> {
    let mut git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", rev, GENERATED_DIR])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run git: {error}"))?;
    let archive = git.stdout.take().ok_or("git archive has no stdout")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(into)
        .stdin(archive)
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| format!("cannot run tar: {error}"))?;
    let git = git.wait_with_output()?;
    if !git.status.success() {
        return Err(format!(
            "git archive {rev} {GENERATED_DIR} failed: {}",
            String::from_utf8_lossy(&git.stderr).trim()
        )
        .into());
    }
    if !tar.status.success() {
        return Err(
            format!("tar -x -C {} failed: {}", into.display(), String::from_utf8_lossy(&tar.stderr).trim()).into()
        );
    }
    Ok(())
}

/// The manifest with an empty `[workspace]` table appended, or `None` when it already has one.
/// In the repository the crate is a member of the root workspace; extracted under `target/` it
/// would otherwise find that workspace above it and be refused as a non-member.
fn standalone_manifest(manifest: &str) -> Option<String> {
    let is_workspace_table = |line: &str| {
        let line = line.trim();
        line == "[workspace]" || line.starts_with("[workspace.")
    };
    if manifest.lines().any(is_workspace_table) {
        return None;
    }
    let separator = if manifest.is_empty() || manifest.ends_with('\n') { "" } else { "\n" };
    Some(format!(
        "{manifest}{separator}\n# Added by `cargo xtask bench --baseline`: a project of its own.\n[workspace]\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extracted_manifest_becomes_a_workspace_root() {
        let member = "[package]\nname = \"api_management_client\"\n";
        let standalone = standalone_manifest(member).expect("a member gets a [workspace] table");
        assert!(standalone.starts_with(member));
        assert!(standalone.ends_with("\n[workspace]\n"));
        assert!(standalone_manifest(&standalone).is_none(), "appended once only");
        let unterminated = standalone_manifest("[package]\nname = \"x\"").expect("appended");
        assert!(unterminated.contains("name = \"x\"\n\n#"), "{unterminated}");
        assert!(standalone_manifest("[package]\n[workspace.dependencies]\n").is_none());
    }

    #[test]
    fn the_label_names_the_revision_and_its_hash() {
        assert_eq!(label("HEAD", "3b50bef"), "HEAD (3b50bef)");
        assert_eq!(label("3b50bef", "3b50bef"), "3b50bef");
    }

    #[test]
    fn a_bad_revision_is_named() {
        let root = crate::workspace_root();
        let error = Baseline::resolve(&root, "no-such-rev-xyz").err().expect("not a revision").to_string();
        assert!(error.contains("no-such-rev-xyz"), "{error}");
    }
}
