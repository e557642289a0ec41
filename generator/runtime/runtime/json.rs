//! Model structs on the wire: the `json_object!` DSL that reads and writes them member by member,
//! the per-field adapters (`de`, [`Writer`]), and [`Unset`] for required fields.
//!
//! serde's derives expand to a field enum, a sequence visitor and a wrapper type for every
//! `deserialize_with` field; across hundreds of models that is most of the crate's compile time.
//! JSON objects need only a map visitor: read keys as borrowed strings, assign known fields into
//! `Default`, hand the rest to `IgnoredAny` (or the extra-properties map). Writing is a map with
//! the spec's skipping rules.

use super::date_time;

/// Implements serde for model structs (which must implement `Default`), `;` between them:
///
/// ```text
/// crate::runtime::json_object!(Backend {
///     id "id" opt skip,              // read if present, never sent (read-only)
///     url "url" req unset,           // null/missing read as default; sent unless unset
///     created "createdAt" opt_dt opt_dt, // RFC 3339
///     title "title",                 // `opt opt`: an `Option`, sent when `Some`
/// } extra additional_properties);
/// ```
///
/// Reading modes: `opt` (an `Option`), `req` (`null` or missing gives the default), and
/// `opt_dt`/`req_dt` (RFC 3339), `opt_rfc1123`/`req_rfc1123` (RFC 7231), `opt_b64`/`req_b64`
/// (base64). Writing modes: `skip`, `opt` (when `Some`), `req` (always), `unset` (unless
/// [`Unset`]), and the same adapters. Without modes, a field is `opt opt`.
#[allow(unused_macros)]
macro_rules! json_object {
    (@one $name:ident { $($field:ident $wire:literal $($de:ident $ser:ident)?),* $(,)? } $(extra $extra:ident)?) => {
        // Each field is one call into `runtime::de` or `runtime::Writer`: small bodies for the
        // compiler to check, and no `?` of their own.
        impl $crate::runtime::JsonObject for $name {
            const NAME: &'static str = stringify!($name);
            fn read_field<'de, __A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: $crate::runtime::Key<'de>,
                map: &mut __A,
            ) -> ::std::result::Result<(), __A::Error> {
                match key.as_str() {
                    $($wire => $crate::runtime::json_object!(@de [$($de)?] map &mut self.$field),)*
                    _ => $crate::runtime::json_object!(@rest map key self $($extra)?),
                }
            }
            #[allow(unused_variables)]
            fn write_fields<__M: ::serde::ser::SerializeMap>(&self, out: &mut $crate::runtime::Writer<__M>) {
                $($crate::runtime::json_object!(@ser [$($ser)?] [$($de)?] out $wire &self.$field);)*
                $(out.extra(&self.$extra);)?
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                $crate::runtime::read_object(deserializer)
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                $crate::runtime::write_object(self, serializer)
            }
        }
    };
    (@rest $map:ident $key:ident $out:ident) => { $crate::runtime::de::ignore($map) };
    (@rest $map:ident $key:ident $out:ident $extra:ident) => { $crate::runtime::de::extra($map, $key, &mut $out.$extra) };
    (@de [] $map:ident $target:expr) => { $crate::runtime::de::opt($map, $target) };
    (@de [$mode:ident] $map:ident $target:expr) => { $crate::runtime::de::$mode($map, $target) };
    // Read-only: never sent, except by the `fake` feature's server, which answers as the service.
    (@ser [skip] [$($de:ident)?] $out:ident $wire:literal $value:expr) => {
        #[cfg(feature = "fake")]
        if $crate::runtime::answering() {
            $crate::runtime::json_object!(@answer [$($de)?] $out $wire $value)
        }
    };
    (@ser [] [$($de:ident)?] $out:ident $wire:literal $value:expr) => { $out.opt($wire, $value) };
    (@ser [$mode:ident] [$($de:ident)?] $out:ident $wire:literal $value:expr) => { $out.$mode($wire, $value) };
    (@answer [] $out:ident $wire:literal $value:expr) => { $out.opt($wire, $value) };
    (@answer [opt_map] $out:ident $wire:literal $value:expr) => { $out.opt($wire, $value) };
    (@answer [req_map] $out:ident $wire:literal $value:expr) => { $out.req($wire, $value) };
    (@answer [$mode:ident] $out:ident $wire:literal $value:expr) => { $out.$mode($wire, $value) };
    // A file's structs in one call, `;` between them.
    ($($name:ident $fields:tt $(extra $extra:ident)?);+ $(;)?) => {
        $($crate::runtime::json_object!(@one $name $fields $(extra $extra)?);)+
    };
}
#[allow(unused_imports)]
pub(crate) use json_object;

