//! `tdbi demo`: the simulator in-process, and tdbi against it over loopback HTTP.
//!
//! Until the dashboard lands, the demo prints `tdbi check` and `tdbi accounts` for the
//! simulated organizations.

use std::io::Write;
use std::path::Path;

use crate::config::Config;

use super::args::{AccountsArgs, DemoArgs, Format};
use super::error::CliError;
use super::{accounts, check, sim};

pub async fn run(args: &DemoArgs, out: &mut impl Write) -> Result<(), CliError> {
    let handle = sim::start(sim::world_config(&args.world), 0).await?;
    let label = Path::new("(tdbi demo: built-in simulator)");
    let config = Config::from_toml(label, &handle.config_toml())?;
    writeln!(
        out,
        "tdbi demo: simulator on {} (seed {})",
        handle.base_url(),
        args.world.seed
    )?;
    // Partial failures are part of the demo (one organization lacks a scope on purpose).
    let checked = check::run(&config, out).await;
    writeln!(out)?;
    let listing = AccountsArgs {
        org: None,
        status: Vec::new(),
        format: Format::Table,
    };
    let listed = accounts::run(&config, &listing, out).await;
    handle.shutdown().await;
    checked.and(listed)
}
