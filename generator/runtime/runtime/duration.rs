//! ISO 8601 durations (`P1DT2H`), kept exactly as the service sent them.

use std::fmt;
use std::str::FromStr;

use super::conversion_error;

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

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::error::ErrorKind;
    use std::time::Duration as StdDuration;

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
}
