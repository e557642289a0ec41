//! Spec descriptions → rustdoc that `cargo doc` accepts without warnings and that never turns
//! into a doctest: brackets are not intra-doc links, `<br>` is not an HTML tag, bare URLs are
//! autolinks, and indented or fenced text is plain text.

use proc_macro2::TokenStream;
use quote::quote;

/// Doc text built paragraph by paragraph, emitted as `///` lines.
#[derive(Default)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    pub fn new() -> Self {
        Doc::default()
    }

    /// Appends spec text (sanitized) as its own paragraph.
    pub fn spec_text(mut self, text: Option<&str>) -> Self {
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            self.paragraph_break();
            self.lines.extend(sanitize(text).lines().map(str::to_owned));
        }
        self
    }

    /// Appends spec text (sanitized) as its own paragraph, led by `label` on its first line.
    pub fn labeled(mut self, label: &str, text: Option<&str>) -> Self {
        let text = text.map(str::trim).filter(|t| !t.is_empty()).map(sanitize).unwrap_or_default();
        self.paragraph_break();
        let mut lines = text.lines();
        match lines.next() {
            Some(first) => self.lines.push(format!("{label}: {first}")),
            None => self.lines.push(label.to_owned()),
        }
        self.lines.extend(lines.map(str::to_owned));
        self
    }

    /// Appends text the generator wrote (already valid Markdown) as its own paragraph.
    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.is_empty() {
            self.paragraph_break();
            self.lines.extend(text.lines().map(str::to_owned));
        }
        self
    }

    /// Appends a short generator-written note to the last sentence when that is plain prose
    /// (one line instead of a paragraph of its own), else as its own paragraph.
    pub fn note(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        let prose = |line: &str| {
            !line.is_empty()
                && !["|", "```", "    ", "* ", "- ", "#", ">"].iter().any(|p| line.starts_with(p))
                && !line.ends_with(['\\', '`', '|', ':'])
        };
        match self.lines.last_mut() {
            Some(last) if !text.is_empty() && prose(last) => {
                if last.ends_with(|c: char| c.is_alphanumeric() || c == ')' || c == '"') {
                    last.push('.');
                }
                last.push(' ');
                last.push_str(&text);
                self
            }
            _ => self.paragraph(text),
        }
    }

    /// Appends generator-written lines without a paragraph break.
    pub fn line(mut self, text: impl Into<String>) -> Self {
        self.lines.push(text.into());
        self
    }

    fn paragraph_break(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn tokens(&self) -> TokenStream {
        let lines = self.lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
        quote! { #(#[doc = #lines])* }
    }
}

/// Makes arbitrary spec prose safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    let mut after_list_item = false;
    for (i, raw_line) in text.replace("\r\n", "\n").replace('\r', "\n").split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Leading indentation would make a Markdown code block, which rustdoc compiles as a doctest.
        let line = raw_line.trim();
        if line.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            // Text right after a list item would be a lazy continuation, which clippy rejects.
            if after_list_item && !line.is_empty() && !is_list_item(line) {
                out.push('\n');
            }
            escape_line(line, &mut out);
        }
        after_list_item = !in_fence && is_list_item(line);
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    line.starts_with("* ")
        || line.starts_with("- ")
        || line.starts_with("+ ")
        || (digits > 0 && line[digits..].starts_with(". "))
}

fn escape_line(line: &str, out: &mut String) {
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(len) = url_len(rest) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' | ']' | '<' | '>' | '\\' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Length of a URL at the start of `text`, without trailing punctuation.
fn url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let end = text.find(|c: char| c.is_whitespace() || "<>\"'`[]{}|\\^".contains(c)).unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '(', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn brackets_and_tags_are_escaped() {
        assert_eq!(sanitize("see [docs] <br> a|b"), r"see \[docs\] \<br\> a\|b");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(sanitize("See https://aka.ms/x."), "See <https://aka.ms/x>.");
        assert_eq!(sanitize("(http://a.b/c)"), "(<http://a.b/c>)");
    }

    #[test]
    fn indentation_and_fences_never_make_doctests() {
        assert_eq!(sanitize("a\n    code"), "a\ncode");
        assert_eq!(sanitize("```json\n{}\n```"), "```text\n{}\n```");
        assert_eq!(sanitize("```\nopen"), "```text\nopen\n```");
    }

    #[test]
    fn text_after_a_list_is_its_own_paragraph() {
        assert_eq!(sanitize("* a\n* b\nmore"), "* a\n* b\n\nmore");
        assert_eq!(sanitize("1. a\n\nmore"), "1. a\n\nmore");
    }
}
