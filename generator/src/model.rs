//! The resolved, typed intermediate model. Lowering builds it from the parsed spec; emission
//! reads only this. Every name here is already a decided Rust identifier; wire names are kept
//! beside them for serde and HTTP.

use serde_json::Value;

/// A whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`, e.g. `ApiManagementClient`.
    pub title: String,
    /// The main client's type name (`ApiManagementClient`); its options add `Options`.
    pub client_name: String,
    pub description: Option<String>,
    /// `info.version`: the default `api-version`.
    pub api_version: String,
    /// The first `servers` URL, e.g. `https://management.azure.com`.
    pub endpoint: String,
    /// Every named type; a [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// Parameters every call shares (`subscriptionId`, `x-ms-parameter-location: client`), in
    /// first-use order; they become client constructor arguments, never method arguments.
    pub client_params: Vec<ClientParam>,
    /// Operation groups (the operationId prefix), sorted by name.
    pub groups: Vec<Group>,
    /// The schema most operations name for their `default` (error) response.
    pub error_type: Option<TypeId>,
    /// `file: reason` for each example that could not be turned into a test.
    pub example_problems: Vec<String>,
    /// Spec defects lowering tolerated (`file: pointer: what`), as AutoRest does.
    pub warnings: Vec<String>,
    /// The resource types: one typed id each, sorted by id name.
    pub resources: Vec<ResourceKind>,
    /// The models that are resources (a by-id `get` returns them and they have an `id`): each
    /// gets a typed `id` accessor. Sorted by name.
    pub resource_models: Vec<TypeId>,
}

impl Api {
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Whether a method takes `body` as azure_core's `RequestContent` (a model, or raw JSON
    /// bytes), as the official crates do: JSON bodies whose type converts into it, which is any
    /// of the crate's own types and what azure_core converts (scalars, free-form values, and
    /// arrays or maps of those). An array of models cannot (neither type is the crate's own),
    /// so such a body stays the plain value.
    pub fn body_is_content(&self, body: &Body) -> bool {
        let scalar = |t: &Ty| matches!(t, Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::String(_) | Ty::Json);
        body.is_json()
            && match self.resolve(&body.ty) {
                Ty::Named(_) => true,
                Ty::Vec(inner) | Ty::Map(inner) => scalar(self.resolve(inner)),
                other => scalar(other),
            }
    }

    /// The crate's own model a `RequestContent` body converts from (`model.try_into()?`), if the
    /// body is one.
    pub fn content_model(&self, body: &Body) -> Option<&TypeDef> {
        match self.resolve(&body.ty) {
            Ty::Named(id) if self.body_is_content(body) => Some(self.type_def(*id)),
            _ => None,
        }
    }

