//! Validation of a trial request, one pure function per field.
//!
//! Each function takes what a person typed and returns the normalised value to send
//! (surrounding blanks removed, codes upper-cased) or a description of the fault that
//! reads after the field's name ("admin_email: must be …"). The rules are kept at least
//! as strict as the simulator's (src/sim/provision.rs), so what passes here is not
//! refused there for its shape; the real server remains the judge of the rest.

use crate::api::model::FieldError;

use super::currencies::{self, Currency};
use super::draft::TrialDraft;
use super::field::Field;

/// Editions the API accepts (the simulator's list); the first is the default.
pub const EDITIONS: [&str; 4] = ["EXPRESS", "ESSENTIALS", "ELEVATE", "ELITE"];
/// Most licenses one trial may ask for.
pub const MAX_LICENSES: u32 = 10_000;
/// Longest free text (names, external data), in characters.
pub const MAX_TEXT: usize = 255;

/// 3 to 63 ASCII letters or digits, starting with a letter (the documented rule).
pub fn account_name(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is required".into());
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("may hold only letters and digits (no spaces, dashes or accents)".into());
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    if !(3..=63).contains(&s.len()) {
        return Err(format!("must be 3 to 63 characters long, not {}", s.len()));
    }
    Ok(s.to_owned())
}

/// A sane e-mail shape: `local@domain.tld`, at most 254 bytes, no blanks.
pub fn admin_email(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is required".into());
    }
    let shape = || "must be an e-mail address such as john.doe@example.com".to_owned();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(shape());
    }
    let (local, domain) = s.split_once('@').ok_or_else(shape)?;
    if !valid_local_part(local) || !valid_domain(domain) {
        return Err(shape());
    }
    Ok(s.to_owned())
}

/// The part before `@`: the usual unquoted characters, dots only between them.
fn valid_local_part(local: &str) -> bool {
    (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

/// At least two labels of letters, digits and inner dashes; the last not all digits.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

/// The first administrator's name: see [`text`].
pub fn admin_name(input: &str) -> Result<String, String> {
    required_text(input)
}

/// The customer's name: see [`text`].
pub fn company_name(input: &str) -> Result<String, String> {
    required_text(input)
}

fn required_text(input: &str) -> Result<String, String> {
    match text(input)? {
        Some(s) => Ok(s),
        None => Err("is required".into()),
    }
}

/// Free text: at most 255 characters and no control characters; `None` when blank.
pub fn text(input: &str) -> Result<Option<String>, String> {
    let s = input.trim();
    if s.chars().any(char::is_control) {
        return Err("must not contain control characters such as line breaks or tabs".into());
    }
    let len = s.chars().count();
    if len > MAX_TEXT {
        return Err(format!("must be at most {MAX_TEXT} characters, not {len}"));
    }
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

/// An ISO 4217 code from [`currencies::CURRENCIES`], in any case.
pub fn currency_iso_code(input: &str) -> Result<&'static Currency, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is required, e.g. USD".into());
    }
    currencies::find(s).ok_or_else(|| {
        if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) {
            format!(
                "{} is not an ISO 4217 currency code",
                s.to_ascii_uppercase()
            )
        } else {
            "must be a three-letter ISO 4217 currency code such as USD or EUR".into()
        }
    })
}

/// A whole number from 1 to [`MAX_LICENSES`].
pub fn num_licenses(input: &str) -> Result<u32, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is required".into());
    }
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("must be a whole number from 1 to {MAX_LICENSES}"));
    }
    // All digits: a parse failure can only be an overflow.
    match s.parse::<u32>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) if n <= MAX_LICENSES => Ok(n),
        _ => Err(format!("must be at most {MAX_LICENSES}")),
    }
}

/// E.164: `+`, then 8 to 15 digits, the first not 0. Spaces and dashes typed between the
/// digits are dropped (the number sent has none).
pub fn phone_number(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is required, e.g. +351489489948".into());
    }
    let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let Some(digits) = compact.strip_prefix('+') else {
        return Err("must start with + and the country code, e.g. +351489489948".into());
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("must be + followed by digits only, e.g. +351489489948".into());
    }
    if digits.starts_with('0') {
        return Err("must not have 0 right after the +: start with the country code".into());
    }
    if !(8..=15).contains(&digits.len()) {
        return Err(format!(
            "must have 8 to 15 digits after the +, not {}",
            digits.len()
        ));
    }
    Ok(compact)
}

/// An `http` or `https` URL with a host and no credentials, sent as typed (trimmed).
pub fn website_url(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is required, e.g. https://www.example.com".into());
    }
    let url = url::Url::parse(s)
        .map_err(|_| "must be a full URL such as https://www.example.com".to_owned())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host, e.g. https://www.example.com".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password".into());
    }
    Ok(s.to_owned())
}

/// One of [`EDITIONS`], in any case; blank means `EXPRESS`.
pub fn edition(input: &str) -> Result<&'static str, String> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(EDITIONS[0]);
    }
    EDITIONS
        .iter()
        .find(|e| e.eq_ignore_ascii_case(s))
        .copied()
        .ok_or_else(|| format!("must be one of {}", EDITIONS.join(", ")))
}

/// Optional free text for the partner's own reference: see [`text`].
pub fn external_data(input: &str) -> Result<Option<String>, String> {
    text(input)
}

/// Checks one field as typed: the fault's description, or `Ok` (for validation as you
/// type; [`TrialDraft::to_request`] gives the normalised values).
pub fn validate_field(field: Field, input: &str) -> Result<(), String> {
    match field {
        Field::AccountName => account_name(input).map(drop),
        Field::AdminEmail => admin_email(input).map(drop),
        Field::AdminName => admin_name(input).map(drop),
        Field::CompanyName => company_name(input).map(drop),
        Field::CurrencyIsoCode => currency_iso_code(input).map(drop),
        Field::NumLicenses => num_licenses(input).map(drop),
        Field::PhoneNumber => phone_number(input).map(drop),
        Field::WebsiteUrl => website_url(input).map(drop),
        Field::Edition => edition(input).map(drop),
        Field::ExternalData => external_data(input).map(drop),
    }
}

/// Every fault of the draft, in form order, named by the API's field names (the same
/// shape as the server's field errors). Empty when the draft can be sent.
pub fn validate_request(draft: &TrialDraft) -> Vec<FieldError> {
    Field::ALL
        .into_iter()
        .filter_map(|f| {
            validate_field(f, draft.get(f))
                .err()
                .map(|why| FieldError::new(f.api_name(), why))
        })
        .collect()
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
