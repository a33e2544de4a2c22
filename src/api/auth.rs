//! OAuth 2 client credentials: one cached token per organization, fetched once for all
//! concurrent callers (single flight), renewed shortly before expiry and after a 401.

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RequestTokenError, Scope,
    StandardRevocableToken, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::client::{ClientOptions, OrgEndpoint};
use super::error::{ApiError, TransportKind, status_text};
use super::retry;
use super::token::{MAX_LIFETIME, TokenAnswer};

/// oauth2's basic client, with our tolerant token answer.
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// An access token and what it was granted. `Debug` never shows the token.
#[derive(Clone)]
pub(crate) struct Token {
    pub secret: SecretString,
    pub scopes: Arc<[String]>,
}

impl Token {
    fn same_as(&self, other: &Token) -> bool {
        self.secret.expose_secret() == other.secret.expose_secret()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("secret", &"[redacted]")
            .field("scopes", &self.scopes)
            .finish()
    }
}

struct Cached {
    token: Token,
    /// When to fetch a new one (see `token` for the lifetime taken from the answer).
    renew_at: Option<Instant>,
}

impl Cached {
    fn fresh(&self) -> bool {
        self.renew_at.is_none_or(|at| Instant::now() < at)
    }
}

/// The token source of one organization.
pub(crate) struct Auth {
    oauth: OAuthClient,
    http: reqwest::Client,
    scopes: Vec<String>,
    /// `POST https://host/path` of the token URL, for messages.
    label: String,
    max_retries: u32,
    initial_backoff: Duration,
    cache: Mutex<Option<Cached>>,
}

impl Auth {
    pub(crate) fn new(
        endpoint: &OrgEndpoint,
        options: &ClientOptions,
        http: reqwest::Client,
    ) -> Self {
        let oauth: OAuthClient = oauth2::Client::new(ClientId::new(endpoint.client_id.clone()))
            .set_client_secret(ClientSecret::new(
                endpoint.client_secret.expose_secret().to_owned(),
            ))
            .set_auth_type(AuthType::BasicAuth)
            .set_token_uri(TokenUrl::from_url(endpoint.token_url.clone()));
        Self {
            oauth,
            http,
            scopes: endpoint.scopes.clone(),
            label: url_label(&endpoint.token_url),
            max_retries: options.max_retries,
            initial_backoff: options.initial_backoff,
            cache: Mutex::new(None),
        }
    }

