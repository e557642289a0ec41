//! Spector's coverage file, read for the resource-manager scenarios: which passed, by group.

use super::Result;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const PREFIX: &str = "Azure_ResourceManager_";

/// Scenario → status (`pass`, `fail`, `not-implemented`, …), resource-manager scenarios only.
pub struct Coverage {
    scenarios: BTreeMap<String, String>,
}

pub fn read(file: &Path) -> Result<Coverage> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    let mut scenarios = BTreeMap::new();
    for entry in value.as_array().into_iter().flatten() {
        for (name, status) in entry["results"].as_object().into_iter().flatten() {
            if name.starts_with(PREFIX) {
                scenarios.insert(name.clone(), status.as_str().unwrap_or("?").to_owned());
            }
        }
    }
    if scenarios.is_empty() {
        return Err(format!("{}: no resource-manager scenario in the coverage file", file.display()).into());
    }
    Ok(Coverage { scenarios })
}

impl Coverage {
    pub fn all_passed(&self) -> bool {
        self.scenarios.values().all(|s| s == "pass")
    }

    pub fn passed(&self) -> usize {
        self.scenarios.values().filter(|s| *s == "pass").count()
    }

    /// The table `cargo xtask spector` prints: each group's passed/total, then the others.
    pub fn render(&self) -> String {
        let mut groups: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (name, status) in &self.scenarios {
            let group = name[PREFIX.len()..].split('_').next().unwrap_or("?");
            let entry = groups.entry(group).or_default();
            entry.1 += 1;
            if status == "pass" {
                entry.0 += 1;
            }
        }
        let mut out = String::from("| group | passed |\n| --- | ---: |\n");
        for (group, (passed, total)) in &groups {
            let _ = writeln!(out, "| {group} | {passed} / {total} |");
        }
        let _ = writeln!(out, "| **all** | **{} / {}** |", self.passed(), self.scenarios.len());
        for (name, status) in self.scenarios.iter().filter(|(_, s)| *s != "pass") {
            let _ = writeln!(out, "\nnot passed: {name} ({status})");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_resource_manager_scenarios_by_group() {
        let dir = std::env::temp_dir().join(format!("spector-coverage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let file = dir.join("coverage.json");
        let text = r#"[{"results": {
            "Azure_ResourceManager_Resources_TopLevel_get": "pass",
            "Azure_ResourceManager_Resources_TopLevel_delete": "fail",
            "Azure_ResourceManager_LargeHeader_LargeHeaders_two6k": "pass",
            "Azure_Core_Basic_get": "not-implemented"
        }}]"#;
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
        let coverage = read(&file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(coverage.passed(), 2);
        assert!(!coverage.all_passed());
        let table = coverage.render();
        assert!(table.contains("| Resources | 1 / 2 |") && table.contains("| LargeHeader | 1 / 1 |"), "{table}");
        assert!(table.contains("| **all** | **2 / 3** |"), "{table}");
        assert!(table.contains("not passed: Azure_ResourceManager_Resources_TopLevel_delete (fail)"), "{table}");
        std::fs::write(&file, r#"[{"results": {"Azure_Core_Basic_get": "pass"}}]"#).unwrap_or_else(|e| panic!("{e}"));
        assert!(read(&file).is_err(), "a coverage file without resource-manager scenarios");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
