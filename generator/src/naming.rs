//! Every Rust name the generator emits is decided here: casing, keywords, reserved names, and
//! deterministic collision handling. Wire names are never changed, only mapped.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names the generated modules rely on (prelude, derives, our runtime): a schema with one of
/// these names is renamed rather than shadowing them.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Serialize",
    "Deserialize",
    "SafeDebug",
    "Duration",
    "OffsetDateTime",
    "BTreeMap",
    "HashMap",
    "Value",
    "Error",
];

/// Splits on anything that is not an ASCII letter or digit, so casing sees words and the result
/// is always a plain ASCII identifier.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `backendContract`, `Backend-Contract`, `backend_contract` → `BackendContract`.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Model".to_owned();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// An enum variant from a wire value: `Succeeded`, `http` → `Http`, `1.0` → `V1_0`.
pub fn variant_name(raw: &str) -> String {
    let cased = words(raw).to_upper_camel_case();
    let mut name = if cased.is_empty() {
        "Empty".to_owned()
    } else if cased.starts_with(|c: char| c.is_ascii_digit()) {
        digit_variant(raw)
    } else {
        cased
    };
    if name == "UnknownValue" || name == "Self" {
        name.push_str("Value");
    }
    name
}

/// `1.0` → `V1_0`, `2020-01-01-preview` → `V2020_01_01Preview`: digit groups stay apart (so
/// `1.0` and `10` differ) and an underscore only ever sits between digits, as camel case allows.
fn digit_variant(raw: &str) -> String {
    let mut name = String::from("V");
    for group in raw.split(|c: char| !c.is_ascii_alphanumeric()).filter(|s| !s.is_empty()) {
        let group = group.to_upper_camel_case();
        if name.len() > 1
            && name.ends_with(|c: char| c.is_ascii_digit())
            && group.starts_with(|c: char| c.is_ascii_digit())
        {
            name.push('_');
        }
        name.push_str(&group);
    }
    name
}

/// A field, parameter or method name: `resourceGroupName` → `resource_group_name`,
/// `type` → `r#type`, `$filter` → `filter`, `2fa` → `_2fa`.
pub fn value_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// The crate name from `info.title`: `ApiManagementClient` → `api_management_client`.
pub fn crate_name(title: &str) -> String {
    let name = words(title).to_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) { format!("api_{name}") } else { name }
}

/// Hands out unique names in a scope: the first claim of a name gets it as is, later claims get
/// `Name2`, `Name3`… Callers claim in a deterministic order, so the result is stable.
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: BTreeSet<String>,
    separator: &'static str,
}

impl Names {
    /// A scope for type names (`Foo2`).
    pub fn types() -> Self {
        Names { taken: BTreeSet::new(), separator: "" }
    }

    /// A scope for field, variant or method names (`foo_2`).
    pub fn values() -> Self {
        Names { taken: BTreeSet::new(), separator: "_" }
    }

    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        // `self_` collides as `self_2`, never `self__2`.
        let separator = if base.ends_with('_') { "" } else { self.separator };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| unreachable!("an unbounded range always yields a free name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_upper_camel_and_never_shadow_the_prelude() {
        assert_eq!(type_name("systemData"), "SystemData");
        assert_eq!(type_name("BackendContract"), "BackendContract");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("2fa-setting"), "T2faSetting");
        assert_eq!(type_name("café"), "Caf");
        assert_eq!(type_name(""), "Model");
    }

    #[test]
    fn values_are_snake_and_escape_keywords() {
        assert_eq!(value_name("resourceGroupName"), "resource_group_name");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("$filter"), "filter");
        assert_eq!(value_name("api-version"), "api_version");
        assert_eq!(value_name("2fa"), "_2fa");
    }

    #[test]
    fn variants_keep_numeric_values_apart() {
        assert_eq!(variant_name("http"), "Http");
        assert_eq!(variant_name("1.0"), "V1_0");
        assert_eq!(variant_name("10"), "V10");
        assert_eq!(variant_name("2020-01-01-preview"), "V2020_01_01Preview");
        assert_eq!(variant_name("UnknownValue"), "UnknownValueValue");
        assert_eq!(variant_name("*"), "Empty");
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut names = Names::types();
        assert_eq!(names.claim("Foo"), "Foo");
        assert_eq!(names.claim("Foo"), "Foo2");
        assert_eq!(names.claim("Foo"), "Foo3");
        let mut fields = Names::values();
        assert_eq!(fields.claim("foo"), "foo");
        assert_eq!(fields.claim("foo"), "foo_2");
        fields.reserve("self_");
        assert_eq!(fields.claim("self_"), "self_2");
    }

    #[test]
    fn crate_names_come_from_titles() {
        assert_eq!(crate_name("ApiManagementClient"), "api_management_client");
        assert_eq!(crate_name("KeyVaultManagementClient"), "key_vault_management_client");
    }
}
