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
    let mut after_text = false;
    let text = line_breaks(&text.replace("\r\n", "\n").replace('\r', "\n"));
    for (i, raw_line) in text.split('\n').enumerate() {
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
            // A Markdown table (the spec's `| Field | Usage |` rows) needs a blank line before it.
            if is_table_row(line) && after_text {
                out.push('\n');
            }
            escape_line(line, &mut out);
        }
        after_list_item = !in_fence && is_list_item(line);
        after_text = !in_fence && !line.is_empty() && !is_table_row(line);
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

/// `<br>`, `<br/>`, `</br>` (any case): HTML line breaks the specs use inside one-line text.
fn line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open..];
        let close = tag.find('>').map(|c| c + 1);
        let is_break = close.is_some_and(|c| {
            let inner: String = tag[1..c - 1].chars().filter(|ch| !ch.is_whitespace() && *ch != '/').collect();
            inner.eq_ignore_ascii_case("br")
        });
        match close {
            Some(c) if is_break => {
                out.push('\n');
                rest = &tag[c..];
            }
            _ => {
                out.push('<');
                rest = &tag[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_table_row(line: &str) -> bool {
    line.len() > 1 && line.starts_with('|') && line.ends_with('|')
}

fn escape_line(line: &str, out: &mut String) {
    // Pipes make the table; elsewhere they are text.
    let table = is_table_row(line);
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
            '|' if table => out.push(c),
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
        assert_eq!(sanitize("see [docs] <b> a|b"), r"see \[docs\] \<b\> a\|b");
    }

    #[test]
    fn html_line_breaks_end_lines_and_tables_stay_tables() {
        let filter = "| Field | Usage |</br>|---|---|</br>| name | filter |</br>";
        assert_eq!(sanitize(filter), "| Field | Usage |\n|---|---|\n| name | filter |\n");
        assert_eq!(sanitize("Rows:<BR/>| a | b |"), "Rows:\n\n| a | b |");
        assert_eq!(sanitize("a <br /> b"), "a\nb");
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
