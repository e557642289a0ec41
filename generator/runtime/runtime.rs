//! Support code shared by the generated client and model types.
//!
//! This file is copied verbatim into every generated crate, so it may only use the crate's own
//! dependencies (`azure_core`, `serde`, `serde_json`, `time`) and must stay warning-free even
//! when a crate uses only part of it.

use std::fmt;
use std::str::FromStr;

use azure_core::error::ErrorKind;

/// Builds the error returned when wire text cannot be converted to a typed value.
fn conversion_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::DataConversion, message)
}

// ---------------------------------------------------------------------------------------------
// ISO 8601 durations
// ---------------------------------------------------------------------------------------------

/// An ISO 8601 duration such as `P1DT2H`, `PT0.5S` or `-PT5M`.
///
/// The text is kept exactly as received so that a value read from a service is sent back
/// byte-for-byte; equality and hashing therefore compare the text (`PT1H` != `PT60M`).
/// Use [`Duration::to_std`] to get a length of time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
// No validation on deserialize: a duration the service spells unusually should not make the
// whole response unreadable; `to_std` reports it instead.
#[serde(transparent)]
pub struct Duration(String);

impl Duration {
    /// Wraps `text` without validating it; use [`str::parse`] to validate.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Returns the duration text exactly as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Converts to a [`std::time::Duration`], counting a day as 24 hours and a week as 7 days.
    ///
    /// Returns `None` for malformed text, negative durations, values too large to represent,
    /// and non-zero years or months, whose length depends on the calendar.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        const NANOS_PER_SECOND: u128 = 1_000_000_000;
        let (negative, parts) = parse_duration(&self.0)?;
        if negative {
            return None;
        }
        let mut nanos: u128 = 0;
        for (unit, whole, fraction) in parts {
            let Some(seconds) = UNIT_SECONDS[unit] else {
                if whole.bytes().chain(fraction.bytes()).all(|b| b == b'0') {
                    continue;
                }
                return None;
            };
            let unit_nanos = u128::from(seconds) * NANOS_PER_SECOND;
            // 18 digits are finer than a nanosecond even for weeks, and keep the product in u128.
            let fraction = &fraction[..fraction.len().min(18)];
            // Digits were validated by the parser, so only an empty fraction fails to parse.
            let numerator = fraction.parse::<u128>().unwrap_or(0);
            let fraction_nanos = numerator * unit_nanos / 10u128.pow(fraction.len() as u32);
            nanos = whole
                .parse::<u128>()
                .ok()?
                .checked_mul(unit_nanos)?
                .checked_add(fraction_nanos)?
                .checked_add(nanos)?;
        }
        let seconds = u64::try_from(nanos / NANOS_PER_SECOND).ok()?;
        Some(std::time::Duration::new(
            seconds,
            (nanos % NANOS_PER_SECOND) as u32,
        ))
    }
}

impl Default for Duration {
    /// A zero duration, `PT0S` (an empty string would not be a valid duration).
    fn default() -> Self {
        Self::new("PT0S")
    }
}

impl From<std::time::Duration> for Duration {
    /// Produces the canonical form, e.g. `P1DT1H1M1.5S`; weeks are never used.
    fn from(value: std::time::Duration) -> Self {
        use std::fmt::Write as _;

        let total = value.as_secs();
        let (days, hours, minutes, seconds) = (
            total / 86_400,
            total / 3_600 % 24,
            total / 60 % 60,
            total % 60,
        );
        let nanos = value.subsec_nanos();
        let mut text = String::from("P");
        // Writing to a String cannot fail.
        if days > 0 {
            let _ = write!(text, "{days}D");
        }
        if days == 0 || hours > 0 || minutes > 0 || seconds > 0 || nanos > 0 {
            text.push('T');
            if hours > 0 {
                let _ = write!(text, "{hours}H");
            }
            if minutes > 0 {
                let _ = write!(text, "{minutes}M");
            }
            // Zero seconds are written only when nothing else was, giving `PT0S`.
            if seconds > 0 || nanos > 0 || text == "PT" {
                let _ = write!(text, "{seconds}");
                if nanos > 0 {
                    let fraction = format!("{nanos:09}");
                    let _ = write!(text, ".{}", fraction.trim_end_matches('0'));
                }
                text.push('S');
            }
        }
        Self(text)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Duration {
    type Err = azure_core::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_duration(text)
            .map(|_| Self::new(text))
            .ok_or_else(|| conversion_error(format!("invalid ISO 8601 duration: {text:?}")))
    }
}

/// Seconds per unit, indexed in the order ISO 8601 requires: years, months, weeks and days
/// before the `T`, then hours, minutes and seconds. Years and months vary with the calendar.
const UNIT_SECONDS: [Option<u64>; 7] = [
    None,
    None,
    Some(604_800),
    Some(86_400),
    Some(3_600),
    Some(60),
    Some(1),
];

/// One `<number><unit>` part of a duration: index into [`UNIT_SECONDS`], integer digits and
/// fraction digits (possibly empty).
type DurationPart<'a> = (usize, &'a str, &'a str);

/// Splits a duration into its sign and parts, or `None` if it is not valid ISO 8601.
///
/// Fractions are accepted on any unit, not only the last one as the standard demands.
fn parse_duration(text: &str) -> Option<(bool, Vec<DurationPart<'_>>)> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let body = text.strip_prefix('P')?;
    let (date, time) = match body.split_once('T') {
        Some((_, "")) => return None,
        Some(split) => split,
        None => (body, ""),
    };
    let mut parts = Vec::new();
    parse_duration_parts(date, "YMWD", 0, &mut parts)?;
    parse_duration_parts(time, "HMS", 4, &mut parts)?;
    (!parts.is_empty()).then_some((negative, parts))
}

/// Parses the date or time half of a duration, whose units must appear in the order of `units`.
fn parse_duration_parts<'a>(
    mut text: &'a str,
    units: &str,
    first_unit: usize,
    parts: &mut Vec<DurationPart<'a>>,
) -> Option<()> {
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut next_unit = 0;
    while !text.is_empty() {
        let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
        let (number, rest) = text.split_at(end);
        let unit = next_unit + units[next_unit..].find(rest.chars().next()?)?;
        let (whole, fraction) = match number.split_once(['.', ',']) {
            Some((whole, fraction)) if is_digits(fraction) => (whole, fraction),
            Some(_) => return None,
            None => (number, ""),
        };
        if !is_digits(whole) {
            return None;
        }
        parts.push((first_unit + unit, whole, fraction));
        next_unit = unit + 1;
        // Units are ASCII letters, one byte long.
        text = &rest[1..];
    }
    Some(())
}

// ---------------------------------------------------------------------------------------------
// RFC 3339 date-times
// ---------------------------------------------------------------------------------------------

