//! Choosing organizations from the configuration and building their clients.

use crate::api::Client;
use crate::config::{Config, Organization};

use super::error::CliError;

/// The organization named `name`, or every one when `name` is `None`.
pub fn select<'c>(
    config: &'c Config,
    name: Option<&str>,
) -> Result<Vec<&'c Organization>, CliError> {
    match name {
        Some(name) => Ok(vec![config.organization(name).map_err(CliError::Usage)?]),
        None => Ok(config.organizations.iter().collect()),
    }
}

/// The organization named `name`; may be left out when only one is configured.
pub fn select_one<'c>(
    config: &'c Config,
    name: Option<&str>,
) -> Result<&'c Organization, CliError> {
    match (name, config.organizations.as_slice()) {
        (Some(name), _) => config.organization(name).map_err(CliError::Usage),
        (None, [only]) => Ok(only),
        (None, _) => Err(CliError::Usage(format!(
            "several organizations are configured in {}: choose one with --org NAME",
            config.path.display()
        ))),
    }
}

/// Refuses a write to a read-only organization (exit 2), before any client is built.
pub fn writable(org: &Organization, what: &str) -> Result<(), CliError> {
    match org.read_only_reason() {
        Some(reason) => Err(CliError::Usage(format!(
            "{reason}: {what} refused, nothing was sent"
        ))),
        None => Ok(()),
    }
}

/// A client for `org`: reads its secret (a configuration error when that fails).
pub fn client(config: &Config, org: &Organization) -> Result<Client, CliError> {
    let endpoint = org.endpoint()?;
    Client::new(endpoint, config.sync.client_options())
        .map_err(|e| CliError::Remote(format!("{}: {e}", org.name)))
}
