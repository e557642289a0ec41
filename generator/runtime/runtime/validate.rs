//! What parameter values must satisfy, checked before anything is sent: path templates and
//! their placeholders' rules, [`Rule`], and query values rendered against their rule.

use std::sync::Mutex;

use super::{Duration, invalid};

/// A path template. Each placeholder's rule is the one the client's rule table gives its name,
/// unless the path lists its own (when an operation constrains a name differently).
#[derive(Debug)]
pub struct Path {
    pub(super) template: &'static str,
    pub(super) rules: Option<&'static [&'static Rule]>,
}

impl Path {
    pub const fn new(template: &'static str) -> Self {
        Path { template, rules: None }
    }

    pub const fn with_rules(template: &'static str, rules: &'static [&'static Rule]) -> Self {
        Path { template, rules: Some(rules) }
    }

    /// The template, for a resource type's id (`ResourceType::TEMPLATE`).
    pub const fn template(&self) -> &'static str {
        self.template
    }
}

/// The generated table of each path placeholder's usual rule, by name.
pub type PathRules = fn(&str) -> Option<&'static Rule>;

/// What a parameter value must satisfy, from the spec, checked before anything is sent.
#[derive(Debug)]
pub struct Rule {
    pub(super) name: &'static str,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<&'static str>,
    minimum: Option<f64>,
    maximum: Option<f64>,
}

impl Rule {
    /// A rule for the parameter `name` (its wire name) that accepts any value; the constraints
    /// below narrow it.
    pub const fn new(name: &'static str) -> Self {
        Rule { name, min_length: None, max_length: None, pattern: None, minimum: None, maximum: None }
    }

    pub const fn min_len(mut self, length: usize) -> Self {
        self.min_length = Some(length);
        self
    }

    pub const fn max_len(mut self, length: usize) -> Self {
        self.max_length = Some(length);
        self
    }

    pub const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }

    pub const fn min(mut self, minimum: f64) -> Self {
        self.minimum = Some(minimum);
        self
    }

    pub const fn max(mut self, maximum: f64) -> Self {
        self.maximum = Some(maximum);
        self
    }

    fn fail(&self, what: String) -> azure_core::Error {
        invalid(format!("parameter `{}` {what}", self.name))
    }

    /// Checks a string value: length and pattern.
    pub fn check_str(&self, value: &str) -> azure_core::Result<()> {
        let length = value.chars().count();
        if let Some(min) = self.min_length
            && length < min
        {
            return Err(self.fail(format!("must be at least {min} characters long (got {length})")));
        }
        if let Some(max) = self.max_length
            && length > max
        {
            return Err(self.fail(format!("must be at most {max} characters long (got {length})")));
        }
        if let Some(pattern) = self.pattern
            && !matches_pattern(pattern, value)
        {
            return Err(self.fail(format!("must match the pattern `{pattern}` (got `{value}`)")));
        }
        Ok(())
    }

    /// Checks a number: minimum and maximum.
    pub fn check_number(&self, value: f64) -> azure_core::Result<()> {
        if let Some(min) = self.minimum
            && value < min
        {
            return Err(self.fail(format!("must be at least {min} (got {value})")));
        }
        if let Some(max) = self.maximum
            && value > max
        {
            return Err(self.fail(format!("must be at most {max} (got {value})")));
        }
        Ok(())
    }

    /// A path segment: never empty, never a dot segment, then the spec's rules.
    pub(super) fn check_segment(&self, value: &str) -> azure_core::Result<()> {
        if value.is_empty() {
            return Err(self.fail("must not be empty".to_owned()));
        }
        if value == "." || value == ".." {
            return Err(self.fail(format!("must not be `{value}`, which would change the path")));
        }
        self.check_str(value)
    }
}

/// Patterns compile once per process. One the engine cannot compile is not enforced rather
/// than blocking every call (the service still validates).
fn matches_pattern(pattern: &'static str, value: &str) -> bool {
    static CACHE: Mutex<Vec<(&'static str, Option<regex_lite::Regex>)>> = Mutex::new(Vec::new());
    let Ok(mut cache) = CACHE.lock() else { return true };
    if let Some((_, regex)) = cache.iter().find(|(p, _)| std::ptr::eq(*p, pattern) || *p == pattern) {
        return regex.as_ref().is_none_or(|r| r.is_match(value));
    }
    let regex = regex_lite::Regex::new(pattern).ok();
    let matched = regex.as_ref().is_none_or(|r| r.is_match(value));
    cache.push((pattern, regex));
    matched
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value is always exactly
/// one path segment (`a/b` → `a%2Fb`, `%2F` → `%252F`).
pub(super) fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// A query or header parameter value: every type a parameter can have renders as text.
pub trait QueryValue {
    /// Checks the value against `rule` and renders it, or `None` to leave the parameter out.
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>>;
}

impl QueryValue for &str {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        rule.check_str(self)?;
        Ok(Some((*self).to_owned()))
    }
}

impl QueryValue for String {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        self.as_str().render(rule)
    }
}

impl QueryValue for Duration {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        self.as_str().render(rule)
    }
}

impl QueryValue for bool {
    fn render(&self, _: &Rule) -> azure_core::Result<Option<String>> {
        Ok(Some(self.to_string()))
    }
}

macro_rules! numeric_query_value {
    ($($ty:ty),*) => {$(
        impl QueryValue for $ty {
            fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
                rule.check_number(*self as f64)?;
                Ok(Some(self.to_string()))
            }
        }
    )*};
}
numeric_query_value!(i32, i64, f64);

/// `date-time`: RFC 3339.
impl QueryValue for time::OffsetDateTime {
    fn render(&self, _: &Rule) -> azure_core::Result<Option<String>> {
        super::date_time::format(self).map(Some)
    }
}

/// `date-time-rfc1123`: an RFC 7231 HTTP date.
impl QueryValue for super::Rfc7231 {
    fn render(&self, _: &Rule) -> azure_core::Result<Option<String>> {
        Ok(Some(azure_core::time::to_rfc7231(&self.0)))
    }
}

/// `byte`: base64.
impl QueryValue for super::Base64 {
    fn render(&self, _: &Rule) -> azure_core::Result<Option<String>> {
        Ok(Some(azure_core::base64::encode(&self.0)))
    }
}

/// A free-form value: a string as it is, anything else as JSON.
impl QueryValue for serde_json::Value {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        match self {
            serde_json::Value::String(text) => text.render(rule),
            serde_json::Value::Null => Ok(None),
            other => Ok(Some(other.to_string())),
        }
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        match self {
            Some(value) => value.render(rule),
            None => Ok(None),
        }
    }
}

impl<T: QueryValue> QueryValue for &T {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        (*self).render(rule)
    }
}

/// Arrays are comma-separated (the OpenAPI `form` style without `explode`, as ARM uses).
impl<T: QueryValue> QueryValue for Vec<T> {
    fn render(&self, rule: &Rule) -> azure_core::Result<Option<String>> {
        let mut parts = Vec::with_capacity(self.len());
        for value in self {
            parts.extend(value.render(rule)?);
        }
        Ok(Some(parts.join(",")))
    }
}
