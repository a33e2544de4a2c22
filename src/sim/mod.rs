//! A faithful simulator of the Talkdesk Express / Billing Insights API.
//!
//! Served by axum on loopback only. It shares no parsing code with [`crate::api`]:
//! its wire shapes are written down here independently, so tests of the client
//! against it prove something.

// Handlers return `Result<_, Response>` so `?` can answer early; the size of the
// error variant is irrelevant next to an HTTP round trip.
#![allow(clippy::result_large_err)]

mod auth;
mod billing;
mod contracts;
mod control;
mod faults;
mod generate;
mod history;
mod movement;
mod paging;
mod provision;
mod routes;
mod state;
mod webhook;
mod wire;
mod world;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

use state::{Knobs, Shared, Stats, lock};
use webhook::{TrialChange, Webhook};
use world::World;

pub use webhook::{KEY_ID as EVENTS_KEY_ID, WebhookStats};

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
    /// Where signed trial events (`app.trial_*`) are POSTed; loopback only. `None`: nowhere.
    pub events_callback: Option<Url>,
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
            events_callback: None,
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
#[derive(Clone)]
pub struct SimOrg {
    pub name: String,
    pub region: String,
    pub account: String,
    pub client_id: String,
    /// Not a real secret: the simulator's own, derived from the seed.
    pub client_secret: String,
    pub scopes: Vec<String>,
}

/// Debug output leaves the secret out, like every secret of the program.
impl std::fmt::Debug for SimOrg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimOrg")
            .field("name", &self.name)
            .field("region", &self.region)
            .field("account", &self.account)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// Starts simulators.
pub struct Simulator;

