//! The accounts table's columns and how each one sorts.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::api::model::Account;
use crate::billing::AccountMrr;
use crate::store::{
    AccountKeys, OrgData, Store, cmp_companies, cmp_names, cmp_text, company_prefix, name_prefix,
};

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
    /// Every column, in the order the All tab shows them.
    pub const ALL: [Column; 7] = [
        Column::Org,
        Column::Id,
        Column::Name,
        Column::Company,
        Column::Status,
        Column::Mrr,
        Column::Contract,
    ];

    /// The name a configuration uses (`[[views]]`: `sort`, `columns`).
    pub fn key(self) -> &'static str {
        match self {
            Column::Org => "organization",
            Column::Id => "id",
            Column::Name => "name",
            Column::Company => "company",
            Column::Status => "status",
            Column::Mrr => "mrr",
            Column::Contract => "contract",
        }
    }

    /// The column named `key` (case-insensitive, blanks ignored).
    pub fn from_key(key: &str) -> Option<Column> {
        let key = key.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.key().eq_ignore_ascii_case(key))
    }

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
            Scope::All | Scope::View(_) => &[Org, Id, Name, Company, Status, Mrr, Contract],
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

/// How two rows of the listing compare under `sort` (ties in slot order: organization,
/// then slot), for the columns whose keys are kept per account; `None` for the MRR and
/// contract columns, whose keys live outside the accounts (see [`full_order`]).
pub(super) fn row_order<'a>(
    store: &'a Store,
    status_of: &'a [Vec<u16>],
    sort: Sort,
) -> Option<impl Fn(&RowRef, &RowRef) -> Ordering + 'a> {
    if matches!(sort.column, Column::Mrr | Column::Contract) {
        return None;
    }
    let at = move |r: &RowRef| {
        let org = &store.orgs[usize::from(r.org)];
        let i = r.idx as usize;
        (&org.accounts[i], &org.keys()[i])
    };
    Some(move |a: &RowRef, b: &RowRef| {
        let o = match sort.column {
            Column::Org => a.org.cmp(&b.org),
            Column::Id => cmp_id(&at(a).0.id, &at(b).0.id),
            Column::Name => cmp_names(at(a), at(b)),
            Column::Company => cmp_companies(at(a), at(b)),
            Column::Status => status_of[usize::from(a.org)][a.idx as usize]
                .cmp(&status_of[usize::from(b.org)][b.idx as usize]),
            Column::Mrr | Column::Contract => Ordering::Equal,
        };
        if sort.descending { o.reverse() } else { o }.then(a.cmp(b))
    })
}

