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

/// `skip_serializing_if` for required fields.
pub fn is_unset<T: Unset>(value: &T) -> bool {
    value.is_unset()
}

/// Deserializes `null` as `T::default()`; used with `#[serde(default)]` on required fields.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Option::unwrap_or_default)
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
        assert!(super::is_unset(&Protocol::default()) && !super::is_unset(&Protocol::Http));
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

    #[test]
    fn null_and_missing_required_fields_read_as_default() {
        #[derive(serde::Deserialize)]
        struct Required {
            #[serde(default, deserialize_with = "super::null_as_default")]
            url: String,
        }
        let from_null: Required = serde_json::from_str(r#"{"url":null}"#).unwrap();
        let missing: Required = serde_json::from_str("{}").unwrap();
        let present: Required = serde_json::from_str(r#"{"url":"https://x"}"#).unwrap();
        assert_eq!((from_null.url.as_str(), missing.url.as_str(), present.url.as_str()), ("", "", "https://x"));
    }
}
