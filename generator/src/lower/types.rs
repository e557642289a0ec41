//! Schemas → named Rust types: `$ref` identities given up front, `allOf` merged, inline objects
//! and enums named, `x-ms-enum` read, recursion boxed.

use super::view::View;
use crate::error::{Result, pointer};
use crate::load::Document;
use crate::model::{
    Constraints, Enum, Field, Polymorphic, PolymorphicVariant, StringKind, Struct, Ty, TypeDef, TypeId, TypeKind,
    UnionVariant, Variant,
};
use crate::naming::{self, Names};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;
use std::collections::BTreeMap;

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Real specs nest `allOf` a handful of levels deep.
const MAX_ALLOF_DEPTH: usize = 128;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Declared,
    Defining,
    Defined,
}

/// Builds the type table. Operations lowering asks it for the types of bodies and parameters.
pub struct TypeLowering<'d> {
    doc: &'d Document,
    pub types: Vec<TypeDef>,
    states: Vec<State>,
    components: BTreeMap<String, TypeId>,
    names: Names,
    /// Enums by `x-ms-enum` name, so the copies AutoRest inlines everywhere become one type.
    enums: BTreeMap<String, TypeId>,
    /// Polymorphic base schema → the enum over its subtypes, which references resolve to.
    classification: BTreeMap<TypeId, TypeId>,
    /// How many `allOf` parents are being defined inside one another.
    depth: usize,
    /// Spec defects tolerated while lowering (types and operations), each naming its place.
    pub warnings: Vec<String>,
}

impl<'d> TypeLowering<'d> {
    /// Gives every component schema its identity and name before anything refers to it.
    pub fn new(doc: &'d Document) -> Self {
        let mut lowering = TypeLowering {
            doc,
            types: Vec::new(),
            states: Vec::new(),
            components: BTreeMap::new(),
            names: Names::types(),
            enums: BTreeMap::new(),
            classification: BTreeMap::new(),
            depth: 0,
            warnings: Vec::new(),
        };
        let mut raw_names: Vec<&String> =
            doc.api.components.as_ref().map(|c| c.schemas.keys().collect()).unwrap_or_default();
        raw_names.sort();
        for raw in raw_names {
            let name = lowering.names.claim(&naming::type_name(raw));
            let id = lowering.push(name, raw.clone(), TypeKind::Alias(Ty::Json));
            lowering.components.insert(raw.clone(), id);
            // A named enum schema owns its `x-ms-enum` name before any inline copy is met.
            if let Some(ReferenceOr::Item(schema)) = doc.api.components.as_ref().and_then(|c| c.schemas.get(raw)) {
                let view = View::of(schema);
                if let (true, Some(name)) = (view.is_string_enum(), XmsEnum::read(&view).name) {
                    lowering.enums.entry(name).or_insert(id);
                }
            }
        }
        lowering
    }

    fn push(&mut self, name: String, origin: String, kind: TypeKind) -> TypeId {
        self.types.push(TypeDef { name, origin, description: None, kind, in_requests: false });
        self.states.push(State::Declared);
        TypeId(self.types.len() - 1)
    }

    /// Defines every component schema.
    pub fn define_all(&mut self) -> Result<()> {
        let components: Vec<(String, TypeId)> = self.components.iter().map(|(k, v)| (k.clone(), *v)).collect();
        for (raw, id) in components {
            self.define_component(&raw, id)?;
        }
        Ok(())
    }

    /// Once every type is known (operations add inline ones): rejects alias cycles, boxes recursion.
    pub fn finish(&mut self) -> Result<()> {
        super::cycles::check_aliases(self.doc, &self.types)?;
        super::cycles::box_recursive_fields(&mut self.types);
        Ok(())
    }

