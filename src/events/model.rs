//! Events API deliveries: the envelope, the typed trial events and what the journal keeps.
//!
//! Parsing is tolerant: unknown fields are ignored and optional ones may be missing. An
//! [`Event`] keeps `data` exactly as received (so the journal round-trips it); its
//! [`EventKind`] is the typed reading of the three trial types, derived on parse.
//!
//! Types are matched trimmed and case-insensitively (`APP.Trial_Ended` is a trial end);
//! the raw text is kept.
//!
//! Rejected (400): a body that is not a JSON object, a missing or empty `id` or `type`, a
//! type outside `app.*`, a `created_at` that is not RFC 3339, a trial type whose
//! `data.account_id` is missing, null, not a string, or not usable (no letter or digit,
//! or a control character: it is what the dashboard matches accounts on),
//! and a body nested deeper than [`MAX_DEPTH`] arrays and objects (the journal wraps the
//! event two levels deeper, and must always read back what was acknowledged).
//! Dates inside `data` are lenient: one that does not parse reads as `None`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::trial::{TrialData, TrialEnded, parse_date, typed, usable_account};

pub const TRIAL_STARTED: &str = "app.trial_started";
pub const TRIAL_EXTENDED: &str = "app.trial_extended";
pub const TRIAL_ENDED: &str = "app.trial_ended";

/// Deepest nesting of arrays and objects accepted in a body, the body itself included.
pub const MAX_DEPTH: usize = 64;

/// Longest accepted event id (ids are 32 hex digits in the reference).
const MAX_ID_LEN: usize = 256;

/// One delivered event, validated: an `app.*` type, a non-empty id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Envelope", try_from = "Envelope")]
pub struct Event {
    pub id: String,
    pub created_at: Option<DateTime<Utc>>,
    pub api_version: Option<String>,
    /// The raw `type`, e.g. `app.trial_ended`.
    pub event_type: String,
    pub app_id: Option<String>,
    pub app_version_id: Option<String>,
    /// `data` exactly as received (`null` when absent).
    pub data: Value,
    pub links: Links,
    /// The typed reading of `event_type` and `data`.
    pub kind: EventKind,
}

/// `_links`: each an `href`, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<Href>,
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub this: Option<Href>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<Href>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Href {
    pub href: String,
}

/// What an event means, as far as tdbi understands it.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    TrialStarted(TrialData),
    /// `expires_at` is taken as the new expiry: the payload of `app.trial_extended` is
    /// **unspecified** publicly; we assume the shape of `app.trial_started`.
    TrialExtended(TrialData),
    TrialEnded(TrialEnded),
    /// Any other `app.*` type (`app.installed`, ...): see `Event::event_type` and `data`.
    Other,
}

/// Why a body is not an acceptable event (answered 400). Never quotes the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("not a JSON object (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    #[error("missing or empty \"{0}\"")]
    Missing(&'static str),
    #[error("\"{0}\" has the wrong type")]
    WrongType(&'static str),
    #[error("\"id\" is longer than {MAX_ID_LEN} characters")]
    IdTooLong,
    #[error("\"created_at\" is not an RFC 3339 date")]
    BadDate,
    #[error("type is not an app.* event")]
    NotAppEvent,
    #[error("nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("data of {event_type} lacks a usable account_id")]
    BadData { event_type: String },
}

impl Event {
    /// Parses a delivery body.
    pub fn parse(body: &[u8]) -> Result<Event, EnvelopeError> {
        let value: Value = serde_json::from_slice(body).map_err(|e| EnvelopeError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        if depth(&value) > MAX_DEPTH {
            return Err(EnvelopeError::TooDeep);
        }
        Event::from_value(value)
    }

    fn from_value(value: Value) -> Result<Event, EnvelopeError> {
        let Value::Object(mut map) = value else {
            return Err(EnvelopeError::NotJson { line: 1, column: 1 });
        };
        let mut text = |key: &'static str| -> Result<Option<String>, EnvelopeError> {
            match map.remove(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(EnvelopeError::WrongType(key)),
            }
        };
        let id = text("id")?
            .filter(|s| !s.trim().is_empty())
            .ok_or(EnvelopeError::Missing("id"))?;
        let event_type = text("type")?
            .filter(|s| !s.trim().is_empty())
            .ok_or(EnvelopeError::Missing("type"))?;
        let created_at = match text("created_at")? {
            None => None,
            Some(raw) => Some(parse_date(&raw).ok_or(EnvelopeError::BadDate)?),
        };
        let api_version = text("api_version")?;
        let app_id = text("app_id")?;
        let app_version_id = text("app_version_id")?;
        let envelope = Envelope {
            id,
            created_at,
            api_version,
            event_type,
            app_id,
            app_version_id,
            data: map.remove("data").unwrap_or(Value::Null),
            links: match map.remove("_links") {
                None | Some(Value::Null) => Links::default(),
                Some(v) => {
                    serde_json::from_value(v).map_err(|_| EnvelopeError::WrongType("_links"))?
                }
            },
        };
        Event::try_from(envelope)
    }

    /// The account the event is about, for the trial types.
    pub fn account_id(&self) -> Option<&str> {
        match &self.kind {
            EventKind::TrialStarted(d) | EventKind::TrialExtended(d) => Some(&d.account_id),
            EventKind::TrialEnded(d) => Some(&d.account_id),
            EventKind::Other => self
                .data
                .get("account_id")
                .and_then(Value::as_str)
                .filter(|id| usable_account(id)),
        }
    }
}

/// How many arrays and objects deep `value` goes (a scalar is 0), without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, level + 1))),
            _ => continue,
        }
        deepest = deepest.max(level);
    }
    deepest
}

