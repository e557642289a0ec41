//! The resolved, typed intermediate model. Lowering builds it from the parsed spec; emission
//! reads only this. Every name here is already a decided Rust identifier; wire names are kept
//! beside them for serde and HTTP.

use serde_json::Value;

/// A whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`, e.g. `ApiManagementClient`.
    pub title: String,
    pub description: Option<String>,
    /// `info.version`: the default `api-version`.
    pub api_version: String,
    /// The first `servers` URL, e.g. `https://management.azure.com`.
    pub endpoint: String,
    /// Every named type; a [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
}

impl Api {
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Looks a type up by its Rust name.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// The identity of a named type, given up front to every `$ref` target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// Where it came from: the schema name for components, else the JSON pointer of the inline schema.
    pub origin: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    /// A named schema that is not an object or enum (`type: array`, a `$ref` to another schema…).
    Alias(Ty),
}

#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// `allOf` parents whose properties were merged into `fields`.
    pub parents: Vec<TypeId>,
    pub fields: Vec<Field>,
    /// `additionalProperties` beside declared properties: kept in a map of the remaining keys.
    pub additional_properties: Option<Ty>,
}

impl Struct {
    pub fn has_secret(&self) -> bool {
        self.fields.iter().any(|f| f.secret)
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub name: String,
    /// The JSON property name.
    pub wire_name: String,
    /// `x-ms-client-name`: the name the spec wants clients to use instead of the wire name.
    pub client_name: Option<String>,
    pub ty: Ty,
    pub required: bool,
    /// `readOnly` or `x-ms-mutability: [read]`: set by the service, never sent.
    pub read_only: bool,
    /// `x-ms-secret`, `format: password` or a password-like name: kept out of `Debug`.
    pub secret: bool,
    /// Set where a by-value cycle would give the type infinite size.
    pub boxed: bool,
    /// The property had `x-ms-client-flatten`; the wire nesting is kept regardless.
    pub client_flatten: bool,
    /// The `allOf` parent that declared the field, if not the type itself.
    pub inherited_from: Option<TypeId>,
    pub description: Option<String>,
    pub constraints: Constraints,
}

/// Validation keywords, kept for docs and request validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub default: Option<Value>,
    /// Allowed values of a non-string `enum` (strings become Rust enums instead).
    pub allowed: Vec<Value>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Bool,
    I32,
    I64,
    F64,
    String(StringKind),
    /// `date-time`: `time::OffsetDateTime`, RFC 3339 on the wire.
    DateTime,
    /// `duration`: ISO-8601 text kept exactly.
    Duration,
    /// `byte`: base64 on the wire.
    Bytes,
    /// A free-form value.
    Json,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Named(TypeId),
}

/// What a plain string holds, for docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    Plain,
    Uuid,
    ArmId,
    Uri,
    Date,
    Password,
}

#[derive(Debug, Clone)]
pub struct Enum {
    /// `modelAsString: true` (or no `x-ms-enum`): unknown values are kept, not rejected.
    pub extensible: bool,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub wire_value: String,
    pub description: Option<String>,
}
