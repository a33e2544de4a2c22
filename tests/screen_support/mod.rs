//! Shared setup of the screen tests: one simulated organization, the real app and sync
//! engine on a TestBackend, waiting until the first sync is in.

#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tdbi::api::{Client, ClientOptions};
use tdbi::app::App;
use tdbi::app::driver::Driver;
use tdbi::sim::{SimConfig, SimHandle, Simulator};
use tdbi::store::LoadState;
use tdbi::sync::{BillingReads, OrgSource, SyncSettings};

/// The longest any wait in these tests may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// A simulator with one organization of `accounts` accounts from `seed`, and the app on
/// a `width` x `height` TestBackend once its first sync is ready.
pub async fn start(seed: u64, accounts: usize, width: u16, height: u16) -> (SimHandle, Driver) {
    let config = SimConfig {
        seed,
        orgs: 1,
        accounts,
        ..SimConfig::default()
    };
    let sim = Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts");
    let org = sim.organizations().remove(0);
    let endpoint = sim.endpoint(&org);
    let options = ClientOptions {
        max_retries: 1,
        initial_backoff: Duration::from_millis(10),
        request_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    let client = Client::new(endpoint, options).map_err(|e| e.to_string());
    let settings = SyncSettings {
        interval: Duration::from_secs(600),
        failure_backoff: Duration::from_secs(600),
        prefetch_per_minute: 0,
        billing: BillingReads::Every(Duration::from_secs(600)),
    };
    let mut d = Driver::new(vec![(org.name.clone(), client)], settings, width, height);
    d.pump_until(WAIT, |app| {
        matches!(app.store().orgs[0].load, LoadState::Ready { .. })
    })
    .await
    .expect("the first sync is ready");
    (sim, d)
}

/// The app over every organization of `sim`, on a `width` x `height` TestBackend, with
/// no billing reads and no resync during a test (not yet synced: see [`all_ready`]).
pub fn driver_for_all(sim: &SimHandle, width: u16, height: u16) -> Driver {
    let sources: Vec<(String, OrgSource)> = sim
        .organizations()
        .iter()
        .map(|org| {
            let client =
                Client::new(sim.endpoint(org), ClientOptions::default()).map_err(|e| e.to_string());
            (org.name.clone(), client)
        })
        .collect();
    let settings = SyncSettings {
        interval: Duration::from_secs(600),
        failure_backoff: Duration::from_secs(600),
        prefetch_per_minute: 0,
        billing: BillingReads::Off,
    };
    Driver::new(sources, settings, width, height)
}

/// Every organization's first sync is in.
pub fn all_ready(app: &App) -> bool {
    app.store()
        .orgs
        .iter()
        .all(|o| matches!(o.load, LoadState::Ready { .. }))
}

/// `STATUS N` pairs of the status bar.
pub fn pairs(line: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|w| w[0].len() > 1 && w[0].chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(|w| (w[0].to_owned(), w[1].to_owned()))
        .collect()
}