/// `request_content!(BackendContract, …)`: a model a method takes as its request body converts
/// into azure_core's `RequestContent` (`model.try_into()?`), as the official crates' models do.
/// azure_core already converts strings, numbers, booleans, `serde_json::Value` and collections of
/// them.
#[allow(unused_macros)]
macro_rules! request_content {
    ($($model:ident),* $(,)?) => {$(
        impl ::core::convert::TryFrom<$model> for ::azure_core::http::RequestContent<$model> {
            type Error = ::azure_core::Error;
            fn try_from(value: $model) -> ::azure_core::Result<Self> {
                Ok(::azure_core::json::to_json(&value)?.into())
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use request_content;

/// An object key, borrowed from the input unless it had escapes.
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string.
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A model struct read and written member by member; implemented by `json_object!`.
pub trait JsonObject: Default {
    /// The model's name, for error messages.
    const NAME: &'static str;
    /// Reads the value of member `key` into its field (or ignores it, or keeps it as extra).
    fn read_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;
    /// Writes each member, in the spec's order.
    fn write_fields<M: serde::ser::SerializeMap>(&self, out: &mut Writer<M>);
}

/// `Deserialize` for a [`JsonObject`].
pub fn read_object<'de, T: JsonObject, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: JsonObject> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            out.read_field(key, &mut map)?;
        }
        Ok(out)
    }
}

/// `Serialize` for a [`JsonObject`].
pub fn write_object<T: JsonObject, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut out = Writer { map: serializer.serialize_map(None)?, failed: None };
    value.write_fields(&mut out);
    match out.failed {
        Some(error) => Err(error),
        None => serde::ser::SerializeMap::end(out.map),
    }
}

#[cfg(feature = "fake")]
thread_local! {
    static ANSWERING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether models are being written as the service writes them, read-only fields included:
/// only while the `fake` feature's server answers (`answer_with`).
#[cfg(feature = "fake")]
pub fn answering() -> bool {
    ANSWERING.with(|a| a.get())
}

/// Runs `write` with read-only fields written too, as a response has them.
#[cfg(feature = "fake")]
pub fn answer_with<R>(write: impl FnOnce() -> R) -> R {
    ANSWERING.with(|a| a.set(true));
    let result = write();
    ANSWERING.with(|a| a.set(false));
    result
}

/// Reading one member's value into a field, by the field's mode (see `json_object!`).
pub mod de {
    use super::{Base64, Key, Rfc3339, Rfc7231};
    use serde::Deserialize;
    use serde::de::MapAccess;

    /// An `Option` (or any type read as is).
    pub fn opt<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, out: &mut T) -> Result<(), A::Error> {
        *out = map.next_value()?;
        Ok(())
    }

    /// A required field: `null` gives the default.
    pub fn req<'de, A: MapAccess<'de>, T: Deserialize<'de> + Default>(map: &mut A, out: &mut T) -> Result<(), A::Error> {
        *out = map.next_value::<Option<T>>()?.unwrap_or_default();
        Ok(())
    }

    pub fn opt_dt<'de, A: MapAccess<'de>>(map: &mut A, out: &mut Option<time::OffsetDateTime>) -> Result<(), A::Error> {
        *out = map.next_value::<Option<Rfc3339>>()?.map(|v| v.0);
        Ok(())
    }

    pub fn req_dt<'de, A: MapAccess<'de>>(map: &mut A, out: &mut time::OffsetDateTime) -> Result<(), A::Error> {
        if let Some(v) = map.next_value::<Option<Rfc3339>>()? {
            *out = v.0;
        }
        Ok(())
    }

    pub fn opt_rfc1123<'de, A: MapAccess<'de>>(map: &mut A, out: &mut Option<time::OffsetDateTime>) -> Result<(), A::Error> {
        *out = map.next_value::<Option<Rfc7231>>()?.map(|v| v.0);
        Ok(())
    }

    pub fn req_rfc1123<'de, A: MapAccess<'de>>(map: &mut A, out: &mut time::OffsetDateTime) -> Result<(), A::Error> {
        if let Some(v) = map.next_value::<Option<Rfc7231>>()? {
            *out = v.0;
        }
        Ok(())
    }

    pub fn opt_b64<'de, A: MapAccess<'de>>(map: &mut A, out: &mut Option<Vec<u8>>) -> Result<(), A::Error> {
        *out = map.next_value::<Option<Base64>>()?.map(|v| v.0);
        Ok(())
    }

    pub fn req_b64<'de, A: MapAccess<'de>>(map: &mut A, out: &mut Vec<u8>) -> Result<(), A::Error> {
        *out = map.next_value::<Option<Base64>>()?.map(|v| v.0).unwrap_or_default();
        Ok(())
    }

    /// A map whose values may be `null` on the wire (services send `{"key": null}` for a string
    /// map): such entries read as absent.
    pub fn opt_map<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
        map: &mut A,
        out: &mut Option<std::collections::BTreeMap<String, V>>,
    ) -> Result<(), A::Error> {
        let read: Option<std::collections::BTreeMap<String, Option<V>>> = map.next_value()?;
        *out = read.map(|entries| entries.into_iter().filter_map(|(k, v)| Some((k, v?))).collect());
        Ok(())
    }

    /// [`opt_map`] for a required map: `null` gives an empty map.
    pub fn req_map<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
        map: &mut A,
        out: &mut std::collections::BTreeMap<String, V>,
    ) -> Result<(), A::Error> {
        let mut read = None;
        opt_map(map, &mut read)?;
        *out = read.unwrap_or_default();
        Ok(())
    }

    /// A member the model does not know: read and dropped.
    pub fn ignore<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
        map.next_value::<serde::de::IgnoredAny>().map(drop)
    }

    /// A member kept in the model's `additionalProperties` map.
    pub fn extra<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        map: &mut A,
        key: Key<'de>,
        out: &mut std::collections::BTreeMap<String, T>,
    ) -> Result<(), A::Error> {
        out.insert(key.into_owned(), map.next_value()?);
        Ok(())
    }
}

