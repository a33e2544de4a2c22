//! `tdbi demo`: the simulator in-process, and tdbi against it over loopback HTTP.
//!
//! The dashboard opens on the simulated organizations plus one that fails on purpose (a
//! client without `express-accounts:read`), with an in-process events receiver the
//! simulator POSTs its signed trial events to (journal in a temporary directory removed
//! at exit). The last simulated organization's client lacks
//! `express-accounts-invoices:read`: its accounts list, its invoices answer 403. With
//! `--headless`, or when standard output is not a terminal, it prints `tdbi check` and
//! the account listing instead.

use std::io::{BufWriter, IsTerminal, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::api::Endpoint;
use crate::app::start_events;
use crate::config::{
    AccountUrl, Config, DEFAULT_EVENTS_PATH, EventsConfig, Organization, Region, SecretSource,
};
use crate::sim::SimHandle;

use super::args::{AccountsArgs, DemoArgs, Format};
use super::error::CliError;
use super::{accounts, check, dashboard, sim};

/// Name of the organization whose client lacks the accounts scope.
pub const FAILING_ORG: &str = "NoScope Org";

pub async fn run(args: &DemoArgs, read_only: bool) -> Result<(), CliError> {
    let handle = sim::start(sim::world_config(&args.world), 0).await?;
    let last = handle.organizations().len().saturating_sub(1);
    handle.withhold_scopes(last, &[Endpoint::Invoices.scope()]);
    let label = Path::new("(tdbi demo: built-in simulator)");
    let mut config = Config::from_toml(label, &handle.config_toml())?;
    config.organizations.push(failing_org(&handle, &config));
    // Its simulator listens on a new port each run: a cache could never be used again.
    config.cache.enabled = false;
    if read_only {
        config.set_read_only();
    }
    let result = if args.headless || !std::io::stdout().is_terminal() {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let listed = headless(&handle, &config, args, &mut out).await;
        out.flush()?;
        listed
    } else {
        live_dashboard(&handle, &config).await
    };
    handle.shutdown().await;
    result
}

/// The dashboard, with the simulator's trial events delivered to its receiver live.
async fn live_dashboard(handle: &SimHandle, config: &Config) -> Result<(), CliError> {
    let journal = TempDir::new()
        .map_err(|e| CliError::Io(format!("cannot create a temporary directory: {e}")))?;
    let events = EventsConfig {
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        path: DEFAULT_EVENTS_PATH.to_owned(),
        verify: true,
        journal: journal.0.join("events.jsonl"),
        keys: vec![handle.events_key()],
    };
    let setup = start_events(Some(&events)).await;
    if let Some(url) = setup.url().and_then(|u| url::Url::parse(&u).ok()) {
        if let Err(e) = handle.set_events_callback(Some(url)) {
            tracing::warn!("demo: trial events stay off: {e}");
        }
    }
    let result = dashboard::run_with_events(config, setup).await;
    drop(journal);
    result
}

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path =
            std::env::temp_dir().join(format!("tdbi-demo-{}-{nanos:09}", std::process::id()));
        std::fs::create_dir(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An organization whose client may do everything but list accounts and read
/// subscriptions: its tab shows the 403 and its Billing view the missing scope, while
/// the others work.
fn failing_org(handle: &SimHandle, config: &Config) -> Organization {
    let scopes: Vec<&str> = Endpoint::all_scopes()
        .into_iter()
        .filter(|s| *s != Endpoint::Accounts.scope() && *s != Endpoint::Subscriptions.scope())
        .collect();
    let client = handle.add_client(0, &scopes);
    Organization {
        index: config.organizations.len(),
        file: config.path.clone(),
        name: FAILING_ORG.to_owned(),
        region: Region::Us,
        account: client.account.clone(),
        client_id: client.client_id,
        secret: SecretSource::Inline(SecretString::from(client.client_secret)),
        api_base: handle.base_url(),
        token_url: handle.token_url(),
        scopes: Vec::new(),
        account_url: AccountUrl::default_for(Region::Us),
        read_only: None,
    }
}

/// `tdbi check` and `tdbi accounts` against the simulator.
async fn headless(
    handle: &SimHandle,
    config: &Config,
    args: &DemoArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    writeln!(
        out,
        "tdbi demo: simulator on {} (seed {}); {FAILING_ORG} lacks {} on purpose",
        handle.base_url(),
        args.world.seed,
        Endpoint::Accounts.scope()
    )?;
    // Its failure is part of the demo: report it, but do not fail the demo for it.
    let _ = check::run(config, out).await;
    writeln!(out)?;
    let listing = AccountsArgs {
        org: None,
        status: Vec::new(),
        view: None,
        format: Format::Table,
    };
    match accounts::run(config, &listing, out).await {
        Err(CliError::Partial(1)) | Ok(()) => Ok(()),
        Err(e) => Err(e),
    }
}