    /// Follows aliases (`Timestamp` → `date-time`) to the type a value really has.
    pub fn resolve<'a>(&'a self, ty: &'a Ty) -> &'a Ty {
        let mut current = ty;
        for _ in 0..self.types.len() {
            match current {
                Ty::Named(id) => match &self.type_def(*id).kind {
                    TypeKind::Alias(inner) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// The response headers each typed-header trait reads, one set per success body type (named
    /// `{Body}Headers`, or `NoBodyHeaders`), sorted by name. Emission and the surface both read this.
    pub fn header_sets(&self) -> Vec<HeaderSet<'_>> {
        let mut sets: std::collections::BTreeMap<String, HeaderSet<'_>> = std::collections::BTreeMap::new();
        for op in self.groups.iter().flat_map(|g| &g.operations) {
            let key = match &op.response_type {
                Some(Ty::Named(id)) => self.type_def(*id).name.clone(),
                None => "NoBody".to_owned(),
                Some(_) => continue,
            };
            let set = sets.entry(key.clone()).or_insert_with(|| HeaderSet {
                trait_name: format!("{key}Headers"),
                body: op.response_type.as_ref(),
                headers: Vec::new(),
            });
            for header in op.responses.iter().flat_map(|r| &r.headers) {
                if !set.headers.iter().any(|h| h.name == header.name) {
                    set.headers.push(header);
                }
            }
        }
        sets.into_values().filter(|set| !set.headers.is_empty()).collect()
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
    /// Reachable from a request body or parameter: callers build values of it. A type only
    /// ever read from responses is `#[non_exhaustive]`, so a new field is no breaking change.
    pub in_requests: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    /// A named schema that is not an object or enum (`type: array`, a `$ref` to another schema…).
    Alias(Ty),
    /// A schema with a `discriminator` and subtypes: one of them, chosen by the discriminator.
    Polymorphic(Polymorphic),
    /// `oneOf`/`anyOf`: the first alternative the value reads as.
    Union(Vec<UnionVariant>),
}

#[derive(Debug, Clone)]
pub struct Polymorphic {
    /// The discriminator property's wire name (`kind`).
    pub discriminator: String,
    /// The schema that declares the discriminator.
    pub base: TypeId,
    /// Each concrete schema with its discriminator value.
    pub variants: Vec<PolymorphicVariant>,
}

#[derive(Debug, Clone)]
pub struct PolymorphicVariant {
    pub name: String,
    pub wire_value: String,
    pub ty: TypeId,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    /// Set where the alternative contains the union itself by value.
    pub boxed: bool,
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
    /// `date-time-rfc1123`: `time::OffsetDateTime`, RFC 7231 (`Tue, 02 Jan 2024 03:04:05 GMT`).
    DateTimeRfc1123,
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
    /// A date-time inside an array or map, kept as its RFC 3339 text.
    DateTimeText,
    /// Bytes inside an array or map, kept as their base64 text.
    Base64,
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

/// A client-level parameter other than `api-version` (which is a client option).
#[derive(Debug, Clone)]
pub struct ClientParam {
    /// Rust name (`subscription_id`).
    pub name: String,
    pub wire_name: String,
    pub description: Option<String>,
    pub rule: Rule,
}

/// The operations sharing an operationId prefix (`Backend_Get` → `Backend`).
#[derive(Debug, Clone)]
pub struct Group {
    /// The sub-client type name (`BackendClient`).
    pub client_name: String,
    /// The accessor on the main client (`backend`).
    pub accessor: String,
    /// The prefix as written in the spec (`Backend`).
    pub wire_name: String,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// `Backend_Get`, or a name made from method and path when the spec has none.
    pub operation_id: String,
    /// The method name (`get`, `list_by_service`).
    pub name: String,
    /// The optional-parameters struct (`BackendClientGetOptions`).
    pub options_name: String,
    /// A long-running operation's `resume_…` method and its options struct, which rebuild its
    /// poller from a resume token (`None` for other operations, and for a long-running list).
    pub resume: Option<(String, String)>,
    /// The form of the method that takes a typed resource id instead of the path values, for
    /// an operation on exactly a resource's path.
    pub by_id: Option<ById>,
    pub http_method: HttpMethod,
    /// The path template as the spec writes it (without an `x-ms-paths` query).
    pub path: String,
    /// Query pairs fixed by an `x-ms-paths` key (`/items?op=export`).
    pub fixed_query: Vec<(String, String)>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path, query and header parameters, in spec order (client-level ones excluded).
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Success (2xx) responses in status order.
    pub responses: Vec<Response>,
    /// The success body model, if any success response has a JSON body.
    pub response_type: Option<Ty>,
    /// Media types for `Accept`.
    pub accept: Vec<String>,
    pub pageable: Option<Pageable>,
    pub long_running: Option<LongRunning>,
    /// The spec's examples of this operation, mapped onto its parameters.
    pub examples: Vec<Example>,
}

/// One `x-ms-examples` file, with every value tied to what it fills.
#[derive(Debug, Clone)]
pub struct Example {
    /// The file name (`ApiManagementGetBackend.json`).
    pub file: String,
    /// Values of the operation's (non-client) parameters, by index into `Operation::params`.
    pub params: Vec<(usize, Value)>,
    /// Values of client-level parameters, by wire name (`subscriptionId`).
    pub client_params: Vec<(String, Value)>,
    pub api_version: Option<String>,
    pub body: Option<Value>,
    /// Responses in file order.
    pub responses: Vec<ExampleResponse>,
}

#[derive(Debug, Clone)]
pub struct ExampleResponse {
    pub status: u16,
    /// Header names as written, with their values.
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Operation {
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required)
    }

    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required)
    }

    /// Whether the method has optional parameters (or an optional body) of its own, and so an
    /// options struct rather than an alias of the shared call options.
    pub fn has_own_options(&self) -> bool {
        self.optional_params().any(|p| !p.client) || self.body.as_ref().is_some_and(|b| !b.required)
    }

    /// Whether the `fake` feature serves the operation: a long-running list has no fake, as its
    /// result is a page, which the fake cannot poll to.
    pub fn has_fake(&self) -> bool {
        !(self.long_running.is_some() && self.pageable.is_some())
    }

    /// The body a fake handler reads as a model: a JSON one (other bodies stay bytes).
    pub fn fake_body(&self) -> Option<&Body> {
        self.body.as_ref().filter(|b| b.is_json())
    }

    /// The `fake` handler's name (`on_get`).
    pub fn fake_handler(&self) -> String {
        fake_handler_name(&self.name)
    }
}

/// The `fake` handler of the method `name` (`get` or `r#move` → `on_get`, `on_move`).
pub fn fake_handler_name(name: &str) -> String {
    format!("on_{}", name.trim_start_matches("r#"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Patch,
    Delete,
    Head,
    Options,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: Ty,
    pub required: bool,
    pub description: Option<String>,
    pub rule: Rule,
    /// A client-level parameter (its value comes from the client, not the caller).
    pub client: bool,
    /// `x-ms-skip-url-encoding`: a path value that spans segments (`resourceUri`), sent with its
    /// `/` kept.
    pub skip_url_encoding: bool,
}

/// What a parameter value must satisfy before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rule {
    pub wire_name: String,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Body {
    /// Rust argument name (`parameters`).
    pub name: String,
    /// `x-ms-requestBody-name`, as examples name the body.
    pub wire_name: String,
    pub ty: Ty,
    pub required: bool,
    pub content_type: String,
    pub description: Option<String>,
}

impl Body {
    pub fn is_json(&self) -> bool {
        is_json_media(&self.content_type)
    }
}

pub fn is_json_media(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or(media).trim();
    media == "application/json" || media.ends_with("+json") || media == "text/json"
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub description: Option<String>,
    /// The JSON body type, if any.
    pub body: Option<Ty>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub wire_name: String,
    /// The accessor name (`etag`, `azure_async_operation`).
    pub name: String,
    pub ty: Ty,
    pub description: Option<String>,
}

/// A typed-header trait: the headers declared for responses with one body type.
#[derive(Debug, Clone)]
pub struct HeaderSet<'a> {
    pub trait_name: String,
    /// The body type (`None`: responses without a body).
    pub body: Option<&'a Ty>,
    pub headers: Vec<&'a ResponseHeader>,
}

/// `x-ms-pageable`.
#[derive(Debug, Clone)]
pub struct Pageable {
    /// The array property holding the items (`value`).
    pub item_field: String,
    pub item_wire_name: String,
    pub item_ty: Ty,
    /// Whether the items field is `Option<Vec<_>>`.
    pub item_optional: bool,
    /// The next-link property; `None` for a single page.
    pub next_link_wire_name: Option<String>,
    /// The page model.
    pub page_type: TypeId,
}

/// `x-ms-long-running-operation` and its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongRunning {
    pub final_state_via: FinalStateVia,
}

/// Where the final result of a long-running operation is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStateVia {
    /// GET the request URL again (the ARM default for PUT and PATCH).
    OriginalUri,
    /// GET the `Location` header URL (the ARM default for POST and DELETE).
    Location,
    /// The body of the last `Azure-AsyncOperation` status response.
    AzureAsyncOperation,
}

/// A resource type: a path template ending in `type/{name}` that operations act on, with the
/// typed id `ResourceId<kind>` (`BackendId`).
#[derive(Debug, Clone)]
pub struct ResourceKind {
    /// The marker type's name (`Backend`): the group of the operation that gets it.
    pub name: String,
    /// The id type's name (`BackendId`).
    pub id_name: String,
    /// The path template as the spec writes it.
    pub template: String,
    pub parent: ResourceParent,
    /// An operation on exactly this template (group index, operation index), whose path static
    /// gives the kind its template.
    pub operation: (usize, usize),
}

/// What a resource type is nested in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceParent {
    Tenant,
    Subscription,
    ResourceGroup,
    /// Another of the API's resource types, by index into [`Api::resources`].
    Kind(usize),
}

impl ResourceParent {
    /// The parent's marker type: the runtime's (`ArmResourceGroup`) or one of `api`'s kinds.
    pub fn marker<'a>(&self, api: &'a Api) -> &'a str {
        match self {
            ResourceParent::Tenant => "ArmTenant",
            ResourceParent::Subscription => "ArmSubscription",
            ResourceParent::ResourceGroup => "ArmResourceGroup",
            ResourceParent::Kind(p) => &api.resources[*p].name,
        }
    }
}

/// The names of a path template's placeholders, in order (`{+name}` keeps its `+`).
pub fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

/// A method's by-id form: `get_by_id(&id, options)` calls `get` with the id's values.
#[derive(Debug, Clone)]
pub struct ById {
    /// The method name (`get_by_id`).
    pub name: String,
    /// The resource type, by index into [`Api::resources`].
    pub kind: usize,
    /// The indices of the id's values the method takes as its leading arguments (those that are
    /// not the client's own, such as the subscription).
    pub path_values: Vec<usize>,
}