/// Serde helpers for [`time::OffsetDateTime`] fields sent as RFC 3339 text.
///
/// Use `#[serde(with = "crate::runtime::date_time")]`, or [`date_time::option`] for optional
/// fields.
pub mod date_time {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    /// Parses RFC 3339 text, reading a timestamp without an offset as UTC.
    pub fn parse(text: &str) -> azure_core::Result<OffsetDateTime> {
        OffsetDateTime::parse(text, &Rfc3339)
            .or_else(|error| {
                // Many Azure services omit the offset (`2017-06-19T12:00:00`) and mean UTC.
                OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339).map_err(|_| error)
            })
            .map_err(|error| {
                super::conversion_error(format!("invalid RFC 3339 date-time {text:?}: {error}"))
            })
    }

    /// Formats a date-time as RFC 3339; fails only for values RFC 3339 cannot express, such as
    /// years outside 0000–9999.
    pub fn format(value: &OffsetDateTime) -> azure_core::Result<String> {
        value.format(&Rfc3339).map_err(|error| {
            super::conversion_error(format!("cannot format {value} as RFC 3339: {error}"))
        })
    }

    /// Serializes a date-time as an RFC 3339 string.
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(value).map_err(serde::ser::Error::custom)?)
    }

    /// Deserializes a date-time from an RFC 3339 string (see [`parse`]).
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    /// The same helpers for `Option<OffsetDateTime>`, with `null` read as `None`.
    ///
    /// Pair with `default, skip_serializing_if = "Option::is_none"` so a missing field is
    /// `None` and `None` is left out.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::OffsetDateTime;

        /// Serializes `Some` as an RFC 3339 string and `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes an optional RFC 3339 string.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            Option::<String>::deserialize(deserializer)?
                .map(|text| super::parse(&text).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Enums from `x-ms-enum`
// ---------------------------------------------------------------------------------------------
//
// The generator writes each enum itself (so it carries the spec's docs) and then invokes one of
// these macros for the conversions. They run once per enum in every crate, so the expansions
// are kept small: lookups are plain `if` chains and anything non-generic lives in functions here.
// A crate may have no enums of one kind, hence the `allow(unused_*)` on the macros and re-exports.

/// Implements the conversions of an extensible enum, one whose last variant is
/// `UnknownValue(String)` and holds any value the service sends that the spec does not list.
///
/// ```text
/// crate::runtime::extensible_enum!(BackendProtocol { Http = "http", Soap = "soap" });
/// ```
///
/// Unknown values are kept verbatim, so they serialize back unchanged. `Default` is an empty
/// `UnknownValue`, which a required field treats as "not set" (see [`Unset`]).
#[allow(unused_macros)]
macro_rules! extensible_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// Returns the value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::UnknownValue(value) => value,
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $(if value == $value {
                    return Self::$variant;
                })*
                Self::UnknownValue(value)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }

        /// An empty [`UnknownValue`](Self::UnknownValue): not set, and left out of requests.
        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::UnknownValue(::std::string::String::new())
            }
        }

        impl $crate::runtime::Unset for $name {
            fn is_unset(&self) -> bool {
                matches!(self, Self::UnknownValue(value) if value.is_empty())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use extensible_enum;

/// Implements the conversions of a closed enum, one that accepts only the listed values.
///
/// ```text
/// crate::runtime::closed_enum!(SkuTier { Basic = "Basic", Premium = "Premium" });
/// ```
///
/// Parsing or deserializing any other value is an error. `Default` is the first listed variant.
#[allow(unused_macros)]
macro_rules! closed_enum {
    (
        $name:ident {
            $first:ident = $first_value:literal $(, $variant:ident = $value:literal)* $(,)?
        }
    ) => {
        impl $name {
            /// Returns the value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    Self::$first => $first_value,
                    $(Self::$variant => $value,)*
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::azure_core::Error;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                if value == $first_value {
                    return Ok(Self::$first);
                }
                $(if value == $value {
                    return Ok(Self::$variant);
                })*
                Err($crate::runtime::unknown_enum_value(
                    stringify!($name),
                    value,
                    &[$first_value $(, $value)*],
                ))
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = ::azure_core::Error;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                value.parse().map_err(|_| {
                    let expected = &[$first_value $(, $value)*];
                    <D::Error as ::serde::de::Error>::unknown_variant(&value, expected)
                })
            }
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::$first
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use closed_enum;

/// The error for a value a closed enum does not accept; called by `closed_enum!` expansions.
pub fn unknown_enum_value(type_name: &str, value: &str, expected: &[&str]) -> azure_core::Error {
    conversion_error(format!(
        "invalid {type_name} value {value:?}; expected one of: {}",
        expected.join(", ")
    ))
}

/// Implements serde for an enum over the schemas that share a discriminator, whose last variant
/// is `UnknownKind(serde_json::Value)`:
///
/// ```text
/// crate::runtime::polymorphic!(PetClassification, "kind", { Cat = "cat", Dog = "dog" });
/// ```
///
/// Reading picks the variant by the discriminator's value and keeps unknown kinds whole; writing
/// sets the discriminator from the variant, so callers need not fill it in.
#[allow(unused_macros)]
macro_rules! polymorphic {
    ($name:ident, $tag:literal, { $($variant:ident = $value:literal),+ $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => $crate::runtime::serialize_tagged(inner, $tag, $value, serializer),)+
                    Self::UnknownKind(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get($tag).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    $(Some($value) => ::serde_json::from_value(value).map(Self::$variant).map_err(::serde::de::Error::custom),)+
                    _ => Ok(Self::UnknownKind(value)),
                }
            }
        }

        $crate::runtime::polymorphic!(@default $name $($variant)+);
    };
    (@default $name:ident $first:ident $($rest:ident)*) => {
        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::$first(::std::default::Default::default())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use polymorphic;

/// Writes `inner` with its discriminator set to `value`.
pub fn serialize_tagged<T: serde::Serialize, S: serde::Serializer>(
    inner: &T,
    tag: &str,
    value: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(inner).map_err(serde::ser::Error::custom)?;
    if let Some(object) = json.as_object_mut() {
        object.insert(tag.to_owned(), serde_json::Value::String(value.to_owned()));
    }
    serde::Serialize::serialize(&json, serializer)
}

// ---------------------------------------------------------------------------------------------
// JSON objects
// ---------------------------------------------------------------------------------------------
//
// serde's derives expand to a field enum, a sequence visitor and a wrapper type for every
// `deserialize_with` field; across hundreds of models that is most of the crate's compile time.
// JSON objects need only a map visitor: read keys as borrowed strings, assign known fields into
// `Default`, hand the rest to `IgnoredAny` (or the extra-properties map). Writing is a map with
// the spec's skipping rules.

/// Implements serde for a model struct (which must implement `Default`):
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
    ($name:ident { $($field:ident $wire:literal $($de:ident $ser:ident)?),* $(,)? } $(extra $extra:ident)?) => {
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
                $($crate::runtime::json_object!(@ser [$($ser)?] out $wire &self.$field);)*
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
    (@ser [skip] $out:ident $wire:literal $value:expr) => {};
    (@ser [] $out:ident $wire:literal $value:expr) => { $out.opt($wire, $value) };
    (@ser [$mode:ident] $out:ident $wire:literal $value:expr) => { $out.$mode($wire, $value) };
}
#[allow(unused_imports)]
pub(crate) use json_object;

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

// ---------------------------------------------------------------------------------------------
// Required fields
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// HTTP: the client core every sub-client shares
// ---------------------------------------------------------------------------------------------
//
// Generated methods stay a few lines each by calling these: validation and URL building, query
// and header encoding, sending with the operation's success codes, paging and polling.

use azure_core::credentials::{AccessToken, TokenCredential};
use azure_core::http::pager::{PagerContinuation, PagerOptions, PagerResult, PagerState};
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::poller::{
    PollerContinuation, PollerOptions, PollerResult, PollerState, PollerStatus, StatusMonitor,
};
use azure_core::http::{
    ClientMethodOptions, ClientOptions, Context, Format, JsonFormat, Method, Pager, Pipeline, PipelineSendOptions, Poller,
    RawResponse, Request, Response, Url,
};
use std::sync::{Arc, Mutex};

/// What a method that sends one request returns: `.await` it for the typed response. Each
/// generated method is then a plain function, and the one future behind every call is compiled
/// once, not once per method or per response type.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T> {
    sent: RawCall<'a>,
    typed: std::marker::PhantomData<fn() -> T>,
}

type RawCall<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<RawResponse>> + Send + 'a>>;

impl<T: From<RawResponse>> std::future::Future for Call<'_, T> {
    type Output = azure_core::Result<T>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        self.sent.as_mut().poll(cx).map(|sent| sent.map(T::from))
    }
}

impl<T> std::fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

/// A path template. Each placeholder's rule is the one the client's rule table gives its name,
/// unless the path lists its own (when an operation constrains a name differently).
#[derive(Debug)]
pub struct Path {
    template: &'static str,
    rules: Option<&'static [&'static Rule]>,
}

