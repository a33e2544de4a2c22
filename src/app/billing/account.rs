//! One account's billing for the account view: its subscriptions, latest invoice lines
//! and usage per type, found through `derived.by_account` and formatted once.

use chrono::{DateTime, Utc};

use crate::api::model::InvoiceLine;
use crate::billing::mrr::{is_active, monthly};
use crate::billing::{YearMonth, currency_of, money, months};
use crate::store::OrgData;

use super::notes::list_note;
use super::summary::{MONTHS, SectionNotes, UsageSeries, grouped_decimal, usage_series};

/// Invoice lines the account view lists (the newest).
pub const INVOICE_LINES: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRow {
    /// The catalogue's name, else the product id.
    pub product: String,
    pub period: String,
    pub quantity: String,
    pub unit_price: String,
    /// Per month with currency, or `unnormalized`.
    pub mrr: String,
    pub end: String,
    /// `yes`, `no`, `-`.
    pub auto_renewal: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRow {
    pub date: String,
    pub number: String,
    pub description: String,
    pub amount: String,
}

/// What the account view shows of one account's billing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountBilling {
    /// The organization's billing lists were read (or refused) at least once.
    pub read: bool,
    /// The account's MRR, one entry per currency (`1,234.50 USD`).
    pub mrr: Vec<String>,
    /// Active ones first, then in list order.
    pub subscriptions: Vec<SubscriptionRow>,
    /// The newest [`INVOICE_LINES`], newest first.
    pub invoices: Vec<InvoiceRow>,
    /// All of the account's invoice lines.
    pub invoice_lines: usize,
    /// Per currency and type, the last [`MONTHS`] months.
    pub usage: Vec<UsageSeries>,
    pub notes: SectionNotes,
}

impl AccountBilling {
    pub fn build(org: &OrgData, account_id: &str, now: DateTime<Utc>) -> Self {
        let billing = &org.billing;
        let derived = &billing.derived;
        let at = derived.at.unwrap_or(now);
        let mut out = AccountBilling {
            read: !billing.is_empty(),
            notes: SectionNotes {
                subscriptions: list_note(&billing.subscriptions, "subscriptions", None)
                    .into_iter()
                    .collect(),
                invoices: list_note(&billing.invoices, "invoices", None)
                    .into_iter()
                    .collect(),
                usage: list_note(&billing.usage, "usage", None)
                    .into_iter()
                    .collect(),
            },
            ..Default::default()
        };
        out.mrr = derived
            .account_mrr
            .get(account_id)
            .into_iter()
            .flatten()
            .map(|m| money::display(m.mrr, &m.currency))
            .collect();
        let Some(rows) = derived.by_account.get(account_id) else {
            return out;
        };
        let catalogue = derived.catalogue.as_ref();
        let subs = billing.subscriptions.slice();
        let mut subscriptions: Vec<SubscriptionRow> = rows
            .subscriptions
            .iter()
            .filter_map(|&i| subs.get(i))
            .map(|s| {
                let currency = currency_of(s.currency.as_deref());
                let product = s.product_id.as_deref();
                SubscriptionRow {
                    product: product
                        .and_then(|id| catalogue?.name(id))
                        .or(product)
                        .unwrap_or("-")
                        .to_owned(),
                    period: s
                        .billing_period
                        .as_ref()
                        .map_or("-", |p| p.as_str())
                        .to_owned(),
                    quantity: s.quantity.map_or_else(|| "-".to_owned(), grouped_decimal),
                    unit_price: s
                        .unit_price
                        .map_or_else(|| "-".to_owned(), |p| money::display(p, currency)),
                    mrr: monthly(s, catalogue).map_or_else(
                        || "unnormalized".to_owned(),
                        |m| money::display(m, currency),
                    ),
                    end: day(s.end_date),
                    auto_renewal: match s.auto_renewal {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "-",
                    },
                    active: is_active(s, at),
                }
            })
            .collect();
        subscriptions.sort_by_key(|s| !s.active);
        out.subscriptions = subscriptions;

        let lines = billing.invoices.slice();
        let mut own: Vec<&InvoiceLine> =
            rows.invoices.iter().filter_map(|&i| lines.get(i)).collect();
        out.invoice_lines = own.len();
        own.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.number.cmp(&a.number)));
        out.invoices = own
            .into_iter()
            .take(INVOICE_LINES)
            .map(|l| InvoiceRow {
                date: day(l.date),
                number: l.number.clone().unwrap_or_else(|| "-".to_owned()),
                description: l
                    .description
                    .as_deref()
                    .or(l.product_id.as_deref())
                    .unwrap_or("-")
                    .to_owned(),
                amount: l.amount.map_or_else(
                    || "-".to_owned(),
                    |a| money::display(a, currency_of(l.currency.as_deref())),
                ),
            })
            .collect();

        let usage = billing.usage.slice();
        let by_month = months::usage_by_month(rows.usage.iter().filter_map(|&i| usage.get(i)));
        out.usage = usage_series(&by_month, &YearMonth::last(MONTHS, now));
        out
    }
}

/// `2024-03-01` (UTC), or `-`.
fn day(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%d").to_string())
}