impl Simulator {
    /// Binds `addr` (must be loopback) and serves until the handle is shut down or dropped.
    pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
        if !addr.ip().is_loopback() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the simulator binds loopback only, not {addr}"),
            ));
        }
        if let Some(url) = &config.events_callback {
            webhook::check_callback(url)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        }
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let base = Url::parse(&format!("http://{local}"))
            .map_err(|e| std::io::Error::other(format!("simulator base URL: {e}")))?;
        // Building 100,000 accounts takes a moment: keep it off the async workers.
        let (seed, orgs, accounts) = (config.seed, config.orgs, config.accounts);
        let world = tokio::task::spawn_blocking(move || World::new(seed, orgs, accounts))
            .await
            .map_err(|e| std::io::Error::other(format!("building the simulated world: {e}")))?;
        let mut auth = auth::Auth::new(config.seed, config.token_ttl);
        let orgs = world.orgs.len();
        for org in 0..orgs {
            // The last of three or more organizations is partially entitled.
            let scopes = auth::ALL_SCOPES
                .iter()
                .filter(|s| !(orgs >= 3 && org == orgs - 1 && **s == contracts::CONTRACTS_READ.0))
                .map(|s| (*s).to_owned())
                .collect();
            auth.add_client(org, scopes);
        }
        let (webhook, deliveries) =
            Webhook::new(config.seed, &base, config.events_callback.clone());
        tokio::spawn(webhook::deliver(deliveries, webhook.counters()));
        let shared = Arc::new(Shared {
            base: base.clone(),
            world: Mutex::new(world),
            auth: Mutex::new(auth),
            knobs: Mutex::new(Knobs {
                faults: config.faults.clone(),
                script: VecDeque::new(),
                link_style: config.link_style,
                max_per_page: config.max_per_page,
                rng: SmallRng::seed_from_u64(generate::mix(config.seed, 0x4641_554c, 0)),
            }),
            limiter: Mutex::new(provision::Limiter::default()),
            stats: Stats::default(),
            action_bodies: Mutex::new(Vec::new()),
            webhook,
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let app = routes::router(shared.clone());
        let mover = shared.clone();
        let tick = config.tick;
        let task = tokio::spawn(async move {
            // A dropped sender stops the server as well as an explicit shutdown.
            let signal = async {
                let _ = stopped.await;
            };
            let serve = axum::serve(listener, app).with_graceful_shutdown(signal);
            tokio::select! {
                result = serve => {
                    if let Err(e) = result {
                        tracing::warn!("simulator stopped: {e}");
                    }
                }
                () = move_world(mover, tick) => {}
            }
        });
        Ok(SimHandle {
            shared,
            base,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// Moves the world every `tick` forever (or never, when `None`).
async fn move_world(shared: Arc<Shared>, tick: Option<Duration>) {
    let Some(period) = tick else {
        return std::future::pending().await;
    };
    let mut interval = tokio::time::interval(period.max(Duration::from_millis(1)));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await;
    loop {
        interval.tick().await;
        step(&shared);
    }
}

/// Moves the world one tick and sends the events of its trial changes.
fn step(shared: &Shared) {
    let changes = movement::tick(&mut lock(&shared.world), Utc::now());
    shared.webhook.emit(changes);
}

/// A running simulator: its address, its organizations, and test controls.
pub struct SimHandle {
    shared: Arc<Shared>,
    base: Url,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> Url {
        self.base.clone()
    }

    /// `http://127.0.0.1:PORT/oauth/token`
    pub fn token_url(&self) -> Url {
        let mut url = self.base.clone();
        url.set_path("/oauth/token");
        url
    }

    /// The organizations, in order, each with its first (default) client.
    pub fn organizations(&self) -> Vec<SimOrg> {
        let world = lock(&self.shared.world);
        let auth = lock(&self.shared.auth);
        world
            .orgs
            .iter()
            .enumerate()
            .filter_map(|(i, org)| {
                let client = auth.clients.iter().find(|c| c.org == i)?;
                Some(sim_org(org, client))
            })
            .collect()
    }

    /// Where and as whom a client reaches this simulator as `org`'s client (demo, tests,
    /// benchmarks). The client secret is the simulator's own, not a real one.
    pub fn endpoint(&self, org: &SimOrg) -> crate::api::OrgEndpoint {
        crate::api::OrgEndpoint {
            name: org.name.clone(),
            api_base: self.base_url(),
            token_url: self.token_url(),
            client_id: org.client_id.clone(),
            client_secret: secrecy::SecretString::from(org.client_secret.clone()),
            scopes: Vec::new(),
        }
    }

    /// A `tdbi` configuration (TOML) that points at this simulator.
    pub fn config_toml(&self) -> String {
        let origin = self.base.as_str().trim_end_matches('/');
        let authority = origin.trim_start_matches("http://");
        let mut out = format!(
            "# Generated by `tdbi sim`: points every organization at the simulator on {authority}.\n\
             [sync]\ninterval_secs = 60\nper_page = 100\nmax_concurrency = 4\n"
        );
        for org in self.organizations() {
            out.push_str(&format!(
                "\n[[organizations]]\n\
                 name = {}\nregion = {}\naccount = {}\nclient_id = {}\n\
                 client_secret_command = {}   # the simulator's own secret, not a real one\n\
                 api_base_url = {}\ntoken_url = {}\n",
                quote(&org.name),
                quote(&org.region),
                quote(&org.account),
                quote(&org.client_id),
                quote(&format!("printf %s {}", org.client_secret)),
                quote(origin),
                quote(self.token_url().as_str()),
            ));
        }
        out.push_str(
            "\n# A saved view: a tab after \"All organizations\"; `tdbi accounts --view \"Top MRR\"` prints it.\n\
             [[views]]\nname = \"Top MRR\"\nstatuses = [\"ACTIVE\"]\nsort = \"mrr\"\ndescending = true\n\
             columns = [\"organization\", \"name\", \"status\", \"mrr\"]\n",
        );
        if let Some(callback) = self.shared.webhook.callback() {
            out.push_str(&self.events_toml(&callback));
        }
        out
    }

    /// The `[events]` section receiving this simulator's deliveries at `callback`.
    fn events_toml(&self, callback: &Url) -> String {
        let host = match callback.host() {
            Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            _ => "127.0.0.1".to_owned(),
        };
        let port = callback.port_or_known_default().unwrap_or(80);
        let journal = directories::ProjectDirs::from("", "", "tdbi")
            .map(|d| d.data_dir().join("sim-events.jsonl"))
            .map(|p| {
                format!(
                    "journal = {}   # kept apart from real events\n",
                    quote(&p.to_string_lossy())
                )
            })
            .unwrap_or_default();
        format!(
            "\n# Trial events the simulator POSTs to {callback}: run `tdbi events listen`.\n\
             [events]\nlisten = {}\npath = {}\n{journal}\n\
             [[events.keys]]\nid = {}\npublic_key = '''\n{}'''\n",
            quote(&format!("{host}:{port}")),
            quote(callback.path()),
            quote(webhook::KEY_ID),
            self.shared.webhook.public_key_pem(),
        )
    }

    /// Where trial events go from now on (`None`: nowhere); loopback only.
    pub fn set_events_callback(&self, callback: Option<Url>) -> Result<(), String> {
        if let Some(url) = &callback {
            webhook::check_callback(url)?;
        }
        self.shared.webhook.set_callback(callback);
        Ok(())
    }

    /// The public key of the events signing key (PEM, `-----BEGIN PUBLIC KEY-----`).
    pub fn events_public_key_pem(&self) -> String {
        self.shared.webhook.public_key_pem().to_owned()
    }

    /// The `X-Hub-Ecdsa-Signature-Id` the simulator signs with.
    pub fn events_key_id(&self) -> &'static str {
        webhook::KEY_ID
    }

    /// The key to trust in an `[events]` configuration receiving this simulator.
    pub fn events_key(&self) -> crate::config::EventKey {
        crate::config::EventKey {
            id: webhook::KEY_ID.to_owned(),
            key: self.shared.webhook.verifying_key(),
        }
    }

    /// Counters of signed events queued, delivered, duplicated, failed and dropped.
    pub fn events_stats(&self) -> WebhookStats {
        self.shared.webhook.stats()
    }

    /// Moves the world one tick now, whether or not it moves by itself.
    pub fn advance_world(&self) {
        step(&self.shared);
    }

    /// Trial transitions the moving world made so far (oldest first).
    pub fn trial_transitions(&self) -> Vec<TrialTransition> {
        lock(&self.shared.world).transitions.clone()
    }
}

fn sim_org(org: &world::Org, client: &auth::Client) -> SimOrg {
    SimOrg {
        name: org.name.clone(),
        region: org.region.to_owned(),
        account: org.account.clone(),
        client_id: client.id.clone(),
        client_secret: client.secret.clone(),
        scopes: client.scopes.clone(),
    }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// Why a trial ended (the `ended_reason` of `app.trial_ended`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialEnd {
    /// Converted: a NEWTDE completed and the account became ACTIVE.
    PlanUpgraded,
    /// The trial ran out: the account became TRIAL_LOST.
    TrialExpired,
}

impl TrialEnd {
    /// The `ended_reason` text of an `app.trial_ended` event.
    pub fn as_str(self) -> &'static str {
        match self {
            TrialEnd::PlanUpgraded => "plan_upgraded",
            TrialEnd::TrialExpired => "trial_expired",
        }
    }
}

/// A trial that ended while the simulator ran (source of future webhook events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialTransition {
    pub org: usize,
    pub account_id: String,
    pub from: String,
    pub to: String,
    pub reason: TrialEnd,
    pub at: DateTime<Utc>,
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
    /// `POST .../contracts/actions` requests received (any answer, faults included).
    pub action_posts: u64,
    /// `POST /express/provisioning/account` requests received (any answer).
    pub provisioning_posts: u64,
}

/// Test and demo controls: each takes effect for the next request.
impl SimHandle {
    /// All accounts of organization `org` (0-based), in the server's paging order.
    pub fn accounts(&self, org: usize) -> Vec<SimAccount> {
        let world = lock(&self.shared.world);
        world
            .orgs
            .get(org)
            .map(|o| o.accounts.iter().map(|a| world.view(a)).collect())
            .unwrap_or_default()
    }
    /// Replaces the random misbehaviour.
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.shared.knobs).faults = faults;
    }
    /// Queues an answer served instead of the real one to the next API request.
    pub fn script(&self, fault: ScriptedFault) {
        lock(&self.shared.knobs).script.push_back(fault);
    }
    pub fn set_link_style(&self, style: LinkStyle) {
        lock(&self.shared.knobs).link_style = style;
    }
    pub fn set_max_per_page(&self, cap: u32) {
        lock(&self.shared.knobs).max_per_page = cap.max(1);
    }
    /// Lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, ttl: Duration) {
        lock(&self.shared.auth).ttl = ttl;
    }
    /// Invalidates every token issued so far: the next API call with one gets 401.
    pub fn revoke_tokens(&self) {
        lock(&self.shared.auth).revoke_all();
    }
    /// Creates `n` accounts in organization `org`, spread through the paging order; returns their ids.
    pub fn create_accounts(&self, org: usize, n: usize) -> Vec<String> {
        let mut world = lock(&self.shared.world);
        if org >= world.orgs.len() {
            return Vec::new();
        }
        let ids = world.create(org, n);
        drop(world);
        let at = Utc::now();
        self.shared
            .webhook
            .emit(ids.iter().map(|id| TrialChange::Started {
                account_id: id.clone(),
                at,
            }));
        ids
    }
    /// From now on, each accounts-page request of organization `org` first creates `n` accounts.
    pub fn set_growth_per_page_request(&self, org: usize, n: usize) {
        if let Some(o) = lock(&self.shared.world).orgs.get_mut(org) {
            o.growth = n;
        }
    }
    /// Sets an account's raw status text (any string, documented or not).
    pub fn set_account_status(&self, org: usize, account_id: &str, status: &str) {
        lock(&self.shared.world).set_status(org, account_id, status);
    }
    /// Registers another client for organization `org` granted exactly `scopes`.
    pub fn add_client(&self, org: usize, scopes: &[&str]) -> SimOrg {
        let world = lock(&self.shared.world);
        let mut auth = lock(&self.shared.auth);
        let index = org.min(world.orgs.len().saturating_sub(1));
        let client = auth.add_client(index, scopes.iter().map(|s| (*s).to_owned()).collect());
        sim_org(&world.orgs[index], &client)
    }
    /// Takes `scopes` from organization `org`'s default client: tokens issued from now on
    /// lack them (e.g. a billing scope, to show its 403 while accounts still list).
    pub fn withhold_scopes(&self, org: usize, scopes: &[&str]) {
        let mut auth = lock(&self.shared.auth);
        if let Some(client) = auth.clients.iter_mut().find(|c| c.org == org) {
            client.scopes.retain(|s| !scopes.contains(&s.as_str()));
        }
    }
    pub fn stats(&self) -> SimStats {
        self.shared.stats.snapshot()
    }
    /// The bodies of the `POST .../contracts/actions` requests received so far, as sent
    /// (JSON, or the raw text as a JSON string when it is not JSON), oldest first.
    pub fn action_bodies(&self) -> Vec<serde_json::Value> {
        lock(&self.shared.action_bodies)
            .iter()
            .map(|raw| {
                serde_json::from_slice(raw).unwrap_or_else(|_| {
                    serde_json::Value::String(String::from_utf8_lossy(raw).into_owned())
                })
            })
            .collect()
    }
    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