impl Path {
    pub const fn new(template: &'static str) -> Self {
        Path { template, rules: None }
    }

    pub const fn with_rules(template: &'static str, rules: &'static [&'static Rule]) -> Self {
        Path { template, rules: Some(rules) }
    }
}

/// The generated table of each path placeholder's usual rule, by name.
pub type PathRules = fn(&str) -> Option<&'static Rule>;

/// The options of a method with no optional parameters. Each such method names it by an alias
/// of its own (`BackendGetOptions`), so `BackendGetOptions { method_options, ..Default::default() }`
/// keeps compiling when a new spec version adds an optional parameter.
#[derive(Clone, Debug, Default)]
pub struct CallOptions<'a> {
    /// The call's context.
    pub method_options: ClientMethodOptions<'a>,
}

/// The options of a list method with no optional parameters (see [`CallOptions`]).
#[derive(Clone, Debug, Default)]
pub struct PagerCallOptions<'a> {
    /// The call's context, and a continuation to resume paging from.
    pub method_options: PagerOptions<'a>,
}

/// The state every sub-client of one client shares: endpoint, `api-version`, pipeline, and the
/// client-level path values (`subscriptionId`).
#[derive(Debug)]
pub struct Core {
    endpoint: Url,
    api_version: String,
    pipeline: Pipeline,
    poll_interval: std::time::Duration,
    client_values: Vec<(&'static Rule, String)>,
    path_rules: PathRules,
}

/// The client-wide settings a generated client passes to [`Core::new`].
#[derive(Debug)]
pub struct CoreOptions {
    /// The crate name and version, for the `User-Agent` header.
    pub crate_name: &'static str,
    pub crate_version: &'static str,
    pub endpoint: String,
    pub api_version: String,
    pub client_options: ClientOptions,
    /// How long to wait between polls of a long-running operation without `Retry-After`.
    pub poll_interval: std::time::Duration,
    /// The value of each client-level path parameter, by its rule (a static of its own).
    pub client_values: Vec<(&'static Rule, String)>,
    /// Each path placeholder's usual rule.
    pub path_rules: PathRules,
}

impl Core {
    /// Builds the pipeline with bearer-token authentication for `{endpoint}/.default`.
    pub fn new(credential: Arc<dyn TokenCredential>, options: CoreOptions) -> azure_core::Result<Arc<Self>> {
        let endpoint: Url = options.endpoint.parse().map_err(|e| {
            invalid(format!("the endpoint `{}` is not a valid URL: {e}", options.endpoint))
        })?;
        if !matches!(endpoint.scheme(), "https" | "http") {
            return Err(invalid(format!("the endpoint `{endpoint}` must be an http(s) URL")));
        }
        let scope = format!("{}/.default", options.endpoint.trim_end_matches('/'));
        let auth: Arc<dyn Policy> = Arc::new(BearerAuth { credential, scope, cached: Mutex::new(None) });
        let pipeline = Pipeline::new(
            Some(options.crate_name),
            Some(options.crate_version),
            options.client_options,
            Vec::new(),
            vec![auth],
            None,
        );
        Ok(Arc::new(Core {
            endpoint,
            api_version: options.api_version,
            pipeline,
            poll_interval: options.poll_interval,
            client_values: options.client_values,
            path_rules: options.path_rules,
        }))
    }

    /// The service endpoint.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// Starts a request: validates the path values (`args` for the method's placeholders, the
    /// client's own for client-level ones), encodes each as exactly one segment, and adds
    /// `api-version`. An invalid value is kept in the request and fails the call.
    pub fn request(&self, method: Method, path: &Path, args: &[&str]) -> Req {
        Req { request: self.build(method, path, args) }
    }

    /// Starts a GET request (see [`Core::request`]).
    pub fn get(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Get, path, args)
    }

    /// Starts a PUT request (see [`Core::request`]).
    pub fn put(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Put, path, args)
    }