/// Every row of `rows` sorted by `sort`; for the text columns, returns the rows' key
/// prefixes in the new order (see [`merge_keyed`]), else nothing.
pub(super) fn full_order(
    rows: &mut [RowRef],
    status_of: &[Vec<u16>],
    store: &Store,
    sort: Sort,
) -> Vec<u128> {
    if let Some(cmp) = row_order(store, status_of, sort) {
        match text_prefix(sort.column) {
            Some(prefix) => return prefix_sort(rows, store, sort.descending, prefix, cmp),
            None => rows.sort_unstable_by(cmp),
        }
        return Vec::new();
    }
    let account = |r: &RowRef| {
        let org = &store.orgs[usize::from(r.org)];
        (org, &org.accounts[r.idx as usize].id)
    };
    if sort.column == Column::Mrr {
        let mut keyed: Vec<(Option<(&str, Decimal)>, RowRef)> = rows
            .iter()
            .map(|r| {
                let (org, id) = account(r);
                let key = shown_mrr(org, id).map(|(m, _)| (m.currency.as_str(), m.mrr));
                (key, *r)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| cmp_mrr(a.0, b.0, sort.descending).then(a.1.cmp(&b.1)));
        rows.iter_mut().zip(keyed).for_each(|(r, (_, k))| *r = k);
    } else {
        let mut keyed: Vec<(Option<i64>, RowRef)> = rows
            .iter()
            .map(|r| {
                let (org, id) = account(r);
                let key = org
                    .actions
                    .get(id.as_str())
                    .and_then(|e| e.actions.as_deref())
                    .and_then(|a| summarize(a).licenses);
                (key, *r)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| {
            let o = a.0.cmp(&b.0);
            if sort.descending { o.reverse() } else { o }.then(a.1.cmp(&b.1))
        });
        rows.iter_mut().zip(keyed).for_each(|(r, (_, k))| *r = k);
    }
    Vec::new()
}

type Prefix = fn((&Account, &AccountKeys)) -> u128;

/// For the text columns: the sort key's first bytes as a number.
fn text_prefix(column: Column) -> Option<Prefix> {
    match column {
        Column::Name => Some(name_prefix),
        Column::Company => Some(company_prefix),
        _ => None,
    }
}

/// Sorts by each row's key prefix, taken once per row, so most comparisons read no
/// account; equal prefixes fall back to `cmp` (the full order).
fn prefix_sort(
    rows: &mut [RowRef],
    store: &Store,
    descending: bool,
    prefix: Prefix,
    cmp: impl Fn(&RowRef, &RowRef) -> Ordering,
) -> Vec<u128> {
    let mut keyed = keyed(rows, store, prefix);
    keyed.sort_unstable_by(|a, b| keyed_order(descending, &cmp, a, b));
    let mut prefixes = Vec::with_capacity(keyed.len());
    for (r, (p, k)) in rows.iter_mut().zip(keyed) {
        *r = k;
        prefixes.push(p);
    }
    prefixes
}

fn keyed(rows: &[RowRef], store: &Store, prefix: Prefix) -> Vec<(u128, RowRef)> {
    rows.iter()
        .map(|r| {
            let org = &store.orgs[usize::from(r.org)];
            let i = r.idx as usize;
            (prefix((&org.accounts[i], &org.keys()[i])), *r)
        })
        .collect()
}

/// Prefixes first (reversed when descending), then the full comparison on a tie.
fn keyed_order(
    descending: bool,
    cmp: impl Fn(&RowRef, &RowRef) -> Ordering,
    a: &(u128, RowRef),
    b: &(u128, RowRef),
) -> Ordering {
    let o = a.0.cmp(&b.0);
    let o = if descending { o.reverse() } else { o };
    o.then_with(|| cmp(&a.1, &b.1))
}

/// [`merge_in`] for a text column whose rows' key prefixes `prefixes` holds (as
/// [`full_order`] returned them): the binary searches compare prefixes, reading an
/// account only on a tie; `prefixes` is kept in step with `rows`.
pub(super) fn merge_keyed(
    rows: &mut Vec<RowRef>,
    prefixes: &mut Vec<u128>,
    fresh: Vec<RowRef>,
    store: &Store,
    sort: Sort,
    cmp: impl Fn(&RowRef, &RowRef) -> Ordering,
) {
    let Some(prefix) = text_prefix(sort.column) else {
        return merge_in(rows, fresh, cmp);
    };
    let order = |a: &(u128, RowRef), b: &(u128, RowRef)| keyed_order(sort.descending, &cmp, a, b);
    let mut fresh = keyed(&fresh, store, prefix);
    fresh.sort_unstable_by(order);
    let mut out_rows = Vec::with_capacity(rows.len() + fresh.len());
    let mut out_prefixes = Vec::with_capacity(rows.len() + fresh.len());
    let mut from = 0;
    for f in fresh {
        let (mut lo, mut hi) = (from, rows.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if order(&(prefixes[mid], rows[mid]), &f) == Ordering::Less {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        out_rows.extend_from_slice(&rows[from..lo]);
        out_prefixes.extend_from_slice(&prefixes[from..lo]);
        out_rows.push(f.1);
        out_prefixes.push(f.0);
        from = lo;
    }
    out_rows.extend_from_slice(&rows[from..]);
    out_prefixes.extend_from_slice(&prefixes[from..]);
    *rows = out_rows;
    *prefixes = out_prefixes;
}

/// Puts `fresh` into the sorted `rows`: each found by binary search, O(k log n)
/// comparisons, then one copy of the rows.
pub(super) fn merge_in(
    rows: &mut Vec<RowRef>,
    mut fresh: Vec<RowRef>,
    cmp: impl Fn(&RowRef, &RowRef) -> Ordering,
) {
    if fresh.is_empty() {
        return;
    }
    fresh.sort_unstable_by(&cmp);
    let mut out = Vec::with_capacity(rows.len() + fresh.len());
    let mut from = 0;
    for f in fresh {
        let at = from + rows[from..].partition_point(|x| cmp(x, &f) == Ordering::Less);
        out.extend_from_slice(&rows[from..at]);
        out.push(f);
        from = at;
    }
    out.extend_from_slice(&rows[from..]);
    *rows = out;
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

/// Numeric order for all-digit ids, text order otherwise.
fn cmp_id(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        cmp_text(a, b)
    }
}