/// The wire shape, as serialized to the journal and by `tdbi events listen`.
#[derive(Serialize, Deserialize)]
struct Envelope {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_version: Option<String>,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app_version_id: Option<String>,
    #[serde(default)]
    data: Value,
    #[serde(rename = "_links", default)]
    links: Links,
}

impl TryFrom<Envelope> for Event {
    type Error = EnvelopeError;

    fn try_from(e: Envelope) -> Result<Event, EnvelopeError> {
        if e.id.chars().count() > MAX_ID_LEN {
            return Err(EnvelopeError::IdTooLong);
        }
        let normalized = e.event_type.trim().to_ascii_lowercase();
        if !normalized.starts_with("app.") {
            return Err(EnvelopeError::NotAppEvent);
        }
        let bad = || EnvelopeError::BadData {
            event_type: e.event_type.clone(),
        };
        let kind = match normalized.as_str() {
            TRIAL_STARTED => EventKind::TrialStarted(typed(&e.data).ok_or_else(bad)?),
            TRIAL_EXTENDED => EventKind::TrialExtended(typed(&e.data).ok_or_else(bad)?),
            TRIAL_ENDED => EventKind::TrialEnded(typed(&e.data).ok_or_else(bad)?),
            _ => EventKind::Other,
        };
        Ok(Event {
            id: e.id,
            created_at: e.created_at,
            api_version: e.api_version,
            event_type: e.event_type,
            app_id: e.app_id,
            app_version_id: e.app_version_id,
            data: e.data,
            links: e.links,
            kind,
        })
    }
}

impl From<Event> for Envelope {
    fn from(e: Event) -> Envelope {
        Envelope {
            id: e.id,
            created_at: e.created_at,
            api_version: e.api_version,
            event_type: e.event_type,
            app_id: e.app_id,
            app_version_id: e.app_version_id,
            data: e.data,
            links: e.links,
        }
    }
}

