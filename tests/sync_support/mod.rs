//! Helpers of the sync engine's tests: a simulator, clients for it, and a harness that
//! waits on the update channel with deadlines (never fixed sleeps).
#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use secrecy::SecretString;
use tdbi::api::{Client, ClientOptions, OrgEndpoint};
use tdbi::sim::{SimConfig, SimHandle, SimOrg, Simulator};
use tdbi::store::{Store, Update};
use tdbi::sync::{self, BillingReads, OrgSource, SyncHandle, SyncSettings};
use tokio::sync::mpsc;

/// Generous: only a broken engine waits this long.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// How long "nothing more comes" is watched for.
pub const QUIET: Duration = Duration::from_millis(500);

pub async fn sim(orgs: usize, accounts: usize) -> SimHandle {
    let config = SimConfig {
        orgs,
        accounts,
        tick: None,
        ..SimConfig::default()
    };
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

pub fn options(per_page: u32) -> ClientOptions {
    ClientOptions {
        per_page,
        max_concurrency: 2,
        request_timeout: Duration::from_secs(5),
        max_retries: 1,
        initial_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(2),
    }
}

/// A client of the simulator's organization `org`; `secret` overrides the right one.
pub fn client(sim: &SimHandle, org: usize, secret: Option<&str>, options: ClientOptions) -> Client {
    let o = &sim.organizations()[org];
    let endpoint = OrgEndpoint {
        client_secret: SecretString::from(secret.unwrap_or(&o.client_secret).to_owned()),
        ..sim.endpoint(o)
    };
    Client::new(endpoint, options).expect("client builds")
}

/// A client of another registered client of the simulator (see `SimHandle::add_client`).
pub fn client_of(sim: &SimHandle, org: &SimOrg, options: ClientOptions) -> Client {
    Client::new(sim.endpoint(org), options).expect("client builds")
}

/// Quick syncs: a short interval and backoff, a small prefetch budget.
pub fn settings(interval: Duration) -> SyncSettings {
    SyncSettings {
        interval,
        failure_backoff: Duration::from_millis(100),
        prefetch_per_minute: 5,
        billing: BillingReads::Off,
    }
}

/// The engine under test, its update channel, and a store fed by it.
pub struct Harness {
    pub handle: SyncHandle,
    pub rx: mpsc::Receiver<Update>,
    pub store: Store,
}

impl Harness {
    /// The accounts engine alone: no billing reads (they have their own tests).
    pub fn start(names: &[&str], orgs: Vec<OrgSource>, settings: SyncSettings) -> Self {
        Self::start_with_billing(names, orgs, settings, BillingReads::Off)
    }

    pub fn start_with_billing(
        names: &[&str],
        orgs: Vec<OrgSource>,
        settings: SyncSettings,
        billing: BillingReads,
    ) -> Self {
        let (tx, rx) = mpsc::channel(64);
        Self {
            handle: sync::spawn(
                orgs,
                SyncSettings {
                    billing,
                    ..settings
                },
                tx,
            ),
            rx,
            store: Store::new(names.iter().map(|n| (*n).to_owned())),
        }
    }

    /// The next update (applied to the store), or `None` when `within` passes first
    /// or the channel closed.
    pub async fn next_within(&mut self, within: Duration) -> Option<Update> {
        let update = tokio::time::timeout(within, self.rx.recv()).await.ok()??;
        self.store.apply(update.clone());
        Some(update)
    }

    /// Updates up to and including the first one `pred` accepts; panics after [`PATIENCE`].
    pub async fn until(
        &mut self,
        what: &str,
        mut pred: impl FnMut(&Update) -> bool,
    ) -> Vec<Update> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let Some(update) = self.next_within(left).await else {
                panic!("no {what} within {PATIENCE:?}; saw {seen:#?}");
            };
            let done = pred(&update);
            seen.push(update);
            if done {
                return seen;
            }
        }
    }

    /// Everything that arrives within `quiet` (expected: nothing).
    pub async fn drain(&mut self, quiet: Duration) -> Vec<Update> {
        let deadline = tokio::time::Instant::now() + quiet;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_within(left).await {
                Some(update) => seen.push(update),
                None => return seen,
            }
        }
    }

    /// Waits for organization `org`'s next successful sync.
    pub async fn synced(&mut self, org: usize) -> Vec<Update> {
        self.until(
            "accounts synced",
            |u| matches!(u, Update::AccountsSynced { org: o, .. } if *o == org),
        )
        .await
    }
}

pub fn is_started(u: &Update, org: usize) -> bool {
    matches!(u, Update::SyncStarted { org: o } if *o == org)
}

pub fn count(updates: &[Update], pred: impl Fn(&Update) -> bool) -> usize {
    updates.iter().filter(|u| pred(u)).count()
}