    fn define_component(&mut self, raw: &str, id: TypeId) -> Result<()> {
        let at = pointer("/components/schemas", raw);
        // Each `allOf` parent is defined before its child, recursively: bound the depth so a
        // hostile chain is an error, not a stack overflow.
        if self.depth >= MAX_ALLOF_DEPTH {
            return Err(self.doc.error(at, format!("`allOf` chain deeper than {MAX_ALLOF_DEPTH} schemas")));
        }
        match self.states[id.0] {
            State::Defined => return Ok(()),
            State::Defining => {
                return Err(self.doc.error(at, "`allOf` inherits from itself (a cycle of `allOf` references)"));
            }
            State::Declared => {}
        }
        self.states[id.0] = State::Defining;
        self.depth += 1;
        let result = self.define_body(raw, id, &at);
        self.depth -= 1;
        result
    }

    fn define_body(&mut self, raw: &str, id: TypeId, at: &str) -> Result<()> {
        let at = at.to_owned();
        let doc = self.doc;
        let Some(schema) = doc.api.components.as_ref().and_then(|c| c.schemas.get(raw)) else {
            return Err(doc.error(at, "schema vanished while lowering"));
        };
        let kind = match schema {
            ReferenceOr::Reference { reference } => TypeKind::Alias(Ty::Named(self.resolve_ref(reference, &at)?)),
            ReferenceOr::Item(schema) => {
                let view = View::of(schema);
                self.types[id.0].description = describe(&view);
                self.check_example(&view, &at);
                self.named_kind(&view, id, &at)?
            }
        };
        self.types[id.0].kind = kind;
        self.states[id.0] = State::Defined;
        Ok(())
    }

    /// What a schema that owns a name becomes.
    fn named_kind(&mut self, view: &View, id: TypeId, at: &str) -> Result<TypeKind> {
        if view.is_string_enum() {
            let x_ms_enum = XmsEnum::read(view);
            if let Some(name) = &x_ms_enum.name {
                self.enums.entry(name.clone()).or_insert(id);
            }
            return Ok(TypeKind::Enum(self.enum_def(view, &x_ms_enum, at)?));
        }
        // A named schema is its own type even when it only extends a parent (`ProxyResource`).
        if view.has_structure() {
            return Ok(TypeKind::Struct(self.struct_def(view, id, at)?));
        }
        let name = self.types[id.0].name.clone();
        if view.is_union() {
            return Ok(TypeKind::Union(self.union_def(view, &name, at)?));
        }
        Ok(TypeKind::Alias(self.view_ty(view, &name, at)?))
    }

    /// A `$ref` target's type: the schema, or the enum over its subtypes when it is polymorphic.
    pub fn resolve_ref(&self, reference: &str, at: &str) -> Result<TypeId> {
        let id = self.component_ref(reference, at)?;
        Ok(self.classification.get(&id).copied().unwrap_or(id))
    }

    /// A `$ref` target's schema identity (what `allOf` inherits from). Only local schema
    /// references are supported.
    fn component_ref(&self, reference: &str, at: &str) -> Result<TypeId> {
        let Some(raw) = reference.strip_prefix(SCHEMA_REF_PREFIX) else {
            let what = if reference.starts_with('#') {
                "a `$ref` outside `#/components/schemas`"
            } else {
                "an external `$ref`"
            };
            return Err(self
                .doc
                .error(at, format!("{what} (`{reference}`) is not supported; bundle the spec into one document")));
        };
        let raw = raw.replace("~1", "/").replace("~0", "~");
        self.components
            .get(&raw)
            .copied()
            .ok_or_else(|| self.doc.error(at, format!("`$ref` to `{reference}`, which does not exist")))
    }

    /// The type of a schema or reference in a position that may need a new named type `hint`.
    pub fn ty(&mut self, schema: &ReferenceOr<Schema>, hint: &str, at: &str) -> Result<Ty> {
        match schema {
            ReferenceOr::Reference { reference } => Ok(Ty::Named(self.resolve_ref(reference, at)?)),
            ReferenceOr::Item(schema) => self.schema_ty(schema, hint, at),
        }
    }