/// Writes a model's members, by each field's mode (see `json_object!`); the first error is
/// kept and returned at the end, so the generated calls need no `?`.
pub struct Writer<M: serde::ser::SerializeMap> {
    map: M,
    failed: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> Writer<M> {
    fn put<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.failed.is_none() {
            self.failed = self.map.serialize_entry(key, value).err();
        }
    }

    /// Written when `Some`.
    pub fn opt<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.put(key, v);
        }
    }

    /// Always written.
    pub fn req<T: serde::Serialize>(&mut self, key: &str, value: &T) {
        self.put(key, value);
    }

    /// Written unless [`Unset`].
    pub fn unset<T: serde::Serialize + Unset>(&mut self, key: &str, value: &T) {
        if !value.is_unset() {
            self.put(key, value);
        }
    }

    pub fn opt_dt(&mut self, key: &str, value: &Option<time::OffsetDateTime>) {
        if let Some(v) = value {
            self.put(key, &Rfc3339(*v));
        }
    }

    pub fn req_dt(&mut self, key: &str, value: &time::OffsetDateTime) {
        self.put(key, &Rfc3339(*value));
    }

    pub fn opt_rfc1123(&mut self, key: &str, value: &Option<time::OffsetDateTime>) {
        if let Some(v) = value {
            self.put(key, &Rfc7231(*v));
        }
    }

    pub fn req_rfc1123(&mut self, key: &str, value: &time::OffsetDateTime) {
        self.put(key, &Rfc7231(*value));
    }

    pub fn opt_b64(&mut self, key: &str, value: &Option<Vec<u8>>) {
        if let Some(v) = value {
            self.put(key, &Base64Ref(v));
        }
    }

    pub fn req_b64(&mut self, key: &str, value: &Vec<u8>) {
        self.put(key, &Base64Ref(value));
    }

    /// The `additionalProperties` members.
    pub fn extra<T: serde::Serialize>(&mut self, members: &std::collections::BTreeMap<String, T>) {
        for (key, value) in members {
            self.put(key, value);
        }
    }
}

