//! Token streams → formatted Rust text with the do-not-edit preamble.

use crate::crate_options::CrateOptions;
use crate::error::{Error, Result};
use proc_macro2::TokenStream;

pub struct RustFile<'a> {
    pub path: &'a str,
    pub tokens: TokenStream,
    /// The file's `//!` documentation.
    pub inner_doc: &'a str,
    pub options: &'a CrateOptions,
}

pub fn format_rust(file: RustFile) -> Result<String> {
    let mut out = file.options.preamble("//");
    for line in file.inner_doc.lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str(&format!("//! {line}\n"));
        }
    }
    if !file.inner_doc.is_empty() {
        out.push('\n');
    }
    let body = unparse(file.tokens).map_err(|message| Error::new(file.path, "generated code", message))?;
    out.push_str(&body);
    Ok(out)
}

/// Formats tokens with prettyplease. A failure here is a generator bug, reported rather than panicking.
pub fn unparse(tokens: TokenStream) -> std::result::Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("the generator produced invalid Rust ({e}); please report this"))?;
    Ok(prettyplease::unparse(&file))
}