    pub fn boxed_ty(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str, at: &str) -> Result<Ty> {
        match schema {
            ReferenceOr::Reference { reference } => Ok(Ty::Named(self.resolve_ref(reference, at)?)),
            ReferenceOr::Item(schema) => self.schema_ty(schema, hint, at),
        }
    }

    pub fn schema_ty(&mut self, schema: &Schema, hint: &str, at: &str) -> Result<Ty> {
        let view = View::of(schema);
        self.check_example(&view, at);
        self.view_ty(&view, hint, at)
    }

    /// AutoRest ignores a schema's `example`; one that does not fit the schema gets a warning.
    fn check_example(&mut self, view: &View, at: &str) {
        let Some(example) = &view.data.example else { return };
        let fits = match view.typ {
            Some("string") => example.is_string(),
            Some("integer") | Some("number") => example.is_number(),
            Some("boolean") => example.is_boolean(),
            Some("array") => example.is_array(),
            Some("object") => example.is_object(),
            _ => true,
        };
        if !fits {
            let what = match view.typ {
                Some("integer") => "an integer",
                Some("array") => "an array",
                Some("object") => "an object",
                Some("string") => "a string",
                Some("number") => "a number",
                _ => "a boolean",
            };
            self.warn(&pointer(at, "example"), format!("the example is not {what} as the schema says; ignored"));
        }
    }

    fn view_ty(&mut self, view: &View, hint: &str, at: &str) -> Result<Ty> {
        if let Some(target) = self.annotated_ref(view, at)? {
            return Ok(Ty::Named(target));
        }
        if view.is_string_enum() {
            return self.inline_enum(view, hint, at).map(Ty::Named);
        }
        if view.has_structure() || view.is_union() {
            let name = self.names.claim(&naming::type_name(hint));
            let id = self.push(name.clone(), at.to_owned(), TypeKind::Alias(Ty::Json));
            self.types[id.0].description = describe(view);
            self.states[id.0] = State::Defining;
            let kind = if view.has_structure() {
                TypeKind::Struct(self.struct_def(view, id, at)?)
            } else {
                TypeKind::Union(self.union_def(view, &name, at)?)
            };
            self.types[id.0].kind = kind;
            self.states[id.0] = State::Defined;
            return Ok(Ty::Named(id));
        }
        Ok(match view.typ {
            Some("object") | None if allows_additional(view.additional) => self.map_ty(view.additional, hint, at)?,
            Some("array") => match view.items {
                Some(items) => {
                    Ty::Vec(Box::new(nested(self.boxed_ty(items, &format!("{hint}Item"), &pointer(at, "items"))?)))
                }
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            // Swagger's `file` (kept by some conversions) is OpenAPI 3's binary string.
            Some("string") | Some("file") => string_ty(view.format.as_deref()),
            Some("integer") if view.format.as_deref() == Some("int32") => Ty::I32,
            Some("integer") => Ty::I64,
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("object") | None => Ty::Json,
            Some(other) => return Err(self.doc.error(pointer(at, "type"), format!("unknown schema type `{other}`"))),
        })
    }

    /// `oneOf`/`anyOf`: one variant per alternative, named after its type.
    fn union_def(&mut self, view: &View, owner: &str, at: &str) -> Result<Vec<UnionVariant>> {
        let (members, keyword) = if view.one_of.is_empty() { (view.any_of, "anyOf") } else { (view.one_of, "oneOf") };
        let mut names = Names::types();
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_at = pointer(&pointer(at, keyword), &i.to_string());
            let ty = self.ty(member, &format!("{owner}Option{}", i + 1), &member_at)?;
            let word = match &ty {
                Ty::Named(id) => self.types[id.0].name.clone(),
                other => ty_word(other).to_owned(),
            };
            variants.push(UnionVariant { name: names.claim(&naming::variant_name(&word)), ty, boxed: false });
        }
        Ok(variants)
    }

