//! Reading a spec: files → one typed OpenAPI 3 document for [`lower`](crate::lower).
//!
//! Inputs are told apart by content, not by file extension: an OpenAPI 3 document (`openapi:
//! 3.x`, YAML or JSON) is read as it is (`openapi3`); Azure's own publication, Swagger 2.0
//! spread over many files (`swagger: "2.0"`), is read file by file from inside its spec root
//! ([`files`]), its `$ref`s resolved and the whole converted into one OpenAPI 3 tree
//! (`swagger`, `components`); an AutoRest `readme.md` names its Swagger files per tag
//! ([`readme`]).
//!
//! Why convert to `openapiv3` rather than lower Swagger directly: the intermediate model then
//! has one reader, already proven on 100+ real specs, and the two inputs cannot drift apart in
//! what they support. The conversion is the one AutoRest itself makes (body parameters become
//! request bodies named by `x-ms-requestBody-name`, shared parameters become components, so they
//! stay client-level under AutoRest's rule). `openapiv3-extended`'s `v2` feature was measured for
//! this and not used: it parses one file at a time, does not follow `$ref`s across files, and
//! drops the `x-ms-*` keywords written beside a `$ref`, which Azure's specs rely on.
//!
//! The raw tree is kept beside the typed document because `openapiv3` drops keywords written
//! beside a `$ref` (`x-ms-client-flatten`, `readOnly`, `description`), and because it lets errors
//! name the exact JSON pointer that failed to parse.

mod components;
pub mod files;
mod openapi3;
pub mod readme;
mod swagger;
pub mod tree;

use crate::error::{Error, Result};
use crate::example_files::Examples;
use files::SpecFiles;
use std::path::{Path, PathBuf};

/// A parsed spec: the raw tree and the typed document.
pub struct Document {
    /// The name errors and the generated preamble use for this spec.
    pub file: String,
    pub raw: serde_json::Value,
    pub api: openapiv3::OpenAPI,
    /// `x-ms-paths`: paths that differ from others only by a fixed query (`/items?op=export`).
    /// They live in an extension, so openapiv3 leaves them raw; parsed here like `paths`.
    pub x_ms_paths: Vec<(String, openapiv3::PathItem)>,
    /// Where the parts of a converted tree were written, so errors name the real file and place.
    pub origins: Vec<Origin>,
    /// The spec's `x-ms-examples`, when the input carries them (Swagger does).
    pub examples: Option<Examples>,
    /// Defects tolerated while reading, each naming its file and JSON pointer.
    pub warnings: Vec<String>,
}

/// A part of the converted tree (`/components/schemas/BackendContract`) and where it was
/// written (`…/definitions.json`, `/definitions/BackendContract`).
#[derive(Debug, Clone)]
pub struct Origin {
    pub prefix: String,
    pub file: String,
    pub pointer: String,
}

impl Document {
    /// The raw value at a JSON pointer, if present.
    pub fn raw_at(&self, pointer: &str) -> Option<&serde_json::Value> {
        self.raw.pointer(pointer)
    }

    pub fn error(&self, location: impl Into<String>, message: impl Into<String>) -> Error {
        translate(&self.origins, Error::new(&self.file, location, message))
    }
}

