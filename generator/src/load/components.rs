//! Swagger 2.0 schemas → OpenAPI 3 schemas, and the names they take under `components`.
//!
//! Every `definitions` entry reached from the input files becomes one `components/schemas`
//! entry, whichever file holds it, and every `$ref` to it is rewritten to that entry. Two files
//! may define the same name (`Resource` in two common-types versions): an identical definition is
//! shared, a different one takes the next free name (`Resource2`), so nothing is silently merged.

use super::Origin;
use super::files::{SpecFiles, Target};
use crate::error::{Error, Result, pointer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};

/// How deep `$ref`s that are inlined (not named components) may chain before it is a loop.
const MAX_INLINE_DEPTH: usize = 32;

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const PARAMETER_PREFIX: &str = "#/components/parameters/";

/// One kind of component: converted values by name, and the name each source took.
#[derive(Default)]
pub struct Registry {
    pub values: Map<String, Value>,
    name_of: BTreeMap<Target, String>,
    source_of: BTreeMap<String, Target>,
}

impl Registry {
    /// The name for `target`, and whether it is new (still to be converted).
    fn claim(&mut self, files: &mut SpecFiles, target: &Target, from: &str, at: &str) -> Result<(String, bool)> {
        if let Some(name) = self.name_of.get(target) {
            return Ok((name.clone(), false));
        }
        let base = last_segment(&target.pointer);
        let mut name = base.clone();
        let mut n = 1;
        while let Some(other) = self.source_of.get(&name).cloned() {
            if files.value(&other, from, at)? == files.value(target, from, at)? {
                self.name_of.insert(target.clone(), name.clone());
                return Ok((name, false));
            }
            n += 1;
            name = format!("{base}{n}");
        }
        self.name_of.insert(target.clone(), name.clone());
        self.source_of.insert(name.clone(), target.clone());
        // Reserve the place now so the output order is the order names were claimed in.
        self.values.insert(name.clone(), Value::Null);
        Ok((name, true))
    }

    /// Where each component was written, for errors.
    pub fn origins(&self, prefix: &str) -> impl Iterator<Item = Origin> + '_ {
        let prefix = prefix.to_owned();
        self.source_of.iter().map(move |(name, source)| Origin {
            prefix: pointer(&prefix, name),
            file: source.file.clone(),
            pointer: source.pointer.clone(),
        })
    }
}

/// The state of one conversion: the files, the components so far and what is still to convert.
pub struct Components {
    pub files: SpecFiles,
    pub schemas: Registry,
    pub parameters: Registry,
    pending: VecDeque<Target>,
}

impl Components {
    pub fn new(files: SpecFiles) -> Self {
        Components { files, schemas: Registry::default(), parameters: Registry::default(), pending: VecDeque::new() }
    }

    /// Gives every definition of an input file its name first, so the spec's own names win
    /// over those of files it merely references.
    pub fn claim_definitions(&mut self, file: &str, root: &Value) -> Result<()> {
        let Some(definitions) = root.get("definitions") else { return Ok(()) };
        let Some(definitions) = definitions.as_object() else {
            return Err(Error::new(file, "/definitions", "`definitions` must be a mapping"));
        };
        for name in definitions.keys() {
            let target = Target { file: file.to_owned(), pointer: pointer("/definitions", name) };
            self.schema_name(&target, file, "/definitions")?;
        }
        Ok(())
    }

    fn schema_name(&mut self, target: &Target, from: &str, at: &str) -> Result<String> {
        let (name, new) = self.schemas.claim(&mut self.files, target, from, at)?;
        if new {
            self.pending.push_back(target.clone());
        }
        Ok(name)
    }

    /// Converts every claimed definition, including those claimed while converting.
    pub fn convert_pending(&mut self) -> Result<()> {
        while let Some(target) = self.pending.pop_front() {
            let value = self.files.value(&target, &target.file, &target.pointer)?;
            let converted = self.schema(&target.file, &value, &target.pointer, 0)?;
            let name = self.schemas.name_of[&target].clone();
            self.schemas.values.insert(name, converted);
        }
        Ok(())
    }

    /// A shared (non-body) parameter as a component; returns the `$ref` to it.
    pub fn parameter_ref(
        &mut self,
        target: &Target,
        from: &str,
        at: &str,
        convert: impl FnOnce(&mut Self, &Value) -> Result<Value>,
    ) -> Result<Value> {
        let (name, new) = self.parameters.claim(&mut self.files, target, from, at)?;
        if new {
            let raw = self.files.value(target, from, at)?;
            let converted = convert(self, &raw)?;
            self.parameters.values.insert(name.clone(), converted);
        }
        Ok(reference(PARAMETER_PREFIX, &name))
    }

