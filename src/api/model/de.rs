//! Tolerant field deserializers: a missing, null or odd optional value never fails a page.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// `null` or absent becomes the type's default.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A decimal from a JSON number (exact, via serde_json's arbitrary precision) or a
/// numeric string; `null` is `None`. A non-numeric string fails: money must not be guessed.
pub(crate) fn decimal_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    Ok(Option::<AnyDecimal>::deserialize(d)?.map(|v| v.0))
}

struct AnyDecimal(Decimal);

impl<'de> Deserialize<'de> for AnyDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        rust_decimal::serde::arbitrary_precision::deserialize(d).map(AnyDecimal)
    }
}

/// A timestamp, tolerantly (the reference promises RFC 3339, which is tried first).
///
/// Also accepted: a date-time without offset (taken as UTC), a bare date (midnight UTC),
/// and a number of seconds since the epoch. Any other text becomes `None` rather than
/// failing the whole page: a date we cannot read is shown as unknown.
pub(crate) fn datetime_opt<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_any(DateTimeVisitor)
}

/// Parses one timestamp text as [`datetime_opt`] does.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(Utc.from_utc_datetime(&t));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

struct DateTimeVisitor;

impl<'de> Visitor<'de> for DateTimeVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 date-time")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(parse_datetime(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Utc.timestamp_opt(v, 0).single())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v)
            .ok()
            .and_then(|v| Utc.timestamp_opt(v, 0).single()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    // With serde_json's `arbitrary_precision` (switched on by rust_decimal), every JSON
    // number arrives as a one-entry map holding its text.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut secs = None;
        while let Some((_, text)) = map.next_entry::<de::IgnoredAny, String>()? {
            secs = text.parse::<i64>().ok();
        }
        Ok(secs.and_then(|s| Utc.timestamp_opt(s, 0).single()))
    }
}

/// Text that some servers send as a number (ids such as `123245132132`): both are kept
/// as text; `null` is empty. Any owned text type: `String`, or `CompactString` where
/// short values (ids, names) should live inline without an allocation each.
pub(crate) fn text<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String> + Default,
{
    Ok(d.deserialize_any(TextVisitor(PhantomData))?
        .unwrap_or_default())
}

/// Like [`text`], with `null` as `None`.
pub(crate) fn text_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    d.deserialize_any(TextVisitor(PhantomData))
}

struct TextVisitor<T>(PhantomData<T>);

impl<'de, T: for<'a> From<&'a str> + From<String>> Visitor<'de> for TextVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(T::from(v)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(T::from(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    // A JSON number under serde_json's `arbitrary_precision`: a one-entry map of its text.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut text = None;
        while let Some((_, v)) = map.next_entry::<de::IgnoredAny, String>()? {
            text = Some(T::from(v));
        }
        Ok(text)
    }
}
