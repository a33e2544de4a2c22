//! The wire shapes of subscriptions, invoice lines, usage rows and products, and one
//! account's billing ([`Book`]) they are cut from. Money is `Decimal` with two places,
//! serialized as a JSON number (`12.50`).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::catalog::{Product, currency};
use super::invoice::{self, Line};
use super::plan::{self, Sub};
use super::usage;
use crate::sim::generate::{hex_token, mix};
use crate::sim::wire::date;
use crate::sim::world::World;

/// One account's billing, derived once per page.
pub struct Book {
    pub seed: u64,
    pub today: DateTime<Utc>,
    pub g: u32,
    pub account_id: String,
    pub currency: &'static str,
    pub plan: Vec<Sub>,
    pub lines: Vec<Line>,
}

impl Book {
    /// The billing of account `index` of organization `org`.
    pub fn new(world: &World, org: usize, index: usize) -> Option<Book> {
        let o = world.orgs.get(org)?;
        let acct = o.accounts.get(index)?;
        let g = world.serial(acct);
        let plan = plan::plan(world.seed, world.today, g, acct.status, &world.lifecycle(g));
        Some(Book {
            seed: world.seed,
            today: world.today,
            g,
            account_id: world.id(acct),
            currency: currency(world.seed, g, o.region),
            lines: invoice::lines(&plan, world.today),
            plan,
        })
    }

    fn key(&self, k: u64) -> u64 {
        (u64::from(self.g) << 24) | k
    }
}

fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

#[derive(Serialize)]
pub struct SubscriptionItem {
    id: String,
    account_id: String,
    contract_number: String,
    currency: &'static str,
    billing_period: &'static str,
    status: &'static str,
    term: u32,
    start_date: String,
    end_date: Option<String>,
    edition: &'static str,
    auto_renewal: Option<bool>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    renewal_uplift: Option<Decimal>,
    product_id: &'static str,
    quantity: i64,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    unit_price: Decimal,
    billing_frequency: &'static str,
}

pub fn subscription(book: &Book, k: usize) -> Option<SubscriptionItem> {
    let s = book.plan.get(k)?;
    Some(SubscriptionItem {
        id: hex_token(book.seed, 0x0053_5542, book.key(u64::from(s.k)), 24),
        account_id: book.account_id.clone(),
        contract_number: format!(
            "TD-{:08}",
            mix(book.seed, 0x434e, u64::from(book.g)) % 100_000_000
        ),
        currency: book.currency,
        billing_period: s.period.as_str(),
        status: if s.activated { "ACTIVATED" } else { "OTHER" },
        term: s.term,
        start_date: date(s.start),
        end_date: s.end.map(date),
        edition: s.edition,
        auto_renewal: s.auto_renewal,
        renewal_uplift: s.renewal_uplift,
        product_id: s.product.id,
        quantity: s.quantity,
        unit_price: s.unit_price,
        billing_frequency: s.period.frequency(),
    })
}

#[derive(Serialize)]
pub struct InvoiceLineItem {
    id: String,
    account_id: String,
    number: String,
    date: String,
    currency: &'static str,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    total_invoice_amount: Decimal,
    product_id: &'static str,
    description: String,
    quantity: i64,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    rate: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
}

pub fn invoice_line(book: &Book, k: usize) -> Option<InvoiceLineItem> {
    let line = book.lines.get(k)?;
    let sub = book.plan.get(line.sub)?;
    let next = sub.period_start(line.n + 1).unwrap_or(line.date);
    let until = sub.end.map_or(next, |e| e.min(next));
    let key = (u64::from(sub.k) << 16) | u64::from(line.n);
    Some(InvoiceLineItem {
        id: hex_token(book.seed, 0x0049_4e56, book.key(key), 24),
        account_id: book.account_id.clone(),
        number: format!("INV-{}-{:07}", line.date.format("%Y%m%d"), book.g),
        date: date(line.date),
        currency: book.currency,
        total_invoice_amount: invoice::total(&book.lines, &book.plan, line.date),
        product_id: sub.product.id,
        description: format!(
            "{} ({}), {} to {}",
            sub.product.name,
            sub.product.unit,
            day(line.date),
            day(until)
        ),
        quantity: sub.quantity,
        rate: sub.rate(),
        amount: line.amount(&book.plan),
    })
}

/// Usage amounts are unspecified beyond "amounts": this sends the used `quantity`,
/// its `unit_of_measure` and the charged `amount`.
#[derive(Serialize)]
pub struct UsageItem {
    id: String,
    account_id: String,
    product_id: &'static str,
    aggr_product_id: String,
    month: String,
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'static str,
    currency: &'static str,
    quantity: i64,
    unit_of_measure: &'static str,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
}

pub fn usage_row(book: &Book, k: usize) -> Option<UsageItem> {
    let row = usage::row(book.seed, book.g, &book.plan, book.today, k)?;
    let product = row.kind.product;
    let family = product.id.split('-').take(3).collect::<Vec<_>>().join("-");
    let key = ((row.month as u64) << 4) | row.kind_index as u64;
    Some(UsageItem {
        id: hex_token(book.seed, 0x0055_5347, book.key(key), 24),
        account_id: book.account_id.clone(),
        product_id: product.id,
        aggr_product_id: format!("{family}-AGG"),
        month: format!(
            "{:04}-{:02}",
            row.month.div_euclid(12),
            row.month.rem_euclid(12) + 1
        ),
        kind: row.kind.kind,
        description: product.name,
        currency: book.currency,
        quantity: row.quantity,
        unit_of_measure: product.unit,
        amount: row.amount,
    })
}

#[derive(Serialize)]
pub struct ProductItem {
    id: &'static str,
    name: &'static str,
    family: &'static str,
    unit_of_measure: &'static str,
    charge_type: &'static str,
}

impl From<&Product> for ProductItem {
    fn from(p: &Product) -> Self {
        ProductItem {
            id: p.id,
            name: p.name,
            family: p.family,
            unit_of_measure: p.unit,
            charge_type: p.charge_type,
        }
    }
}
