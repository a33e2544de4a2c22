//! OAuth 2.0 client credentials: registered clients, issued tokens, the token endpoint
//! and the bearer check of API requests.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore;

use super::generate as seeded;
use super::state::{Shared, Stats, lock};
use super::wire::{self, OAuthError, TokenBody};

/// Every scope of the API.
pub const ALL_SCOPES: [&str; 8] = [
    "express-accounts:read",
    "express-accounts-contracts-actions:write",
    "express-accounts-contracts:read",
    "express-provisioning:write",
    "express-accounts-subscriptions:read",
    "express-accounts-invoices:read",
    "express-accounts-usage:read",
    "express-products:read",
];

#[derive(Clone)]
pub struct Client {
    pub id: String,
    pub secret: String,
    pub org: usize,
    pub scopes: Vec<String>,
}

struct Token {
    client: usize,
    scopes: Vec<String>,
    expires: Instant,
}

/// Who made an API request.
pub struct Caller {
    pub org: usize,
    pub client: usize,
}

pub struct Auth {
    seed: u64,
    pub clients: Vec<Client>,
    tokens: HashMap<String, Token>,
    pub ttl: Duration,
}

impl Auth {
    pub fn new(seed: u64, ttl: Duration) -> Self {
        Auth {
            seed,
            clients: Vec::new(),
            tokens: HashMap::new(),
            ttl,
        }
    }

    /// Registers a client of `org`; id and secret are derived from the seed.
    pub fn add_client(&mut self, org: usize, scopes: Vec<String>) -> Client {
        let n = self.clients.len() as u64;
        let client = Client {
            id: seeded::hex_token(self.seed, 0x0043_4944, n, 32),
            secret: format!("sim-{}", seeded::hex_token(self.seed, 0x0053_4543, n, 40)),
            org,
            scopes,
        };
        self.clients.push(client.clone());
        client
    }

    pub fn revoke_all(&mut self) {
        self.tokens.clear();
    }

    fn issue(&mut self, client: usize, scopes: Vec<String>) -> (String, u64) {
        let now = Instant::now();
        if self.tokens.len() > 10_000 {
            self.tokens.retain(|_, t| t.expires > now);
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let ttl = self.ttl;
        self.tokens.insert(
            token.clone(),
            Token {
                client,
                scopes,
                expires: now + ttl,
            },
        );
        (token, ttl.as_secs().max(1))
    }
}

/// Scopes an API route requires.
#[derive(Debug, Clone, Copy)]
pub struct Scope(pub &'static str);

/// Checks `Authorization: Bearer` and the scope. Errors are full API answers.
pub fn authorize(shared: &Shared, headers: &HeaderMap, scope: Scope) -> Result<Caller, Response> {
    let unauthorized = |why: &str| {
        Stats::bump(&shared.stats.unauthorized);
        let mut r = wire::error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            Some(why.to_owned()),
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"talkdesk\""),
        );
        r
    };
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| split_scheme(v, "bearer"))
    else {
        return Err(unauthorized("A bearer access token is required."));
    };
    let auth = lock(&shared.auth);
    let Some(t) = auth.tokens.get(token.trim()) else {
        return Err(unauthorized("The access token is invalid or was revoked."));
    };
    if t.expires <= Instant::now() {
        return Err(unauthorized("The access token expired."));
    }
    if !t.scopes.iter().any(|s| s == scope.0) {
        return Err(wire::error(
            StatusCode::FORBIDDEN,
            &format!("Missing scope {}", scope.0),
            Some(format!(
                "The access token lacks the scope {} that this endpoint requires; \
                 ask your Talkdesk channel manager to entitle the client.",
                scope.0
            )),
        ));
    }
    let org = auth.clients.get(t.client).map_or(0, |c| c.org);
    Ok(Caller {
        org,
        client: t.client,
    })
}

/// The credentials after `scheme ` (case-insensitive scheme).
fn split_scheme<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (head, rest) = value.trim().split_once(' ')?;
    head.eq_ignore_ascii_case(scheme).then_some(rest.trim())
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Client credentials from HTTP Basic (form-urlencoded inside, RFC 6749 section 2.3.1),
/// else from the body's `client_id` / `client_secret`.
fn credentials(headers: &HeaderMap, form: &HashMap<String, String>) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| split_scheme(v, "basic"))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    if let Some(pair) = basic {
        let (id, secret) = pair.split_once(':')?;
        return Some((percent_decode(id), percent_decode(secret)));
    }
    Some((
        form.get("client_id")?.clone(),
        form.get("client_secret")?.clone(),
    ))
}

fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> Response {
    let body = OAuthError {
        error,
        error_description: description.to_owned(),
    };
    let mut response = wire::no_store((status, Json(body)).into_response());
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"talkdesk\""),
        );
    }
    response
}

/// `POST /oauth/token`.
pub async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let response = issue_token(&shared, &headers, &body);
    let counter = match response.status() {
        StatusCode::OK => &shared.stats.tokens_issued,
        _ => &shared.stats.tokens_refused,
    };
    Stats::bump(counter);
    response
}

fn issue_token(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let mut auth = lock(&shared.auth);
    let client = credentials(headers, &form).and_then(|(id, secret)| {
        auth.clients
            .iter()
            .position(|c| c.id == id && c.secret == secret)
    });
    let Some(client) = client else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: unknown client or wrong secret.",
        );
    };
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The grant_type parameter is missing.",
            );
        }
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only the client_credentials grant is supported.",
            );
        }
    }
    let granted = &auth.clients[client].scopes;
    let requested: Vec<String> = form
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(missing) = requested.iter().find(|s| !granted.contains(s)) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &format!("The client is not granted the scope {missing}."),
        );
    }
    let scopes = if requested.is_empty() {
        granted.clone()
    } else {
        granted
            .iter()
            .filter(|s| requested.contains(s))
            .cloned()
            .collect()
    };
    let scope = scopes.join(" ");
    let (access_token, expires_in) = auth.issue(client, scopes);
    let body = TokenBody {
        access_token,
        token_type: "Bearer",
        expires_in,
        scope,
    };
    wire::no_store((StatusCode::OK, Json(body)).into_response())
}
