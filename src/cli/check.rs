//! `tdbi check`: can each organization be reached, and with which scopes?

use std::io::Write;

use crate::api::{ApiError, Client, Endpoint};
use crate::config::{Config, Organization, ReadOnly};

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

/// One line per scope tdbi uses: granted or MISSING, and the features it unlocks; then
/// the missing ones in a line of their own, and scopes tdbi does not use. A token answer
/// that names no scopes leaves each one unknown.
fn write_scopes(out: &mut impl Write, granted: &[String]) -> std::io::Result<()> {
    let scopes = Endpoint::all_scopes();
    let known = !granted.is_empty();
    let width = scopes.iter().map(|s| s.len()).max().unwrap_or(0);
    let is_granted = |scope: &str| granted.iter().any(|g| g == scope);
    writeln!(out, "  scopes:")?;
    for scope in &scopes {
        let state = match (known, is_granted(scope)) {
            (false, _) => "unknown",
            (true, true) => "granted",
            (true, false) => "MISSING",
        };
        let features = Endpoint::features_of(scope);
        writeln!(out, "    {state}  {scope:<width$}  {features}")?;
    }
    let missing: Vec<&str> = scopes.iter().copied().filter(|s| !is_granted(s)).collect();
    if !known {
        writeln!(
            out,
            "  scopes missing: unknown (the token answer named no scopes)"
        )?;
    } else if missing.is_empty() {
        writeln!(out, "  scopes missing: none")?;
    } else {
        writeln!(out, "  scopes missing: {}", missing.join(", "))?;
    }
    let others: Vec<&str> = granted
        .iter()
        .map(String::as_str)
        .filter(|g| !scopes.contains(g))
        .collect();
    if !others.is_empty() {
        writeln!(out, "  other scopes:   {}", others.join(" "))?;
    }
    Ok(())
}

/// Prints one organization's block; false when it is not usable.
fn print_report(
    out: &mut impl Write,
    org: &Organization,
    report: &Report,
) -> std::io::Result<bool> {
    writeln!(out, "\n{} ({}, {})", org.name, org.region, org.api_base)?;
    match org.read_only {
        Some(why) => {
            let by = match why {
                ReadOnly::Flag => "--read-only".to_owned(),
                ReadOnly::Config => format!("{}.read_only = true", org.key()),
            };
            writeln!(
                out,
                "  writes:         READ-ONLY ({by}): no trials or contract actions are sent"
            )?;
        }
        None => writeln!(out, "  writes:         allowed (trials, contract actions)")?,
    }
    let granted = match &report.scopes {
        Ok(granted) => granted,
        Err(e) => {
            writeln!(out, "  reachable:      no: {e}")?;
            return Ok(false);
        }
    };
    writeln!(out, "  reachable:      yes, token granted")?;
    write_scopes(out, granted)?;
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