/// Moves an error about the converted tree to the file and pointer it came from.
pub fn translate(origins: &[Origin], error: Error) -> Error {
    let found = origins
        .iter()
        .filter(|o| error.location.strip_prefix(&o.prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
        .max_by_key(|o| o.prefix.len());
    match found {
        Some(origin) => {
            let rest = &error.location[origin.prefix.len()..];
            Error { file: origin.file.clone(), location: format!("{}{rest}", origin.pointer), message: error.message }
        }
        None => error,
    }
}

/// What to read: a spec file (OpenAPI 3 or Swagger 2.0), a folder of Swagger files, or an
/// AutoRest `readme.md` with a tag.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub path: &'a Path,
    /// The readme tag whose `input-file` list to read; defaults to the readme's own `tag`.
    pub tag: Option<&'a str>,
    /// The folder no `$ref` may leave; defaults to the folder holding `specification/`, else the
    /// spec's own folder.
    pub spec_root: Option<&'a Path>,
}

impl<'a> Input<'a> {
    pub fn path(path: &'a Path) -> Self {
        Input { path, tag: None, spec_root: None }
    }
}

/// Reads and parses the spec at `path`; `label` is how errors about the whole spec name it.
pub fn load(path: &Path, label: &str) -> Result<Document> {
    load_input(&Input::path(path), label)
}

/// Reads and parses any input form, told apart by content.
pub fn load_input(input: &Input, label: &str) -> Result<Document> {
    let path = input.path;
    let root = spec_root(input);
    if path.is_dir() {
        let files = SpecFiles::new(&root)?;
        let names = swagger_files_in(&files, path)?;
        return from_swagger(files, &names, label);
    }
    let text = read_text(path, label)?;
    let tree = tree::parse_tree(&text, label);
    match tree.as_ref().ok().and_then(|t| t.as_object()) {
        Some(object) if object.contains_key("swagger") => {
            let files = SpecFiles::new(&root)?;
            let name = files.name_of(path)?;
            from_swagger(files, &[name], label)
        }
        Some(object) if object.contains_key("openapi") => openapi3::typed(tree?, label, Vec::new()),
        _ if readme::looks_like_readme(&text) => {
            let files = SpecFiles::new(&root)?;
            let readme_name = files.name_of(path)?;
            let names = readme::input_files(&text, input.tag, &readme_name)?;
            from_swagger(files, &names, label)
        }
        _ => openapi3::typed(tree?, label, Vec::new()),
    }
}

/// Parses one document given as text: OpenAPI 3, or Swagger 2.0 without references to other files.
pub fn parse(text: &str, label: &str) -> Result<Document> {
    let tree = tree::parse_tree(text, label)?;
    if tree.get("swagger").is_some() {
        return from_swagger(SpecFiles::single(label, tree), &[label.to_owned()], label);
    }
    openapi3::typed(tree, label, Vec::new())
}

fn from_swagger(files: SpecFiles, names: &[String], label: &str) -> Result<Document> {
    let converted = swagger::convert(files, names)?;
    let mut doc = openapi3::typed(converted.raw, label, converted.origins)?;
    doc.examples = Some(converted.examples);
    doc.warnings = converted.warnings;
    Ok(doc)
}

fn read_text(path: &Path, label: &str) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| Error::new(label, "/", format!("cannot read the spec: {e}")))?;
    if meta.len() > files::MAX_FILE_BYTES {
        let limit = files::MAX_FILE_BYTES;
        return Err(Error::new(label, "/", format!("the spec is {} bytes; the limit is {limit}", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::new(label, "/", format!("cannot read the spec: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::new(label, "/", format!("the spec is not UTF-8 text: {e}")))
}

/// The given root, else the folder holding `specification/`, else the spec's own folder.
fn spec_root(input: &Input) -> PathBuf {
    if let Some(root) = input.spec_root {
        return root.to_path_buf();
    }
    let path = input.path.canonicalize().unwrap_or_else(|_| input.path.to_path_buf());
    let own = if path.is_dir() { path.clone() } else { path.parent().map_or_else(PathBuf::new, Path::to_path_buf) };
    path.ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "specification"))
        .and_then(Path::parent)
        .map_or(own, Path::to_path_buf)
}

/// The Swagger 2.0 files directly in a folder, by name (examples and other JSON are left out).
fn swagger_files_in(files: &SpecFiles, dir: &Path) -> Result<Vec<String>> {
    let label = dir.display().to_string();
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::new(&label, "/", format!("cannot list the folder: {e}")))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json" || x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut names = Vec::new();
    for path in paths {
        let text = read_text(&path, &path.display().to_string())?;
        // Only the head is needed to tell a Swagger document from other JSON in the folder.
        if text.contains("\"swagger\"") || text.contains("swagger:") {
            names.push(files.name_of(&path)?);
        }
    }
    if names.is_empty() {
        return Err(Error::new(&label, "/", "the folder holds no Swagger 2.0 file"));
    }
    Ok(names)
}
