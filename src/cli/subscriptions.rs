//! `tdbi subscriptions`: every subscription with its account and product names, whether
//! it is active now, and its MRR.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::api::model::Subscription;
use crate::billing::{currency_of, mrr};
use crate::config::Config;
use crate::sync::billing::List;

use super::args::SubscriptionsArgs;
use super::billing_read::{self, Needs, OrgRead};
use super::error::CliError;
use super::output;
use super::values::{Exact, Money, or_dash};

/// One subscription as printed: the API's fields, plus names, `active` and `mrr`.
#[derive(Debug, Serialize)]
pub struct SubscriptionRecord<'a> {
    pub organization: &'a str,
    pub id: &'a str,
    pub account_id: &'a str,
    pub account_name: Option<&'a str>,
    pub contract_number: Option<&'a str>,
    pub currency: Option<&'a str>,
    pub billing_period: Option<&'a str>,
    pub status: Option<&'a str>,
    pub term: Option<i64>,
    pub start_date: Option<DateTime<Utc>>,
    pub end_date: Option<DateTime<Utc>>,
    pub edition: Option<&'a str>,
    pub auto_renewal: Option<bool>,
    pub renewal_uplift: Option<Exact>,
    pub product_id: Option<&'a str>,
    pub product_name: Option<&'a str>,
    pub quantity: Option<Exact>,
    pub unit_price: Option<Exact>,
    pub billing_frequency: Option<&'a str>,
    pub active: bool,
    pub mrr: Option<Money<'a>>,
}

impl output::Record for SubscriptionRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "ACCOUNT",
        "ID",
        "PRODUCT",
        "PERIOD",
        "QTY",
        "UNIT PRICE",
        "CURRENCY",
        "START",
        "END",
        "ACTIVE",
        "MRR",
    ];
    const KEYS: Option<&'static [&'static str]> = Some(&[
        "organization",
        "id",
        "account_id",
        "account_name",
        "contract_number",
        "currency",
        "billing_period",
        "status",
        "term",
        "start_date",
        "end_date",
        "edition",
        "auto_renewal",
        "renewal_uplift",
        "product_id",
        "product_name",
        "quantity",
        "unit_price",
        "billing_frequency",
        "active",
        "mrr",
    ]);
    const RIGHT: &'static [usize] = &[5, 6, 11];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        let day = |d: Option<DateTime<Utc>>| or_dash(d.map(|d| d.format("%Y-%m-%d")));
        vec![
            self.organization.into(),
            self.account_name.unwrap_or(self.account_id).into(),
            self.id.into(),
            or_dash(self.product_name.or(self.product_id)).into(),
            or_dash(self.billing_period).into(),
            or_dash(self.quantity.map(|q| q.0)).into(),
            or_dash(self.unit_price.map(|p| p.0)).into(),
            or_dash(self.currency).into(),
            day(self.start_date).into(),
            day(self.end_date).into(),
            if self.active { "yes" } else { "no" }.into(),
            or_dash(self.mrr.map(|m| m.grouped())).into(),
        ]
    }
}

pub async fn run(
    config: &Config,
    args: &SubscriptionsArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let needs = Needs {
        accounts: true,
        lists: &[List::Subscriptions],
        catalogue: true,
    };
    let (read, failed) =
        billing_read::read_orgs(config, args.listing.org.as_deref(), needs).await?;
    let now = Utc::now();
    let account = args.account.as_deref().map(str::trim);
    let records: Vec<SubscriptionRecord<'_>> = read
        .iter()
        .flat_map(|r| records(r, now))
        .filter(|s| account.is_none_or(|id| s.account_id == id))
        .filter(|s| !args.active || s.active)
        .collect();
    billing_read::finish(out, args.listing.format, &records, read.len(), failed)
}

/// The organization's subscriptions in the API's order.
fn records<'a>(r: &'a OrgRead<'_>, now: DateTime<Utc>) -> Vec<SubscriptionRecord<'a>> {
    let names: HashMap<&str, &str> = r
        .data
        .accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let catalogue = r.data.catalogue.as_ref();
    r.data
        .subscriptions
        .iter()
        .map(|s| record(&r.org.name, s, &names, catalogue, now))
        .collect()
}

fn record<'a>(
    organization: &'a str,
    s: &'a Subscription,
    names: &HashMap<&str, &'a str>,
    catalogue: Option<&'a mrr::Catalogue>,
    now: DateTime<Utc>,
) -> SubscriptionRecord<'a> {
    let product_name = s.product_id.as_deref().and_then(|id| catalogue?.name(id));
    let currency = currency_of(s.currency.as_deref());
    SubscriptionRecord {
        organization,
        id: &s.id,
        account_id: &s.account_id,
        account_name: names.get(s.account_id.as_str()).copied(),
        contract_number: s.contract_number.as_deref(),
        currency: s.currency.as_deref(),
        billing_period: s.billing_period.as_ref().map(|p| p.as_str()),
        status: s.status.as_ref().map(|p| p.as_str()),
        term: s.term,
        start_date: s.start_date,
        end_date: s.end_date,
        edition: s.edition.as_deref(),
        auto_renewal: s.auto_renewal,
        renewal_uplift: s.renewal_uplift.map(Exact),
        product_id: s.product_id.as_deref(),
        product_name,
        quantity: s.quantity.map(Exact),
        unit_price: s.unit_price.map(Exact),
        billing_frequency: s.billing_frequency.as_deref(),
        active: mrr::is_active(s, now),
        mrr: mrr::monthly(s, catalogue).map(|m| Money::new(m, currency)),
    }
}
