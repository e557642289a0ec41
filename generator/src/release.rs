//! Versioning the generated crate from what changed for its callers. The surface of the last
//! generation is on disk as `API.md` (with the version it was given); a regeneration compares
//! the new surface with it, bumps the version by the verdict (semver, with Cargo's reading of
//! `0.y.z`: a breaking change bumps `y`), and prepends a section to `CHANGELOG.md` in the Azure
//! SDK style. Regenerating from the same spec changes nothing, so `--check` stays meaningful.

use crate::error::{Error, Result};
use crate::surface::{self, Impact, Report, Surface, Verdict};

/// The files a previous generation left, as read from the output folder.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// `API.md`.
    pub api_md: String,
    /// `CHANGELOG.md`, if there is one.
    pub changelog: Option<String>,
}

/// What the release is named and built from.
#[derive(Debug, Clone)]
pub struct Head<'a> {
    pub crate_name: &'a str,
    pub api_version: &'a str,
    /// The first lines of each file (the do-not-edit notice).
    pub preamble: &'a str,
    /// `N operations in G groups, M models`, for a first release.
    pub counts: String,
}

/// The previous generation: its version, API version and surface.
#[derive(Debug, Clone)]
pub struct Before {
    pub version: String,
    pub api_version: String,
    pub surface: Surface,
}

/// A comparison with the previous generation.
#[derive(Debug, Clone)]
pub struct Since {
    pub version: String,
    pub api_version: String,
    pub report: Report,
    pub verdict: Verdict,
}

#[derive(Debug, Clone)]
pub struct Release {
    pub version: String,
    /// `None` on a first generation.
    pub since: Option<Since>,
    pub api_md: String,
    pub changelog: String,
}

const FIRST_VERSION: &str = "0.1.0";
const HEADING: &str = "# Public API of `";
const FENCE: &str = "```text";

/// Versions the crate whose surface is `surface`, against what `previous` left.
pub fn plan(previous: Option<&Previous>, surface: &Surface, head: &Head) -> Result<Release> {
    let Some(previous) = previous else {
        let section = first_section(head);
        return Ok(Release {
            version: FIRST_VERSION.to_owned(),
            since: None,
            api_md: api_md(surface, head, FIRST_VERSION),
            changelog: changelog(head, &section, None),
        });
    };
    let before = read_api_md(&previous.api_md).map_err(|e| Error::new("API.md", e.0, e.1))?;
    let report = surface::diff(&before.surface, surface);
    let verdict = report.verdict(before.api_version != head.api_version);
    let version = bump(&before.version, verdict).map_err(|e| Error::new("API.md", "line 1", e))?;
    let since = Since { version: before.version, api_version: before.api_version, report, verdict };
    let changelog = match verdict {
        Verdict::None => previous.changelog.clone().unwrap_or_else(|| {
            changelog(head, &format!("## {version}\n\nAPI version `{}`.\n", head.api_version), None)
        }),
        _ => changelog(head, &section(head, &version, &since), previous.changelog.as_deref()),
    };
    Ok(Release { api_md: api_md(surface, head, &version), version, since: Some(since), changelog })
}

