//! One API call: bearer token, timeout, concurrency permit, retries, error mapping and
//! parsing of the answer straight into the wanted type.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use url::Url;

use super::auth::{Auth, Token, transport_kind};
use super::client::ClientOptions;
use super::endpoint::Endpoint;
use super::error::{ApiError, TransportKind, one_line};
use super::model::ErrorBody;
use super::retry;

/// What the transport needs to call endpoints of one organization.
pub(crate) struct Http {
    pub client: reqwest::Client,
    pub auth: Auth,
    pub options: ClientOptions,
    /// Requests in flight at once for this organization.
    permits: Semaphore,
    /// Provisioning: 2 requests per second, waited for, never failed.
    provisioning: DefaultDirectRateLimiter,
}

/// One request to send (cloned per attempt).
pub(crate) struct Call {
    pub endpoint: Endpoint,
    pub url: Url,
    /// A JSON body, for POSTs.
    pub body: Option<Vec<u8>>,
}

impl Call {
    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.endpoint.method(), self.url.path())
    }
}

/// Least time between two provisioning requests (limit: 2 per second), with no burst.
/// Requests sent exactly 500 ms apart can arrive a few milliseconds closer together, and a
/// server counting arrivals in a sliding one-second window would then see three; the
/// 25 ms margin avoids that 429.
pub const PROVISIONING_SPACING: Duration = Duration::from_millis(525);

/// What one attempt brought back before interpretation.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Http {
    pub(crate) fn new(client: reqwest::Client, auth: Auth, options: ClientOptions) -> Self {
        let permits = Semaphore::new(options.max_concurrency.max(1));
        let quota = Quota::with_period(PROVISIONING_SPACING)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::MIN);
        Self {
            client,
            auth,
            options,
            permits,
            provisioning: RateLimiter::direct(quota),
        }
    }

    /// Sends `call` with retries and parses a 2xx answer as `T`.
    ///
    /// GETs are retried on 5xx, timeouts, connection failures and bodies that are not
    /// JSON. POSTs create things, so after a request that may have reached the server
    /// (5xx, timeout, broken connection) they are not repeated; they are retried only when
    /// refused before processing (429, 401 once, connection never made).
    pub(crate) async fn call<T: DeserializeOwned>(&self, call: &Call) -> Result<T, ApiError> {
        let idempotent = call.endpoint.method() == reqwest::Method::GET;
        let mut failures = 0u32;
        let mut throttled = 0u32;
        let mut renewed = false;
        let mut attempts = 0u32;
        // Set by a renewal after a 401; otherwise each attempt takes the cached token,
        // which may have been renewed while this call waited.
        let mut renewed_token: Option<Token> = None;
        loop {
            attempts += 1;
            if call.endpoint == Endpoint::ProvisionTrial {
                self.provisioning.until_ready().await;
            }
            let token = match renewed_token.take() {
                Some(token) => token,
                None => self.auth.token().await?,
            };
            let answer = match self.attempt(call, &token).await {
                Ok(answer) => answer,
                Err(kind) => {
                    let retry = idempotent || kind == TransportKind::Connect;
                    if retry && failures < self.options.max_retries {
                        failures += 1;
                        self.backoff(failures).await;
                        continue;
                    }
                    return Err(ApiError::Transport {
                        endpoint: call.label(),
                        kind,
                        attempts,
                    });
                }
            };
            let status = answer.status;
            if status.is_success() {
                match parse::<T>(&answer.body) {
                    Ok(value) => return Ok(value),
                    Err(e) => {
                        let not_json = e.is_syntax() || e.is_eof();
                        if idempotent && not_json && failures < self.options.max_retries {
                            failures += 1;
                            tracing::debug!(endpoint = %call.label(), "answer not JSON, retrying");
                            self.backoff(failures).await;
                            continue;
                        }
                        return Err(malformed(call, &e, &answer.body));
                    }
                }
            }
            match status.as_u16() {
                401 if !renewed => {
                    renewed = true;
                    tracing::debug!(endpoint = %call.label(), "401: renewing the token");
                    renewed_token = Some(self.auth.renew_after_401(&token).await?);
                }
                429 => {
                    throttled += 1;
                    let wait = answer
                        .headers
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| retry::parse_retry_after(v, chrono::Utc::now()))
                        .unwrap_or(retry::DEFAULT_RETRY_AFTER);
                    if wait > self.options.max_retry_after {
                        return Err(ApiError::RateLimited {
                            endpoint: call.label(),
                            retry_after: Some(wait),
                            attempts,
                        });
                    }
                    if throttled > retry::MAX_THROTTLED {
                        return Err(ApiError::RateLimited {
                            endpoint: call.label(),
                            retry_after: None,
                            attempts,
                        });
                    }
                    tracing::debug!(endpoint = %call.label(), ?wait, "429: waiting");
                    tokio::time::sleep(wait).await;
                }
                s if s >= 500 => {
                    if idempotent && failures < self.options.max_retries {
                        failures += 1;
                        tracing::debug!(endpoint = %call.label(), status = s, "server error, retrying");
                        self.backoff(failures).await;
                        continue;
                    }
                    return Err(ApiError::Server {
                        status: s,
                        endpoint: call.label(),
                        attempts,
                    });
                }
                s => {
                    return Err(ApiError::Api {
                        status: s,
                        endpoint: call.label(),
                        body: serde_json::from_slice::<ErrorBody>(&answer.body)
                            .ok()
                            .map(Box::new),
                        required_scope: (s == 403).then(|| call.endpoint.scope()),
                    });
                }
            }
        }
    }

    async fn backoff(&self, retry_number: u32) {
        tokio::time::sleep(retry::backoff(self.options.initial_backoff, retry_number)).await;
    }

    /// One HTTP exchange, holding a concurrency permit until the body is read.
    async fn attempt(&self, call: &Call, token: &Token) -> Result<Answer, TransportKind> {
        // The semaphore is never closed, so acquiring only fails on a broken invariant.
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| TransportKind::Other)?;
        let mut bearer = HeaderValue::try_from(format!("Bearer {}", token.secret.expose_secret()))
            .map_err(|_| TransportKind::Other)?;
        bearer.set_sensitive(true);
        let mut request = self
            .client
            .request(call.endpoint.method(), call.url.clone())
            .header(AUTHORIZATION, bearer)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = request.send().await.map_err(|e| transport_kind(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| transport_kind(&e))?;
        Ok(Answer {
            status,
            headers,
            // Reuses the buffer when reqwest holds the only reference.
            body: Vec::from(body),
        })
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(body)
}

/// Names the endpoint and the serde error; shows at most ~60 characters of the body.
fn malformed(call: &Call, error: &serde_json::Error, body: &[u8]) -> ApiError {
    let detail = if error.is_syntax() || error.is_eof() {
        let start = one_line(&String::from_utf8_lossy(&body[..body.len().min(240)]), 60);
        if start.is_empty() {
            format!("empty or not JSON ({error})")
        } else {
            format!("not JSON ({error}); it starts with `{start}`")
        }
    } else {
        format!("not the expected shape ({error})")
    };
    ApiError::Malformed {
        endpoint: call.label(),
        detail,
    }
}
