//! One flat view over the shapes `openapiv3` parses a schema into (`Type`, `AllOf`, `Any`…),
//! so lowering asks "what does this schema say" without matching every variant each time.

use crate::model::Constraints;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

pub type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

pub struct View<'a> {
    pub data: &'a SchemaData,
    /// The `type` keyword, if any.
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub properties: Option<&'a Properties>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub all_of: &'a [ReferenceOr<Schema>],
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    /// `enum` values, nulls dropped.
    pub values: Vec<Value>,
    pub constraints: Constraints,
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> View<'a> {
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            all_of: &[],
            one_of: &[],
            any_of: &[],
            values: Vec::new(),
            constraints: Constraints { default: schema.schema_data.default.clone(), ..Constraints::default() },
        };
        match &schema.schema_kind {
            SchemaKind::Type(t) => view.read_type(t),
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.clone();
                view.properties = (!any.properties.is_empty()).then_some(&any.properties);
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.all_of = &any.all_of;
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.values = any.enumeration.iter().filter(|v| !v.is_null()).cloned().collect();
                let c = &mut view.constraints;
                c.min_length = any.min_length;
                c.max_length = any.max_length;
                c.pattern = any.pattern.clone();
                c.minimum = any.minimum;
                c.maximum = any.maximum;
                c.exclusive_minimum = any.exclusive_minimum.unwrap_or(false);
                c.exclusive_maximum = any.exclusive_maximum.unwrap_or(false);
                c.min_items = any.min_items;
                c.max_items = any.max_items;
            }
        }
        view
    }

    fn read_type(&mut self, t: &'a Type) {
        let c = &mut self.constraints;
        match t {
            Type::String(s) => {
                self.typ = Some("string");
                self.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                self.values = s.enumeration.iter().flatten().map(|v| Value::String(v.clone())).collect();
                c.min_length = s.min_length;
                c.max_length = s.max_length;
                c.pattern = s.pattern.clone();
            }
            Type::Number(n) => {
                self.typ = Some("number");
                self.format = format_name(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                self.values = n
                    .enumeration
                    .iter()
                    .flatten()
                    .filter_map(|v| serde_json::Number::from_f64(*v))
                    .map(Value::Number)
                    .collect();
                (c.minimum, c.maximum) = (n.minimum, n.maximum);
                (c.exclusive_minimum, c.exclusive_maximum) = (n.exclusive_minimum, n.exclusive_maximum);
            }
            Type::Integer(i) => {
                self.typ = Some("integer");
                self.format = format_name(&i.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                self.values = i.enumeration.iter().flatten().map(|v| Value::from(*v)).collect();
                (c.minimum, c.maximum) = (i.minimum.map(|v| v as f64), i.maximum.map(|v| v as f64));
                (c.exclusive_minimum, c.exclusive_maximum) = (i.exclusive_minimum, i.exclusive_maximum);
            }
            Type::Object(o) => {
                self.typ = Some("object");
                self.properties = (!o.properties.is_empty()).then_some(&o.properties);
                self.required = &o.required;
                self.additional = o.additional_properties.as_ref();
            }
            Type::Array(a) => {
                self.typ = Some("array");
                self.items = a.items.as_ref();
                (c.min_items, c.max_items) = (a.min_items, a.max_items);
            }
            Type::Boolean(b) => {
                self.typ = Some("boolean");
                self.values = b.enumeration.iter().flatten().map(|v| Value::Bool(*v)).collect();
            }
        }
    }

    pub fn extension(&self, name: &str) -> Option<&'a Value> {
        self.data.extensions.get(name)
    }

    /// True for a string `enum` (or one whose values are all strings with no `type`).
    pub fn is_string_enum(&self) -> bool {
        !self.values.is_empty() && matches!(self.typ, None | Some("string")) && self.values.iter().all(Value::is_string)
    }

    /// `oneOf`/`anyOf` without fields of its own.
    pub fn is_union(&self) -> bool {
        (!self.one_of.is_empty() || !self.any_of.is_empty()) && self.properties.is_none() && self.all_of.is_empty()
    }

    /// True when the schema declares fields of its own or inherits some.
    pub fn has_structure(&self) -> bool {
        self.properties.is_some() || !self.all_of.is_empty()
    }

    /// A schema that only annotates (`{description: …}`), as AutoRest writes beside a `$ref` in `allOf`.
    pub fn is_annotation_only(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_none()
            && self.additional.is_none()
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.values.is_empty()
    }
}

fn format_name<T: Copy>(format: &VariantOrUnknownOrEmpty<T>, name: impl Fn(T) -> &'static str) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(f) => Some(name(*f).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
