//! The simulator's own serde shapes of the wire format, written from the API reference
//! independently of `crate::api`.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// RFC 3339 with whole seconds and `Z`, as in `2022-03-10T16:15:50Z`.
pub fn date(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Serialize)]
pub struct Href {
    pub href: String,
}

#[derive(Serialize)]
pub struct Links {
    pub first: Href,
    pub last: Href,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<Href>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Href>,
    #[serde(rename = "self")]
    pub this: Href,
}

/// A paged list: `_embedded` holds one key (`accounts`, `contract_actions`, ...).
#[derive(Serialize)]
pub struct Paged<T> {
    pub count: usize,
    pub page: u64,
    pub per_page: u64,
    pub total: usize,
    pub total_pages: u64,
    #[serde(rename = "_embedded")]
    pub embedded: BTreeMap<&'static str, Vec<T>>,
    #[serde(rename = "_links")]
    pub links: Links,
}

#[derive(Serialize)]
pub struct AccountItem {
    pub id: String,
    pub name: String,
    pub company_name: String,
    pub status: String,
}

impl From<super::SimAccount> for AccountItem {
    fn from(v: super::SimAccount) -> Self {
        AccountItem {
            id: v.id,
            name: v.name,
            company_name: v.company_name,
            status: v.status,
        }
    }
}

#[derive(Serialize)]
pub struct ActionItem {
    pub id: String,
    pub action_type: &'static str,
    pub quantity: i32,
    pub status: &'static str,
    pub status_message: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&super::history::Action> for ActionItem {
    fn from(a: &super::history::Action) -> Self {
        ActionItem {
            id: a.id.clone(),
            action_type: a.action_type,
            quantity: a.quantity,
            status: a.progress.as_str(),
            status_message: a.status_message.clone(),
            created_at: date(a.created_at),
            updated_at: date(a.updated_at),
        }
    }
}

#[derive(Serialize)]
pub struct ContractInfo {
    pub id: String,
    pub trial: bool,
    pub account_status: &'static str,
    pub license_number: i32,
    pub transition_date: String,
    pub transition_status: &'static str,
}

#[derive(Serialize)]
pub struct ProvisionedAccount {
    pub id: String,
    pub name: String,
    pub admin_email: String,
    pub organization_id: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Serialize, Clone)]
pub struct FieldError {
    pub name: String,
    pub description: String,
}

/// The API's error body. `code` is the HTTP status as seven digits (`"0000401"`):
/// the reference only says `code` is a string, and Talkdesk codes are numeric text.
#[derive(Serialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

/// An API error answer.
pub fn error(status: StatusCode, message: &str, description: Option<String>) -> Response {
    error_with_fields(status, message, description, None)
}

pub fn error_with_fields(
    status: StatusCode,
    message: &str,
    description: Option<String>,
    fields: Option<Vec<FieldError>>,
) -> Response {
    let body = ErrorBody {
        code: format!("{:07}", status.as_u16()),
        message: message.to_owned(),
        description,
        fields,
    };
    (status, Json(body)).into_response()
}

/// 429 with `Retry-After` in seconds.
pub fn too_many(retry_after_secs: u64) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many requests",
        Some(format!(
            "Rate limit exceeded; retry after {retry_after_secs} s."
        )),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// A 200 that is not JSON: what a misconfigured proxy or captive portal sends.
pub fn malformed() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Gateway</title></head>\
        <body><h1>Service temporarily unavailable</h1>\
        <p>The upstream server sent an invalid response.</p></body></html>\n";
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        PAGE,
    )
        .into_response()
}

/// Token endpoint answers (RFC 6749 section 5).
#[derive(Serialize)]
pub struct TokenBody {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub scope: String,
}

#[derive(Serialize)]
pub struct OAuthError {
    pub error: &'static str,
    pub error_description: String,
}

/// Both token answers carry `Cache-Control: no-store` as RFC 6749 requires.
pub fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