/// A date-time on the wire as RFC 3339 (read leniently, see [`date_time`]).
pub struct Rfc3339(pub time::OffsetDateTime);

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        date_time::serialize(&self.0, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Rfc3339 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        date_time::deserialize(deserializer).map(Rfc3339)
    }
}

/// A date-time on the wire as an RFC 7231 HTTP date (`date-time-rfc1123`).
pub struct Rfc7231(pub time::OffsetDateTime);

impl serde::Serialize for Rfc7231 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        azure_core::time::rfc7231::serialize(&self.0, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Rfc7231 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        azure_core::time::rfc7231::deserialize(deserializer).map(Rfc7231)
    }
}

/// Bytes on the wire as base64, read.
pub struct Base64(pub Vec<u8>);

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        azure_core::base64::deserialize(deserializer).map(Base64)
    }
}

/// Bytes on the wire as base64, written.
pub struct Base64Ref<'a>(pub &'a Vec<u8>);

impl serde::Serialize for Base64Ref<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        azure_core::base64::serialize(self.0, serializer)
    }
}

// Required fields
//
// Services send `null` (or nothing) for properties their spec marks required, e.g. a pool
// backend's `url`. Required fields stay plain types for building requests; reading such a
// response gives the type's default instead of failing the whole call.

/// Values that mean "not set". A required field holding one is left out of requests: Azure's
/// own examples omit "required" properties where they do not apply (a pool backend's `url`).
pub trait Unset {
    /// True when the value was never set.
    fn is_unset(&self) -> bool;
}

impl Unset for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Unset for Vec<T> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> Unset for std::collections::BTreeMap<K, V> {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #[derive(Default)]
    struct Required {
        url: String,
    }
    crate::runtime::json_object!(Required { url "url" req unset });

    #[test]
    fn null_and_missing_required_fields_read_as_default_and_unset_ones_are_not_sent() {
        let from_null: Required = serde_json::from_str(r#"{"url":null}"#).unwrap();
        let missing: Required = serde_json::from_str("{}").unwrap();
        let present: Required = serde_json::from_str(r#"{"url":"https://x","other":[1]}"#).unwrap();
        assert_eq!((from_null.url.as_str(), missing.url.as_str(), present.url.as_str()), ("", "", "https://x"));
        assert_eq!(serde_json::to_string(&missing).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&present).unwrap(), r#"{"url":"https://x"}"#);
    }

    #[derive(Default)]
    struct Settings {
        values: Option<std::collections::BTreeMap<String, String>>,
        required: std::collections::BTreeMap<String, String>,
    }
    crate::runtime::json_object!(Settings { values "values" opt_map opt, required "required" req_map unset });

    #[test]
    fn null_map_values_read_as_absent() {
        let read: Settings =
            serde_json::from_str(r#"{"values":{"a":"1","b":null},"required":{"c":null,"d":"4"}}"#).unwrap();
        let values = read.values.unwrap_or_default();
        assert_eq!(values.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(read.required.keys().collect::<Vec<_>>(), ["d"]);
        let null: Settings = serde_json::from_str(r#"{"values":null,"required":null}"#).unwrap();
        assert!(null.values.is_none() && null.required.is_empty());
    }
}
