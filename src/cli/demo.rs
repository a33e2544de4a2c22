//! `tdbi demo`: the simulator in-process, and tdbi against it over loopback HTTP.
//!
//! The dashboard opens on the simulated organizations plus one that fails on purpose (a
//! client without `express-accounts:read`). With `--headless`, or when standard output is
//! not a terminal, it prints `tdbi check` and the account listing instead.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

use secrecy::SecretString;

use crate::api::Endpoint;
use crate::config::{Config, Organization, Region, SecretSource};
use crate::sim::SimHandle;

use super::args::{AccountsArgs, DemoArgs, Format};
use super::error::CliError;
use super::{accounts, check, dashboard, sim};

/// Name of the organization whose client lacks the accounts scope.
pub const FAILING_ORG: &str = "NoScope Org";

pub async fn run(args: &DemoArgs) -> Result<(), CliError> {
    let handle = sim::start(sim::world_config(&args.world), 0).await?;
    let label = Path::new("(tdbi demo: built-in simulator)");
    let mut config = Config::from_toml(label, &handle.config_toml())?;
    config.organizations.push(failing_org(&handle, &config));
    let result = if args.headless || !std::io::stdout().is_terminal() {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let listed = headless(&handle, &config, args, &mut out).await;
        out.flush()?;
        listed
    } else {
        dashboard::run(&config).await
    };
    handle.shutdown().await;
    result
}

/// An organization whose client may do everything but list accounts: its tab shows the
/// 403 while the others work.
fn failing_org(handle: &SimHandle, config: &Config) -> Organization {
    let scopes: Vec<&str> = Endpoint::all_scopes()
        .into_iter()
        .filter(|s| *s != Endpoint::Accounts.scope())
        .collect();
    let client = handle.add_client(0, &scopes);
    Organization {
        index: config.organizations.len(),
        name: FAILING_ORG.to_owned(),
        region: Region::Us,
        account: client.account.clone(),
        client_id: client.client_id,
        secret: SecretSource::Inline(SecretString::from(client.client_secret)),
        api_base: handle.base_url(),
        token_url: handle.token_url(),
        scopes: Vec::new(),
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
        format: Format::Table,
    };
    match accounts::run(config, &listing, out).await {
        Err(CliError::Partial(1)) | Ok(()) => Ok(()),
        Err(e) => Err(e),
    }
}