    /// Starts a POST request (see [`Core::request`]).
    pub fn post(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Post, path, args)
    }

    /// Starts a PATCH request (see [`Core::request`]).
    pub fn patch(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Patch, path, args)
    }

    /// Starts a DELETE request (see [`Core::request`]).
    pub fn delete(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Delete, path, args)
    }

    /// Starts a HEAD request (see [`Core::request`]).
    pub fn head(&self, path: &Path, args: &[&str]) -> Req {
        self.request(Method::Head, path, args)
    }

    fn build(&self, method: Method, path: &Path, args: &[&str]) -> azure_core::Result<Request> {
        let template = path.template;
        let mut url = self.endpoint.as_str().trim_end_matches('/').to_owned();
        let mut listed = path.rules.map(|rules| rules.iter());
        let mut args = args.iter();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            url.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = rest.get(open + 1..close).unwrap_or("");
            let rule = match &mut listed {
                Some(rules) => rules.next().copied(),
                None => (self.path_rules)(name),
            };
            let value = rule.and_then(|rule| {
                let client = self.client_values.iter().find(|(r, _)| std::ptr::eq(*r, rule));
                client.map(|(_, v)| v.as_str()).or_else(|| args.next().copied()).map(|v| (rule, v))
            });
            let Some((rule, value)) = value else {
                return Err(invalid(format!("no value for `{{{name}}}`")));
            };
            rule.check_segment(value)?;
            encode_segment(value, &mut url);
            rest = rest.get(close + 1..).unwrap_or("");
        }
        url.push_str(rest);
        let mut url: Url = url.parse().map_err(|e| invalid(format!("cannot build a URL from `{template}`: {e}")))?;
        url.query_pairs_mut().append_pair("api-version", &self.api_version);
        let mut request = Request::new(url, method);
        request.insert_header("accept", "application/json");
        Ok(request)
    }

    /// Sends a request; a status outside `success` becomes an error carrying the ARM error.
    pub fn send<'a, T: 'a, F: 'a>(
        &'a self,
        req: Req,
        options: ClientMethodOptions<'a>,
        success: &'static [u16],
    ) -> Call<'a, Response<T, F>> {
        Call { sent: self.send_boxed(req, options, success), typed: std::marker::PhantomData }
    }

    /// Not generic, so not compiled once per response type (an async block in `send` would be).
    fn send_boxed<'a>(&'a self, req: Req, options: ClientMethodOptions<'a>, success: &'static [u16]) -> RawCall<'a> {
        Box::pin(async move { self.send_raw(&options.context, req.request?, success).await })
    }

    /// [`Core::send`] for a method whose options are only the call's context.
    pub fn call<'a, T: 'a, F: 'a>(
        &'a self,
        req: Req,
        options: Option<CallOptions<'a>>,
        success: &'static [u16],
    ) -> Call<'a, Response<T, F>> {
        self.send(req, options.unwrap_or_default().method_options, success)
    }

    async fn send_raw(&self, context: &Context<'_>, mut request: Request, success: &'static [u16]) -> azure_core::Result<RawResponse> {
        let options = PipelineSendOptions {
            check_success: azure_core::error::CheckSuccessOptions { success_codes: success },
            ..PipelineSendOptions::default()
        };
        self.pipeline.send(context, &mut request, Some(options)).await
    }

    /// A GET of a URL the service returned (next page, operation status), which must stay on
    /// the endpoint's origin: the bearer token is never sent elsewhere.
    fn follow(&self, link: &str) -> azure_core::Result<Request> {
        let url = self.endpoint.join(link).map_err(|e| invalid(format!("the service returned an invalid link `{link}`: {e}")))?;
        if url.origin() != self.endpoint.origin() {
            return Err(invalid(format!("the service returned a link to another host (`{url}`); not following it")));
        }
        let mut url = url;
        if !url.query_pairs().any(|(k, _)| k == "api-version") {
            url.query_pairs_mut().append_pair("api-version", &self.api_version);
        }
        let mut request = Request::new(url, Method::Get);
        request.insert_header("accept", "application/json");
        Ok(request)
    }
}

fn invalid(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::DataConversion, message)
}

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

/// Adds `Authorization: Bearer …`, reusing a token until five minutes before it expires.
/// Tokens go only over https, or to a loopback address (local test servers).
#[derive(Debug)]
struct BearerAuth {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    cached: Mutex<Option<AccessToken>>,
}

