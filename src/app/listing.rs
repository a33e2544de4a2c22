//! The rows one tab shows: its accounts filtered by text and status, sorted, with the
//! selection kept on the same account.
//!
//! Work is split in cached stages, each redone only when its inputs change: the
//! status table (data), the sort order (sort or data), the text matches (query or
//! data; a query that extends the last one tests only the last matches), and the
//! visible rows (any of those or the status filter). A resync that changed k accounts
//! patches the stages for those k (see [`patch`]); nothing here runs per frame.

mod patch;
mod statuses;

use std::collections::BTreeSet;

use crate::api::model::AccountStatus;
use crate::config::SavedView;
use crate::store::Store;

use super::columns::full_order;
pub use super::columns::{Column, Sort, shown_mrr};
use super::search::{Fuzzy, narrows};

/// At most this many earlier queries keep their masks (see `Listing::history`).
const MAX_HISTORY: usize = 16;

/// One account: organization index and slot in that organization's accounts.
/// Ordered by organization, then slot (the tie order of every sort).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowRef {
    pub org: u16,
    pub idx: u32,
}

/// The organizations a tab covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Org(usize),
    /// Every organization, merged, with an organization column.
    All,
    /// Saved view number N (`[[views]]`): its organizations (see [`Listing::for_view`]).
    View(usize),
}

/// One entry of the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    pub status: AccountStatus,
    /// Accounts of this status matching the text filter.
    pub count: usize,
    /// In the status filter.
    pub selected: bool,
}

pub struct Listing {
    scope: Scope,
    /// The organizations of a saved view (`None`: as the scope says).
    view_orgs: Option<Vec<usize>>,
    /// Left to right.
    columns: Vec<Column>,
    /// Revision of each organization of the store when the stages were built.
    data_key: Option<Vec<u64>>,
    /// Per organization (empty when not covered), per slot: index in `statuses`.
    status_of: Vec<Vec<u16>>,
    /// Statuses present: documented order, then unknown ones by raw text.
    statuses: Vec<AccountStatus>,
    sort: Sort,
    /// Every row of the scope in sort order.
    sorted: Vec<RowRef>,
    /// For a text sort column, each row's key prefix, in step with `sorted` (empty
    /// for other columns).
    prefixes: Vec<u128>,
    sorted_for: Option<(Sort, u64)>,
    query: String,
    /// The query `mask` was computed for; `None` when it must be recomputed in full.
    applied_query: Option<String>,
    /// Per organization, per slot: matches the text filter.
    mask: Vec<Vec<bool>>,
    /// Earlier queries this one extends, with their masks, over the same data: a
    /// backspace back to one of them takes its mask instead of testing every row.
    history: Vec<(String, Vec<Vec<bool>>)>,
    /// Per status index: matches of the text filter.
    counts: Vec<usize>,
    status_filter: BTreeSet<AccountStatus>,
    status_cursor: usize,
    rows: Vec<RowRef>,
    rows_stale: bool,
    selected: usize,
    selected_id: Option<(u16, String)>,
    offset: usize,
}

impl Listing {
    pub fn new(scope: Scope) -> Self {
        Listing {
            scope,
            view_orgs: None,
            columns: Column::for_scope(scope).to_vec(),
            data_key: None,
            status_of: Vec::new(),
            statuses: Vec::new(),
            sort: Sort::default(),
            sorted: Vec::new(),
            prefixes: Vec::new(),
            sorted_for: None,
            query: String::new(),
            applied_query: None,
            mask: Vec::new(),
            history: Vec::new(),
            counts: Vec::new(),
            status_filter: BTreeSet::new(),
            status_cursor: 0,
            rows: Vec::new(),
            rows_stale: true,
            selected: 0,
            selected_id: None,
            offset: 0,
        }
    }