    /// Each schema with a `discriminator` and subtypes gets an enum over the concrete schemas,
    /// and every reference to it (fields, aliases, bodies) means that enum from now on.
    pub fn apply_polymorphism(&mut self) -> Result<()> {
        let doc = self.doc;
        let Some(schemas) = doc.api.components.as_ref().map(|c| &c.schemas) else { return Ok(()) };
        let components: Vec<(String, TypeId)> = self.components.iter().map(|(k, v)| (k.clone(), *v)).collect();
        for (raw, base) in &components {
            let Some(ReferenceOr::Item(schema)) = schemas.get(raw) else { continue };
            let Some(discriminator) = &schema.schema_data.discriminator else { continue };
            let at = pointer(&pointer("/components/schemas", raw), "discriminator");
            for (value, target) in &discriminator.mapping {
                self.component_ref(target, &pointer(&pointer(&at, "mapping"), value))?;
            }
            let mut variants = Vec::new();
            let mut names = Names::types();
            for (sub_raw, sub) in &components {
                let is_base = sub == base;
                if !is_base && !self.inherits_from(*sub, *base) {
                    continue;
                }
                let Some(ReferenceOr::Item(sub_schema)) = schemas.get(sub_raw) else { continue };
                let declared =
                    sub_schema.schema_data.extensions.get("x-ms-discriminator-value").and_then(Value::as_str);
                let mapped = discriminator.mapping.iter().find(|(_, target)| target.ends_with(&format!("/{sub_raw}")));
                let value = declared.map(str::to_owned).or_else(|| mapped.map(|(v, _)| v.clone()));
                // The base is a variant only when it names its own value.
                let value = match value {
                    Some(v) => v,
                    None if is_base => continue,
                    None => sub_raw.clone(),
                };
                let name = names.claim(&self.types[sub.0].name);
                variants.push(PolymorphicVariant { name, wire_value: value, ty: *sub });
            }
            if variants.iter().all(|v| v.ty == *base) {
                continue;
            }
            let name = self.names.claim(&format!("{}Classification", self.types[base.0].name));
            let description =
                Some(format!("One of the schemas extending `{raw}`, chosen by `{}`.", discriminator.property_name));
            let kind = TypeKind::Polymorphic(Polymorphic {
                discriminator: discriminator.property_name.clone(),
                base: *base,
                variants,
            });
            let id = self.push(name, format!("{raw} (discriminator)"), kind);
            self.types[id.0].description = description;
            self.states[id.0] = State::Defined;
            self.classification.insert(*base, id);
        }
        self.retarget_references();
        Ok(())
    }

    fn inherits_from(&self, id: TypeId, ancestor: TypeId) -> bool {
        let mut stack = vec![id];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(current) = stack.pop() {
            if !seen.insert(current) {
                continue;
            }
            if let TypeKind::Struct(s) = &self.types[current.0].kind {
                if s.parents.contains(&ancestor) {
                    return true;
                }
                stack.extend(s.parents.iter().copied());
            }
        }
        false
    }

