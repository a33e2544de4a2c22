//! `tdbi invoices`: invoice lines, or what was invoiced per month and currency.

use std::borrow::Cow;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::api::model::InvoiceLine;
use crate::billing::currency_of;
use crate::billing::months::{MonthInvoiced, invoiced_by_month};
use crate::config::Config;
use crate::sync::billing::List;

use super::args::InvoicesArgs;
use super::billing_read::{self, Needs};
use super::error::CliError;
use super::output;
use super::values::{Exact, Money, or_dash};

/// One invoice line: the API's fields and the organization.
#[derive(Debug, Serialize)]
pub struct LineRecord<'a> {
    pub organization: &'a str,
    pub id: &'a str,
    pub account_id: &'a str,
    pub number: Option<&'a str>,
    pub date: Option<DateTime<Utc>>,
    pub currency: Option<&'a str>,
    pub total_invoice_amount: Option<Money<'a>>,
    pub product_id: Option<&'a str>,
    pub description: Option<&'a str>,
    pub quantity: Option<Exact>,
    pub rate: Option<Exact>,
    pub amount: Option<Money<'a>>,
}

impl<'a> LineRecord<'a> {
    fn new(organization: &'a str, l: &'a InvoiceLine) -> Self {
        let currency = currency_of(l.currency.as_deref());
        let money = |a: Option<_>| a.map(|a| Money::new(a, currency));
        Self {
            organization,
            id: &l.id,
            account_id: &l.account_id,
            number: l.number.as_deref(),
            date: l.date,
            currency: l.currency.as_deref(),
            total_invoice_amount: money(l.total_invoice_amount),
            product_id: l.product_id.as_deref(),
            description: l.description.as_deref(),
            quantity: l.quantity.map(Exact),
            rate: l.rate.map(Exact),
            amount: money(l.amount),
        }
    }
}

impl output::Record for LineRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "ACCOUNT",
        "NUMBER",
        "DATE",
        "PRODUCT",
        "QTY",
        "RATE",
        "AMOUNT",
        "CURRENCY",
        "DESCRIPTION",
    ];
    const KEYS: Option<&'static [&'static str]> = Some(&[
        "organization",
        "id",
        "account_id",
        "number",
        "date",
        "currency",
        "total_invoice_amount",
        "product_id",
        "description",
        "quantity",
        "rate",
        "amount",
    ]);
    const RIGHT: &'static [usize] = &[5, 6, 7];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.organization.into(),
            self.account_id.into(),
            or_dash(self.number).into(),
            or_dash(self.date.map(|d| d.format("%Y-%m-%d"))).into(),
            or_dash(self.product_id).into(),
            or_dash(self.quantity.map(|q| q.0)).into(),
            or_dash(self.rate.map(|r| r.0)).into(),
            or_dash(self.amount.map(|a| a.grouped())).into(),
            or_dash(self.currency).into(),
            or_dash(self.description).into(),
        ]
    }
}

/// What was invoiced in one organization, month and currency.
#[derive(Debug, Serialize)]
pub struct MonthRecord<'a> {
    pub organization: &'a str,
    pub month: String,
    pub currency: &'a str,
    pub amount: Money<'a>,
    pub invoices: usize,
    pub lines: usize,
}

impl<'a> MonthRecord<'a> {
    fn new(organization: &'a str, m: &'a MonthInvoiced) -> Self {
        Self {
            organization,
            month: m.month.to_string(),
            currency: &m.currency,
            amount: Money::new(m.amount, &m.currency),
            invoices: m.invoices,
            lines: m.lines,
        }
    }
}

impl output::Record for MonthRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "MONTH",
        "CURRENCY",
        "AMOUNT",
        "INVOICES",
        "LINES",
    ];
    const RIGHT: &'static [usize] = &[3, 4, 5];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.organization.into(),
            self.month.as_str().into(),
            self.currency.into(),
            self.amount.grouped().into(),
            self.invoices.to_string().into(),
            self.lines.to_string().into(),
        ]
    }
}

pub async fn run(
    config: &Config,
    args: &InvoicesArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let needs = Needs {
        accounts: false,
        lists: &[List::Invoices],
        catalogue: false,
    };
    let (read, failed) =
        billing_read::read_orgs(config, args.listing.org.as_deref(), needs).await?;
    let account = args.account.as_deref().map(str::trim);
    let of_account = |l: &&InvoiceLine| account.is_none_or(|id| l.account_id == id);
    let format = args.listing.format;
    if args.by_month {
        let months: Vec<(&str, Vec<MonthInvoiced>)> = read
            .iter()
            .map(|r| {
                let lines = r.data.invoices.iter().filter(of_account);
                (r.org.name.as_str(), invoiced_by_month(lines))
            })
            .collect();
        let records: Vec<MonthRecord<'_>> = months
            .iter()
            .flat_map(|(org, rows)| rows.iter().map(|m| MonthRecord::new(org, m)))
            .collect();
        return billing_read::finish(out, format, &records, read.len(), failed);
    }
    let records: Vec<LineRecord<'_>> = read
        .iter()
        .flat_map(|r| {
            r.data
                .invoices
                .iter()
                .filter(of_account)
                .map(|l| LineRecord::new(&r.org.name, l))
        })
        .collect();
    billing_read::finish(out, format, &records, read.len(), failed)
}