    /// Follows a `$ref` (and any chain of them) to the value it names (borrowed when `value`
    /// is no reference, so the common case copies nothing).
    pub fn follow<'v>(&mut self, file: &str, value: &'v Value, at: &str) -> Result<(Target, Cow<'v, Value>)> {
        let mut target = Target { file: file.to_owned(), pointer: at.to_owned() };
        let mut current = Cow::Borrowed(value);
        let mut seen = Vec::new();
        while let Some(reference) = current.get("$ref").and_then(Value::as_str) {
            let next = self.files.resolve(&target.file, reference, &target.pointer)?;
            if seen.contains(&next) || seen.len() > MAX_INLINE_DEPTH {
                return Err(Error::new(file, at, format!("`$ref` `{reference}` leads into a loop of references")));
            }
            current = Cow::Owned(self.files.value(&next, &target.file, &target.pointer)?);
            seen.push(next.clone());
            target = next;
        }
        Ok((target, current))
    }

    /// A Swagger schema (written in `file` at `at`) as an OpenAPI 3 schema.
    pub fn schema(&mut self, file: &str, value: &Value, at: &str, depth: usize) -> Result<Value> {
        let Some(object) = value.as_object() else { return Ok(value.clone()) };
        let mut out = Map::with_capacity(object.len());
        for (key, child) in object {
            let child_at = pointer(at, key);
            let converted = match key.as_str() {
                "$ref" => self.schema_ref(file, child, &child_at, depth)?,
                "properties" => self.schema_map(file, child, &child_at, depth)?,
                "items" | "not" => self.schema(file, child, &child_at, depth)?,
                "additionalProperties" if child.is_object() => self.schema(file, child, &child_at, depth)?,
                "allOf" | "anyOf" | "oneOf" => self.schema_list(file, child, &child_at, depth)?,
                "discriminator" if child.is_string() => serde_json::json!({ "propertyName": child }),
                "type" if child == "file" => {
                    out.insert("format".into(), "binary".into());
                    Value::from("string")
                }
                "x-nullable" => {
                    out.insert("nullable".into(), child.clone());
                    child.clone()
                }
                _ => child.clone(),
            };
            if key == "$ref" && !converted.is_string() {
                // A `$ref` into the middle of a file was inlined; siblings still annotate it.
                let Value::Object(inlined) = converted else { continue };
                for (k, v) in inlined {
                    out.entry(k).or_insert(v);
                }
                continue;
            }
            out.insert(key.clone(), converted);
        }
        Ok(Value::Object(out))
    }

    fn schema_map(&mut self, file: &str, value: &Value, at: &str, depth: usize) -> Result<Value> {
        let Some(map) = value.as_object() else { return Ok(value.clone()) };
        let mut out = Map::with_capacity(map.len());
        for (name, schema) in map {
            out.insert(name.clone(), self.schema(file, schema, &pointer(at, name), depth)?);
        }
        Ok(Value::Object(out))
    }

    fn schema_list(&mut self, file: &str, value: &Value, at: &str, depth: usize) -> Result<Value> {
        let Some(list) = value.as_array() else { return Ok(value.clone()) };
        let mut out = Vec::with_capacity(list.len());
        for (i, schema) in list.iter().enumerate() {
            out.push(self.schema(file, schema, &pointer(at, &i.to_string()), depth)?);
        }
        Ok(Value::Array(out))
    }

    /// A `$ref` to a definition becomes a reference to its component; one into the middle of
    /// a file is converted in place.
    fn schema_ref(&mut self, file: &str, reference: &Value, at: &str, depth: usize) -> Result<Value> {
        let Some(reference) = reference.as_str() else {
            return Err(Error::new(file, at, "`$ref` must be a string"));
        };
        let target = self.files.resolve(file, reference, at)?;
        if is_definition(&target.pointer) {
            // Checks the target exists, so a dangling reference names the place that wrote it.
            self.files.value(&target, file, at)?;
            let name = self.schema_name(&target, file, at)?;
            return Ok(Value::String(format!("{SCHEMA_PREFIX}{name}")));
        }
        if depth >= MAX_INLINE_DEPTH {
            return Err(Error::new(file, at, format!("`$ref` `{reference}` leads into a loop of references")));
        }
        let value = self.files.value(&target, file, at)?;
        let file = target.file.clone();
        self.schema(&file, &value, &target.pointer, depth + 1)
    }
}

fn is_definition(pointer: &str) -> bool {
    pointer.strip_prefix("/definitions/").is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// The last segment of a JSON pointer, unescaped.
fn last_segment(pointer: &str) -> String {
    let segment = pointer.rsplit('/').next().unwrap_or(pointer);
    segment.replace("~1", "/").replace("~0", "~")
}

fn reference(prefix: &str, name: &str) -> Value {
    serde_json::json!({ "$ref": format!("{prefix}{name}") })
}
