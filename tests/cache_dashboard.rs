//! The cache through the real app (`app::driver`) against the simulator: saved after a
//! sync, shown at once on the next start as "cached", replaced by the first sync; a
//! corrupt file ignored; off with `[cache] enabled = false` or `--no-cache`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use clap::Parser;
use tdbi::api::{Client, ClientOptions};
use tdbi::app::driver::Driver;
use tdbi::cache::{CacheSetup, Identity};
use tdbi::config::Config;
use tdbi::sim::{Faults, SimConfig, SimHandle, Simulator};
use tdbi::store::LoadState;
use tdbi::sync::{BillingReads, OrgSource, SyncSettings};

const WAIT: Duration = Duration::from_secs(20);

async fn sim(accounts: usize) -> SimHandle {
    let config = SimConfig {
        orgs: 1,
        accounts,
        ..SimConfig::default()
    };
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

/// The simulator's configuration with `[cache]` appended.
fn config(sim: &SimHandle, dir: &Path, extra: &str) -> Config {
    let text = format!(
        "{}\n[cache]\ndir = '{}'\n{extra}",
        sim.config_toml(),
        dir.display()
    );
    Config::from_toml(Path::new("(test)"), &text).expect("config is valid")
}

fn orgs(config: &Config) -> Vec<(String, OrgSource)> {
    let options = ClientOptions {
        max_retries: 1,
        initial_backoff: Duration::from_millis(10),
        request_timeout: Duration::from_secs(10),
        ..ClientOptions::default()
    };
    config
        .organizations
        .iter()
        .map(|o| {
            let client = Client::new(o.endpoint().expect("secret"), options.clone());
            (o.name.clone(), client.map_err(|e| e.to_string()))
        })
        .collect()
}

fn settings() -> SyncSettings {
    SyncSettings {
        interval: Duration::from_secs(600),
        failure_backoff: Duration::from_secs(600),
        prefetch_per_minute: 0,
        billing: BillingReads::Every(Duration::from_secs(600)),
    }
}

fn ready(d: &tdbi::app::App) -> bool {
    let org = &d.store().orgs[0];
    matches!(org.load, LoadState::Ready { .. })
        && matches!(org.billing_load, LoadState::Ready { .. })
}

/// Waits (polling, bounded) until `done` holds: file writes send no update to wait on.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_shows_the_cache_at_once_until_the_first_sync() {
    let sim = sim(300).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&sim, dir.path(), "");
    let setup = CacheSetup::from_config(&config).expect("cache on by default");
    let identity = Identity::of_org(&config.organizations[0]);
    let paths = [
        setup.cache.accounts_path(&identity),
        setup.cache.billing_path(&identity),
    ];

    let mut first = Driver::with_cache(orgs(&config), settings(), 120, 30, Some(setup.clone()));
    first.pump_until(WAIT, ready).await.expect("first sync");
    eventually("both files", || paths.iter().all(|p| p.exists())).await;
    let org = &first.app.store().orgs[0];
    let cached = setup
        .cache
        .load_accounts(&identity)
        .expect("accounts saved");
    assert_eq!(cached.0, *org.accounts);
    let billing = setup
        .cache
        .load_billing(&identity)
        .expect("billing saved")
        .0;
    assert_eq!(
        billing.subscriptions.slice(),
        org.billing.subscriptions.slice()
    );
    assert_eq!(billing.invoices.slice(), org.billing.invoices.slice());
    assert_eq!(billing.usage.slice(), org.billing.usage.slice());
    assert_eq!(billing.products.slice(), org.billing.products.slice());
    assert!(!org.billing.subscriptions.slice().is_empty());

    // No secret in the files.
    let secret = sim.organizations()[0].client_secret.clone();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{} holds the client secret",
            path.display()
        );
    }
    drop(first);

    // A slow server: the cache is on screen well before the sync ends.
    sim.set_faults(Faults {
        latency: Duration::from_millis(800),
        ..Faults::default()
    });
    let mut second = Driver::with_cache(orgs(&config), settings(), 120, 30, Some(setup));
    second
        .pump_until(WAIT, |app| {
            // The accounts, then the billing (derived after them).
            let org = &app.store().orgs[0];
            org.cached_at.is_some() && org.billing_revision == 1
        })
        .await
        .expect("the cache is shown");
    let org = &second.app.store().orgs[0];
    assert_eq!(org.accounts.len(), 300);
    assert!(
        !matches!(org.load, LoadState::Ready { .. }),
        "sync not done yet"
    );
    assert_eq!(org.billing_revision, 1, "cached billing shown");
    let screen = second.screen();
    assert!(screen.contains("syncing · cached <1m ago"), "{screen}");
    assert!(
        screen.contains(" 300 ") && screen.contains("ACTIVE"),
        "{screen}"
    );

    // The accounts sync (3 pages) confirms it; the billing read (many pages) may go on.
    second
        .pump_until(WAIT, |app| {
            matches!(app.store().orgs[0].load, LoadState::Ready { .. })
        })
        .await
        .expect("the sync confirms it");
    let org = &second.app.store().orgs[0];
    assert_eq!(org.cached_at, None);
    assert!(
        org.changes.is_empty(),
        "no status changes counted from the cache"
    );
    let screen = second.screen();
    assert!(!screen.contains("cached"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_cache_is_ignored_and_replaced_after_the_sync() {
    let sim = sim(50).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&sim, dir.path(), "");
    let setup = CacheSetup::from_config(&config).unwrap();
    let identity = Identity::of_org(&config.organizations[0]);
    let path = setup.cache.accounts_path(&identity);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"TDBICACH\x01\x00\x00\x00\xff\xff\xff").unwrap();

    let mut saw_cache = false;
    let mut d = Driver::with_cache(orgs(&config), settings(), 120, 30, Some(setup.clone()));
    d.pump_until(WAIT, |app| {
        saw_cache |= app.store().orgs[0].cached_at.is_some();
        ready(app)
    })
    .await
    .expect("syncs from scratch");
    assert!(!saw_cache);
    assert_eq!(d.app.store().orgs[0].accounts.len(), 50);
    eventually("a good file", || {
        setup.cache.load_accounts(&identity).is_some()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_cache_neither_reads_nor_writes() {
    let sim = sim(40).await;
    let dir = tempfile::tempdir().unwrap();
    // A valid cache from an earlier run, which must not be read.
    let on = config(&sim, dir.path(), "");
    let setup = CacheSetup::from_config(&on).unwrap();
    let identity = Identity::of_org(&on.organizations[0]);
    let mut earlier = Driver::with_cache(orgs(&on), settings(), 120, 30, Some(setup.clone()));
    earlier.pump_until(WAIT, ready).await.unwrap();
    let path = setup.cache.billing_path(&identity);
    eventually("the earlier cache", || path.exists()).await;
    drop(earlier);
    let files = |dir: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let before = files(dir.path());

    let off = config(&sim, dir.path(), "enabled = false\n");
    assert!(CacheSetup::from_config(&off).is_none());
    // --no-cache, through the CLI's own loading.
    let file = dir.path().join("config.toml");
    std::fs::write(
        &file,
        format!(
            "{}\n[cache]\ndir = '{}'\n",
            sim.config_toml(),
            dir.path().display()
        ),
    )
    .unwrap();
    let cli =
        tdbi::cli::Cli::parse_from(["tdbi", "--no-cache", "--config", file.to_str().unwrap()]);
    let flagged = tdbi::cli::load_config(&cli).unwrap();
    assert!(!flagged.cache.enabled);
    assert!(CacheSetup::from_config(&flagged).is_none());
    let cli = tdbi::cli::Cli::parse_from(["tdbi", "--config", file.to_str().unwrap()]);
    assert!(CacheSetup::from_config(&tdbi::cli::load_config(&cli).unwrap()).is_some());
    std::fs::remove_file(&file).unwrap();

    let mut saw_cache = false;
    let setup = CacheSetup::from_config(&off);
    let mut d = Driver::with_cache(orgs(&off), settings(), 120, 30, setup);
    d.pump_until(WAIT, |app| {
        saw_cache |= app.store().orgs[0].cached_at.is_some();
        ready(app)
    })
    .await
    .unwrap();
    assert!(!saw_cache, "the cache was read");
    // Give a write (there must be none) the time it would take.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(files(dir.path()), before, "the cache was written");
}