    /// Fields, aliases and union alternatives typed by a polymorphic base now hold the enum.
    fn retarget_references(&mut self) {
        let map = self.classification.clone();
        let retarget = |ty: &mut Ty| retarget(ty, &map);
        for def in &mut self.types {
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|f| retarget(&mut f.ty));
                    if let Some(t) = &mut s.additional_properties {
                        retarget(t);
                    }
                }
                TypeKind::Alias(t) => retarget(t),
                TypeKind::Union(variants) => variants.iter_mut().for_each(|v| retarget(&mut v.ty)),
                TypeKind::Enum(_) | TypeKind::Polymorphic(_) => {}
            }
        }
    }

    fn map_ty(&mut self, additional: Option<&AdditionalProperties>, hint: &str, at: &str) -> Result<Ty> {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                self.ty(schema, &format!("{hint}Value"), &pointer(at, "additionalProperties"))?
            }
            Some(AdditionalProperties::Any(_)) | None => Ty::Json,
        };
        Ok(Ty::Map(Box::new(nested(value))))
    }

    /// `allOf: [{$ref: X}, {description: …}]` is how AutoRest writes "X, with other docs".
    fn annotated_ref(&self, view: &View, at: &str) -> Result<Option<TypeId>> {
        if !self.is_annotated_ref(view) {
            return Ok(None);
        }
        for member in view.all_of {
            if let ReferenceOr::Reference { reference } = member {
                return self.resolve_ref(reference, at).map(Some);
            }
        }
        Ok(None)
    }

    fn is_annotated_ref(&self, view: &View) -> bool {
        let refs = view.all_of.iter().filter(|m| matches!(m, ReferenceOr::Reference { .. })).count();
        let only_annotations = view.all_of.iter().all(|m| match m {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(s) => View::of(s).is_annotation_only(),
        });
        refs == 1 && only_annotations && view.properties.is_none() && view.additional.is_none()
    }

    fn inline_enum(&mut self, view: &View, hint: &str, at: &str) -> Result<TypeId> {
        let x_ms_enum = XmsEnum::read(view);
        let def = self.enum_def(view, &x_ms_enum, at)?;
        if let Some(name) = &x_ms_enum.name
            && let Some(&existing) = self.enums.get(name)
        {
            // A named enum schema met through an inline copy first: define it now, so the
            // copy's values are merged into it rather than overwritten later.
            if self.states[existing.0] == State::Declared {
                let raw = self.types[existing.0].origin.clone();
                self.define_component(&raw, existing)?;
            }
            merge_enum(&mut self.types[existing.0].kind, def);
            return Ok(existing);
        }
        let base = x_ms_enum.name.as_deref().unwrap_or(hint);
        let name = self.names.claim(&naming::type_name(base));
        let id = self.push(name, at.to_owned(), TypeKind::Enum(def));
        self.types[id.0].description = describe(view);
        self.states[id.0] = State::Defined;
        if let Some(name) = x_ms_enum.name {
            self.enums.insert(name, id);
        }
        Ok(id)
    }

    fn enum_def(&self, view: &View, x_ms_enum: &XmsEnum, at: &str) -> Result<Enum> {
        if view.values.is_empty() {
            return Err(self.doc.error(pointer(at, "enum"), "an `enum` with no values"));
        }
        let mut names = Names::types();
        names.reserve("UnknownValue");
        let variants = view
            .values
            .iter()
            .filter_map(Value::as_str)
            .map(|wire| {
                let info = x_ms_enum.values.iter().find(|v| v.value == wire);
                let raw_name = info.and_then(|v| v.name.as_deref()).unwrap_or(wire);
                Variant {
                    name: names.claim(&naming::variant_name(raw_name)),
                    wire_value: wire.to_owned(),
                    description: info.and_then(|v| v.description.clone()),
                }
            })
            .collect();
        Ok(Enum { extensible: x_ms_enum.model_as_string, variants })
    }

    fn struct_def(&mut self, view: &View, id: TypeId, at: &str) -> Result<Struct> {
        let def = self.struct_body(view, id, at)?;
        // AutoRest ignores a `required` name that is no property; so does this, saying so.
        let mut required: Vec<&String> = view.required.iter().collect();
        for member in view.all_of.iter().filter_map(|m| m.as_item()) {
            required.extend(View::of(member).required);
        }
        for name in required {
            if !def.fields.iter().any(|f| &f.wire_name == name) {
                self.warn(
                    &pointer(at, "required"),
                    format!("required names `{name}`, which is not a property; ignored"),
                );
            }
        }
        Ok(def)
    }

    /// A struct's fields and parents, from its own properties and every `allOf` member.
    fn struct_body(&mut self, view: &View, id: TypeId, at: &str) -> Result<Struct> {
        let mut def = Struct::default();
        let owner = self.types[id.0].name.clone();
        // `required` may sit in the schema or in any inline `allOf` member, naming any property.
        let mut required: Vec<String> = view.required.to_vec();
        for (i, member) in view.all_of.iter().enumerate() {
            let member_at = pointer(&pointer(at, "allOf"), &i.to_string());
            match member {
                ReferenceOr::Reference { reference } => {
                    let parent = self.component_ref(reference, &member_at)?;
                    self.inherit(&mut def, parent, &member_at)?;
                }
                ReferenceOr::Item(schema) => {
                    let inner = View::of(schema);
                    if inner.has_structure() {
                        let merged = self.struct_body(&inner, id, &member_at)?;
                        def.parents.extend(merged.parents);
                        merge_fields(&mut def.fields, merged.fields);
                    }
                    required.extend(inner.required.iter().cloned());
                }
            }
        }
        if let Some(properties) = view.properties {
            for (wire, property) in properties {
                let field = self.field(&owner, wire, property, &pointer(&pointer(at, "properties"), wire))?;
                merge_fields(&mut def.fields, vec![field]);
            }
        }
        for field in &mut def.fields {
            if required.contains(&field.wire_name) {
                field.required = true;
            }
        }
        if let Some(additional) = view.additional.filter(|a| allows_additional(Some(a)))
            && view.properties.is_some()
        {
            def.additional_properties = Some(match self.map_ty(Some(additional), &owner, at)? {
                Ty::Map(value) => *value,
                other => other,
            });
        }
        name_fields(&mut def);
        Ok(def)
    }

    fn inherit(&mut self, def: &mut Struct, parent: TypeId, at: &str) -> Result<()> {
        let raw = self.types[parent.0].origin.clone();
        self.define_component(&raw, parent)
            .map_err(|e| if e.message.contains("cycle") { self.doc.error(at, e.message) } else { e })?;
        match &self.types[parent.0].kind {
            TypeKind::Struct(parent_def) => {
                let inherited = parent_def.fields.iter().cloned().map(|mut f| {
                    f.inherited_from.get_or_insert(parent);
                    f
                });
                merge_fields(&mut def.fields, inherited.collect());
                def.parents.push(parent);
                if def.additional_properties.is_none() {
                    def.additional_properties = parent_def.additional_properties.clone();
                }
                Ok(())
            }
            // An `allOf` of a free-form object adds nothing to declare.
            TypeKind::Alias(Ty::Json) => Ok(()),
            _ => Err(self.doc.error(at, format!("`allOf` parent `{raw}` is not an object schema"))),
        }
    }

    fn field(&mut self, owner: &str, wire: &str, property: &ReferenceOr<Box<Schema>>, at: &str) -> Result<Field> {
        let hint = format!("{owner}{}", naming::type_name(wire));
        let mut field = Field {
            name: String::new(),
            wire_name: wire.to_owned(),
            client_name: None,
            ty: Ty::Json,
            required: false,
            read_only: false,
            secret: false,
            boxed: false,
            client_flatten: false,
            inherited_from: None,
            description: None,
            constraints: Constraints::default(),
        };
        let annotations = match property {
            ReferenceOr::Reference { reference } => {
                field.ty = Ty::Named(self.resolve_ref(reference, at)?);
                // openapiv3 drops keywords beside `$ref`; read them from the raw tree.
                Annotations::from_raw(self.doc.raw_at(at))
            }
            ReferenceOr::Item(schema) => {
                let view = View::of(schema);
                self.check_example(&view, at);
                field.ty = self.view_ty(&view, &hint, at)?;
                field.constraints = view.constraints.clone();
                if view.is_string_enum() {
                    field.constraints.pattern = None;
                } else {
                    field.constraints.allowed = view.values.clone();
                }
                field.description = describe(&view);
                Annotations::from_view(&view)
            }
        };
        field.read_only = annotations.read_only;
        field.client_flatten = annotations.client_flatten;
        field.description = field.description.or(annotations.description);
        field.client_name = annotations.client_name;
        field.secret = annotations.secret
            || field.ty == Ty::String(StringKind::Password)
            || (matches!(field.ty, Ty::String(_)) && looks_secret(wire));
        Ok(field)
    }

    /// The lowered types, and the warnings lowering gave.
    pub fn into_parts(self) -> (Vec<TypeDef>, Vec<String>) {
        (self.types, self.warnings)
    }

    /// Notes a defect AutoRest tolerates, naming the file and pointer it came from.
    pub fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.warnings.push(self.doc.error(at.to_owned(), message).to_string());
    }
}