    /// The tab of saved view number `index`: its organizations, filters, sort and
    /// columns, all of which the user may change afterwards.
    pub fn for_view(index: usize, view: &SavedView) -> Self {
        let mut listing = Listing::new(Scope::View(index));
        let several = view.organizations.as_ref().is_none_or(|o| o.len() > 1);
        listing.view_orgs = view.organizations.clone();
        listing.columns = match &view.columns {
            Some(columns) => columns.clone(),
            None => Column::for_scope(if several { Scope::All } else { Scope::Org(0) }).to_vec(),
        };
        listing.query = view.query.clone();
        listing.status_filter = view.statuses.iter().cloned().collect();
        listing.sort = view.sort;
        listing
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The columns shown, left to right.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The organizations this tab covers, in configuration order.
    pub fn covered(&self, store: &Store) -> Vec<usize> {
        let n = store.orgs.len();
        match (&self.scope, &self.view_orgs) {
            (Scope::Org(i), _) => (*i..i + 1).filter(|o| *o < n).collect(),
            (_, Some(orgs)) => orgs.iter().copied().filter(|o| *o < n).collect(),
            (Scope::All | Scope::View(_), None) => (0..n).collect(),
        }
    }

    /// Brings every stage up to date with `store`; cheap when nothing changed.
    /// `contracts_rev` changes whenever contract actions arrive (they feed the
    /// contract column's sort key); the MRR column follows the billing revisions.
    pub fn refresh(&mut self, store: &Store, fuzzy: &mut Fuzzy, contracts_rev: u64) {
        let rev = self.sort_revision(store, contracts_rev);
        let key = self.data_key_of(store);
        if self.data_key.as_ref() != Some(&key) {
            self.history.clear();
            if !self.patch(store, &key, fuzzy, rev) {
                self.rebuild_statuses(store);
                self.applied_query = None;
                self.sorted_for = None;
            }
            self.data_key = Some(key);
            self.rows_stale = true;
        }
        let want = (self.sort, rev);
        if self.sorted_for != Some(want) {
            self.resort(store);
            self.sorted_for = Some(want);
            self.rows_stale = true;
        }
        if self.applied_query.as_deref() != Some(self.query.as_str()) {
            self.rematch(store, fuzzy);
            self.rows_stale = true;
        }
        if self.rows_stale {
            self.rebuild_rows(store);
            self.rows_stale = false;
        }
    }

    /// What the sort keys outside the accounts depend on.
    fn sort_revision(&self, store: &Store, contracts_rev: u64) -> u64 {
        match self.sort.column {
            Column::Contract => contracts_rev,
            // revisions only grow: their sum moves whenever one does
            Column::Mrr => self
                .covered(store)
                .into_iter()
                .map(|o| store.orgs[o].billing_revision)
                .sum(),
            _ => 0,
        }
    }

    fn data_key_of(&self, store: &Store) -> Vec<u64> {
        let covered = self.covered(store);
        (0..store.orgs.len())
            .map(|i| match covered.contains(&i) {
                true => store.orgs[i].revision,
                false => u64::MAX,
            })
            .collect()
    }

    fn resort(&mut self, store: &Store) {
        self.sorted.clear();
        for org in self.covered(store) {
            let n = store.orgs[org].accounts.len() as u32;
            self.sorted.extend((0..n).map(|idx| RowRef {
                org: org as u16,
                idx,
            }));
        }
        self.prefixes = full_order(&mut self.sorted, &self.status_of, store, self.sort);
    }

    fn rematch(&mut self, store: &Store, fuzzy: &mut Fuzzy) {
        if let Some(at) = self.history.iter().rposition(|(q, _)| *q == self.query) {
            self.history.truncate(at + 1);
            if let Some((query, mask)) = self.history.pop() {
                self.mask = mask;
                self.recount();
                self.applied_query = Some(query);
                return;
            }
        }
        let narrowing = self
            .applied_query
            .as_deref()
            .is_some_and(|old| narrows(old, &self.query))
            && self.mask.len() == store.orgs.len();
        match (&self.applied_query, narrowing) {
            (Some(old), true) if self.history.len() < MAX_HISTORY => {
                self.history.push((old.clone(), self.mask.clone()));
            }
            (_, true) => {}
            (_, false) => self.history.clear(),
        }
        let everything = self.query.trim().is_empty();
        fuzzy.set_query(&self.query);
        let covered = self.covered(store);
        self.mask.resize(store.orgs.len(), Vec::new());
        for (org, mask) in self.mask.iter_mut().enumerate() {
            let n = if covered.contains(&org) {
                store.orgs[org].accounts.len()
            } else {
                0
            };
            if !narrowing || mask.len() != n {
                mask.clear();
                mask.resize(n, true);
            }
            if everything {
                mask.fill(true);
                continue;
            }
            // a narrowing query tests only the previous matches
            fuzzy.retest_marked(mask, store.orgs[org].keys());
        }
        self.recount();
        self.applied_query = Some(self.query.clone());
    }

    fn rebuild_rows(&mut self, store: &Store) {
        let shown: Vec<bool> = self
            .statuses
            .iter()
            .map(|s| self.status_filter.is_empty() || self.status_filter.contains(s))
            .collect();
        self.rows.clear();
        let (mask, status_of) = (&self.mask, &self.status_of);
        let visible = |r: &&RowRef| {
            let (org, i) = (usize::from(r.org), r.idx as usize);
            let hit = mask.get(org).and_then(|m| m.get(i)).copied();
            let status = status_of.get(org).and_then(|s| s.get(i)).copied();
            hit == Some(true) && status.is_some_and(|s| shown[usize::from(s)])
        };
        self.rows.extend(self.sorted.iter().filter(visible));
        // Keep the selection on the same account, else on the nearest row.
        let target = self.selected_id.as_ref().and_then(|(org, id)| {
            let idx = *store.orgs.get(usize::from(*org))?.by_id.get(id.as_str())?;
            Some(RowRef {
                org: *org,
                idx: idx as u32,
            })
        });
        let found = target.and_then(|t| self.rows.iter().position(|r| *r == t));
        let at = found.unwrap_or(self.selected);
        self.set_selected(store, at);
    }

    fn set_selected(&mut self, store: &Store, at: usize) {
        self.selected = at.min(self.rows.len().saturating_sub(1));
        self.selected_id = self.rows.get(self.selected).map(|r| {
            let id = store.orgs[usize::from(r.org)].accounts[r.idx as usize]
                .id
                .to_string();
            (r.org, id)
        });
    }

    // ---- reading ----

    /// The visible rows, sorted.
    pub fn rows(&self) -> &[RowRef] {
        &self.rows
    }

    /// Index of the selected row in [`Listing::rows`] (0 when empty).
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_row(&self) -> Option<RowRef> {
        self.rows.get(self.selected).copied()
    }

    /// The selected account as (organization, id), kept across refreshes.
    pub fn selected_id(&self) -> Option<(usize, &str)> {
        self.selected_id
            .as_ref()
            .map(|(o, id)| (usize::from(*o), id.as_str()))
    }

    /// First visible row of the viewport.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// Every account of the scope.
    pub fn total(&self) -> usize {
        self.sorted.len()
    }

    pub fn status_filter(&self) -> &BTreeSet<AccountStatus> {
        &self.status_filter
    }

    /// Whether a text or status filter narrows the rows.
    pub fn is_filtered(&self) -> bool {
        !self.query.is_empty() || !self.status_filter.is_empty()
    }

    // ---- changing (each takes effect at the next refresh) ----

    pub fn set_query(&mut self, query: &str) {
        if self.query != query {
            self.query = query.to_owned();
        }
    }

    /// Moves the sort to the next (`+1`) or previous (`-1`) column, wrapping.
    pub fn move_sort(&mut self, step: isize) {
        let cols = &self.columns;
        let at = cols
            .iter()
            .position(|c| *c == self.sort.column)
            .unwrap_or(0);
        let next = (at as isize + step).rem_euclid(cols.len() as isize) as usize;
        self.sort.column = cols[next];
    }

    pub fn flip_sort(&mut self) {
        self.sort.descending = !self.sort.descending;
    }

    pub fn set_sort(&mut self, sort: Sort) {
        self.sort = sort;
    }

    /// Clears the text and status filters.
    pub fn clear_filters(&mut self) {
        self.query.clear();
        if !self.status_filter.is_empty() {
            self.status_filter.clear();
            self.rows_stale = true;
        }
    }

    /// Selects row `at` (clamped).
    pub fn select(&mut self, store: &Store, at: usize) {
        self.set_selected(store, at);
    }

    /// Moves the selection by `delta` rows (clamped).
    pub fn move_selection(&mut self, store: &Store, delta: isize) {
        let at = self.selected.saturating_add_signed(delta);
        self.set_selected(store, at);
    }

    /// Scrolls so the selection is inside a viewport of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        let max_offset = self.rows.len().saturating_sub(height);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(max_offset);
    }
}

#[cfg(test)]
#[path = "listing_tests.rs"]
mod tests;