    /// A valid token: the cached one, or a new one fetched once for every waiting caller.
    pub(crate) async fn token(&self) -> Result<Token, ApiError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref().filter(|c| c.fresh()) {
            return Ok(cached.token.clone());
        }
        self.refill(&mut cache).await
    }

    /// After `used` drew a 401: a new token, unless another caller already replaced it.
    pub(crate) async fn renew_after_401(&self, used: &Token) -> Result<Token, ApiError> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache
            .as_ref()
            .filter(|c| c.fresh() && !c.token.same_as(used))
        {
            return Ok(cached.token.clone());
        }
        self.refill(&mut cache).await
    }

    async fn refill(&self, cache: &mut Option<Cached>) -> Result<Token, ApiError> {
        *cache = None;
        let fetched = self.fetch_with_retries().await?;
        let token = fetched.token.clone();
        *cache = Some(fetched);
        Ok(token)
    }

    /// Retries transport failures and 5xx of the token endpoint like API calls.
    async fn fetch_with_retries(&self) -> Result<Cached, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let error = match self.fetch().await {
                Ok(cached) => return Ok(cached),
                Err(Fetch::Final(error)) => return Err(error),
                Err(Fetch::Retryable(error)) => error,
            };
            if attempt > self.max_retries {
                return Err(match error {
                    Retryable::Transport(kind) => ApiError::Transport {
                        endpoint: self.label.clone(),
                        kind,
                        attempts: attempt,
                    },
                    Retryable::Status(status) => ApiError::Server {
                        status,
                        endpoint: self.label.clone(),
                        attempts: attempt,
                    },
                });
            }
            tokio::time::sleep(retry::backoff(self.initial_backoff, attempt)).await;
        }
    }

    async fn fetch(&self) -> Result<Cached, Fetch> {
        // Owned captures: a closure returning a future that borrows would keep the
        // client's futures from being provably `Send` (rustc cannot prove it for every
        // lifetime), and then no caller could `tokio::spawn` them.
        let status = Arc::new(AtomicU16::new(0));
        let send = {
            let (http, status) = (self.http.clone(), status.clone());
            move |request: oauth2::HttpRequest| {
                let (http, status) = (http.clone(), status.clone());
                async move {
                    let response = send_oauth(&http, request).await?;
                    status.store(response.status().as_u16(), Ordering::Relaxed);
                    Ok::<_, reqwest::Error>(response)
                }
            }
        };
        let started = Instant::now();
        let result = self
            .oauth
            .exchange_client_credentials()
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .request_async(&send)
            .await;
        let status = status.load(Ordering::Relaxed);
        match result {
            Ok(answer) => Ok(self.cache_entry(&answer, started)),
            Err(error) => Err(self.classify(error, status)),
        }
    }

    fn cache_entry(&self, answer: &TokenAnswer, started: Instant) -> Cached {
        let granted: Vec<String> = match answer.scopes() {
            Some(scopes) => scopes.iter().map(|s| s.to_string()).collect(),
            // The answer may omit `scope` when it granted what was asked (RFC 6749 5.1).
            None => self.scopes.clone(),
        };
        let renew_at = answer.expires_in().map(|ttl| {
            let ttl = ttl.min(MAX_LIFETIME);
            let margin = (ttl / 10).min(Duration::from_secs(60));
            started + ttl.saturating_sub(margin)
        });
        Cached {
            token: Token {
                secret: SecretString::from(answer.access_token().secret().as_str()),
                scopes: granted.into(),
            },
            renew_at,
        }
    }

    fn classify(
        &self,
        error: RequestTokenError<reqwest::Error, oauth2::basic::BasicErrorResponse>,
        status: u16,
    ) -> Fetch {
        let status_opt = (status != 0).then_some(status);
        if status >= 500 {
            return Fetch::Retryable(Retryable::Status(status));
        }
        match error {
            RequestTokenError::ServerResponse(refusal) => Fetch::Final(ApiError::Token {
                status: status_opt,
                error: refusal.error().to_string(),
                description: refusal.error_description().cloned(),
            }),
            RequestTokenError::Request(e) => {
                Fetch::Retryable(Retryable::Transport(transport_kind(&e)))
            }
            // Only the path of the failure: the body may hold the token itself.
            RequestTokenError::Parse(e, _body) if status == 200 => {
                Fetch::Final(ApiError::Malformed {
                    endpoint: self.label.clone(),
                    detail: format!("not a token answer (at `{}`)", e.path()),
                })
            }
            RequestTokenError::Other(why) if status == 200 => Fetch::Final(ApiError::Malformed {
                endpoint: self.label.clone(),
                detail: why,
            }),
            // A refusal whose body is not RFC 6749 JSON.
            RequestTokenError::Parse(..) | RequestTokenError::Other(_) => {
                Fetch::Final(ApiError::Token {
                    status: status_opt,
                    error: status_text(status),
                    description: None,
                })
            }
        }
    }
}

enum Fetch {
    Final(ApiError),
    Retryable(Retryable),
}

enum Retryable {
    Transport(TransportKind),
    Status(u16),
}

/// Sends oauth2's request through our reqwest client (redirects off: following them at
/// the token endpoint would open an SSRF hole, as oauth2's documentation warns).
async fn send_oauth(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, reqwest::Error> {
    let request = reqwest::Request::try_from(request)?;
    let response = http.execute(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?.to_vec();
    let mut answer = oauth2::HttpResponse::new(body);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

pub(crate) fn transport_kind(error: &reqwest::Error) -> TransportKind {
    if error.is_timeout() {
        TransportKind::Timeout
    } else if error.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Other
    }
}

/// `POST http://host:port/path`, without user info or query.
fn url_label(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("POST {}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("POST {}://{host}{}", url.scheme(), url.path()),
    }
}