/// Property keywords that matter beyond the type.
#[derive(Default)]
struct Annotations {
    description: Option<String>,
    read_only: bool,
    secret: bool,
    client_flatten: bool,
    client_name: Option<String>,
}

impl Annotations {
    fn from_raw(raw: Option<&Value>) -> Self {
        let get = |key: &str| raw.and_then(|r| r.get(key));
        Annotations {
            description: get("description").and_then(Value::as_str).map(str::to_owned),
            read_only: get("readOnly") == Some(&Value::Bool(true)) || read_only_mutability(get("x-ms-mutability")),
            secret: get("x-ms-secret") == Some(&Value::Bool(true)),
            client_flatten: get("x-ms-client-flatten") == Some(&Value::Bool(true)),
            client_name: get("x-ms-client-name").and_then(Value::as_str).map(str::to_owned),
        }
    }

    fn from_view(view: &View) -> Self {
        let ext = |key: &str| view.extension(key);
        Annotations {
            description: None,
            read_only: view.data.read_only || read_only_mutability(ext("x-ms-mutability")),
            secret: ext("x-ms-secret") == Some(&Value::Bool(true)),
            client_flatten: ext("x-ms-client-flatten") == Some(&Value::Bool(true)),
            client_name: ext("x-ms-client-name").and_then(Value::as_str).map(str::to_owned),
        }
    }
}

