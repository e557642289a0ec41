//! The conversions of the spec's enums: extensible and closed `x-ms-enum`s, and enums over the
//! schemas that share a discriminator.
//!
//! The generator writes each enum itself (so it carries the spec's docs) and then invokes one of
//! these macros for the conversions. They run once per enum in every crate, so the expansions
//! are kept small: lookups are plain `if` chains and anything non-generic lives in functions here.
//! A crate may have no enums of one kind, hence the `allow(unused_*)` on the macros and re-exports.

use super::conversion_error;

/// Implements the conversions of an extensible enum, one whose last variant is
/// `UnknownValue(String)` and holds any value the service sends that the spec does not list.
///
/// ```text
/// crate::runtime::extensible_enum!(BackendProtocol { Http = "http", Soap = "soap" });
/// ```
///
/// Unknown values are kept verbatim, so they serialize back unchanged. `Default` is an empty
/// `UnknownValue`, which a required field treats as "not set" (see [`Unset`](super::Unset)).
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

        impl $crate::runtime::QueryValue for $name {
            fn render(&self, rule: &$crate::runtime::Rule) -> ::azure_core::Result<::std::option::Option<::std::string::String>> {
                $crate::runtime::QueryValue::render(&self.as_str(), rule)
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

            // Not `Self::Err`: a variant may be named `Err`.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
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

        impl $crate::runtime::QueryValue for $name {
            fn render(&self, rule: &$crate::runtime::Rule) -> ::azure_core::Result<::std::option::Option<::std::string::String>> {
                $crate::runtime::QueryValue::render(&self.as_str(), rule)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::azure_core::Error;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::azure_core::Error> {
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

            // Not `Self::Error`: a variant may be named `Error`.
            fn try_from(value: &str) -> ::std::result::Result<Self, ::azure_core::Error> {
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

#[cfg(test)]
mod tests {
    use crate::runtime::Unset;
    use azure_core::error::ErrorKind;

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
}
