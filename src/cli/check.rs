//! `tdbi check`: can each organization be reached, and with which scopes?

use std::io::Write;

use crate::api::{ApiError, Client, Endpoint};
use crate::config::{Config, Organization};

use super::error::CliError;
use super::orgs;

/// What was learnt about one organization.
struct Report {
    scopes: Result<Vec<String>, ApiError>,
    accounts: Option<Result<usize, ApiError>>,
}

pub async fn run(config: &Config, out: &mut impl Write) -> Result<(), CliError> {
    writeln!(
        out,
        "configuration {}: valid, {} organization(s)",
        config.path.display(),
        config.organizations.len()
    )?;
    let clients = config
        .organizations
        .iter()
        .map(|org| orgs::client(config, org))
        .collect::<Result<Vec<_>, _>>()?;
    let reports = futures::future::join_all(clients.iter().map(probe)).await;
    let mut failed = 0;
    for (org, report) in config.organizations.iter().zip(&reports) {
        if !print_report(out, org, report)? {
            failed += 1;
        }
    }
    out.flush()?;
    match failed {
        0 => Ok(()),
        n => Err(CliError::Partial(n)),
    }
}

async fn probe(client: &Client) -> Report {
    let scopes = client.granted_scopes().await;
    let accounts = match scopes {
        Ok(_) => Some(client.accounts().await.map(|a| a.len())),
        Err(_) => None,
    };
    Report { scopes, accounts }
}

/// Prints one organization's block; false when it is not usable.
fn print_report(
    out: &mut impl Write,
    org: &Organization,
    report: &Report,
) -> std::io::Result<bool> {
    writeln!(out, "\n{} ({}, {})", org.name, org.region, org.api_base)?;
    let granted = match &report.scopes {
        Ok(granted) => granted,
        Err(e) => {
            writeln!(out, "  reachable:      no: {e}")?;
            return Ok(false);
        }
    };
    writeln!(out, "  reachable:      yes, token granted")?;
    let shown = if granted.is_empty() {
        "(none reported)".to_string()
    } else {
        granted.join(" ")
    };
    writeln!(out, "  scopes granted: {shown}")?;
    let missing: Vec<String> = Endpoint::all_scopes()
        .into_iter()
        .filter(|scope| !granted.iter().any(|g| g == scope))
        .map(|scope| {
            let needs: Vec<String> = Endpoint::ALL
                .iter()
                .filter(|e| e.scope() == scope)
                .map(ToString::to_string)
                .collect();
            format!("{scope} (for {})", needs.join(", "))
        })
        .collect();
    if missing.is_empty() {
        writeln!(out, "  scopes missing: none")?;
    } else {
        writeln!(out, "  scopes missing: {}", missing.join(", "))?;
    }
    match &report.accounts {
        Some(Ok(n)) => writeln!(out, "  accounts:       {n}")?,
        Some(Err(e)) => {
            writeln!(out, "  accounts:       unreadable: {e}")?;
            return Ok(false);
        }
        None => {}
    }
    Ok(true)
}
