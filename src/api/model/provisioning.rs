//! Instantiating a trial (`POST /express/provisioning/account`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{datetime_opt, null_default, text};
use super::error_body::FieldError;

/// A request for a new trial account.
///
/// Talkdesk requires the user to accept the Talkdesk Services Trial Agreement before the
/// request is sent: [`Client::provision_trial`](crate::api::Client::provision_trial)
/// refuses a request whose `trial_agreement_accepted` is false (the flag is never sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialRequest {
    /// The new Talkdesk account's name, e.g. `JosephPinetrees`.
    pub account_name: String,
    pub admin_email: String,
    pub admin_name: String,
    pub company_name: String,
    /// ISO 4217 code, e.g. `USD`.
    pub currency_iso_code: String,
    pub num_licenses: u32,
    /// E.164, e.g. `+351489489948`.
    pub phone_number: String,
    pub website_url: String,
    /// e.g. `EXPRESS`.
    pub edition: String,
    /// Free text for the partner's own reference, e.g. `Salesforce_id:2142141`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_data: Option<String>,
    /// Whether the user accepted the Talkdesk Services Trial Agreement.
    #[serde(skip)]
    pub trial_agreement_accepted: bool,
}

impl TrialRequest {
    /// Checks every field except `external_data`. Which fields the API requires is
    /// unspecified beyond its example, so all of them are required and shape-checked
    /// loosely here; the server remains the judge of the finer rules.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut bad = Vec::new();
        let mut check = |name: &str, ok: bool, why: &str| {
            if !ok {
                bad.push(FieldError::new(name, why));
            }
        };
        let filled = |s: &str| !s.trim().is_empty();
        check(
            "account_name",
            is_account_name(&self.account_name),
            "must start with a letter and hold only letters and digits",
        );
        check(
            "admin_email",
            is_email(&self.admin_email),
            "must be an e-mail address",
        );
        check("admin_name", filled(&self.admin_name), "must not be empty");
        check(
            "company_name",
            filled(&self.company_name),
            "must not be empty",
        );
        check(
            "currency_iso_code",
            is_currency(&self.currency_iso_code),
            "must be an ISO 4217 code such as USD",
        );
        check("num_licenses", self.num_licenses >= 1, "must be at least 1");
        check(
            "phone_number",
            is_e164(&self.phone_number),
            "must be in E.164 form such as +351489489948",
        );
        check(
            "website_url",
            is_web_url(&self.website_url),
            "must be an http(s) URL",
        );
        check(
            "edition",
            filled(&self.edition),
            "must not be empty, e.g. EXPRESS",
        );
        check(
            "trial_agreement_accepted",
            self.trial_agreement_accepted,
            "the user must accept the Talkdesk Services Trial Agreement first",
        );
        bad
    }
}

fn is_account_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn is_currency(s: &str) -> bool {
    s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase())
}

fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

fn is_web_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// The account a trial request created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedAccount {
    #[serde(default, deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub admin_email: String,
    #[serde(default, deserialize_with = "text")]
    pub organization_id: String,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub updated_at: Option<DateTime<Utc>>,
}
