//! `tdbi usage`: monthly usage rows, or totals per month, currency and type.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use crate::api::model::MonthlyUsage;
use crate::billing::currency_of;
use crate::billing::months::{MonthUsage, usage_by_month};
use crate::config::Config;
use crate::sync::billing::List;

use super::args::UsageArgs;
use super::billing_read::{self, Needs};
use super::error::CliError;
use super::output;
use super::values::{Exact, Money, or_dash};

/// One usage row: the API's fields and the organization.
#[derive(Debug, Serialize)]
pub struct UsageRecord<'a> {
    pub organization: &'a str,
    pub id: &'a str,
    pub account_id: &'a str,
    pub product_id: Option<&'a str>,
    pub aggr_product_id: Option<&'a str>,
    pub month: &'a str,
    #[serde(rename = "type")]
    pub kind: Option<&'a str>,
    pub description: Option<&'a str>,
    pub currency: Option<&'a str>,
    pub quantity: Option<Exact>,
    pub amount: Option<Money<'a>>,
    pub total_amount: Option<Money<'a>>,
}

impl<'a> UsageRecord<'a> {
    fn new(organization: &'a str, u: &'a MonthlyUsage) -> Self {
        let currency = currency_of(u.currency.as_deref());
        let money = |a: Option<_>| a.map(|a| Money::new(a, currency));
        Self {
            organization,
            id: &u.id,
            account_id: &u.account_id,
            product_id: u.product_id.as_deref(),
            aggr_product_id: u.aggr_product_id.as_deref(),
            month: &u.month,
            kind: u.usage_type.as_ref().map(|t| t.as_str()),
            description: u.description.as_deref(),
            currency: u.currency.as_deref(),
            quantity: u.quantity.map(Exact),
            amount: money(u.amount),
            total_amount: money(u.total_amount),
        }
    }
}

impl output::Record for UsageRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "ACCOUNT",
        "MONTH",
        "TYPE",
        "PRODUCT",
        "QTY",
        "AMOUNT",
        "CURRENCY",
        "DESCRIPTION",
    ];
    const KEYS: Option<&'static [&'static str]> = Some(&[
        "organization",
        "id",
        "account_id",
        "product_id",
        "aggr_product_id",
        "month",
        "type",
        "description",
        "currency",
        "quantity",
        "amount",
        "total_amount",
    ]);
    const RIGHT: &'static [usize] = &[5, 6];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.organization.into(),
            self.account_id.into(),
            self.month.into(),
            or_dash(self.kind).into(),
            or_dash(self.product_id).into(),
            or_dash(self.quantity.map(|q| q.0)).into(),
            or_dash(self.amount.or(self.total_amount).map(|a| a.grouped())).into(),
            or_dash(self.currency).into(),
            or_dash(self.description).into(),
        ]
    }
}

/// Usage of one organization, month, currency and type.
#[derive(Debug, Serialize)]
pub struct MonthRecord<'a> {
    pub organization: &'a str,
    pub month: String,
    pub currency: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub quantity: Exact,
    pub amount: Money<'a>,
}

impl<'a> MonthRecord<'a> {
    fn new(organization: &'a str, m: &'a MonthUsage) -> Self {
        Self {
            organization,
            month: m.month.to_string(),
            currency: &m.currency,
            kind: &m.kind,
            quantity: Exact(m.quantity),
            amount: Money::new(m.amount, &m.currency),
        }
    }
}

impl output::Record for MonthRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "MONTH",
        "CURRENCY",
        "TYPE",
        "QUANTITY",
        "AMOUNT",
    ];
    const RIGHT: &'static [usize] = &[4, 5];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.organization.into(),
            self.month.as_str().into(),
            self.currency.into(),
            self.kind.into(),
            self.quantity.0.to_string().into(),
            self.amount.grouped().into(),
        ]
    }
}

pub async fn run(config: &Config, args: &UsageArgs, out: &mut impl Write) -> Result<(), CliError> {
    let needs = Needs {
        accounts: false,
        lists: &[List::Usage],
        catalogue: false,
    };
    let (read, failed) =
        billing_read::read_orgs(config, args.listing.org.as_deref(), needs).await?;
    let account = args.account.as_deref().map(str::trim);
    let of_account = |u: &&MonthlyUsage| account.is_none_or(|id| u.account_id == id);
    let format = args.listing.format;
    if args.by_month {
        let months: Vec<(&str, Vec<MonthUsage>)> = read
            .iter()
            .map(|r| {
                let rows = r.data.usage.iter().filter(of_account);
                (r.org.name.as_str(), usage_by_month(rows))
            })
            .collect();
        let records: Vec<MonthRecord<'_>> = months
            .iter()
            .flat_map(|(org, rows)| rows.iter().map(|m| MonthRecord::new(org, m)))
            .collect();
        return billing_read::finish(out, format, &records, read.len(), failed);
    }
    let records: Vec<UsageRecord<'_>> = read
        .iter()
        .flat_map(|r| {
            r.data
                .usage
                .iter()
                .filter(of_account)
                .map(|u| UsageRecord::new(&r.org.name, u))
        })
        .collect();
    billing_read::finish(out, format, &records, read.len(), failed)
}
