//! The Billing view's figures for one tab, merged across its organizations and
//! formatted once: tiles per currency, invoiced and usage per month, top accounts, the
//! trial funnel, and each section's problems. Built when the key changes, never per frame.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::api::model::AccountStatus;
use crate::billing::months::{merge_invoiced, merge_usage};
use crate::billing::{
    BillingTotals, CurrencyTotals, Funnel, MonthInvoiced, MonthUsage, TrialEnd, YearMonth, funnel,
    money,
};
use crate::events::EventKind;
use crate::store::{Store, event_time};

use super::notes::{Note, list_note};

/// Months the charts cover, the current one last.
pub const MONTHS: u32 = 12;
/// The funnel's windows, in days.
pub const FUNNEL_DAYS: [u32; 2] = [30, 90];

/// One currency's tile: label and value rows, values formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    pub currency: String,
    pub rows: Vec<(&'static str, String)>,
}

/// One month of the invoiced chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthBar {
    pub month: YearMonth,
    /// Bar height, relative to the largest month (0..=1000).
    pub height: u64,
    /// `money::compact`, for the bar.
    pub compact: String,
    /// `money::display`, the exact figure.
    pub exact: String,
    pub invoices: usize,
    pub lines: usize,
}

/// Invoiced per month of one currency, [`MONTHS`] entries, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicedSeries {
    pub currency: String,
    pub months: Vec<MonthBar>,
}

/// Usage of one type in one currency per month, [`MONTHS`] entries, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageSeries {
    pub currency: String,
    pub kind: String,
    /// Sparkline heights, relative to the largest month.
    pub heights: Vec<u64>,
    /// Per month: quantity, grouped (`1,234.5`).
    pub quantity: Vec<String>,
    /// Per month: amount with currency.
    pub amount: Vec<String>,
}

/// A row of the top accounts by MRR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopRow {
    pub org: usize,
    pub account_id: String,
    pub org_name: String,
    /// The account's name, else its id (when the accounts list lacks it).
    pub name: String,
    /// `1,234.50 USD`.
    pub mrr: String,
}

/// Problems of the lists a section is built from, one line each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionNotes {
    pub subscriptions: Vec<Note>,
    pub invoices: Vec<Note>,
    pub usage: Vec<Note>,
}

/// Everything the Billing view of one tab shows, except load progress (read live).
#[derive(Debug, Clone, Default)]
pub struct BillingSummary {
    /// The organizations covered.
    pub orgs: Vec<usize>,
    /// Some covered organization has billing data (or a refusal) to show.
    pub any_read: bool,
    pub tiles: Vec<Tile>,
    /// Organizations whose MRR uses billing periods alone (no product catalogue).
    pub no_catalogue: Vec<String>,
    pub notes: SectionNotes,
    /// Currencies of the charts, A–Z (the `c` key cycles them).
    pub currencies: Vec<String>,
    pub invoiced: Vec<InvoicedSeries>,
    pub usage: Vec<UsageSeries>,
    pub top: Vec<TopRow>,
    /// Over [`FUNNEL_DAYS`].
    pub funnels: Vec<Funnel>,
}