impl BearerAuth {
    async fn token(&self) -> azure_core::Result<String> {
        let fresh_until = azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::minutes(5);
        if let Ok(cached) = self.cached.lock()
            && let Some(token) = cached.as_ref().filter(|t| t.expires_on > fresh_until)
        {
            return Ok(token.token.secret().to_owned());
        }
        let token = self.credential.get_token(&[self.scope.as_str()], None).await?;
        let secret = token.token.secret().to_owned();
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some(token);
        }
        Ok(secret)
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

#[async_trait::async_trait]
impl Policy for BearerAuth {
    async fn send(&self, ctx: &Context, request: &mut Request, next: &[Arc<dyn Policy>]) -> PolicyResult {
        if request.url().scheme() != "https" && !is_loopback(request.url()) {
            return Err(azure_core::Error::with_message(
                ErrorKind::Credential,
                "bearer tokens are only sent over https (or to a loopback address)",
            ));
        }
        let token = self.token().await?;
        request.insert_header("authorization", format!("Bearer {token}"));
        match next.split_first() {
            Some((policy, rest)) => policy.send(ctx, request, rest).await,
            None => Err(azure_core::Error::with_message(ErrorKind::Other, "the pipeline has no transport")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parameter validation and encoding
// ---------------------------------------------------------------------------------------------

/// What a parameter value must satisfy, from the spec, checked before anything is sent.
#[derive(Debug)]
pub struct Rule {
    name: &'static str,
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
    fn check_segment(&self, value: &str) -> azure_core::Result<()> {
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
fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// A query parameter value.
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

/// A request being built. The first invalid value is kept and fails the call, so the methods
/// building it need no `?` of their own.
#[derive(Debug)]
pub struct Req {
    request: azure_core::Result<Request>,
}

impl Req {
    fn with(&mut self, step: impl FnOnce(&mut Request) -> azure_core::Result<()>) {
        if let Ok(request) = &mut self.request
            && let Err(error) = step(request)
        {
            self.request = Err(error);
        }
    }

    /// Adds a query parameter (left out when `None`), checked against `rule`.
    pub fn query(&mut self, rule: &Rule, value: impl QueryValue) {
        self.with(|request| {
            if let Some(text) = value.render(rule)? {
                request.url_mut().query_pairs_mut().append_pair(rule.name, &text);
            }
            Ok(())
        })
    }

    /// Adds a query pair the path itself fixes (`x-ms-paths`: `/items?op=export`).
    pub fn constant(&mut self, name: &'static str, value: &'static str) {
        self.with(|request| {
            request.url_mut().query_pairs_mut().append_pair(name, value);
            Ok(())
        })
    }

    /// Adds a header (left out when `None`); `name` must be lowercase.
    pub fn header(&mut self, name: &'static str, value: Option<String>) {
        self.with(|request| {
            if let Some(value) = value {
                request.insert_header(name, value);
            }
            Ok(())
        })
    }

    /// Sets the `Accept` header when the operation answers with more than JSON.
    pub fn accept(&mut self, media: &'static str) {
        self.header("accept", Some(media.to_owned()))
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        self.json_bytes(content_type, serde_json::to_vec(body));
    }

    fn json_bytes(&mut self, content_type: &'static str, bytes: serde_json::Result<Vec<u8>>) {
        self.with(|request| {
            let bytes = bytes.map_err(|e| invalid(format!("cannot serialize the request body: {e}")))?;
            request.insert_header("content-type", content_type);
            request.set_body(bytes);
            Ok(())
        })
    }

    /// Sets a body that is not JSON (`application/octet-stream`, `text/plain`…).
    pub fn bytes(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.with(|request| {
            request.insert_header("content-type", content_type);
            request.set_body(body);
            Ok(())
        })
    }

    /// The request as built, or the first invalid value.
    pub fn finish(self) -> azure_core::Result<Request> {
        self.request
    }
}

// ---------------------------------------------------------------------------------------------
// Responses: typed headers and typed errors
// ---------------------------------------------------------------------------------------------

/// A response header value type.
pub trait FromHeader: Sized {
    /// Parses the header text.
    fn from_header(text: &str) -> Option<Self>;
}

impl FromHeader for String {
    fn from_header(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl FromHeader for i64 {
    fn from_header(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
}

impl FromHeader for bool {
    fn from_header(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
}

impl FromHeader for time::OffsetDateTime {
    fn from_header(text: &str) -> Option<Self> {
        azure_core::time::parse_rfc7231(text).ok().or_else(|| date_time::parse(text).ok())
    }
}

/// Reads a declared response header: `Ok(None)` when absent, an error when malformed.
pub fn header<T: FromHeader>(headers: &azure_core::http::headers::Headers, name: &'static str) -> azure_core::Result<Option<T>> {
    let key = azure_core::http::headers::HeaderName::from_static(name);
    match headers.get_optional_str(&key) {
        None => Ok(None),
        Some(text) => T::from_header(text)
            .map(Some)
            .ok_or_else(|| invalid(format!("the response header `{name}` has an unexpected value `{text}`"))),
    }
}

/// The typed error body of a failed call (`ErrorResponse` in ARM specs), if the error came from
/// the service and its body parses.
pub fn error_body<T: serde::de::DeserializeOwned>(error: &azure_core::Error) -> Option<T> {
    match error.kind() {
        ErrorKind::HttpResponse { raw_response: Some(raw), .. } => serde_json::from_slice(raw.body()).ok(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Paging (`x-ms-pageable`)
// ---------------------------------------------------------------------------------------------

/// Implements azure_core's `Page` for a page model: `page!(BackendCollection, value, BackendContract)`
/// (or `page!(…, optional)` when the items field is an `Option<Vec<_>>`).
#[allow(unused_macros)]
macro_rules! page {
    ($page:ty, $field:ident, $item:ty) => {
        #[::async_trait::async_trait]
        impl ::azure_core::http::pager::Page for $page {
            type Item = $item;
            type IntoIter = ::std::vec::IntoIter<$item>;
            async fn into_items(self) -> ::azure_core::Result<Self::IntoIter> {
                Ok(self.$field.into_iter())
            }
        }
    };
    ($page:ty, $field:ident, $item:ty, optional) => {
        #[::async_trait::async_trait]
        impl ::azure_core::http::pager::Page for $page {
            type Item = $item;
            type IntoIter = ::std::vec::IntoIter<$item>;
            async fn into_items(self) -> ::azure_core::Result<Self::IntoIter> {
                Ok(self.$field.unwrap_or_default().into_iter())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use page;

impl Core {
    /// Pages through a list: the first request as built, then each `next_link` (absolute and
    /// opaque, on the same origin, `api-version` kept). Stops on a missing, empty or repeated link.
    pub fn pager<P>(
        self: &Arc<Self>,
        req: Req,
        options: PagerOptions<'_>,
        next_link: Option<&'static str>,
    ) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + 'static,
    {
        let first = req.request?;
        let seen = Arc::new(Mutex::new(std::collections::BTreeSet::from([first.url().to_string()])));
        let pages = Pages { core: Arc::clone(self), first, next_link, seen };
        let options = PagerOptions { context: options.context.into_owned(), continuation: options.continuation };
        // Only the last step, typing the raw page, depends on `P`: the rest is compiled once.
        Ok(Pager::new(
            move |state: PagerState, options: PagerOptions<'static>| {
                let fetch = pages.fetch(state, options);
                Box::pin(async move {
                    let (raw, next) = fetch.await?;
                    let response: Response<P> = raw.into();
                    Ok(match next {
                        Some(url) => PagerResult::More { response, continuation: PagerContinuation::Link(url) },
                        None => PagerResult::Done { response },
                    })
                })
            },
            Some(options),
        ))
    }
}

/// What a pager fetches with: the first request, the next-link property, and every URL fetched
/// or queued (the first included: a link back to any of them ends paging).
struct Pages {
    core: Arc<Core>,
    first: Request,
    next_link: Option<&'static str>,
    seen: Arc<Mutex<std::collections::BTreeSet<String>>>,
}

type RawPage = std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<(RawResponse, Option<Url>)>> + Send>>;

impl Pages {
    /// Fetches one page; the URL of the next, if it is new.
    fn fetch(&self, state: PagerState, options: PagerOptions<'static>) -> RawPage {
        let core = Arc::clone(&self.core);
        let seen = Arc::clone(&self.seen);
        let next_link = self.next_link;
        let request = match state {
            PagerState::Initial => Ok(self.first.clone()),
            PagerState::More(link) => core.follow(link.as_ref()),
        };
        Box::pin(async move {
            let raw = core.send_raw(&options.context, request?, &[200]).await?;
            let next = next_link.and_then(|name| scan_string_field(raw.body(), name)).filter(|link| !link.is_empty());
            // Resolved against the endpoint but not yet checked: a link to another host
            // still delivers this page, and the refusal comes with the next one.
            let next = next.and_then(|link| core.endpoint.join(&link).ok());
            let fresh = next.filter(|url| seen.lock().is_ok_and(|mut seen| seen.insert(url.to_string())));
            Ok((raw, fresh))
        })
    }
}

impl Core {
    /// [`Core::pager`] for a list method whose options are only the call's context.
    pub fn list<P>(
        self: &Arc<Self>,
        req: Req,
        options: Option<PagerCallOptions<'_>>,
        next_link: Option<&'static str>,
    ) -> azure_core::Result<Pager<P>>
    where
        P: azure_core::http::pager::Page + serde::de::DeserializeOwned + Send + 'static,
    {
        self.pager(req, options.unwrap_or_default().method_options, next_link)
    }
}

/// Reads one top-level string field of a JSON object without building the rest (the page's
/// items are decoded once, when the caller asks for them). Public for the benchmark.
pub fn scan_string_field(body: &[u8], name: &str) -> Option<String> {
    match last_string_field(body, name) {
        Some(found) => found,
        None => seek_string_field(body, name),
    }
}

/// ARM writes the next link as the page's last property. Found from the end, it is provably
/// top-level when only the object's closing brace follows its value: a nested key would be
/// followed by its own container's closing bracket too. `None` means "could not tell".
fn last_string_field(body: &[u8], name: &str) -> Option<Option<String>> {
    let key = format!("\"{name}\"");
    // Absent bytes are a definite answer: the last page has no next link.
    let Some(start) = body.windows(key.len()).rposition(|w| w == key.as_bytes()) else { return Some(None) };
    let rest = skip_space(&body[start + key.len()..]).strip_prefix(b":")?;
    let rest = skip_space(rest);
    let (value, after) = if let Some(after) = rest.strip_prefix(b"null") {
        (None, after)
    } else {
        let text = rest.strip_prefix(b"\"")?;
        let end = text.iter().position(|b| *b == b'"')?;
        // Escapes need a real JSON reader.
        if text[..end].contains(&b'\\') {
            return None;
        }
        (Some(std::str::from_utf8(&text[..end]).ok()?.to_owned()), &text[end + 1..])
    };
    let after = skip_space(after).strip_prefix(b"}")?;
    skip_space(after).is_empty().then_some(value)
}

fn skip_space(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The general case: one pass of serde over the body, skipping values without building them.
fn seek_string_field(body: &[u8], name: &str) -> Option<String> {
    struct Seek<'n>(&'n str);
    impl<'de> serde::de::Visitor<'de> for Seek<'_> {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    found = map.next_value::<Option<String>>()?;
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde::Deserializer::deserialize_map(&mut deserializer, Seek(name)).ok().flatten()
}

// ---------------------------------------------------------------------------------------------
// Long-running operations (`x-ms-long-running-operation`)
// ---------------------------------------------------------------------------------------------

/// Where the final result of a long-running operation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalState {
    /// GET the original request URL (PUT and PATCH).
    OriginalUri,
    /// GET the `Location` URL of the first response, when there is one (POST and DELETE).
    Location,
    /// The last status response itself.
    LastStatus,
}

/// The status of a long-running operation, read from any ARM polling response: the
/// `Azure-AsyncOperation` body's `status`, or a resource's `properties.provisioningState`.
pub struct LroStatus<T, F = JsonFormat> {
    status: PollerStatus,
    marker: std::marker::PhantomData<fn() -> (T, F)>,
}

impl<T, F> std::fmt::Debug for LroStatus<T, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LroStatus").field("status", &self.status).finish()
    }
}

impl<T, F> LroStatus<T, F> {
    fn from_body(body: &[u8]) -> Self {
        Self::from_value(&serde_json::from_slice(body).unwrap_or_default())
    }

    fn from_value(value: &serde_json::Value) -> Self {
        let text = value
            .get("status")
            .or_else(|| value.pointer("/properties/provisioningState"))
            .and_then(serde_json::Value::as_str);
        // A body without a status is a finished resource (or nothing at all).
        let status = text.map_or(PollerStatus::Succeeded, PollerStatus::from);
        LroStatus { status, marker: std::marker::PhantomData }
    }

    /// The operation's status.
    pub fn status(&self) -> &PollerStatus {
        &self.status
    }
}

impl<'de, T, F> serde::Deserialize<'de> for LroStatus<T, F> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        Ok(LroStatus::from_value(&value))
    }
}

impl<T, F: Format + Send> StatusMonitor for LroStatus<T, F> {
    type Output = T;
    type Format = F;
    fn status(&self) -> PollerStatus {
        self.status.clone()
    }
}

impl Core {
    /// Sends the initial request exactly once, then polls `Azure-AsyncOperation`, else
    /// `Location`, else the resource itself, honouring `Retry-After`; `Failed` and `Canceled`
    /// end in an error carrying the service's error body.
    pub fn poller<T, F>(
        self: &Arc<Self>,
        req: Req,
        options: ClientMethodOptions<'_>,
        success: &'static [u16],
        final_state: FinalState,
    ) -> azure_core::Result<Poller<LroStatus<T, F>>>
    where
        T: Send + 'static,
        F: Format + Send + 'static,
    {
        let polls = Arc::new(Polls {
            core: Arc::clone(self),
            initial: Mutex::new(Some(req.request?)),
            success,
            final_state,
        });
        let options = PollerOptions { context: options.context.into_owned(), ..PollerOptions::default() };
        // Only typing the raw responses depends on `T` and `F`: the polling itself is compiled once.
        Ok(Poller::new(
            move |state: PollerState, options: PollerOptions<'static>| {
                let polls = Arc::clone(&polls);
                let context = options.context.clone();
                let step = Polls::step(Arc::clone(&polls), state, options);
                Box::pin(async move {
                    Ok(match step.await? {
                        Step::InProgress { raw, retry_after, continuation } => {
                            PollerResult::InProgress { response: raw.into(), retry_after, continuation }
                        }
                        Step::Done { raw, final_link } => {
                            let last = raw.clone();
                            let target = Box::new(move || -> FinalResult<T, F> {
                                let fetch = polls.final_result(final_link, last, context);
                                Box::pin(async move { fetch.await.map(Response::from) })
                            });
                            PollerResult::Succeeded { response: raw.into(), target }
                        }
                    })
                })
            },
            Some(options),
        ))
    }

    /// `Retry-After` (seconds, or an HTTP date) or `retry-after-ms`, else the client's interval.
    fn retry_after(&self, raw: &RawResponse) -> azure_core::time::Duration {
        let headers = raw.headers();
        let get = |name: &'static str| headers.get_optional_str(&azure_core::http::headers::HeaderName::from_static(name));
        let millis = get("retry-after-ms").or_else(|| get("x-ms-retry-after-ms")).and_then(|v| v.trim().parse::<i64>().ok());
        if let Some(ms) = millis {
            return azure_core::time::Duration::milliseconds(ms.max(0));
        }
        if let Some(value) = get("retry-after") {
            if let Ok(seconds) = value.trim().parse::<i64>() {
                return azure_core::time::Duration::seconds(seconds.max(0));
            }
            if let Ok(when) = azure_core::time::parse_rfc7231(value) {
                return (when - azure_core::time::OffsetDateTime::now_utc()).max(azure_core::time::Duration::ZERO);
            }
        }
        azure_core::time::Duration::try_from(self.poll_interval).unwrap_or(azure_core::time::Duration::seconds(30))
    }
}

/// What fetching the final result of a long-running operation yields.
type FinalResult<T, F> =
    std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<Response<T, F>>> + Send>>;

/// What a poller polls with: the initial request (sent once), its success codes, and where the
/// final result comes from.
struct Polls {
    core: Arc<Core>,
    initial: Mutex<Option<Request>>,
    success: &'static [u16],
    final_state: FinalState,
}

/// One poll's outcome, before its response is typed.
enum Step {
    InProgress { raw: RawResponse, retry_after: azure_core::time::Duration, continuation: PollerContinuation },
    Done { raw: RawResponse, final_link: Option<Url> },
}

type RawStep = std::pin::Pin<Box<dyn std::future::Future<Output = azure_core::Result<Step>> + Send>>;

impl Polls {
    /// Sends the initial request or polls the status URL; `Failed` and `Canceled` are errors.
    fn step(polls: Arc<Self>, state: PollerState, options: PollerOptions<'static>) -> RawStep {
        Box::pin(async move {
            let core = &polls.core;
            let (raw, final_link) = match state {
                PollerState::Initial => {
                    let request = polls.initial.lock().ok().and_then(|mut r| r.take());
                    let request = request.ok_or_else(|| invalid("the initial request was already sent".to_owned()))?;
                    let original = request.url().clone();
                    let creates_resource = matches!(request.method(), Method::Put | Method::Patch);
                    let raw = core.send_raw(&options.context, request, polls.success).await?;
                    let location = location(&raw).map(|l| core.follow(&l)).transpose()?.map(|r| r.url().clone());
                    // PUT and PATCH end with their resource, unless the spec says `location` and there is one.
                    let final_link = match polls.final_state {
                        FinalState::Location if location.is_some() => location.clone(),
                        FinalState::OriginalUri => Some(original.clone()),
                        _ if creates_resource => Some(original.clone()),
                        _ => None,
                    };
                    // `Azure-AsyncOperation` always wins; `Location` on 202; a PUT or PATCH
                    // still provisioning is polled at its own URL.
                    let next = match async_link(&raw) {
                        Some(link) => Some(core.follow(&link)?.url().clone()),
                        None if raw.status() == 202 => location,
                        None if creates_resource && !is_terminal(&raw) => Some(original),
                        None => None,
                    };
                    match next {
                        Some(next_link) => {
                            let retry_after = core.retry_after(&raw);
                            let continuation = PollerContinuation::Links { next_link, final_link };
                            return Ok(Step::InProgress { raw, retry_after, continuation });
                        }
                        None if raw.status() == 202 => {
                            return Err(invalid("the service accepted the operation but gave no URL to poll".to_owned()));
                        }
                        None => (raw, None),
                    }
                }
                PollerState::More(PollerContinuation::Links { next_link, final_link }) => {
                    let raw = core.send_raw(&options.context, core.follow(next_link.as_str())?, &[200, 201, 202, 204]).await?;
                    let status = status_of(raw.body());
                    let in_progress = raw.status() == 202 || !matches!(status, PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled);
                    if in_progress {
                        let next = status_link(&raw).map(|l| core.follow(&l)).transpose()?.map(|r| r.url().clone());
                        let retry_after = core.retry_after(&raw);
                        let continuation = PollerContinuation::Links { next_link: next.unwrap_or(next_link), final_link };
                        return Ok(Step::InProgress { raw, retry_after, continuation });
                    }
                    // The URL just polled already answered with the result: no second GET.
                    (raw, final_link.filter(|url| *url != next_link))
                }
                PollerState::More(_) => return Err(invalid("unexpected poller continuation".to_owned())),
            };
            let status = status_of(raw.body());
            if matches!(status, PollerStatus::Failed | PollerStatus::Canceled) {
                return Err(operation_failed(raw, &status));
            }
            Ok(Step::Done { raw, final_link })
        })
    }

    /// The final result: fetched from `final_link`, or the last status response itself.
    fn final_result(&self, final_link: Option<Url>, last: RawResponse, context: Context<'static>) -> RawCall<'static> {
        let core = Arc::clone(&self.core);
        Box::pin(async move {
            let Some(url) = final_link else { return Ok(last) };
            let mut request = Request::new(url, Method::Get);
            request.insert_header("accept", "application/json");
            core.send_raw(&context, request, &[200, 201, 204]).await
        })
    }
}

/// The status a long-running operation's response body reports.
fn status_of(body: &[u8]) -> PollerStatus {
    LroStatus::<(), JsonFormat>::from_body(body).status
}

fn location(raw: &RawResponse) -> Option<String> {
    raw.headers().get_optional_string(&azure_core::http::headers::HeaderName::from_static("location"))
}

/// The URL to poll: `Azure-AsyncOperation` (or `Operation-Location`), else `Location`.
fn status_link(raw: &RawResponse) -> Option<String> {
    async_link(raw).or_else(|| location(raw))
}

fn async_link(raw: &RawResponse) -> Option<String> {
    let headers = raw.headers();
    ["azure-asyncoperation", "operation-location"]
        .into_iter()
        .find_map(|name| headers.get_optional_string(&azure_core::http::headers::HeaderName::from_static(name)))
}

fn is_terminal(raw: &RawResponse) -> bool {
    let status = LroStatus::<(), JsonFormat>::from_body(raw.body()).status;
    matches!(status, PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled)
}

/// `Failed`/`Canceled` as an error with the service's `error` (top level or under `properties`).
fn operation_failed(raw: RawResponse, status: &PollerStatus) -> azure_core::Error {
    let body: serde_json::Value = serde_json::from_slice(raw.body()).unwrap_or_default();
    let error = body.get("error").or_else(|| body.pointer("/properties/error"));
    let field = |name: &str| error.and_then(|e| e.get(name)).and_then(serde_json::Value::as_str).map(str::to_owned);
    let (code, message) = (field("code"), field("message"));
    let state = match status {
        PollerStatus::Canceled => "was canceled",
        _ => "failed",
    };
    let text = match (&code, &message) {
        (Some(code), Some(message)) => format!("the long-running operation {state}: {code}: {message}"),
        (Some(code), None) => format!("the long-running operation {state}: {code}"),
        (None, Some(message)) => format!("the long-running operation {state}: {message}"),
        (None, None) => format!("the long-running operation {state}"),
    };
    let kind = ErrorKind::HttpResponse { status: raw.status(), error_code: code, raw_response: Some(Box::new(raw)) };
    azure_core::Error::with_message(kind, text)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration as StdDuration;
    use time::{Date, Month, OffsetDateTime, UtcOffset};

    fn at(
        ymd: (i32, Month, u8),
        hms: (u8, u8, u8),
        nanos: u32,
        offset_hours: i8,
    ) -> OffsetDateTime {
        let offset = UtcOffset::from_hms(offset_hours, 0, 0).unwrap();
        Date::from_calendar_date(ymd.0, ymd.1, ymd.2)
            .unwrap()
            .with_hms_nano(hms.0, hms.1, hms.2, nanos)
            .unwrap()
            .assume_offset(offset)
    }

    #[test]
    fn duration_keeps_exact_text() {
        for text in [
            "P1DT2H", "PT0.5S", "P1Y2M", "-PT5M", "P2W", "PT1H0M", "PT1,5S",
        ] {
            let parsed: Duration = text.parse().unwrap();
            assert_eq!(parsed.as_str(), text);
            assert_eq!(parsed.to_string(), text);
            let json = serde_json::to_string(&parsed).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Duration>(&json).unwrap(), parsed);
        }
    }

    #[test]
    fn duration_to_std() {
        let std = |text: &str| Duration::new(text).to_std();
        assert_eq!(std("PT1H0M"), Some(StdDuration::from_secs(3_600)));
        assert_eq!(std("P1DT2H"), Some(StdDuration::from_secs(93_600)));
        assert_eq!(std("P2W"), Some(StdDuration::from_secs(1_209_600)));
        assert_eq!(std("PT1.5S"), Some(StdDuration::from_millis(1_500)));
        assert_eq!(std("PT0.000000001S"), Some(StdDuration::from_nanos(1)));
        assert_eq!(std("PT1.5M"), Some(StdDuration::from_secs(90)));
        assert_eq!(std("P0Y0M1D"), Some(StdDuration::from_secs(86_400)));
        assert_eq!(std("PT0S"), Some(StdDuration::ZERO));
        for none in [
            "-PT5M",
            "P1Y",
            "P1M",
            "P0.5Y",
            "garbage",
            "",
            "P99999999999999999999D",
        ] {
            assert_eq!(std(none), None, "{none}");
        }
    }

    #[test]
    fn duration_from_std() {
        let from = |secs: f64| Duration::from(StdDuration::from_secs_f64(secs)).to_string();
        assert_eq!(from(0.0), "PT0S");
        assert_eq!(from(90_061.5), "P1DT1H1M1.5S");
        assert_eq!(from(86_400.0), "P1D");
        assert_eq!(from(3_600.0), "PT1H");
        assert_eq!(from(60.25), "PT1M0.25S");
        assert_eq!(from(0.5), "PT0.5S");
        assert_eq!(Duration::default().to_std(), Some(StdDuration::ZERO));
        let odd = StdDuration::new(1_000_000, 123_456_789);
        assert_eq!(Duration::from(odd).to_std(), Some(odd));
    }

    #[test]
    fn duration_rejects_garbage() {
        for bad in [
            "", "P", "PT", "1D", "P1H", "P1DT", "PT1D", "P1M1Y", "PT1S1M", "P.5D", "P1.D",
            "P1.2.3D", "-P", "P-1D", "P1D ", "P1Dx",
        ] {
            let error = bad.parse::<Duration>().unwrap_err();
            assert!(matches!(error.kind(), ErrorKind::DataConversion));
            assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Times {
        #[serde(with = "crate::runtime::date_time")]
        at: OffsetDateTime,
        #[serde(
            with = "crate::runtime::date_time::option",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        until: Option<OffsetDateTime>,
    }

    #[test]
    fn date_time_round_trip() {
        let json = r#"{"at":"2017-06-19T12:00:00.5+02:00","until":"2020-01-01T00:00:00Z"}"#;
        let times: Times = serde_json::from_str(json).unwrap();
        assert_eq!(
            times.at,
            at((2017, Month::June, 19), (12, 0, 0), 500_000_000, 2)
        );
        assert_eq!(
            times.until,
            Some(at((2020, Month::January, 1), (0, 0, 0), 0, 0))
        );
        assert_eq!(serde_json::to_string(&times).unwrap(), json);
    }

    #[test]
    fn date_time_without_offset_is_utc() {
        let times: Times = serde_json::from_str(r#"{"at":"2017-06-19T12:00:00"}"#).unwrap();
        assert_eq!(times.at, at((2017, Month::June, 19), (12, 0, 0), 0, 0));
        let parsed = date_time::parse("2017-06-19T12:00:00.1234567").unwrap();
        assert_eq!(
            parsed,
            at((2017, Month::June, 19), (12, 0, 0), 123_456_700, 0)
        );
        let error = date_time::parse("yesterday").unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::DataConversion));
        assert!(error.to_string().contains("\"yesterday\""), "{error}");
        let error = serde_json::from_str::<Times>(r#"{"at":"2017-06-19"}"#).unwrap_err();
        assert!(error.to_string().contains("2017-06-19"), "{error}");
    }

    #[test]
    fn date_time_option_none() {
        let missing: Times = serde_json::from_str(r#"{"at":"2017-06-19T12:00:00Z"}"#).unwrap();
        let null: Times =
            serde_json::from_str(r#"{"at":"2017-06-19T12:00:00Z","until":null}"#).unwrap();
        assert_eq!(missing.until, None);
        assert_eq!(null, missing);
        assert_eq!(
            serde_json::to_string(&missing).unwrap(),
            r#"{"at":"2017-06-19T12:00:00Z"}"#
        );
    }

    #[derive(Debug, PartialEq)]
    enum Protocol {
        Http,
        Soap,
        UnknownValue(String),
    }
    crate::runtime::extensible_enum!(Protocol { Http = "http", Soap = "soap" });

    #[derive(Debug, PartialEq)]
    enum Empty {
        UnknownValue(String),
    }
    crate::runtime::extensible_enum!(Empty {});

    #[derive(Debug, PartialEq)]
    enum Tier {
        Basic,
        Premium,
    }
    crate::runtime::closed_enum!(Tier { Basic = "Basic", Premium = "Premium" });

    #[test]
    fn extensible_enum_conversions() {
        assert_eq!(Protocol::from("soap"), Protocol::Soap);
        assert_eq!("http".parse::<Protocol>(), Ok(Protocol::Http));
        assert_eq!(Protocol::Soap.as_ref(), "soap");
        assert_eq!(Protocol::Http.to_string(), "http");
        assert_eq!(Protocol::default(), Protocol::UnknownValue(String::new()));
        assert!(Protocol::default().is_unset() && !Protocol::Http.is_unset());
        assert_eq!(serde_json::to_string(&Protocol::Soap).unwrap(), "\"soap\"");
        assert_eq!(
            serde_json::from_str::<Protocol>("\"soap\"").unwrap(),
            Protocol::Soap
        );

        // Case matters on the wire, so "HTTP" is not `Http`.
        let unknown: Protocol = serde_json::from_str("\"HTTP\"").unwrap();
        assert_eq!(unknown, Protocol::UnknownValue("HTTP".to_owned()));
        assert_eq!(unknown.as_str(), "HTTP");
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"HTTP\"");

        assert_eq!(Empty::default(), Empty::UnknownValue(String::new()));
        assert_eq!(Empty::from(String::from("x")).as_str(), "x");
    }

    #[test]
    fn closed_enum_conversions() {
        assert_eq!("Premium".parse::<Tier>().unwrap(), Tier::Premium);
        assert_eq!(Tier::try_from("Basic").unwrap(), Tier::Basic);
        assert_eq!(Tier::Premium.as_ref(), "Premium");
        assert_eq!(Tier::Basic.to_string(), "Basic");
        assert_eq!(Tier::default(), Tier::Basic);
        assert_eq!(
            serde_json::to_string(&Tier::Premium).unwrap(),
            "\"Premium\""
        );
        assert_eq!(
            serde_json::from_str::<Tier>("\"Basic\"").unwrap(),
            Tier::Basic
        );

        let error = "Gold".parse::<Tier>().unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::DataConversion));
        let message = error.to_string();
        assert!(
            message.contains("Tier") && message.contains("\"Gold\""),
            "{message}"
        );
        assert!(message.contains("Basic, Premium"), "{message}");

        let message = serde_json::from_str::<Tier>("\"Gold\"")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("Gold") && message.contains("Premium"),
            "{message}"
        );
    }

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

    #[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
    struct Cat {
        #[serde(default)]
        kind: String,
        meows: Option<bool>,
    }

    #[derive(Clone, Debug)]
    enum Pet {
        Cat(Cat),
        UnknownKind(serde_json::Value),
    }
    crate::runtime::polymorphic!(Pet, "kind", { Cat = "cat" });

    #[test]
    fn polymorphic_reads_by_kind_keeps_unknown_kinds_and_writes_the_tag() {
        let cat: Pet = serde_json::from_str(r#"{"kind":"cat","meows":true}"#).unwrap();
        assert!(matches!(&cat, Pet::Cat(c) if c.meows == Some(true)));
        let unknown = r#"{"kind":"dragon","fire":9000}"#;
        let dragon: Pet = serde_json::from_str(unknown).unwrap();
        assert!(matches!(&dragon, Pet::UnknownKind(_)));
        assert_eq!(serde_json::to_value(&dragon).unwrap(), serde_json::from_str::<serde_json::Value>(unknown).unwrap());
        let sent = serde_json::to_value(Pet::Cat(Cat { kind: String::new(), meows: None })).unwrap();
        assert_eq!(sent["kind"], "cat", "the variant sets the discriminator");
        assert!(matches!(Pet::default(), Pet::Cat(_)));
    }

    #[test]
    fn next_link_is_found_only_at_the_top_level() {
        let last = br#"{"value":[{"nextLink":"inner"}],"nextLink":"https://x/2"}"#;
        assert_eq!(super::scan_string_field(last, "nextLink").as_deref(), Some("https://x/2"));
        let first = br#"{"nextLink":"https://x/3","value":[{"nextLink":"inner"}]}"#;
        assert_eq!(super::scan_string_field(first, "nextLink").as_deref(), Some("https://x/3"));
        let nested_only = br#"{"value":[{"nextLink":"inner"}]}"#;
        assert_eq!(super::scan_string_field(nested_only, "nextLink"), None);
        let escaped = br#"{"value":[],"nextLink":"https://x/?a=\u0026b"}"#;
        assert_eq!(super::scan_string_field(escaped, "nextLink").as_deref(), Some("https://x/?a=&b"));
        assert_eq!(super::scan_string_field(br#"{"value":[],"nextLink":null}"#, "nextLink"), None);
    }
}
