//! Recurring revenue per currency: MRR, ARR, paying accounts, renewals due, and each
//! account's MRR. Amounts of different currencies are kept apart, never added.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::mrr::{Catalogue, is_active, monthly};
use super::{FastMap, currency_of};
use crate::api::model::Subscription;

/// How far ahead "renewals due" looks.
pub const RENEWAL_WINDOW: TimeDelta = TimeDelta::days(30);
/// Accounts kept per currency in [`BillingTotals::top`].
pub const TOP_ACCOUNTS: usize = 20;

/// Active subscriptions whose `end_date` falls within (now, now + 30 days].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renewals {
    /// `auto_renewal` true.
    pub auto: usize,
    /// `auto_renewal` false: these end unless someone acts.
    pub manual: usize,
    /// `auto_renewal` null.
    pub unknown: usize,
    /// The MRR of those subscriptions (unnormalized ones add nothing).
    pub mrr: Decimal,
}

impl Renewals {
    pub fn count(&self) -> usize {
        self.auto + self.manual + self.unknown
    }

    fn add(&mut self, other: &Renewals) {
        self.auto += other.auto;
        self.manual += other.manual;
        self.unknown += other.unknown;
        self.mrr += other.mrr;
    }
}

/// The recurring revenue of one currency at one time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrencyTotals {
    pub currency: String,
    /// Sum of the MRR of the active, normalized subscriptions.
    pub mrr: Decimal,
    /// Active subscriptions, unnormalized ones included.
    pub active_subscriptions: usize,
    /// Distinct accounts with an active subscription of positive MRR.
    pub paying_accounts: usize,
    /// Active subscriptions left out of MRR (see [`super::mrr`]).
    pub unnormalized_subscriptions: usize,
    pub renewals: Renewals,
}

impl CurrencyTotals {
    /// ARR = 12 × MRR.
    pub fn arr(&self) -> Decimal {
        self.mrr * Decimal::from(12)
    }
}

/// One account's MRR in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountMrr {
    pub currency: String,
    pub mrr: Decimal,
}

/// An account among the largest by MRR, with its organization (index in the config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopAccount {
    pub org: usize,
    pub account_id: String,
    pub currency: String,
    pub mrr: Decimal,
}

/// Recurring revenue of one organization (or of several, merged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingTotals {
    /// By currency code, A–Z.
    pub currencies: Vec<CurrencyTotals>,
    /// Per currency (A–Z), the [`TOP_ACCOUNTS`] accounts with the largest MRR, largest first.
    pub top: Vec<TopAccount>,
}

impl BillingTotals {
    /// The totals of organization `org` at `now`, with each account's MRR (per
    /// currency, A–Z; only accounts with an active subscription of positive MRR).
    pub fn compute(
        org: usize,
        subscriptions: &[Subscription],
        catalogue: Option<&Catalogue>,
        now: DateTime<Utc>,
    ) -> (Self, FastMap<String, Vec<AccountMrr>>) {
        let mut per: BTreeMap<String, CurrencyTotals> = BTreeMap::new();
        let mut accounts: FastMap<(&str, &str), Decimal> = FastMap::default();
        let due_by = now + RENEWAL_WINDOW;
        for sub in subscriptions.iter().filter(|s| is_active(s, now)) {
            let currency = currency_of(sub.currency.as_deref());
            let totals = per
                .entry(currency.to_owned())
                .or_insert_with(|| CurrencyTotals {
                    currency: currency.to_owned(),
                    ..Default::default()
                });
            totals.active_subscriptions += 1;
            let mrr = monthly(sub, catalogue);
            match mrr {
                Some(m) => {
                    totals.mrr += m;
                    *accounts.entry((&sub.account_id, currency)).or_default() += m;
                }
                None => totals.unnormalized_subscriptions += 1,
            }
            if sub.end_date.is_some_and(|end| end > now && end <= due_by) {
                let r = &mut totals.renewals;
                match sub.auto_renewal {
                    Some(true) => r.auto += 1,
                    Some(false) => r.manual += 1,
                    None => r.unknown += 1,
                }
                r.mrr += mrr.unwrap_or_default();
            }
        }
        let mut by_account: FastMap<String, Vec<AccountMrr>> = FastMap::default();
        let mut top: BTreeMap<&str, Vec<(&str, Decimal)>> = BTreeMap::new();
        for ((account, currency), mrr) in accounts {
            if mrr <= Decimal::ZERO {
                continue;
            }
            if let Some(t) = per.get_mut(currency) {
                t.paying_accounts += 1;
            }
            top.entry(currency).or_default().push((account, mrr));
            by_account
                .entry(account.to_owned())
                .or_default()
                .push(AccountMrr {
                    currency: currency.to_owned(),
                    mrr,
                });
        }
        for list in by_account.values_mut() {
            list.sort_by(|a, b| a.currency.cmp(&b.currency));
        }
        let top = top
            .into_iter()
            .flat_map(|(currency, list)| {
                largest(list, TOP_ACCOUNTS)
                    .into_iter()
                    .map(move |(id, mrr)| TopAccount {
                        org,
                        account_id: id.to_owned(),
                        currency: currency.to_owned(),
                        mrr,
                    })
            })
            .collect();
        let totals = Self {
            currencies: per.into_values().collect(),
            top,
        };
        (totals, by_account)
    }

    /// Several organizations' totals as one: per currency, counts and amounts added
    /// (never across currencies); the top accounts re-ranked.
    pub fn merge<'a>(parts: impl IntoIterator<Item = &'a BillingTotals>) -> Self {
        let mut per: BTreeMap<&str, CurrencyTotals> = BTreeMap::new();
        let mut top: BTreeMap<&str, Vec<&TopAccount>> = BTreeMap::new();
        for part in parts {
            for t in &part.currencies {
                let sum = per.entry(&t.currency).or_insert_with(|| CurrencyTotals {
                    currency: t.currency.clone(),
                    ..Default::default()
                });
                sum.mrr += t.mrr;
                sum.active_subscriptions += t.active_subscriptions;
                sum.paying_accounts += t.paying_accounts;
                sum.unnormalized_subscriptions += t.unnormalized_subscriptions;
                sum.renewals.add(&t.renewals);
            }
            for a in &part.top {
                top.entry(&a.currency).or_default().push(a);
            }
        }
        let top = top
            .into_values()
            .flat_map(|mut list| {
                list.sort_by(|a, b| b.mrr.cmp(&a.mrr).then(a.account_id.cmp(&b.account_id)));
                list.truncate(TOP_ACCOUNTS);
                list.into_iter().cloned()
            })
            .collect();
        Self {
            currencies: per.into_values().collect(),
            top,
        }
    }
}

/// The `n` largest by amount, largest first (ties by id), without sorting the rest.
fn largest(mut list: Vec<(&str, Decimal)>, n: usize) -> Vec<(&str, Decimal)> {
    let order = |a: &(&str, Decimal), b: &(&str, Decimal)| b.1.cmp(&a.1).then(a.0.cmp(b.0));
    if list.len() > n {
        list.select_nth_unstable_by(n, order);
        list.truncate(n);
    }
    list.sort_by(order);
    list
}
