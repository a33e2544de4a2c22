//! The command-line interface: parsing, dispatch, and exit codes.

pub(crate) mod accounts;
mod args;
mod billing;
mod billing_read;
mod cache;
mod check;
mod contract_create;
mod contracts;
mod dashboard;
mod demo;
mod error;
mod events;
mod funnel;
mod invoices;
mod logging;
mod orgs;
pub(crate) mod output;
mod setup;
mod sim;
mod subscriptions;
mod trial;
mod usage;
mod values;
mod view;

use std::io::{BufWriter, Write};

use clap::Parser;

pub use args::{Cli, Command, Format};
pub use error::CliError;

use crate::config::Config;

/// Runs the program and returns its exit code.
pub fn main() -> i32 {
    private_files();
    let cli = Cli::parse();
    let _log_guard = match logging::init(cli.log_file.as_deref()) {
        Ok(guard) => Some(guard),
        Err(warning) => {
            eprintln!("tdbi: warning: not logging: {warning}");
            None
        }
    };
    crate::api::install_crypto_provider();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tdbi: cannot start the async runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => 0,
        Err(CliError::Io(msg)) if msg.contains("Broken pipe") => 0,
        Err(e) => {
            if !matches!(e, CliError::Partial(_) | CliError::Signal(_)) {
                eprintln!("tdbi: {e}");
            }
            tracing::warn!("exit: {e}");
            e.exit_code()
        }
    }
}

/// Every file tdbi creates (log, journal, results, exports) is readable by its owner
/// only: 0600, directories 0700. They may hold account names, ids and customer data.
fn private_files() {
    #[cfg(unix)]
    // SAFETY: umask(2) only sets the process's file mode mask.
    unsafe {
        libc::umask(0o077);
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let Some(command) = &cli.command else {
        // The dashboard owns the terminal: no locked stdout around it.
        return dashboard::run(&load_config(&cli)?).await;
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match command {
        Command::Demo(args) => {
            drop(out); // the dashboard may own the terminal
            return demo::run(args, cli.read_only).await;
        }
        Command::Sim(args) => sim::run(args, &mut out).await,
        Command::Accounts(args) => {
            let config = load_config(&cli)?;
            accounts::run(&config, args, &mut out).await
        }
        Command::Check => {
            let config = load_config(&cli)?;
            check::run(&config, &mut out).await
        }
        Command::Contracts(args) => {
            let config = load_config(&cli)?;
            contracts::run(&config, args, &mut out).await
        }
        Command::Trial(args) => trial::run(args, || load_config(&cli), &mut out).await,
        Command::Events(args) => events::run(&load_config(&cli)?, args, &mut out).await,
        Command::Billing(args) => billing::run(&load_config(&cli)?, args, &mut out).await,
        Command::Subscriptions(args) => {
            subscriptions::run(&load_config(&cli)?, args, &mut out).await
        }
        Command::Invoices(args) => invoices::run(&load_config(&cli)?, args, &mut out).await,
        Command::Usage(args) => usage::run(&load_config(&cli)?, args, &mut out).await,
        Command::Funnel(args) => funnel::run(&load_config(&cli)?, args, &mut out).await,
        Command::Config(args) => setup::config(&cli, args, &mut out),
        Command::Completions(args) => setup::completions(args, &mut out),
        Command::Man => setup::man(&mut out),
        Command::Cache(args) => cache::run(args, load_config(&cli), &mut out),
    };
    out.flush()?;
    result
}

/// Loads the configuration (with `--no-cache` applied) and prints its warnings once.
pub fn load_config(cli: &Cli) -> Result<Config, CliError> {
    let mut config = Config::load(cli.config.as_deref())?;
    if cli.no_cache {
        config.cache.enabled = false;
    }
    if cli.read_only {
        config.set_read_only();
    }
    for warning in &config.warnings {
        eprintln!("tdbi: warning: {}: {warning}", config.path.display());
    }
    Ok(config)
}
