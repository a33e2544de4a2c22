//! The public face of the API client: one [`Client`] per organization.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde::de::DeserializeOwned;
use url::Url;

use super::auth::Auth;
use super::endpoint::Endpoint;
use super::error::ApiError;
use super::http::{Call, Http};
use super::model::{
    Account, ContractAction, FieldError, InvoiceLine, MonthlyUsage, NewContractAction, Product,
    ProvisionedAccount, ResellerContract, Subscription, TrialRequest,
};
use super::paging::Pager;
use super::wire::Keyed;

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
            per_page: 100,
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
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    api_base: Url,
    http: Http,
}

/// Shows the organization only: never the secret or the token.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("organization", &self.inner.name)
            .field("api_base", &self.inner.api_base.as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client with its own connection pool. Nothing is sent yet.
    pub fn new(endpoint: OrgEndpoint, options: ClientOptions) -> Result<Self, ApiError> {
        super::install_crypto_provider();
        check_url("API base URL", &endpoint.api_base)?;
        check_url("token URL", &endpoint.token_url)?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.request_timeout)
            .connect_timeout(options.request_timeout)
            .user_agent(concat!("tdbi/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Setup {
                detail: super::error::one_line(&e.to_string(), 160),
            })?;
        let auth = Auth::new(&endpoint, &options, http.clone());
        Ok(Self {
            inner: Arc::new(Inner {
                name: endpoint.name,
                api_base: endpoint.api_base,
                http: Http::new(http, auth, options),
            }),
        })
    }

    /// The organization's configured name.
    pub fn organization(&self) -> &str {
        &self.inner.name
    }

    /// Scopes the token endpoint granted (fetches a token if none is cached). When the
    /// token answer names no scopes, the requested ones are assumed granted.
    pub async fn granted_scopes(&self) -> Result<Vec<String>, ApiError> {
        Ok(self.inner.http.auth.token().await?.scopes.to_vec())
    }

    /// The scopes of the API's endpoints that the token was not granted.
    pub async fn missing_scopes(&self) -> Result<Vec<&'static str>, ApiError> {
        let granted = self.granted_scopes().await?;
        Ok(Endpoint::all_scopes()
            .into_iter()
            .filter(|s| !granted.iter().any(|g| g == s))
            .collect())
    }

    /// Every account of the organization, each exactly once.
    pub async fn accounts(&self) -> Result<Vec<Account>, ApiError> {
        self.accounts_with_progress(|_| {}).await
    }

    /// Like [`Client::accounts`], reporting each page as it arrives.
    pub async fn accounts_with_progress(
        &self,
        mut on_page: impl FnMut(PageProgress) + Send,
    ) -> Result<Vec<Account>, ApiError> {
        self.list(Endpoint::Accounts, None, &mut on_page).await
    }

    /// The contract actions of one account.
    pub async fn contract_actions(
        &self,
        account_id: &str,
    ) -> Result<Vec<ContractAction>, ApiError> {
        check_account_id(account_id)?;
        self.list(Endpoint::ContractActions, Some(account_id), &mut |_| {})
            .await
    }

    /// Creates a contract action (subscribe, amend, cancel). A 409 means an action of the
    /// account is already under way; a 404 that the account is not under this organization.
    pub async fn create_contract_action(
        &self,
        account_id: &str,
        action: &NewContractAction,
    ) -> Result<ContractAction, ApiError> {
        check_account_id(account_id)?;
        self.post(Endpoint::CreateContractAction, Some(account_id), action)
            .await
    }

    /// The reseller contract information of one account.
    pub async fn reseller_contract(&self, account_id: &str) -> Result<ResellerContract, ApiError> {
        check_account_id(account_id)?;
        let call = self.call(Endpoint::ResellerContract, Some(account_id), None)?;
        self.inner.http.call(&call).await
    }

    /// Provisions a new trial account. The request is checked first (every field but
    /// `external_data`, and that the user accepted the Talkdesk Services Trial Agreement);
    /// requests are spaced to the endpoint's limit of 2 per second.
    pub async fn provision_trial(
        &self,
        request: &TrialRequest,
    ) -> Result<ProvisionedAccount, ApiError> {
        let fields = request.validate();
        if !fields.is_empty() {
            return Err(ApiError::Invalid { fields });
        }
        self.post(Endpoint::ProvisionTrial, None, request).await
    }

    /// Subscriptions of the organization's accounts.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, ApiError> {
        self.subscriptions_with_progress(|_| {}).await
    }

    /// Like [`Client::subscriptions`], reporting each page as it arrives.
    pub async fn subscriptions_with_progress(
        &self,
        mut on_page: impl FnMut(PageProgress) + Send,
    ) -> Result<Vec<Subscription>, ApiError> {
        self.list(Endpoint::Subscriptions, None, &mut on_page).await
    }

    /// Invoice lines of the organization's accounts.
    pub async fn invoices(&self) -> Result<Vec<InvoiceLine>, ApiError> {
        self.invoices_with_progress(|_| {}).await
    }

    /// Like [`Client::invoices`], reporting each page as it arrives.
    pub async fn invoices_with_progress(
        &self,
        mut on_page: impl FnMut(PageProgress) + Send,
    ) -> Result<Vec<InvoiceLine>, ApiError> {
        self.list(Endpoint::Invoices, None, &mut on_page).await
    }

    /// Usage aggregated by month and product.
    pub async fn monthly_usage(&self) -> Result<Vec<MonthlyUsage>, ApiError> {
        self.monthly_usage_with_progress(|_| {}).await
    }

    /// Like [`Client::monthly_usage`], reporting each page as it arrives.
    pub async fn monthly_usage_with_progress(
        &self,
        mut on_page: impl FnMut(PageProgress) + Send,
    ) -> Result<Vec<MonthlyUsage>, ApiError> {
        self.list(Endpoint::MonthlyUsage, None, &mut on_page).await
    }

    /// The product catalogue.
    pub async fn products(&self) -> Result<Vec<Product>, ApiError> {
        self.products_with_progress(|_| {}).await
    }

    /// Like [`Client::products`], reporting each page as it arrives.
    pub async fn products_with_progress(
        &self,
        mut on_page: impl FnMut(PageProgress) + Send,
    ) -> Result<Vec<Product>, ApiError> {
        self.list(Endpoint::Products, None, &mut on_page).await
    }

    async fn list<T: Keyed>(
        &self,
        endpoint: Endpoint,
        account_id: Option<&str>,
        on_page: &mut (dyn FnMut(PageProgress) + Send),
    ) -> Result<Vec<T>, ApiError> {
        let pager = Pager {
            http: &self.inner.http,
            endpoint,
            url: endpoint.url(&self.inner.api_base, account_id)?,
            api_base: &self.inner.api_base,
            per_page: self.inner.http.options.per_page.max(1),
        };
        pager.fetch_all(on_page).await
    }

    async fn post<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        account_id: Option<&str>,
        body: &B,
    ) -> Result<T, ApiError> {
        let json = serde_json::to_vec(body).map_err(|e| ApiError::Invalid {
            fields: vec![FieldError::new("body", e.to_string())],
        })?;
        let call = self.call(endpoint, account_id, Some(json))?;
        self.inner.http.call(&call).await
    }

    fn call(
        &self,
        endpoint: Endpoint,
        account_id: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<Call, ApiError> {
        Ok(Call {
            endpoint,
            url: endpoint.url(&self.inner.api_base, account_id)?,
            body,
        })
    }
}

fn check_url(what: &str, url: &Url) -> Result<(), ApiError> {
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ApiError::InvalidUrl {
            detail: format!("{what} `{url}` must be an http(s) URL with a host"),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::InvalidUrl {
            detail: format!("{what} must not carry credentials"),
        });
    }
    Ok(())
}

fn check_account_id(account_id: &str) -> Result<(), ApiError> {
    if account_id.trim().is_empty() {
        return Err(ApiError::Invalid {
            fields: vec![FieldError::new("account_id", "must not be empty")],
        });
    }
    Ok(())
}