/// An accepted event as the journal keeps it and the app receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub event: Event,
    pub received_at: DateTime<Utc>,
    /// Whether its signature was checked; `false` only with `verify = false`.
    pub verified: bool,
    /// The key that signed it, when verified.
    #[serde(default)]
    pub key_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{EndedBy, EndedReason};

    const SEED_EXAMPLE: &str = r#"{
        "id": "a16521d26f89418dab1402e68c5a4ba7",
        "created_at": "2017-08-18T10:29:52.000+00:00",
        "api_version": "1",
        "type": "app.trial_ended",
        "app_id": "8fcf7a3762d94f938e71b3a42618fd14",
        "app_version_id": "dd357179dc4a4f8a9c243638eb122f69",
        "data": {
            "installation_id": "4400ebd85fa04322abf5b64de93dc913",
            "account_id": "573491d5df012e3242001b52",
            "expires_at": "2017-08-18T10:29:52.000+00:00",
            "ended_at": "2017-08-08T10:29:52.000+00:00",
            "ended_reason": "trial_expired",
            "ended_by": "system"
        },
        "_links": {
            "root": {"href": "https://api.talkdeskapp.com"},
            "self": {"href": "https://api.talkdeskapp.com/apps/8f/events/a1"},
            "installation": {"href": "https://api.talkdeskapp.com/apps/8f/installations/44"}
        }
    }"#;

    #[test]
    fn the_reference_example_parses_typed() {
        let e = Event::parse(SEED_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.id, "a16521d26f89418dab1402e68c5a4ba7");
        assert_eq!(e.account_id(), Some("573491d5df012e3242001b52"));
        let EventKind::TrialEnded(d) = &e.kind else {
            panic!("not trial_ended: {:?}", e.kind);
        };
        assert_eq!(d.ended_reason, Some(EndedReason::TrialExpired));
        assert_eq!(d.ended_by, Some(EndedBy::System));
        assert_eq!(
            d.ended_at.map(|t| t.to_rfc3339()),
            Some("2017-08-08T10:29:52+00:00".to_owned())
        );
        assert_eq!(
            e.links.root.as_ref().map(|h| h.href.as_str()),
            Some("https://api.talkdeskapp.com")
        );
    }

    #[test]
    fn round_trips_through_the_journal_shape() {
        let e = Event::parse(SEED_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let stored = StoredEvent {
            event: e,
            received_at: Utc::now(),
            verified: true,
            key_id: Some("k1".into()),
        };
        let line = serde_json::to_string(&stored).unwrap_or_default();
        assert!(line.contains(r#""type":"app.trial_ended""#), "{line}");
        let back: StoredEvent = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, stored);
    }

    #[test]
    fn tolerant_of_unknown_fields_and_values_and_missing_optionals() {
        let body = br#"{"id":"x1","type":"app.trial_ended","extra":1,
            "data":{"account_id":"a1","ended_reason":"gone_fishing","ended_by":"robot",
                    "expires_at":"not a date","new_field":[1]}}"#;
        let e = Event::parse(body).unwrap_or_else(|e| panic!("{e}"));
        let EventKind::TrialEnded(d) = &e.kind else {
            panic!("{:?}", e.kind)
        };
        assert_eq!(
            d.ended_reason,
            Some(EndedReason::Other("gone_fishing".into()))
        );
        assert_eq!(d.ended_by.as_ref().map(EndedBy::as_str), Some("robot"));
        assert_eq!(d.expires_at, None);
        assert_eq!(e.data["expires_at"], "not a date");
        assert!(e.created_at.is_none() && e.links == Links::default());
    }

    #[test]
    fn nesting_is_limited_to_max_depth() {
        let body = |data_depth: usize| {
            let data = format!("{}{}", "[".repeat(data_depth), "]".repeat(data_depth));
            format!(r#"{{"id":"d","type":"app.installed","data":{data}}}"#)
        };
        assert!(Event::parse(body(MAX_DEPTH - 1).as_bytes()).is_ok());
        assert_eq!(
            Event::parse(body(MAX_DEPTH).as_bytes()).err(),
            Some(EnvelopeError::TooDeep)
        );
        assert_eq!(depth(&Value::Null), 0);
        assert_eq!(depth(&serde_json::json!({"a": [1, {"b": {}}], "c": 2})), 4);
    }

    #[test]
    fn other_app_types_are_kept_raw() {
        let e = Event::parse(br#"{"id":"i","type":"app.installed","data":{"k":[1,2]}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.kind, EventKind::Other);
        assert_eq!(e.data["k"][1], 2);
        let started = br#"{"id":"s","type":"app.trial_extended","data":{"account_id":"a","expires_at":"2030-01-01T00:00:00Z"}}"#;
        let e = Event::parse(started).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(e.kind, EventKind::TrialExtended(ref d) if d.expires_at.is_some()));
    }

    #[test]
    fn invalid_envelopes_are_rejected_with_reasons() {
        for garbage in [&b"garbage"[..], b"[1]", b"", b"{\"id\":"] {
            assert!(matches!(
                Event::parse(garbage),
                Err(EnvelopeError::NotJson { .. })
            ));
        }
        let cases: [(&[u8], EnvelopeError); 5] = [
            (br#"{"type":"app.x"}"#, EnvelopeError::Missing("id")),
            (
                br#"{"id":7,"type":"app.x"}"#,
                EnvelopeError::WrongType("id"),
            ),
            (
                br#"{"id":"a","type":"user.created"}"#,
                EnvelopeError::NotAppEvent,
            ),
            (
                br#"{"id":"a","type":"app.x","created_at":"yesterday"}"#,
                EnvelopeError::BadDate,
            ),
            (
                br#"{"id":"a","type":"app.trial_started","data":{"account_id":""}}"#,
                EnvelopeError::BadData {
                    event_type: TRIAL_STARTED.into(),
                },
            ),
        ];
        for (body, want) in cases {
            assert_eq!(Event::parse(body).err(), Some(want.clone()), "{want}");
        }
    }
}