impl BillingSummary {
    /// The figures of organizations `orgs` of `store` at `now`.
    pub fn build(store: &Store, orgs: &[usize], now: DateTime<Utc>) -> Self {
        let covered: Vec<_> = orgs
            .iter()
            .filter_map(|&i| Some((i, store.orgs.get(i)?)))
            .collect();
        let several = covered.len() > 1;
        let mut notes = SectionNotes::default();
        let mut no_catalogue = Vec::new();
        for (_, org) in &covered {
            let b = &org.billing;
            let name = several.then_some(org.name.as_str());
            notes
                .subscriptions
                .extend(list_note(&b.subscriptions, "subscriptions", name));
            notes
                .invoices
                .extend(list_note(&b.invoices, "invoices", name));
            notes.usage.extend(list_note(&b.usage, "usage", name));
            if b.subscriptions.items.is_some() && b.derived.catalogue.is_none() {
                no_catalogue.push(org.name.clone());
            }
        }
        let derived: Vec<_> = covered
            .iter()
            .map(|(_, o)| o.billing.derived.clone())
            .collect();
        let totals = BillingTotals::merge(derived.iter().map(|d| &d.totals));
        let invoiced = merge_invoiced(derived.iter().map(|d| d.invoiced.as_slice()));
        let usage = merge_usage(derived.iter().map(|d| d.usage.as_slice()));
        let months = YearMonth::last(MONTHS, now);
        let invoiced = invoiced_series(&invoiced, &months);
        let usage = usage_series(&usage, &months);
        let currencies: BTreeSet<&str> = totals
            .currencies
            .iter()
            .map(|t| t.currency.as_str())
            .chain(invoiced.iter().map(|s| s.currency.as_str()))
            .chain(usage.iter().map(|s| s.currency.as_str()))
            .collect();
        let top = totals
            .top
            .iter()
            .map(|t| {
                let org = store.orgs.get(t.org);
                TopRow {
                    org: t.org,
                    account_id: t.account_id.clone(),
                    org_name: org.map_or_else(String::new, |o| o.name.clone()),
                    name: org
                        .and_then(|o| o.account(&t.account_id))
                        .map_or_else(|| t.account_id.clone(), |a| a.name.to_string()),
                    mrr: money::display(t.mrr, &t.currency),
                }
            })
            .collect();
        BillingSummary {
            orgs: orgs.to_vec(),
            any_read: covered.iter().any(|(_, o)| !o.billing.is_empty()),
            tiles: totals.currencies.iter().map(tile).collect(),
            no_catalogue,
            notes,
            currencies: currencies.into_iter().map(str::to_owned).collect(),
            invoiced,
            usage,
            top,
            funnels: funnels(store, orgs, now),
        }
    }

    /// The invoiced series of `currency`, if any month has some.
    pub fn invoiced_of(&self, currency: &str) -> Option<&InvoicedSeries> {
        self.invoiced.iter().find(|s| s.currency == currency)
    }

    /// The usage series of `currency`, by type A–Z.
    pub fn usage_of<'a>(&'a self, currency: &'a str) -> impl Iterator<Item = &'a UsageSeries> {
        self.usage.iter().filter(move |s| s.currency == currency)
    }
}

fn tile(t: &CurrencyTotals) -> Tile {
    let c = t.currency.as_str();
    let r = &t.renewals;
    Tile {
        currency: t.currency.clone(),
        rows: vec![
            ("MRR", money::display(t.mrr, c)),
            ("ARR", money::display(t.arr(), c)),
            ("paying accounts", count(t.paying_accounts)),
            ("active subscriptions", count(t.active_subscriptions)),
            ("unnormalized", count(t.unnormalized_subscriptions)),
            ("renewals in 30 days", count(r.count())),
            (
                "  auto/manual/unknown",
                format!("{}/{}/{}", count(r.auto), count(r.manual), count(r.unknown)),
            ),
            ("  their MRR", money::display(r.mrr, c)),
        ],
    }
}

/// A count with thousands separators: `12,345`.
pub fn count(n: usize) -> String {
    grouped_decimal(Decimal::from(n))
}

