//! The typed `data` of the trial events; undocumented values are kept as raw text.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// `data` of `app.trial_started` (and, assumed, `app.trial_extended`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TrialData {
    #[serde(default)]
    pub installation_id: Option<String>,
    pub account_id: String,
    /// `None` when absent or not a date (the raw text stays in `Event::data`).
    #[serde(default, deserialize_with = "lenient_date")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub app_version_id: Option<String>,
}

/// `data` of `app.trial_ended`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TrialEnded {
    #[serde(default)]
    pub installation_id: Option<String>,
    pub account_id: String,
    #[serde(default, deserialize_with = "lenient_date")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient_date")]
    pub ended_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ended_reason: Option<EndedReason>,
    #[serde(default)]
    pub ended_by: Option<EndedBy>,
    #[serde(default)]
    pub app_version_id: Option<String>,
}

/// `ended_reason`; any undocumented value is kept as its raw text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EndedReason {
    TrialExpired,
    AppUninstalled,
    PlanUpgraded,
    Other(String),
}

impl EndedReason {
    pub fn from_raw(raw: &str) -> Self {
        match raw {
            "trial_expired" => Self::TrialExpired,
            "app_uninstalled" => Self::AppUninstalled,
            "plan_upgraded" => Self::PlanUpgraded,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::TrialExpired => "trial_expired",
            Self::AppUninstalled => "app_uninstalled",
            Self::PlanUpgraded => "plan_upgraded",
            Self::Other(raw) => raw,
        }
    }
}

/// `ended_by`; any undocumented value is kept as its raw text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EndedBy {
    System,
    User,
    Other(String),
}

impl EndedBy {
    pub fn from_raw(raw: &str) -> Self {
        match raw {
            "system" => Self::System,
            "user" => Self::User,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Other(raw) => raw,
        }
    }
}

impl<'de> Deserialize<'de> for EndedReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_raw(&String::deserialize(d)?))
    }
}

impl<'de> Deserialize<'de> for EndedBy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_raw(&String::deserialize(d)?))
    }
}

impl std::fmt::Display for EndedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for EndedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date in any RFC 3339 offset (`+00:00`, `Z`, fractional seconds), or `None`.
fn lenient_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let raw = Option::<Value>::deserialize(d)?;
    Ok(raw.as_ref().and_then(Value::as_str).and_then(parse_date))
}

pub(super) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Typed trial data with a usable `account_id`, or `None`.
pub(super) fn typed<T: serde::de::DeserializeOwned + HasAccount>(data: &Value) -> Option<T> {
    T::deserialize(data)
        .ok()
        .filter(|t| usable_account(t.account()))
}

/// An account id the dashboard can match on: at least one letter or digit, and no
/// control character (empty, blank or invisible-only ids would all look alike).
pub(super) fn usable_account(id: &str) -> bool {
    id.chars().any(char::is_alphanumeric) && !id.chars().any(char::is_control)
}

pub(super) trait HasAccount {
    fn account(&self) -> &str;
}

impl HasAccount for TrialData {
    fn account(&self) -> &str {
        &self.account_id
    }
}

impl HasAccount for TrialEnded {
    fn account(&self) -> &str {
        &self.account_id
    }
}
