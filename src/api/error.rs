//! Errors of the API client: one readable line each, never a secret.
//!
//! `Display` never names the organization (the caller prefixes it) and never dumps a
//! body or a `Debug` value; text that comes from the server is cut to one short line.

use std::fmt::Write as _;
use std::time::Duration;

use super::model::{ErrorBody, FieldError};

/// Why a request never got an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Timeout,
    Connect,
    /// The connection broke while sending or reading.
    Other,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Timeout => "timed out",
            Self::Connect => "could not connect",
            Self::Other => "connection failed",
        })
    }
}

/// Something went wrong talking to the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The token endpoint refused the client (RFC 6749 `error` and `error_description`).
    #[error("{}", token_line(*status, error, description.as_deref()))]
    Token {
        status: Option<u16>,
        error: String,
        description: Option<String>,
    },
    /// The API answered a 4xx other than a 429 (not retried).
    #[error("{}", api_line(*status, endpoint, body.as_deref(), *required_scope))]
    Api {
        status: u16,
        /// Method and path, e.g. `GET /express/accounts`.
        endpoint: String,
        /// The API's error body, when it sent a readable one.
        body: Option<Box<ErrorBody>>,
        /// The scope the endpoint needs (set on 403).
        required_scope: Option<&'static str>,
    },
    /// Too many 429 answers, or a `Retry-After` longer than allowed.
    #[error("{}", rate_line(endpoint, *retry_after, *attempts))]
    RateLimited {
        endpoint: String,
        /// The last wait asked for, when it exceeded the allowed maximum.
        retry_after: Option<Duration>,
        attempts: u32,
    },
    /// 5xx on every attempt.
    #[error("{endpoint}: server error {} after {attempts} attempt(s)", status_text(*status))]
    Server {
        status: u16,
        endpoint: String,
        attempts: u32,
    },
    /// No answer: timeout or connection failure on every attempt.
    #[error("{endpoint}: {kind} after {attempts} attempt(s)")]
    Transport {
        endpoint: String,
        kind: TransportKind,
        attempts: u32,
    },
    /// An answer that is not JSON or not of the expected shape.
    #[error("{endpoint}: unexpected answer: {}", one_line(detail, 200))]
    Malformed { endpoint: String, detail: String },
    /// A listing that ended with fewer items than the server's `total`, with no sign that
    /// the list shrank meanwhile.
    #[error("{endpoint}: incomplete listing: {got} of {expected} items")]
    Incomplete {
        endpoint: String,
        got: u64,
        expected: u64,
    },
    /// A configured URL that cannot be used.
    #[error("invalid URL: {detail}")]
    InvalidUrl { detail: String },
    /// The HTTP client could not be built.
    #[error("could not set up the HTTP client: {detail}")]
    Setup { detail: String },
    /// A request refused before it was sent (client-side validation).
    #[error("invalid request: {}", fields_text(fields))]
    Invalid { fields: Vec<FieldError> },
}

impl ApiError {
    /// The HTTP status behind the error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Token { status, .. } => *status,
            Self::Api { status, .. } | Self::Server { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The invalid fields of a validation error (server 400 or client-side check).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Api {
                body: Some(body), ..
            } => &body.fields,
            Self::Invalid { fields } => fields,
            _ => &[],
        }
    }

    /// The scope the failed endpoint needs, when the failure was a 403.
    pub fn required_scope(&self) -> Option<&'static str> {
        match self {
            Self::Api { required_scope, .. } => *required_scope,
            _ => None,
        }
    }

    /// The credentials or their entitlements are the problem (token refused, 401, 403).
    pub fn is_auth(&self) -> bool {
        match self {
            Self::Token { error, .. } => {
                error != "server_error" && error != "temporarily_unavailable"
            }
            Self::Api { status, .. } => matches!(status, 401 | 403),
            _ => false,
        }
    }

    /// Likely to go away by itself: worth trying again later.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Transport { .. }
                | Self::Incomplete { .. }
        )
    }

    /// The API's error body, when there is one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Self::Api { body, .. } => body.as_deref(),
            _ => None,
        }
    }
}

fn token_line(status: Option<u16>, error: &str, description: Option<&str>) -> String {
    let mut line = format!("token request refused: {}", one_line(error, 60));
    if let Some(d) = description.filter(|d| !d.trim().is_empty()) {
        let _ = write!(line, " ({})", one_line(d, 160));
    }
    if status == Some(401) || error == "invalid_client" {
        line.push_str(
            "; the client id or secret was rejected, or a scope added to the client recently \
             is not effective yet (this can take minutes)",
        );
    } else if error == "invalid_scope" {
        line.push_str("; a requested scope is not granted to this client");
    } else if let Some(status) = status {
        let _ = write!(line, " [HTTP {status}]");
    }
    line
}

fn api_line(
    status: u16,
    endpoint: &str,
    body: Option<&ErrorBody>,
    required_scope: Option<&str>,
) -> String {
    let mut line = format!("{endpoint}: {}", status_text(status));
    if let Some(body) = body {
        let code = one_line(&body.code, 40);
        let message = one_line(&body.message, 160);
        match (code.is_empty(), message.is_empty()) {
            (false, false) => {
                let _ = write!(line, ": {message} [{code}]");
            }
            (true, false) => {
                let _ = write!(line, ": {message}");
            }
            (false, true) => {
                let _ = write!(line, " [{code}]");
            }
            (true, true) => {}
        }
        if let Some(d) = body.description.as_deref().filter(|d| !d.trim().is_empty()) {
            let d = one_line(d, 160);
            if d != message {
                let _ = write!(line, " ({d})");
            }
        }
        if !body.fields.is_empty() {
            let _ = write!(line, "; {}", fields_text(&body.fields));
        }
    }
    if status == 401 {
        line.push_str("; the token was refused even after renewing it");
    }
    if let Some(scope) = required_scope {
        let _ = write!(line, "; needs the scope `{scope}`");
        if endpoint.contains("/express/accounts/") {
            line.push_str(" and an account under this organization");
        }
        line.push_str(
            ": partners get an organization client with it from their Talkdesk channel \
             manager; end customers sold through a reseller cannot use this API",
        );
    }
    line
}

fn rate_line(endpoint: &str, retry_after: Option<Duration>, attempts: u32) -> String {
    match retry_after {
        Some(wait) => format!(
            "{endpoint}: rate limited (429); the server asked to wait {} s, longer than allowed",
            wait.as_secs()
        ),
        None => format!("{endpoint}: still rate limited (429) after {attempts} attempt(s)"),
    }
}

fn fields_text(fields: &[FieldError]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .take(12)
        .map(|f| {
            format!(
                "{}: {}",
                one_line(&f.name, 40),
                one_line(&f.description, 100)
            )
        })
        .collect();
    let mut text = parts.join(", ");
    if fields.len() > 12 {
        let _ = write!(text, ", and {} more", fields.len() - 12);
    }
    text
}

/// `503 Service Unavailable`.
pub(crate) fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// Server text made safe for one line: control characters and runs of whitespace become
/// one space, and it is cut to `max` characters.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 3));
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max {
        out = out.chars().take(max).collect();
        out.push('…');
    }
    out
}
