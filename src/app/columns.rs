//! The accounts table's columns and how each one sorts.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::billing::AccountMrr;
use crate::store::{OrgData, Store};

use super::listing::{RowRef, Scope};
use super::summary::summarize;

/// A table column; each can be the sort column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Org,
    Id,
    Name,
    Company,
    Status,
    /// The account's active MRR (see [`shown_mrr`]).
    Mrr,
    /// Licenses from the known contract actions (unknown sorts first).
    Contract,
}

impl Column {
    pub fn title(self) -> &'static str {
        match self {
            Column::Org => "ORGANIZATION",
            Column::Id => "ID",
            Column::Name => "NAME",
            Column::Company => "COMPANY",
            Column::Status => "STATUS",
            Column::Mrr => "MRR",
            Column::Contract => "CONTRACT",
        }
    }

    /// The columns a tab of `scope` shows, left to right.
    pub fn for_scope(scope: Scope) -> &'static [Column] {
        use Column::*;
        match scope {
            Scope::Org(_) => &[Id, Name, Company, Status, Mrr, Contract],
            Scope::All => &[Org, Id, Name, Company, Status, Mrr, Contract],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: Column::Name,
            descending: false,
        }
    }
}

/// The MRR the table shows for an account: its first currency A–Z (amounts of
/// different currencies are never compared), and whether it has MRR in others too.
/// `None` without billing data or without active MRR.
pub fn shown_mrr<'a>(org: &'a OrgData, account_id: &str) -> Option<(&'a AccountMrr, bool)> {
    let list = org.billing.derived.account_mrr.get(account_id)?;
    list.first().map(|first| (first, list.len() > 1))
}

/// The order of `flat` (indices into it) by `sort`; ties keep the flat order.
pub(super) fn sort_order(
    flat: &[RowRef],
    status_of: &[u16],
    store: &Store,
    sort: Sort,
) -> Vec<u32> {
    let org_of = |r: &RowRef| &store.orgs[usize::from(r.org)];
    let account = |i: u32| {
        let r = &flat[i as usize];
        &org_of(r).accounts[r.idx as usize]
    };
    let mut sorted: Vec<u32> = (0..flat.len() as u32).collect();
    let descending = sort.descending;
    let directed = |o: Ordering| if descending { o.reverse() } else { o };
    match sort.column {
        Column::Org => sorted.sort_by(|&a, &b| {
            directed(flat[a as usize].org.cmp(&flat[b as usize].org)).then(a.cmp(&b))
        }),
        Column::Id => sorted
            .sort_by(|&a, &b| directed(cmp_id(&account(a).id, &account(b).id)).then(a.cmp(&b))),
        Column::Name => sorted.sort_by(|&a, &b| {
            directed(cmp_text(&account(a).name, &account(b).name)).then(a.cmp(&b))
        }),
        Column::Company => sorted.sort_by(|&a, &b| {
            directed(cmp_text(&account(a).company_name, &account(b).company_name)).then(a.cmp(&b))
        }),
        Column::Status => sorted.sort_by(|&a, &b| {
            directed(status_of[a as usize].cmp(&status_of[b as usize])).then(a.cmp(&b))
        }),
        Column::Mrr => {
            let keys: Vec<Option<(&str, Decimal)>> = flat
                .iter()
                .map(|r| {
                    let org = org_of(r);
                    shown_mrr(org, &org.accounts[r.idx as usize].id)
                        .map(|(m, _)| (m.currency.as_str(), m.mrr))
                })
                .collect();
            sorted.sort_by(|&a, &b| {
                cmp_mrr(keys[a as usize], keys[b as usize], descending).then(a.cmp(&b))
            })
        }
        Column::Contract => {
            let keys: Vec<Option<i64>> = flat
                .iter()
                .map(|r| {
                    let org = org_of(r);
                    let id = &org.accounts[r.idx as usize].id;
                    org.actions
                        .get(id)
                        .and_then(|e| e.actions.as_deref())
                        .and_then(|a| summarize(a).licenses)
                })
                .collect();
            sorted
                .sort_by(|&a, &b| directed(keys[a as usize].cmp(&keys[b as usize])).then(a.cmp(&b)))
        }
    }
    sorted
}

/// Currency A–Z whatever the direction, accounts without MRR last; within a currency
/// the amount, ascending or descending.
fn cmp_mrr(a: Option<(&str, Decimal)>, b: Option<(&str, Decimal)>, descending: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some((ca, ma)), Some((cb, mb))) => {
            ca.cmp(cb)
                .then(if descending { mb.cmp(&ma) } else { ma.cmp(&mb) })
        }
    }
}

/// Case-insensitive (ASCII) text order, byte order otherwise.
fn cmp_text(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Numeric order for all-digit ids, text order otherwise.
fn cmp_id(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        cmp_text(a, b)
    }
}
