//! The one error type of the generator: every failure names the file and the place in it.

use std::fmt;

/// A generation failure: `<file>: <location>: <what>`.
///
/// `location` is a JSON pointer into the spec (`/components/schemas/Foo/properties/bar`) or an
/// operation (`operation Backend_Get`), so users can find the spot to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    pub location: String,
    pub message: String,
}

impl Error {
    pub fn new(file: &str, location: impl Into<String>, message: impl Into<String>) -> Self {
        Error { file: file.to_owned(), location: location.into(), message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.location, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one JSON-pointer segment (RFC 6901): `~` → `~0`, `/` → `~1`.
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a segment.
pub fn pointer(base: &str, segment: &str) -> String {
    format!("{base}/{}", pointer_segment(segment))
}
