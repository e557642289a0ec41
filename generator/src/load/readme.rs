//! An AutoRest `readme.md`: which Swagger files make up the API for a tag.
//!
//! AutoRest reads its configuration from fenced YAML blocks. The block guarded by
//! ```` ```yaml $(tag) == 'package-2024-05' ```` lists that tag's `input-file`s, relative to the
//! readme; an unguarded block's `tag:` names the default.

use crate::error::{Error, Result};

/// True when the text carries AutoRest configuration.
pub fn looks_like_readme(text: &str) -> bool {
    text.contains("```") && text.contains("input-file")
}

/// A fenced YAML block: its guard (`$(tag) == 'x'`, or empty) and its lines.
struct Block<'t> {
    guard: &'t str,
    lines: Vec<&'t str>,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(fence) = trimmed.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => {
                    let fence = fence.trim();
                    if let Some(guard) = fence.strip_prefix("yaml") {
                        current = Some(Block { guard: guard.trim(), lines: Vec::new() });
                    } else {
                        // Another language's block: skip to its closing fence.
                        current = Some(Block { guard: "\u{0}", lines: Vec::new() });
                    }
                }
            }
        } else if let Some(block) = &mut current {
            block.lines.push(line);
        }
    }
    out.retain(|b| b.guard != "\u{0}");
    out
}

/// The tag a guard selects (`$(tag) == 'package-2024-05'` → `package-2024-05`).
fn guard_tag(guard: &str) -> Option<&str> {
    let rest = guard.strip_prefix("$(tag)")?.trim_start().strip_prefix("==")?.trim();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    rest[1..].split(quote).next()
}

/// The `input-file` list of `tag` (or of the readme's default tag), as names under the spec
/// root, `readme` being the readme's own name there.
pub fn input_files(text: &str, tag: Option<&str>, readme: &str) -> Result<Vec<String>> {
    let blocks = blocks(text);
    let default_tag = blocks
        .iter()
        .filter(|b| b.guard.is_empty())
        .flat_map(|b| b.lines.iter())
        .filter_map(|line| line.trim().strip_prefix("tag:"))
        .map(|t| t.trim().trim_matches(['\'', '"']))
        .next_back();
    let Some(tag) = tag.or(default_tag) else {
        return Err(Error::new(readme, "/", "the readme names no default `tag`; give one with --tag"));
    };
    let mut files = Vec::new();
    let mut found = false;
    for block in blocks.iter().filter(|b| guard_tag(b.guard) == Some(tag)) {
        found = true;
        let mut in_list = false;
        for line in &block.lines {
            let trimmed = line.trim();
            if let Some(inline) = trimmed.strip_prefix("input-file:") {
                in_list = true;
                let inline = inline.trim();
                if !inline.is_empty() {
                    files.push(inline.trim_matches(['\'', '"']).to_owned());
                }
            } else if in_list && let Some(item) = trimmed.strip_prefix("- ") {
                files.push(item.trim().trim_matches(['\'', '"']).to_owned());
            } else if in_list && !trimmed.is_empty() && !trimmed.starts_with('#') {
                in_list = false;
            }
        }
    }
    if !found {
        let tags: Vec<&str> = blocks.iter().filter_map(|b| guard_tag(b.guard)).collect();
        return Err(Error::new(readme, "/", format!("no tag `{tag}` in the readme; it has: {}", tags.join(", "))));
    }
    if files.is_empty() {
        return Err(Error::new(readme, "/", format!("tag `{tag}` lists no `input-file`")));
    }
    let dir = readme.rsplit_once('/').map_or("", |(dir, _)| dir);
    Ok(files.iter().map(|f| join(dir, f)).collect())
}

fn join(dir: &str, file: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for segment in file.split('/') {
        match segment {
            "" | "." => {}
            // Kept when it would climb above the root, so reading it is refused there.
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "# X\n\n``` yaml\ntitle: X\ntag: package-b\n```\n\n\
        ```yaml $(tag) == 'package-a'\ninput-file:\n  - A/stable/1/a.json\n```\n\n\
        ``` yaml $(tag) == \"package-b\"\ninput-file:\n  - B/stable/2/b.json\n  - B/stable/2/c.json\nfoo: 1\n```\n\
        ```python\ninput-file: nope\n```\n";

    #[test]
    fn default_and_named_tags() {
        let files = input_files(README, None, "spec/x/readme.md").unwrap();
        assert_eq!(files, ["spec/x/B/stable/2/b.json", "spec/x/B/stable/2/c.json"]);
        let files = input_files(README, Some("package-a"), "readme.md").unwrap();
        assert_eq!(files, ["A/stable/1/a.json"]);
        let error = input_files(README, Some("package-z"), "readme.md").unwrap_err();
        assert!(error.message.contains("package-a, package-b"), "{error}");
    }
}
