//! `POST /express/provisioning/account`: instantiates a trial account.
//!
//! Which fields are required is unspecified by the reference; like the client, the
//! simulator requires and validates every field except `external_data`.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::Utc;
use serde_json::{Map, Value};

use super::auth::Scope;
use super::generate::hex_token;
use super::routes::{Answer, prelude};
use super::state::{Shared, Stats, lock};
use super::webhook::TrialChange;
use super::wire::{self, FieldError, ProvisionedAccount, date};

pub const PROVISIONING_WRITE: Scope = Scope("express-provisioning:write");

/// Requests allowed per client in any one-second window.
const PER_SECOND: usize = 2;
const WINDOW: Duration = Duration::from_secs(1);

/// ISO 4217 codes accepted for `currency_iso_code`.
const CURRENCIES: [&str; 36] = [
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "RON", "BGN", "JPY", "CNY", "HKD", "SGD", "INR", "KRW", "TWD", "THB", "MYR", "IDR", "PHP",
    "BRL", "MXN", "ARS", "CLP", "COP", "ZAR", "AED", "SAR", "ILS", "TRY",
];
const EDITIONS: [&str; 4] = ["EXPRESS", "ESSENTIALS", "ELEVATE", "ELITE"];

/// Recent provisioning requests per client, for the 2 requests/second limit.
#[derive(Default)]
pub struct Limiter {
    hits: HashMap<usize, VecDeque<Instant>>,
}

impl Limiter {
    /// `Err(seconds to wait)` when `client` already used its requests this second.
    pub fn admit(&mut self, client: usize, now: Instant) -> Result<(), u64> {
        let hits = self.hits.entry(client).or_default();
        while hits
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            hits.pop_front();
        }
        if hits.len() >= PER_SECOND {
            let wait = hits
                .front()
                .map_or(WINDOW, |t| WINDOW.saturating_sub(now.duration_since(*t)));
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        hits.push_back(now);
        Ok(())
    }
}

fn field(name: &str, description: &str) -> FieldError {
    FieldError {
        name: name.to_owned(),
        description: description.to_owned(),
    }
}

fn valid_account_name(s: &str) -> bool {
    (3..=63).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    s.len() <= 254
        && !local.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// E.164: `+`, a country code not starting with 0, 8 to 15 digits in all.
fn valid_phone(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0')
    })
}

fn valid_url(s: &str) -> bool {
    url::Url::parse(s)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

fn text<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str).map(str::trim)
}

/// The validated request, or the field errors.
struct Request {
    account_name: String,
    admin_email: String,
    company_name: String,
}

fn validate(body: &Map<String, Value>) -> Result<Request, Vec<FieldError>> {
    let mut bad = Vec::new();
    let name = text(body, "account_name").unwrap_or("");
    if !valid_account_name(name) {
        bad.push(field(
            "account_name",
            "must be 3 to 63 letters or digits, starting with a letter",
        ));
    }
    let email = text(body, "admin_email").unwrap_or("");
    if !valid_email(email) {
        bad.push(field("admin_email", "must be an e-mail address"));
    }
    for name in ["admin_name", "company_name"] {
        if text(body, name).is_none_or(|s| s.is_empty() || s.len() > 255) {
            bad.push(field(
                name,
                "must be a non-empty text of at most 255 characters",
            ));
        }
    }
    if text(body, "currency_iso_code").is_none_or(|c| !CURRENCIES.contains(&c)) {
        bad.push(field(
            "currency_iso_code",
            "must be a supported ISO 4217 currency code such as USD or EUR",
        ));
    }
    let licenses = body.get("num_licenses").and_then(Value::as_i64);
    if licenses.is_none_or(|n| !(1..=10_000).contains(&n)) {
        bad.push(field("num_licenses", "must be an integer from 1 to 10000"));
    }
    if text(body, "phone_number").is_none_or(|p| !valid_phone(p)) {
        bad.push(field(
            "phone_number",
            "must be an E.164 number such as +351489489948",
        ));
    }
    if text(body, "website_url").is_none_or(|u| !valid_url(u)) {
        bad.push(field("website_url", "must be an http or https URL"));
    }
    if text(body, "edition").is_none_or(|e| !EDITIONS.contains(&e)) {
        bad.push(field(
            "edition",
            "must be one of EXPRESS, ESSENTIALS, ELEVATE, ELITE",
        ));
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(Request {
        account_name: name.to_owned(),
        admin_email: email.to_owned(),
        company_name: text(body, "company_name").unwrap_or_default().to_owned(),
    })
}

/// `POST /express/provisioning/account`
pub async fn handle(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Answer {
    Stats::bump(&shared.stats.provisioning_posts);
    let caller = prelude(&shared, &headers, PROVISIONING_WRITE).await?;
    if let Err(wait) = lock(&shared.limiter).admit(caller.client, Instant::now()) {
        Stats::bump(&shared.stats.throttled);
        return Err(wire::too_many(wait));
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return Err(wire::error(
            StatusCode::BAD_REQUEST,
            "Invalid request body",
            Some("The body must be a JSON object.".to_owned()),
        ));
    };
    let request = match validate(&body) {
        Ok(r) => r,
        Err(fields) => {
            return Err(wire::error_with_fields(
                StatusCode::BAD_REQUEST,
                "Validation failed",
                Some("Some fields of the trial request are invalid.".to_owned()),
                Some(fields),
            ));
        }
    };
    // A taken name is a 409 (checked after the fields, so a request with bad fields
    // gets every field error first); names are compared case-insensitively.
    let mut world = lock(&shared.world);
    if world.name_taken(&request.account_name) {
        return Err(wire::error(
            StatusCode::CONFLICT,
            "Account name already taken",
            Some(format!(
                "An account named {} already exists; choose another account_name.",
                request.account_name
            )),
        ));
    }
    // Listings show account names lowercased (as `josephpinetrees` in the reference);
    // the answer echoes the name as requested (as `JosephPinetrees` in the reference).
    let listed = request.account_name.to_ascii_lowercase();
    let Some(id) = world.provision(caller.org, &listed, &request.company_name) else {
        return Err(wire::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service unavailable",
            Some("The simulated world is full.".to_owned()),
        ));
    };
    let at = Utc::now();
    let now = date(at);
    let answer = ProvisionedAccount {
        id: id.clone(),
        name: request.account_name,
        admin_email: request.admin_email,
        organization_id: hex_token(world.seed, 0x4f52_4749, caller.org as u64, 24),
        created_at: now.clone(),
        updated_at: now,
    };
    drop(world);
    shared
        .webhook
        .emit([TrialChange::Started { account_id: id, at }]);
    Ok(Json(answer).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_rules() {
        assert!(valid_account_name("JosephPinetrees"));
        assert!(!valid_account_name("9lives") && !valid_account_name("ab"));
        assert!(!valid_account_name("with-dash"));
        assert!(valid_email("john.doe@example.com"));
        assert!(!valid_email("john@localhost") && !valid_email("a b@x.io"));
        assert!(valid_phone("+351489489948"));
        assert!(!valid_phone("351489489948") && !valid_phone("+0123456789"));
        assert!(valid_url("https://www.josephpinetrees.com"));
        assert!(!valid_url("ftp://x.com") && !valid_url("www.x.com"));
    }

    #[test]
    fn limiter_allows_two_per_second() {
        let mut l = Limiter::default();
        let t = Instant::now();
        assert!(l.admit(1, t).is_ok() && l.admit(1, t).is_ok());
        assert_eq!(l.admit(1, t), Err(1));
        assert!(l.admit(2, t).is_ok());
        assert!(l.admit(1, t + WINDOW).is_ok());
    }
}
