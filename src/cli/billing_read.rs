//! What the billing commands share: reading every selected organization at once through
//! the sync task's reader ([`crate::sync::billing::read`]), one stderr line per failed
//! organization, and printing the others.

use std::io::Write;

use crate::api::Client;
use crate::api::model::{Account, InvoiceLine, MonthlyUsage, Subscription};
use crate::billing::{Catalogue, ListProblem};
use crate::config::{Config, Organization};
use crate::sync::billing::{self, List, Outcome};

use super::args::Format;
use super::error::CliError;
use super::{orgs, output};

/// What a command reads of each organization.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    pub accounts: bool,
    /// Lists the command needs whole: any failure is the organization's error.
    pub lists: &'static [List],
    /// Also read the product catalogue. Refused (403): MRR uses the billing period
    /// alone, with one warning line; failed otherwise: the organization's error.
    pub catalogue: bool,
}

/// One organization's lists (empty when not needed).
#[derive(Debug, Default)]
pub struct Fetched {
    pub accounts: Vec<Account>,
    pub subscriptions: Vec<Subscription>,
    pub invoices: Vec<InvoiceLine>,
    pub usage: Vec<MonthlyUsage>,
    pub catalogue: Option<Catalogue>,
}

/// An organization that was read.
#[derive(Debug)]
pub struct OrgRead<'c> {
    pub org: &'c Organization,
    pub data: Fetched,
}

/// Reads the organization named `name` (every one when `None`), all at once. Returns
/// those read, in configuration order, and how many failed (each reported on stderr).
pub async fn read_orgs<'c>(
    config: &'c Config,
    name: Option<&str>,
    needs: Needs,
) -> Result<(Vec<OrgRead<'c>>, usize), CliError> {
    read_selected(config, orgs::select(config, name)?, needs).await
}

/// [`read_orgs`] for the organizations in `selected`.
pub async fn read_selected<'c>(
    config: &'c Config,
    selected: Vec<&'c Organization>,
    needs: Needs,
) -> Result<(Vec<OrgRead<'c>>, usize), CliError> {
    let clients = selected
        .iter()
        .map(|org| orgs::client(config, org))
        .collect::<Result<Vec<_>, _>>()?;
    let results = futures::future::join_all(clients.iter().map(|c| read_one(c, needs))).await;
    let mut read = Vec::with_capacity(results.len());
    let mut failed = 0;
    for (org, result) in selected.into_iter().zip(results) {
        match result {
            Ok((data, warnings)) => {
                for warning in warnings {
                    eprintln!("tdbi: warning: {}: {warning}", org.name);
                }
                read.push(OrgRead { org, data });
            }
            Err(error) => {
                failed += 1;
                eprintln!("tdbi: {}: {error}", org.name);
            }
        }
    }
    Ok((read, failed))
}

/// One organization: its lists and warnings, or every failure in one line.
async fn read_one(client: &Client, needs: Needs) -> Result<(Fetched, Vec<String>), String> {
    let mut ask = needs.lists.to_vec();
    if needs.catalogue {
        ask.push(List::Products);
    }
    let accounts = async {
        match needs.accounts {
            true => client.accounts().await.map(Some),
            false => Ok(None),
        }
    };
    let (accounts, lists) = tokio::join!(accounts, billing::read(client, &ask, &|_| {}));
    let mut errors = Vec::new();
    let accounts = accounts.unwrap_or_else(|e| {
        errors.push(e.to_string());
        None
    });
    let mut fetched = Fetched {
        accounts: accounts.unwrap_or_default(),
        subscriptions: whole(lists.subscriptions, &mut errors),
        invoices: whole(lists.invoices, &mut errors),
        usage: whole(lists.usage, &mut errors),
        catalogue: None,
    };
    let mut warnings = Vec::new();
    match lists.products {
        Some(Ok(products)) => fetched.catalogue = Some(Catalogue::new(&products)),
        Some(Err(ListProblem::Denied { scope, .. })) => warnings.push(format!(
            "client lacks {scope}: MRR uses the billing period alone"
        )),
        Some(Err(ListProblem::Failed(error))) => errors.push(error),
        None => {}
    }
    match errors.is_empty() {
        true => Ok((fetched, warnings)),
        false => Err(errors.join("; ")),
    }
}

/// The items of a list read whole; a failure is added to `errors`.
fn whole<T>(outcome: Outcome<T>, errors: &mut Vec<String>) -> Vec<T> {
    match outcome {
        Some(Ok(items)) => items,
        Some(Err(ListProblem::Denied { error, .. } | ListProblem::Failed(error))) => {
            errors.push(error);
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Prints `records` (unless every organization failed: not even a header then) and
/// turns failures into exit code 1.
pub fn finish<R: output::Record>(
    out: &mut impl Write,
    format: Format,
    records: &[R],
    read: usize,
    failed: usize,
) -> Result<(), CliError> {
    if read > 0 || failed == 0 {
        output::write(out, format, records)?;
    }
    out.flush()?;
    match failed {
        0 => Ok(()),
        n => Err(CliError::Partial(n)),
    }
}
