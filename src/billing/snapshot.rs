//! One organization's billing data: each list as last read (kept when a later read
//! fails, dropped when the scope is refused) and the figures derived from them.
//!
//! A [`OrgBilling`] is built by the sync task and derived there (off the UI thread);
//! the store only swaps in the finished value, and the views only read it.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::FastMap;
use super::months::{self, MonthInvoiced, MonthUsage};
use super::mrr::Catalogue;
use super::totals::{AccountMrr, BillingTotals};
use crate::api::model::{InvoiceLine, MonthlyUsage, Product, Subscription};

/// Why the latest read of a list brought nothing new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListProblem {
    /// 403: the client lacks `scope`. Not retried before the next billing interval.
    Denied { scope: &'static str, error: String },
    /// Any other failure (after the client's retries); one line.
    Failed(String),
}

impl ListProblem {
    /// One line for the screen or stderr.
    pub fn line(&self) -> String {
        match self {
            Self::Denied { scope, .. } => format!("client lacks {scope}"),
            Self::Failed(error) => error.clone(),
        }
    }
}

/// One billing list of one organization.
#[derive(Debug, Clone)]
pub struct BillingList<T> {
    /// The last good read (kept after a failure, dropped after a 403).
    pub items: Option<Arc<[T]>>,
    /// When `items` were read.
    pub read_at: Option<DateTime<Utc>>,
    /// The latest read's failure, cleared by a success.
    pub problem: Option<ListProblem>,
}

impl<T> Default for BillingList<T> {
    fn default() -> Self {
        Self {
            items: None,
            read_at: None,
            problem: None,
        }
    }
}

impl<T> BillingList<T> {
    /// The items, or an empty slice when none were read.
    pub fn slice(&self) -> &[T] {
        self.items.as_deref().unwrap_or(&[])
    }

    /// Items are shown but the latest read failed.
    pub fn is_stale(&self) -> bool {
        self.items.is_some() && self.problem.is_some()
    }

    /// The next state after a read: a success replaces, a 403 drops what was there
    /// (the client may no longer see it), another failure keeps it, marked stale.
    pub fn after(&self, read: Result<Vec<T>, ListProblem>, at: DateTime<Utc>) -> Self {
        match read {
            Ok(items) => Self {
                items: Some(items.into()),
                read_at: Some(at),
                problem: None,
            },
            Err(problem @ ListProblem::Denied { .. }) => Self {
                items: None,
                read_at: None,
                problem: Some(problem),
            },
            Err(problem) => Self {
                items: self.items.clone(),
                read_at: self.read_at,
                problem: Some(problem),
            },
        }
    }
}

/// Where an account's rows are in the lists (indices, in list order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountRows {
    pub subscriptions: Vec<usize>,
    pub invoices: Vec<usize>,
    pub usage: Vec<usize>,
}

/// Everything computed from the lists at one time.
#[derive(Debug, Clone, Default)]
pub struct BillingDerived {
    /// The time "active" and "renewals due" were judged at.
    pub at: Option<DateTime<Utc>>,
    pub totals: BillingTotals,
    /// Account id -> its MRR per currency (only accounts with positive MRR).
    pub account_mrr: FastMap<String, Vec<AccountMrr>>,
    pub invoiced: Vec<MonthInvoiced>,
    pub usage: Vec<MonthUsage>,
    pub by_account: FastMap<String, AccountRows>,
    /// The product catalogue, when it was read (else MRR uses billing periods alone).
    pub catalogue: Option<Catalogue>,
}

/// One organization's billing lists and what is derived from them.
#[derive(Debug, Clone, Default)]
pub struct OrgBilling {
    pub subscriptions: BillingList<Subscription>,
    pub invoices: BillingList<InvoiceLine>,
    pub usage: BillingList<MonthlyUsage>,
    pub products: BillingList<Product>,
    pub derived: Arc<BillingDerived>,
}

impl OrgBilling {
    /// Recomputes [`OrgBilling::derived`] for organization `org` at `now`. Linear in the
    /// lists' size; run it off the UI thread.
    pub fn derive(&mut self, org: usize, now: DateTime<Utc>) {
        let catalogue = self.products.items.as_deref().map(Catalogue::new);
        let subscriptions = self.subscriptions.slice();
        let (totals, account_mrr) =
            BillingTotals::compute(org, subscriptions, catalogue.as_ref(), now);
        let mut by_account: FastMap<String, AccountRows> = FastMap::default();
        let ids = subscriptions.iter().map(|s| s.account_id.as_str());
        index(&mut by_account, ids, |r| &mut r.subscriptions);
        let ids = self.invoices.slice().iter().map(|l| l.account_id.as_str());
        index(&mut by_account, ids, |r| &mut r.invoices);
        let ids = self.usage.slice().iter().map(|u| u.account_id.as_str());
        index(&mut by_account, ids, |r| &mut r.usage);
        self.derived = Arc::new(BillingDerived {
            at: Some(now),
            totals,
            account_mrr,
            invoiced: months::invoiced_by_month(self.invoices.slice()),
            usage: months::usage_by_month(self.usage.slice()),
            by_account,
            catalogue,
        });
    }

    /// Whether any list was ever read (or refused): something to show.
    pub fn is_empty(&self) -> bool {
        self.subscriptions.items.is_none()
            && self.invoices.items.is_none()
            && self.usage.items.is_none()
            && self.subscriptions.problem.is_none()
            && self.invoices.problem.is_none()
            && self.usage.problem.is_none()
    }
}

/// Adds each row's position (in `ids`' order) to its account's list chosen by `pick`.
/// Lists usually come grouped by account, so a run of one account's rows costs a single
/// map lookup.
fn index<'a>(
    map: &mut FastMap<String, AccountRows>,
    ids: impl Iterator<Item = &'a str>,
    pick: fn(&mut AccountRows) -> &mut Vec<usize>,
) {
    let mut run: Option<(&str, Vec<usize>)> = None;
    for (i, id) in ids.enumerate() {
        match &mut run {
            Some((current, positions)) if *current == id => positions.push(i),
            _ => {
                if let Some((id, positions)) = run.replace((id, vec![i])) {
                    pick(rows(map, id)).extend(positions);
                }
            }
        }
    }
    if let Some((id, positions)) = run {
        pick(rows(map, id)).extend(positions);
    }
}

/// The rows of `id`, added empty when new (the key is allocated only then).
fn rows<'m>(map: &'m mut FastMap<String, AccountRows>, id: &str) -> &'m mut AccountRows {
    if !map.contains_key(id) {
        map.insert(id.to_owned(), AccountRows::default());
    }
    map.get_mut(id).expect("inserted above")
}
