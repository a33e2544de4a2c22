//! `tdbi billing`: recurring revenue per organization and currency.

use std::borrow::Cow;
use std::io::Write;

use chrono::Utc;
use serde::Serialize;

use crate::billing::{BillingTotals, CurrencyTotals};
use crate::config::Config;
use crate::sync::billing::List;

use super::args::BillingArgs;
use super::billing_read::{self, Needs, OrgRead};
use super::error::CliError;
use super::output;
use super::values::Money;

/// One (organization, currency) row.
#[derive(Debug, Serialize)]
pub struct BillingRecord<'a> {
    pub organization: &'a str,
    pub currency: &'a str,
    pub mrr: Money<'a>,
    pub arr: Money<'a>,
    pub active_subscriptions: usize,
    pub paying_accounts: usize,
    pub unnormalized_subscriptions: usize,
    pub renewals_due_30d: usize,
    pub renewals_due_30d_mrr: Money<'a>,
}

impl<'a> BillingRecord<'a> {
    fn new(organization: &'a str, t: &'a CurrencyTotals) -> Self {
        let c = t.currency.as_str();
        Self {
            organization,
            currency: c,
            mrr: Money::new(t.mrr, c),
            arr: Money::new(t.arr(), c),
            active_subscriptions: t.active_subscriptions,
            paying_accounts: t.paying_accounts,
            unnormalized_subscriptions: t.unnormalized_subscriptions,
            renewals_due_30d: t.renewals.count(),
            renewals_due_30d_mrr: Money::new(t.renewals.mrr, c),
        }
    }
}

impl output::Record for BillingRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "CURRENCY",
        "MRR",
        "ARR",
        "ACTIVE",
        "PAYING",
        "UNNORMALIZED",
        "RENEWALS 30D",
        "RENEWALS MRR",
    ];
    const KEYS: Option<&'static [&'static str]> = Some(&[
        "organization",
        "currency",
        "mrr",
        "arr",
        "active_subscriptions",
        "paying_accounts",
        "unnormalized_subscriptions",
        "renewals_due_30d",
        "renewals_due_30d_mrr",
    ]);
    const RIGHT: &'static [usize] = &[2, 3, 4, 5, 6, 7, 8];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.organization.into(),
            self.currency.into(),
            self.mrr.grouped().into(),
            self.arr.grouped().into(),
            self.active_subscriptions.to_string().into(),
            self.paying_accounts.to_string().into(),
            self.unnormalized_subscriptions.to_string().into(),
            self.renewals_due_30d.to_string().into(),
            self.renewals_due_30d_mrr.grouped().into(),
        ]
    }
}

pub async fn run(
    config: &Config,
    args: &BillingArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let needs = Needs {
        accounts: false,
        lists: &[List::Subscriptions],
        catalogue: true,
    };
    let (read, failed) =
        billing_read::read_orgs(config, args.listing.org.as_deref(), needs).await?;
    let totals = totals(&read);
    let records: Vec<BillingRecord<'_>> = read
        .iter()
        .zip(&totals)
        .flat_map(|(r, t)| {
            t.currencies
                .iter()
                .map(|c| BillingRecord::new(&r.org.name, c))
        })
        .collect();
    billing_read::finish(out, args.listing.format, &records, read.len(), failed)
}

/// Each organization's totals now (currencies A-Z).
fn totals(read: &[OrgRead<'_>]) -> Vec<BillingTotals> {
    let now = Utc::now();
    read.iter()
        .map(|r| {
            let d = &r.data;
            BillingTotals::compute(r.org.index, &d.subscriptions, d.catalogue.as_ref(), now).0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Renewals;
    use output::Record;

    #[test]
    fn keys_are_exactly_the_documented_ones_and_money_is_a_string() {
        let t = CurrencyTotals {
            currency: "USD".into(),
            mrr: "1234.5".parse().unwrap_or_default(),
            active_subscriptions: 3,
            paying_accounts: 2,
            unnormalized_subscriptions: 1,
            renewals: Renewals {
                auto: 1,
                manual: 1,
                unknown: 0,
                mrr: "10.125".parse().unwrap_or_default(),
            },
        };
        let value = serde_json::to_value(BillingRecord::new("Acme", &t)).unwrap_or_default();
        let keys: Vec<&str> = value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut want = BillingRecord::KEYS.unwrap_or_default().to_vec();
        want.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(value["mrr"], "1234.50");
        assert_eq!(value["arr"], "14814.00");
        assert_eq!(value["renewals_due_30d"], 2);
        assert_eq!(value["renewals_due_30d_mrr"], "10.12");
    }
}
