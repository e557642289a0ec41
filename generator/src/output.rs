//! Writing generated files, rust-analyzer's `ensure_file_contents` style: only changed files are
//! written, `--check` writes nothing and lists every difference, and a failure never leaves the
//! output folder half-written.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The parts of the output folder the generator owns; anything else there (a `target/`, a
/// `Cargo.lock`, user notes) is left alone.
const MANAGED: [&str; 6] = ["API.md", "CHANGELOG.md", "Cargo.toml", "EXAMPLES.md", "src", "tests"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the crate root, `/`-separated.
    pub path: String,
    pub contents: String,
}

impl GeneratedFile {
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        GeneratedFile { path: path.into(), contents: contents.into() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Missing,
    Differs,
    Extra,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Change::Missing => "missing",
            Change::Differs => "differs",
            Change::Extra => "extra",
        })
    }
}

/// Every way `out` differs from `files`, sorted by path.
pub fn changes(out: &Path, files: &[GeneratedFile]) -> Result<Vec<(String, Change)>> {
    let mut result = Vec::new();
    for file in files {
        match fs::read(out.join(&file.path)) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
            Ok(_) => result.push((file.path.clone(), Change::Differs)),
            Err(_) => result.push((file.path.clone(), Change::Missing)),
        }
    }
    for existing in managed_files(out)? {
        if !files.iter().any(|f| f.path == existing) {
            result.push((existing, Change::Extra));
        }
    }
    result.sort();
    Ok(result)
}

/// Brings `out` in line with `files`; returns what changed. New content is staged beside each
/// target first, so an I/O failure part-way leaves the old files, not truncated ones.
pub fn write(out: &Path, files: &[GeneratedFile]) -> Result<Vec<(String, Change)>> {
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    if let Some(pair) = paths.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(Error::new(&out.display().to_string(), pair[0], "two generated files at the same path"));
    }
    let changes = changes(out, files)?;
    let io = |path: &Path, e: std::io::Error| {
        Error::new(&out.display().to_string(), path.display().to_string(), e.to_string())
    };
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (path, change) in &changes {
        if *change == Change::Extra {
            continue;
        }
        let Some(file) = files.iter().find(|f| &f.path == path) else { continue };
        let target = out.join(path);
        let temp = target.with_extension("codegen-tmp");
        let staged_ok =
            target.parent().map_or(Ok(()), fs::create_dir_all).and_then(|()| fs::write(&temp, &file.contents));
        if let Err(e) = staged_ok {
            for (temp, _) in &staged {
                let _ = fs::remove_file(temp);
            }
            let _ = fs::remove_file(&temp);
            return Err(io(&target, e));
        }
        staged.push((temp, target));
    }
    for (i, (temp, target)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(temp, target) {
            for (temp, _) in &staged[i..] {
                let _ = fs::remove_file(temp);
            }
            return Err(io(target, e));
        }
    }
    for (path, change) in &changes {
        if *change == Change::Extra {
            let target = out.join(path);
            fs::remove_file(&target).map_err(|e| io(&target, e))?;
            remove_empty_parents(out, &target);
        }
    }
    Ok(changes)
}

/// Folders emptied by removing stale files go too (but never `out` itself).
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn managed_files(out: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for root in MANAGED {
        let path = out.join(root);
        if path.is_file() {
            found.push(root.to_owned());
        } else if path.is_dir() {
            walk(&path, root, &mut found)
                .map_err(|e| Error::new(&out.display().to_string(), root, format!("cannot list: {e}")))?;
        }
    }
    Ok(found)
}

fn walk(dir: &Path, rel: &str, found: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{rel}/{name}");
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), &rel, found)?;
        } else {
            found.push(rel);
        }
    }
    Ok(())
}

/// What the last generation left in `out` to version the next one against: its `API.md` and
/// `CHANGELOG.md`. `None` when there is no `API.md` (a first generation).
pub fn previous(out: &Path) -> Result<Option<crate::release::Previous>> {
    let read = |name: &str| -> Result<Option<String>> {
        match fs::read_to_string(out.join(name)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::new(&out.join(name).display().to_string(), "/", format!("cannot read: {e}"))),
        }
    };
    let Some(api_md) = read("API.md")? else { return Ok(None) };
    Ok(Some(crate::release::Previous { api_md, changelog: read("CHANGELOG.md")? }))
}