/// Reads an `API.md` as [`plan`] writes it; an error gives the line and what is wrong.
pub fn read_api_md(text: &str) -> std::result::Result<Before, (String, String)> {
    let heading = text.lines().position(|l| l.starts_with(HEADING)).ok_or_else(|| {
        ("line 1".to_owned(), format!("no `{HEADING}…` heading; delete the file to start the changelog anew"))
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let version = lines[heading]
        .rsplit_once("` ")
        .map(|(_, v)| v.trim().to_owned())
        .ok_or_else(|| (format!("line {}", heading + 1), "the heading names no version".to_owned()))?;
    let api_version = lines
        .iter()
        .find_map(|l| l.strip_prefix("API version `").and_then(|rest| rest.split_once('`')).map(|(v, _)| v.to_owned()))
        .unwrap_or_default();
    let open =
        lines.iter().position(|l| *l == FENCE).ok_or_else(|| ("line 1".to_owned(), format!("no {FENCE} block")))?;
    let close = lines[open + 1..]
        .iter()
        .position(|l| *l == "```")
        .ok_or_else(|| (format!("line {}", open + 1), "the block is not closed".to_owned()))?;
    let items = lines[open + 1..open + 1 + close].iter().copied();
    let surface = surface::parse_lines(items, open + 2).map_err(|e| {
        let (line, message) = e.split_once(": ").unwrap_or(("line 1", &e));
        (line.to_owned(), message.to_owned())
    })?;
    Ok(Before { version, api_version, surface })
}

/// `API.md`: the heading (crate and version), the API version, and the surface's lines.
fn api_md(surface: &Surface, head: &Head, version: &str) -> String {
    format!(
        "{}{HEADING}{}` {version}\n\nAPI version `{}`. One line per public item, sorted; `fake` lines are the \
         handlers of the `fake` feature, with the body each reads and what it returns. `cargo xtask codegen` \
         compares the next generation with this file to choose the crate's version and write `CHANGELOG.md`.\n\n\
         {FENCE}\n{}\n```\n",
        head.preamble,
        head.crate_name,
        head.api_version,
        surface.lines().join("\n")
    )
}

/// The next version after `version` for `verdict` (Cargo's semver: in `0.y.z`, `y` is major).
pub fn bump(version: &str, verdict: Verdict) -> std::result::Result<String, String> {
    let parts: Vec<u64> = version.split('.').map(str::parse).collect::<std::result::Result<_, _>>().unwrap_or_default();
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{version}` is not a version of the form X.Y.Z"));
    };
    Ok(match (verdict, major) {
        (Verdict::None, _) => version.to_owned(),
        (Verdict::Major, 0) => format!("0.{}.0", minor + 1),
        (Verdict::Major, _) => format!("{}.0.0", major + 1),
        (Verdict::Minor, 0) | (Verdict::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        (Verdict::Minor, _) => format!("{major}.{}.0", minor + 1),
    })
}

fn first_section(head: &Head) -> String {
    format!(
        "## {FIRST_VERSION}\n\nAPI version `{}`.\n\n### Features Added\n\n- First release: {}.\n",
        head.api_version, head.counts
    )
}

fn section(head: &Head, version: &str, since: &Since) -> String {
    let report = &since.report;
    let api = if since.api_version == head.api_version {
        format!("API version `{}`", head.api_version)
    } else {
        format!("API version `{}` (was `{}`)", head.api_version, since.api_version)
    };
    let mut out = format!(
        "## {version}\n\n{api}: {} breaking, {} added, {} other ({} release, from {}).\n",
        report.count(Impact::Breaking),
        report.count(Impact::Added),
        report.count(Impact::Other),
        since.verdict,
        since.version
    );
    let mut other: Vec<String> = report.of(Impact::Other).map(|c| c.text.clone()).collect();
    if since.api_version != head.api_version {
        other.insert(0, format!("Generated from API version `{}` (was `{}`).", head.api_version, since.api_version));
    }
    for (title, items) in [
        ("Breaking Changes", report.of(Impact::Breaking).map(|c| c.text.clone()).collect()),
        ("Features Added", report.of(Impact::Added).map(|c| c.text.clone()).collect()),
        ("Other Changes", other),
    ] {
        let items: Vec<String> = items;
        if !items.is_empty() {
            out.push_str(&format!("\n### {title}\n\n"));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
        }
    }
    out
}

/// The changelog: the notice, a title, the new section, then the earlier sections as they were.
fn changelog(head: &Head, section: &str, previous: Option<&str>) -> String {
    let earlier = previous.and_then(|text| text.find("\n## ").map(|at| &text[at + 1..])).unwrap_or("");
    let gap = if earlier.is_empty() { "" } else { "\n" };
    format!("{}# Release History\n\n{section}{gap}{earlier}", head.preamble)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Head<'static> {
        Head {
            crate_name: "app",
            api_version: "2024-05-01",
            preamble: "<!-- notice -->\n\n",
            counts: "1 operation".into(),
        }
    }

    fn surface(lines: &[&str]) -> Surface {
        surface::parse_lines(lines.iter().copied(), 1).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn versions_follow_cargo_semver() {
        let cases = [
            ("0.1.0", Verdict::Major, "0.2.0"),
            ("0.1.3", Verdict::Minor, "0.1.4"),
            ("0.1.3", Verdict::Patch, "0.1.4"),
            ("1.2.3", Verdict::Major, "2.0.0"),
            ("1.2.3", Verdict::Minor, "1.3.0"),
            ("1.2.3", Verdict::Patch, "1.2.4"),
            ("1.2.3", Verdict::None, "1.2.3"),
        ];
        for (from, verdict, to) in cases {
            assert_eq!(bump(from, verdict).as_deref(), Ok(to), "{from} {verdict}");
        }
        assert!(bump("1.2", Verdict::Major).is_err());
    }

    #[test]
    fn a_first_release_then_a_breaking_one_then_nothing() {
        let v1 = surface(&["struct A", "field A.x: Option<i32>"]);
        let first = plan(None, &v1, &head()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.version, "0.1.0");
        assert!(
            first.changelog.contains("## 0.1.0\n\nAPI version `2024-05-01`.\n\n### Features Added\n\n- First release")
        );
        let before = read_api_md(&first.api_md).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((before.version.as_str(), before.api_version.as_str()), ("0.1.0", "2024-05-01"));
        assert_eq!(before.surface, v1);

        let v2 = surface(&["struct A", "field A.x: i32", "struct B"]);
        let previous = Previous { api_md: first.api_md, changelog: Some(first.changelog.clone()) };
        let second = plan(Some(&previous), &v2, &head()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(second.version, "0.2.0");
        let expected = "<!-- notice -->\n\n# Release History\n\n## 0.2.0\n\nAPI version `2024-05-01`: 1 breaking, \
                        1 added, 0 other (major release, from 0.1.0).\n\n### Breaking Changes\n\n- field `A.x`: type \
                        `Option<i32>` is now `i32`\n\n### Features Added\n\n- Added struct `B`\n\n## 0.1.0\n";
        assert!(second.changelog.starts_with(expected), "{}", second.changelog);

        let previous = Previous { api_md: second.api_md.clone(), changelog: Some(second.changelog.clone()) };
        let third = plan(Some(&previous), &v2, &head()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((third.version.as_str(), third.api_md.as_str()), ("0.2.0", second.api_md.as_str()));
        assert_eq!(third.changelog, second.changelog);
    }

    #[test]
    fn a_new_api_version_alone_is_a_patch() {
        let v1 = surface(&["struct A"]);
        let first = plan(None, &v1, &head()).unwrap_or_else(|e| panic!("{e}"));
        let previous = Previous { api_md: first.api_md, changelog: None };
        let newer = Head { api_version: "2025-01-01", ..head() };
        let next = plan(Some(&previous), &v1, &newer).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(next.version, "0.1.1");
        assert!(
            next.changelog
                .contains("### Other Changes\n\n- Generated from API version `2025-01-01` (was `2024-05-01`).")
        );
    }

    #[test]
    fn an_unreadable_api_md_is_an_error_naming_the_line() {
        let previous = Previous {
            api_md: "# Public API of `app` 0.1.0\n\n```text\nstruct A\nbogus\n```\n".into(),
            changelog: None,
        };
        let error = plan(Some(&previous), &surface(&["struct A"]), &head()).unwrap_err().to_string();
        assert!(error.contains("API.md") && error.contains("line 5"), "{error}");
    }
}
