use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use super::error::ApiError;
use super::model::{Account, ContractAction};

/// Where and as whom one organization's client talks.
#[derive(Debug, Clone)]
pub struct OrgEndpoint {
    /// The organization's name as configured (used in messages).
    pub name: String,
    /// API base URL, e.g. `https://api.talkdeskapp.eu`.
    pub api_base: Url,
    /// OAuth token URL, e.g. `https://acme.talkdeskid.eu/oauth/token`.
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Scopes asked for at token time; empty asks for none (the server grants its default).
    pub scopes: Vec<String>,
}

/// Tuning shared by every organization's client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Page size asked for; the server may cap it.
    pub per_page: u32,
    /// Requests in flight at once for one organization.
    pub max_concurrency: usize,
    /// Timeout of one HTTP request, connect included.
    pub request_timeout: Duration,
    /// Retries after the first attempt for 5xx, timeouts and connection errors.
    pub max_retries: u32,
    /// First backoff delay; doubled each retry, with jitter.
    pub initial_backoff: Duration,
    /// Longest a 429 `Retry-After` is honoured before giving up.
    pub max_retry_after: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            per_page: 50,
            max_concurrency: 4,
            request_timeout: Duration::from_secs(30),
            max_retries: 4,
            initial_backoff: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// How far a paged read has come: pages received out of the pages known so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageProgress {
    pub done: u32,
    pub total: u32,
}

/// A client for one organization. Cheap to clone: clones share the token and limits.
#[derive(Clone)]
pub struct Client {}

impl Client {
    /// Builds a client with its own connection pool.
    pub fn new(_endpoint: OrgEndpoint, _options: ClientOptions) -> Result<Self, ApiError> {
        todo!("api client")
    }

    /// The organization's configured name.
    pub fn organization(&self) -> &str {
        todo!("api client")
    }

    /// Scopes the token endpoint granted (fetches a token if none is cached).
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ApiError> {
        todo!("api client")
    }

    /// Every account of the organization, each exactly once.
    pub async fn accounts(&self) -> Result<Vec<Account>, ApiError> {
        self.accounts_with_progress(|_| {}).await
    }

    /// Like [`Client::accounts`], reporting each page as it arrives.
    pub async fn accounts_with_progress(
        &self,
        _on_page: impl FnMut(PageProgress) + Send,
    ) -> Result<Vec<Account>, ApiError> {
        todo!("api client")
    }

    /// The contract actions of one account.
    pub async fn contract_actions(
        &self,
        _account_id: &str,
    ) -> Result<Vec<ContractAction>, ApiError> {
        todo!("api client")
    }
}
