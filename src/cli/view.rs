//! `tdbi accounts --view NAME`: a saved view's rows, in the order its tab shows them.
//!
//! The rows come from the dashboard's own [`Listing`] over a store filled with what was
//! read, so the headless rows cannot differ from the tab's. A view sorted by MRR also
//! reads each organization's subscriptions and product catalogue.

use std::io::Write;
use std::sync::Arc;

use chrono::Utc;

use crate::app::Column;
use crate::app::listing::Listing;
use crate::app::search::Fuzzy;
use crate::billing::{BillingDerived, BillingTotals, OrgBilling};
use crate::config::{Config, Organization, SavedView};
use crate::store::{Store, Update};
use crate::sync::billing::List;

use super::accounts::AccountRecord;
use super::args::Format;
use super::billing_read::{Needs, OrgRead, read_selected};
use super::error::CliError;
use super::output;

pub async fn run(
    config: &Config,
    name: &str,
    format: Format,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let (index, view) = find(config, name)?;
    let selected: Vec<&Organization> = match &view.organizations {
        Some(orgs) => orgs
            .iter()
            .filter_map(|&i| config.organizations.get(i))
            .collect(),
        None => config.organizations.iter().collect(),
    };
    let mrr = view.sort.column == Column::Mrr;
    let needs = Needs {
        accounts: true,
        lists: if mrr { &[List::Subscriptions] } else { &[] },
        catalogue: mrr,
    };
    let (read, failed) = read_selected(config, selected, needs).await?;
    let any_read = !read.is_empty();
    let store = store_of(config, read);
    let mut listing = Listing::for_view(index, view);
    listing.refresh(&store, &mut Fuzzy::default(), 0);
    // When every organization failed there is nothing to list, not even a header.
    if any_read || failed == 0 {
        output::write_each(out, format, || {
            listing.rows().iter().map(|r| {
                let org = &store.orgs[usize::from(r.org)];
                let a = &org.accounts[r.idx as usize];
                AccountRecord {
                    organization: &org.name,
                    id: &a.id,
                    name: &a.name,
                    company_name: a.company_name.get(),
                    status: a.status.as_str(),
                }
            })
        })?;
    }
    out.flush()?;
    match failed {
        0 => Ok(()),
        n => Err(CliError::Partial(n)),
    }
}

/// The view called `name` (case-insensitive) and its index, or a usage error naming
/// the configured ones.
fn find<'c>(config: &'c Config, name: &str) -> Result<(usize, &'c SavedView), CliError> {
    config
        .views
        .iter()
        .enumerate()
        .find(|(_, v)| v.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            let names: Vec<&str> = config.views.iter().map(|v| v.name.as_str()).collect();
            let known = match names.is_empty() {
                true => "none is configured ([[views]])".to_owned(),
                false => format!("configured: {}", names.join(", ")),
            };
            CliError::Usage(format!(
                "no saved view named \"{name}\" in {}; {known}",
                config.path.display()
            ))
        })
}

/// Every configured organization (so indices match the view's), with what was read.
fn store_of(config: &Config, read: Vec<OrgRead<'_>>) -> Store {
    let now = Utc::now();
    let mut store = Store::new(config.organizations.iter().map(|o| o.name.clone()));
    for OrgRead { org, data } in read {
        let at = org.index;
        if !data.subscriptions.is_empty() {
            let (_, account_mrr) =
                BillingTotals::compute(at, &data.subscriptions, data.catalogue.as_ref(), now);
            if let Some(o) = store.orgs.get_mut(at) {
                o.billing = Arc::new(OrgBilling {
                    derived: Arc::new(BillingDerived {
                        account_mrr,
                        ..BillingDerived::default()
                    }),
                    ..OrgBilling::default()
                });
            }
        }
        store.apply(Update::AccountsSynced {
            org: at,
            accounts: data.accounts,
            at: now,
        });
    }
    store
}