/// A quantity with thousands separators and its own decimals: `1,234.5`.
pub(super) fn grouped_decimal(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Heights proportional to the values (the largest is 1000); a positive value is at
/// least 1, so it shows; zero and negative values are 0.
pub fn heights(values: &[Decimal]) -> Vec<u64> {
    let max = values.iter().copied().max().unwrap_or_default();
    values
        .iter()
        .map(|v| {
            if *v <= Decimal::ZERO || max <= Decimal::ZERO {
                return 0;
            }
            let scaled = (*v * Decimal::from(1000) / max).round();
            scaled.to_u64().unwrap_or(0).max(1)
        })
        .collect()
}

fn invoiced_series(rows: &[MonthInvoiced], months: &[YearMonth]) -> Vec<InvoicedSeries> {
    let currencies: BTreeSet<&str> = rows
        .iter()
        .filter(|r| months.contains(&r.month))
        .map(|r| r.currency.as_str())
        .collect();
    currencies
        .into_iter()
        .map(|currency| {
            let per: Vec<Option<&MonthInvoiced>> = months
                .iter()
                .map(|m| {
                    rows.iter()
                        .find(|r| r.month == *m && r.currency == currency)
                })
                .collect();
            let amounts: Vec<Decimal> = per
                .iter()
                .map(|r| r.map_or(Decimal::ZERO, |r| r.amount))
                .collect();
            let bars = heights(&amounts);
            let months = months
                .iter()
                .zip(per)
                .zip(amounts.iter().zip(bars))
                .map(|((month, row), (amount, height))| MonthBar {
                    month: *month,
                    height,
                    compact: money::compact(money::round(*amount, currency)),
                    exact: money::display(*amount, currency),
                    invoices: row.map_or(0, |r| r.invoices),
                    lines: row.map_or(0, |r| r.lines),
                })
                .collect();
            InvoicedSeries {
                currency: currency.to_owned(),
                months,
            }
        })
        .collect()
}

pub(super) fn usage_series(rows: &[MonthUsage], months: &[YearMonth]) -> Vec<UsageSeries> {
    let keys: BTreeSet<(&str, &str)> = rows
        .iter()
        .filter(|r| months.contains(&r.month))
        .map(|r| (r.currency.as_str(), r.kind.as_str()))
        .collect();
    keys.into_iter()
        .map(|(currency, kind)| {
            let per: Vec<Option<&MonthUsage>> = months
                .iter()
                .map(|m| {
                    rows.iter()
                        .find(|r| r.month == *m && r.currency == currency && r.kind == kind)
                })
                .collect();
            let quantities: Vec<Decimal> = per
                .iter()
                .map(|r| r.map_or(Decimal::ZERO, |r| r.quantity))
                .collect();
            UsageSeries {
                currency: currency.to_owned(),
                kind: kind.to_owned(),
                heights: heights(&quantities),
                quantity: quantities.iter().map(|q| grouped_decimal(*q)).collect(),
                amount: per
                    .iter()
                    .map(|r| money::display(r.map_or(Decimal::ZERO, |r| r.amount), currency))
                    .collect(),
            }
        })
        .collect()
}

/// The trial funnel of `orgs` over each of [`FUNNEL_DAYS`]: trial ends from the event
/// log attributed to an organization by the account (`Store::orgs_of_account`), plus the
/// accounts IN_TRIAL / TRIAL_LOST now.
fn funnels(store: &Store, orgs: &[usize], now: DateTime<Utc>) -> Vec<Funnel> {
    let ends: Vec<TrialEnd> = store
        .events
        .newest_first()
        .filter_map(|stored| match &stored.event.kind {
            EventKind::TrialEnded(data) => Some((stored, data)),
            _ => None,
        })
        .filter(|(_, data)| {
            store
                .orgs_of_account(&data.account_id)
                .any(|o| orgs.contains(&o))
        })
        .map(|(stored, data)| TrialEnd {
            account_id: &data.account_id,
            at: event_time(stored),
            reason: data.ended_reason.as_ref(),
        })
        .collect();
    let (mut in_trial, mut lost) = (0, 0);
    for org in orgs.iter().filter_map(|&i| store.orgs.get(i)) {
        for (status, n) in org.status_counts() {
            match status {
                AccountStatus::InTrial => in_trial += n,
                AccountStatus::TrialLost => lost += n,
                _ => {}
            }
        }
    }
    FUNNEL_DAYS
        .iter()
        .map(|&days| funnel(ends.iter().copied(), in_trial, lost, now, days))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_quantities_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(grouped_decimal("1234.50".parse().unwrap()), "1,234.5");
        assert_eq!(grouped_decimal("-999".parse().unwrap()), "-999");
    }

    #[test]
    fn heights_are_relative_and_show_small_positive_values() {
        let v: Vec<Decimal> = ["0", "0.001", "50", "100", "-3"]
            .iter()
            .map(|t| t.parse().unwrap())
            .collect();
        assert_eq!(heights(&v), [0, 1, 500, 1000, 0]);
        assert_eq!(heights(&[Decimal::ZERO]), [0]);
    }
}
