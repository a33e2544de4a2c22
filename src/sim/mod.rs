//! A faithful simulator of the Talkdesk Express / Billing Insights API.
//!
//! Served by axum on loopback only. It shares no parsing code with [`crate::api`]:
//! its wire shapes are written down here independently, so tests of the client
//! against it prove something.

use std::net::SocketAddr;
use std::time::Duration;

use url::Url;

/// How the simulated world is made and how it misbehaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seed of every random choice: the same seed gives the same world.
    pub seed: u64,
    /// Number of organizations (each with its own OAuth client).
    pub orgs: usize,
    /// Accounts of the first organization; the others get a seeded share of it (at least 1).
    pub accounts: usize,
    /// Largest `per_page` the server honours; larger requests are capped silently.
    pub max_per_page: u32,
    /// Lifetime of issued tokens.
    pub token_ttl: Duration,
    /// How often the world moves (trials convert or are lost, contract actions progress);
    /// `None` freezes it.
    pub tick: Option<Duration>,
    /// Whether `_links` hrefs are absolute URLs or relative paths.
    pub link_style: LinkStyle,
    /// Random misbehaviour.
    pub faults: Faults,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            orgs: 3,
            accounts: 200,
            max_per_page: 100,
            token_ttl: Duration::from_secs(3600),
            tick: None,
            link_style: LinkStyle::Absolute,
            faults: Faults::default(),
        }
    }
}

/// The form of `_links.*.href` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkStyle {
    #[default]
    Absolute,
    Relative,
}

/// Random misbehaviour applied to API requests (not to the token endpoint).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Added to every API answer.
    pub latency: Duration,
    /// Share of requests answered 503.
    pub server_error_rate: f64,
    /// Share of requests answered 429 with `Retry-After: 1`.
    pub throttle_rate: f64,
    /// Share of requests answered 200 with a body that is not JSON.
    pub malformed_rate: f64,
}

/// One scripted answer, served instead of the real one to the next API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptedFault {
    /// That status with the API's error body.
    Status(u16),
    /// 429 with `Retry-After` in seconds.
    TooManyRequests { retry_after_secs: u64 },
    /// 200 with a body that is not JSON.
    Malformed,
}

/// Credentials and facts of one simulated organization.
#[derive(Debug, Clone)]
pub struct SimOrg {
    pub name: String,
    pub region: String,
    pub account: String,
    pub client_id: String,
    /// Not a real secret: the simulator's own, derived from the seed.
    pub client_secret: String,
    pub scopes: Vec<String>,
}

/// Starts simulators.
pub struct Simulator;

impl Simulator {
    /// Binds `addr` (must be loopback) and serves until the handle is shut down or dropped.
    pub async fn start(_config: SimConfig, _addr: SocketAddr) -> std::io::Result<SimHandle> {
        todo!("simulator")
    }
}

/// A running simulator: its address, its organizations, and test controls.
pub struct SimHandle {}

impl SimHandle {
    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> Url {
        todo!("simulator")
    }

    /// `http://127.0.0.1:PORT/oauth/token`
    pub fn token_url(&self) -> Url {
        todo!("simulator")
    }

    /// The organizations, in order.
    pub fn organizations(&self) -> Vec<SimOrg> {
        todo!("simulator")
    }

    /// A `tdbi` configuration (TOML) that points at this simulator.
    pub fn config_toml(&self) -> String {
        todo!("simulator")
    }
}

/// An account as the simulator holds it (for tests comparing against the client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimAccount {
    pub id: String,
    pub name: String,
    pub company_name: String,
    /// Raw status text, possibly outside the documented list.
    pub status: String,
}

/// Counters of what the simulator has served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Token requests answered 200.
    pub tokens_issued: u64,
    /// Token requests refused (bad credentials, bad grant).
    pub tokens_refused: u64,
    /// API requests received (any status).
    pub api_requests: u64,
    /// API requests answered 401.
    pub unauthorized: u64,
    /// API requests answered 429.
    pub throttled: u64,
}

/// Test and demo controls: each takes effect for the next request.
impl SimHandle {
    /// All accounts of organization `org` (0-based), in the server's paging order.
    pub fn accounts(&self, _org: usize) -> Vec<SimAccount> {
        todo!("simulator")
    }
    /// Replaces the random misbehaviour.
    pub fn set_faults(&self, _faults: Faults) {
        todo!("simulator")
    }
    /// Queues an answer served instead of the real one to the next API request.
    pub fn script(&self, _fault: ScriptedFault) {
        todo!("simulator")
    }
    pub fn set_link_style(&self, _style: LinkStyle) {
        todo!("simulator")
    }
    pub fn set_max_per_page(&self, _cap: u32) {
        todo!("simulator")
    }
    /// Lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, _ttl: Duration) {
        todo!("simulator")
    }
    /// Invalidates every token issued so far: the next API call with one gets 401.
    pub fn revoke_tokens(&self) {
        todo!("simulator")
    }
    /// Creates `n` accounts in organization `org`, spread through the paging order; returns their ids.
    pub fn create_accounts(&self, _org: usize, _n: usize) -> Vec<String> {
        todo!("simulator")
    }
    /// From now on, each accounts-page request of organization `org` first creates `n` accounts.
    pub fn set_growth_per_page_request(&self, _org: usize, _n: usize) {
        todo!("simulator")
    }
    /// Sets an account's raw status text (any string, documented or not).
    pub fn set_account_status(&self, _org: usize, _account_id: &str, _status: &str) {
        todo!("simulator")
    }
    /// Registers another client for organization `org` granted exactly `scopes`.
    pub fn add_client(&self, _org: usize, _scopes: &[&str]) -> SimOrg {
        todo!("simulator")
    }
    pub fn stats(&self) -> SimStats {
        todo!("simulator")
    }
    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(self) {
        todo!("simulator")
    }
}
