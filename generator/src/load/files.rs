//! The files of a multi-file spec, read only from inside its root.
//!
//! Every file is named by its path relative to the spec root with `/` separators
//! (`specification/apimanagement/…/apimbackends.json`); that name is what errors show. A `$ref`
//! is resolved lexically against the referring file, so `..` cannot climb out of the root, and
//! the file is canonicalized before it is read, so a symbolic link cannot lead out either.

use super::tree::parse_tree;
use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Refuse absurd inputs before parsing: the largest real ARM spec file is a few MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where a `$ref` points: a file (by its name under the root) and a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub file: String,
    pub pointer: String,
}

/// The spec root and the files read from it so far.
pub struct SpecFiles {
    /// Canonical; `None` for a document given as text, which may not reference other files.
    root: Option<PathBuf>,
    cache: BTreeMap<String, Rc<Value>>,
}

impl SpecFiles {
    pub fn new(root: &Path) -> Result<Self> {
        let label = root.display().to_string();
        let root = root
            .canonicalize()
            .map_err(|e| Error::new(&label, "/", format!("cannot read the spec root folder: {e}")))?;
        Ok(SpecFiles { root: Some(root), cache: BTreeMap::new() })
    }

    /// One document given as text under `name`; any reference to another file is an error.
    pub fn single(name: &str, value: Value) -> Self {
        let mut cache = BTreeMap::new();
        cache.insert(name.to_owned(), Rc::new(value));
        SpecFiles { root: None, cache }
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The name of a file on disk, which must lie inside the root.
    pub fn name_of(&self, path: &Path) -> Result<String> {
        let label = path.display().to_string();
        let Some(root) = &self.root else { return Err(Error::new(&label, "/", "no spec root to read files from")) };
        let canonical = path.canonicalize().map_err(|e| Error::new(&label, "/", format!("cannot read: {e}")))?;
        let relative = canonical.strip_prefix(root).map_err(|_| {
            Error::new(&label, "/", format!("the file lies outside the spec root `{}`", root.display()))
        })?;
        let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        Ok(parts.join("/"))
    }

    /// Resolves `reference` written in `from` at `at` (a JSON pointer in `from`).
    pub fn resolve(&self, from: &str, reference: &str, at: &str) -> Result<Target> {
        let fail = |message: String| Error::new(from, at, message);
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(fail(format!("`$ref` `{reference}`: the part after `#` is not a JSON pointer")));
        }
        if file_part.is_empty() {
            return Ok(Target { file: from.to_owned(), pointer: fragment.to_owned() });
        }
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(fail(format!("`$ref` `{reference}` points at a URL; only files under the spec root are read")));
        }
        let absolute =
            file_part.starts_with('/') || file_part.starts_with('\\') || file_part.as_bytes().get(1) == Some(&b':');
        if absolute {
            return Err(fail(format!("`$ref` `{reference}` is an absolute path; only relative paths are followed")));
        }
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for segment in file_part.split(['/', '\\']) {
            match segment {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(fail(format!("`$ref` `{reference}` leaves the spec root")));
                    }
                }
                other => parts.push(other),
            }
        }
        Ok(Target { file: parts.join("/"), pointer: fragment.to_owned() })
    }

    /// The parsed file `name`, read on first use; errors name the place that asked for it.
    pub fn file(&mut self, name: &str, asked_by: &str, at: &str) -> Result<Rc<Value>> {
        if let Some(value) = self.cache.get(name) {
            return Ok(value.clone());
        }
        let value = Rc::new(self.read(name, asked_by, at)?);
        self.cache.insert(name.to_owned(), value.clone());
        Ok(value)
    }

    /// The parsed file `name`, owned and not kept: for a file read once (an example), so its
    /// tree is not copied.
    pub fn take(&mut self, name: &str, asked_by: &str, at: &str) -> Result<Value> {
        match self.cache.remove(name) {
            Some(value) => Ok(Rc::try_unwrap(value).unwrap_or_else(|shared| (*shared).clone())),
            None => self.read(name, asked_by, at),
        }
    }

    fn read(&self, name: &str, asked_by: &str, at: &str) -> Result<Value> {
        let fail = |message: String| Error::new(asked_by, at, message);
        let Some(root) = &self.root else {
            return Err(fail(format!("`{name}` cannot be read: the spec was given as text, not as files")));
        };
        let path = root.join(name);
        let canonical = path.canonicalize().map_err(|e| fail(format!("cannot read `{name}`: {e}")))?;
        if !canonical.starts_with(root) {
            return Err(fail(format!("`{name}` leads outside the spec root (through a link)")));
        }
        let meta = std::fs::metadata(&canonical).map_err(|e| fail(format!("cannot read `{name}`: {e}")))?;
        if !meta.is_file() {
            return Err(fail(format!("`{name}` is not a file")));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(fail(format!("`{name}` is {} bytes; the limit is {MAX_FILE_BYTES}", meta.len())));
        }
        let bytes = std::fs::read(&canonical).map_err(|e| fail(format!("cannot read `{name}`: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| Error::new(name, "/", format!("not UTF-8 text: {e}")))?;
        parse_tree(&text, name)
    }

    /// The value a target points at, or an error naming the referring place.
    pub fn value(&mut self, target: &Target, asked_by: &str, at: &str) -> Result<Value> {
        let file = self.file(&target.file, asked_by, at)?;
        file.pointer(&target.pointer).cloned().ok_or_else(|| {
            Error::new(asked_by, at, format!("`$ref` to `{}#{}`, which does not exist", target.file, target.pointer))
        })
    }
}
