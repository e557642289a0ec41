//! RFC 3339 date-times: serde helpers for [`time::OffsetDateTime`] fields sent as RFC 3339 text,
//! reading a timestamp without an offset as UTC.
//!
//! Use `#[serde(with = "crate::runtime::date_time")]`, or [`option`] for optional fields.

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

#[cfg(test)]
mod tests {
    use azure_core::error::ErrorKind;
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
        let parsed = super::parse("2017-06-19T12:00:00.1234567").unwrap();
        assert_eq!(
            parsed,
            at((2017, Month::June, 19), (12, 0, 0), 123_456_700, 0)
        );
        let error = super::parse("yesterday").unwrap_err();
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
}
