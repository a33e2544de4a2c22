//! Money per calendar month (UTC): invoiced amounts and usage.
//!
//! Invoiced in a month = the sum of the lines' `amount`, by the line's `date`. Lines of
//! one invoice share `number` and repeat `total_invoice_amount`: that field is never summed.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;

use super::{FastMap, FastSet, currency_of};
use crate::api::model::{InvoiceLine, MonthlyUsage};

/// A calendar month, shown `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl YearMonth {
    pub fn of(at: DateTime<Utc>) -> Self {
        Self {
            year: at.year(),
            month: at.month(),
        }
    }

    /// The month `n` months before this one.
    pub fn minus(self, n: u32) -> Self {
        let index = self.year * 12 + self.month as i32 - 1 - n as i32;
        Self {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// The last `n` months up to and including `now`'s, oldest first.
    pub fn last(n: u32, now: DateTime<Utc>) -> Vec<Self> {
        let this = Self::of(now);
        (0..n).rev().map(|i| this.minus(i)).collect()
    }

    /// Three-letter month name, for chart labels (`Jan`).
    pub fn short_name(self) -> &'static str {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        NAMES[(self.month.clamp(1, 12) - 1) as usize]
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What was invoiced in one currency in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthInvoiced {
    pub month: YearMonth,
    pub currency: String,
    /// Sum of the lines' `amount`.
    pub amount: Decimal,
    /// Distinct invoice numbers (a line without a number counts as its own invoice).
    pub invoices: usize,
    pub lines: usize,
}

/// Invoice lines per (month, currency), sorted by month then currency. Lines without a
/// date cannot be placed in a month and are left out; a line without an amount counts
/// as a line and adds nothing.
pub fn invoiced_by_month<'a>(
    lines: impl IntoIterator<Item = &'a InvoiceLine>,
) -> Vec<MonthInvoiced> {
    let mut per: FastMap<(YearMonth, &str), (Decimal, FastSet<&str>, usize)> = FastMap::default();
    for line in lines {
        let Some(date) = line.date else { continue };
        let key = (YearMonth::of(date), currency_of(line.currency.as_deref()));
        let entry = per.entry(key).or_default();
        entry.0 += line.amount.unwrap_or_default();
        entry.1.insert(line.number.as_deref().unwrap_or(&line.id));
        entry.2 += 1;
    }
    let mut rows: Vec<MonthInvoiced> = per
        .into_iter()
        .map(
            |((month, currency), (amount, numbers, lines))| MonthInvoiced {
                month,
                currency: currency.to_owned(),
                amount,
                invoices: numbers.len(),
                lines,
            },
        )
        .collect();
    rows.sort_unstable_by(|a, b| (a.month, &a.currency).cmp(&(b.month, &b.currency)));
    rows
}

/// Usage of one type in one currency in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthUsage {
    pub month: YearMonth,
    pub currency: String,
    /// The usage `type` as the API wrote it (`CALL`, `MESSAGE`, …; `OTHER` when missing).
    pub kind: String,
    pub quantity: Decimal,
    /// `amount`, else `total_amount`, else nothing.
    pub amount: Decimal,
}

/// Usage rows per (month, currency, type), sorted that way. Rows whose month is not
/// `YYYY-MM` are left out.
pub fn usage_by_month<'a>(rows: impl IntoIterator<Item = &'a MonthlyUsage>) -> Vec<MonthUsage> {
    let mut per: FastMap<(YearMonth, &str, &str), (Decimal, Decimal)> = FastMap::default();
    for row in rows {
        let Some((year, month)) = row.year_month() else {
            continue;
        };
        let kind = match row.usage_type.as_ref().map(|t| t.as_str()) {
            Some(k) if !k.is_empty() => k,
            _ => "OTHER",
        };
        let key = (
            YearMonth { year, month },
            currency_of(row.currency.as_deref()),
            kind,
        );
        let entry = per.entry(key).or_default();
        entry.0 += row.quantity.unwrap_or_default();
        entry.1 += row.amount.or(row.total_amount).unwrap_or_default();
    }
    let mut out: Vec<MonthUsage> = per
        .into_iter()
        .map(|((month, currency, kind), (quantity, amount))| MonthUsage {
            month,
            currency: currency.to_owned(),
            kind: kind.to_owned(),
            quantity,
            amount,
        })
        .collect();
    out.sort_unstable_by(|a, b| {
        (a.month, &a.currency, &a.kind).cmp(&(b.month, &b.currency, &b.kind))
    });
    out
}

/// Adds rows of the same (month, currency[, type]) from several organizations.
pub fn merge_invoiced<'a>(
    parts: impl IntoIterator<Item = &'a [MonthInvoiced]>,
) -> Vec<MonthInvoiced> {
    let mut per: BTreeMap<(YearMonth, &str), MonthInvoiced> = BTreeMap::new();
    for row in parts.into_iter().flatten() {
        per.entry((row.month, &row.currency))
            .and_modify(|m| {
                m.amount += row.amount;
                m.invoices += row.invoices;
                m.lines += row.lines;
            })
            .or_insert_with(|| row.clone());
    }
    per.into_values().collect()
}

/// See [`merge_invoiced`].
pub fn merge_usage<'a>(parts: impl IntoIterator<Item = &'a [MonthUsage]>) -> Vec<MonthUsage> {
    let mut per: BTreeMap<(YearMonth, &str, &str), MonthUsage> = BTreeMap::new();
    for row in parts.into_iter().flatten() {
        per.entry((row.month, &row.currency, &row.kind))
            .and_modify(|m| {
                m.quantity += row.quantity;
                m.amount += row.amount;
            })
            .or_insert_with(|| row.clone());
    }
    per.into_values().collect()
}