/// `x-ms-mutability: [read]` means the service sets it and clients never send it.
fn read_only_mutability(value: Option<&Value>) -> bool {
    value.and_then(Value::as_array).is_some_and(|m| m.len() == 1 && m[0] == "read")
}

/// Names that hold credentials even where the spec forgot `x-ms-secret`.
fn looks_secret(wire: &str) -> bool {
    let lower = wire.to_ascii_lowercase();
    ["password", "secret", "connectionstring", "primarykey", "secondarykey", "accesskey", "sastoken"]
        .iter()
        .any(|word| lower.contains(word))
}

/// `description`, else `title`, else the description written on an annotation-only `allOf` member.
fn describe(view: &View) -> Option<String> {
    view.data.description.clone().or_else(|| view.data.title.clone()).or_else(|| {
        view.all_of.iter().find_map(|m| match m {
            ReferenceOr::Item(s) => s.schema_data.description.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })
}

/// `additionalProperties: false` declares that there are none.
fn allows_additional(additional: Option<&AdditionalProperties>) -> bool {
    !matches!(additional, None | Some(AdditionalProperties::Any(false)))
}

/// Serde adapters apply to whole fields, so inside arrays and maps date-times and bytes keep
/// their wire text (documented on the field) rather than a form that would not round-trip.
fn nested(ty: Ty) -> Ty {
    match ty {
        Ty::DateTime | Ty::DateTimeRfc1123 => Ty::String(StringKind::DateTimeText),
        Ty::Bytes => Ty::String(StringKind::Base64),
        other => other,
    }
}

fn retarget(ty: &mut Ty, map: &BTreeMap<TypeId, TypeId>) {
    match ty {
        Ty::Named(id) => {
            if let Some(target) = map.get(id) {
                *id = *target;
            }
        }
        Ty::Vec(inner) | Ty::Map(inner) => retarget(inner, map),
        _ => {}
    }
}

/// A variant name for an alternative that is not a named schema.
fn ty_word(ty: &Ty) -> &'static str {
    match ty {
        Ty::Bool => "Bool",
        Ty::I32 | Ty::I64 => "Integer",
        Ty::F64 => "Number",
        Ty::String(_) => "Text",
        Ty::DateTime | Ty::DateTimeRfc1123 => "DateTime",
        Ty::Duration => "Duration",
        Ty::Bytes => "Bytes",
        Ty::Json => "Value",
        Ty::Vec(_) => "List",
        Ty::Map(_) => "Map",
        Ty::Named(_) => "Named",
    }
}

fn string_ty(format: Option<&str>) -> Ty {
    match format {
        Some("date-time") => Ty::DateTime,
        Some("date-time-rfc1123") => Ty::DateTimeRfc1123,
        Some("duration") => Ty::Duration,
        Some("byte") => Ty::Bytes,
        Some("uuid") => Ty::String(StringKind::Uuid),
        Some("arm-id") => Ty::String(StringKind::ArmId),
        Some("uri") | Some("url") => Ty::String(StringKind::Uri),
        Some("date") => Ty::String(StringKind::Date),
        Some("password") => Ty::String(StringKind::Password),
        _ => Ty::String(StringKind::Plain),
    }
}

/// Later declarations of a property override earlier ones, keeping the first position.
fn merge_fields(fields: &mut Vec<Field>, incoming: Vec<Field>) {
    for field in incoming {
        match fields.iter_mut().find(|f| f.wire_name == field.wire_name) {
            Some(existing) => {
                let required = existing.required || field.required;
                *existing = Field { required, ..field };
            }
            None => fields.push(field),
        }
    }
}

/// Decides Rust field names per struct, in declaration order, so collisions resolve the same way every run.
fn name_fields(def: &mut Struct) {
    let mut names = Names::values();
    if def.additional_properties.is_some() {
        names.reserve("additional_properties");
    }
    for field in &mut def.fields {
        let base = field.client_name.as_deref().unwrap_or(&field.wire_name);
        field.name = names.claim(&naming::value_name(base));
    }
}

/// Extensible if either copy is; values are the union in first-seen order.
fn merge_enum(kind: &mut TypeKind, incoming: Enum) {
    let TypeKind::Enum(existing) = kind else { return };
    existing.extensible |= incoming.extensible;
    let mut names: Names = Names::types();
    for v in &existing.variants {
        names.reserve(&v.name);
    }
    for variant in incoming.variants {
        if let Some(known) = existing.variants.iter_mut().find(|v| v.wire_value == variant.wire_value) {
            known.description = known.description.take().or(variant.description);
        } else {
            let name = names.claim(&variant.name);
            existing.variants.push(Variant { name, ..variant });
        }
    }
}

/// The typed `x-ms-enum` extension.
struct XmsEnum {
    name: Option<String>,
    model_as_string: bool,
    values: Vec<XmsEnumValue>,
}

struct XmsEnumValue {
    value: String,
    name: Option<String>,
    description: Option<String>,
}

impl XmsEnum {
    fn read(view: &View) -> Self {
        let ext = view.extension("x-ms-enum");
        let field = |key: &str| ext.and_then(|e| e.get(key));
        XmsEnum {
            name: field("name").and_then(Value::as_str).map(str::to_owned),
            // Plain string enums and `x-ms-enum` without `modelAsString` stay open: services add values.
            model_as_string: field("modelAsString").and_then(Value::as_bool).unwrap_or(true),
            values: field("values")
                .and_then(Value::as_array)
                .map(|values| {
                    values
                        .iter()
                        .filter_map(|v| {
                            Some(XmsEnumValue {
                                value: scalar_text(v.get("value")?)?,
                                name: v.get("name").and_then(Value::as_str).map(str::to_owned),
                                description: v.get("description").and_then(Value::as_str).map(str::to_owned),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
