//! The rows one tab shows: its accounts filtered by text and status, sorted, with the
//! selection kept on the same account.
//!
//! Work is split in cached stages, each redone only when its inputs change: the flat
//! row list and status table (data revision), the sort order (sort or data), the text
//! matches (query or data; a query that extends the last one tests only the last
//! matches), and the visible rows (any of those or the status filter). Nothing here
//! runs per frame.

use std::collections::BTreeSet;

use crate::api::model::AccountStatus;
use crate::store::Store;

use super::columns::sort_order;
pub use super::columns::{Column, Sort, shown_mrr};
use super::search::{Fuzzy, Haystacks, narrows};

/// One account: organization index and position in that organization's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Revision and length of each covered organization when `flat` was built.
    data_key: Option<Vec<u64>>,
    /// Every row of the scope, organization by organization, in server order.
    flat: Vec<RowRef>,
    /// Per flat row: its index in `statuses`.
    status_of: Vec<u16>,
    /// Statuses present: documented order, then unknown ones by raw text.
    statuses: Vec<AccountStatus>,
    sort: Sort,
    /// Flat indices in sort order.
    sorted: Vec<u32>,
    sorted_for: Option<(Sort, u64)>,
    query: String,
    /// The query `matches` was computed for; `None` when it must be recomputed in full.
    applied_query: Option<String>,
    matches: Vec<u32>,
    mask: Vec<bool>,
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
            data_key: None,
            flat: Vec::new(),
            status_of: Vec::new(),
            statuses: Vec::new(),
            sort: Sort::default(),
            sorted: Vec::new(),
            sorted_for: None,
            query: String::new(),
            applied_query: None,
            matches: Vec::new(),
            mask: Vec::new(),
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

    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Brings every stage up to date with `store`; cheap when nothing changed.
    /// `contracts_rev` changes whenever contract actions arrive (they feed the
    /// contract column's sort key); the MRR column follows the billing revisions.
    pub fn refresh(
        &mut self,
        store: &Store,
        haystacks: &Haystacks,
        fuzzy: &mut Fuzzy,
        contracts_rev: u64,
    ) {
        let key = self.data_key_of(store);
        if self.data_key.as_ref() != Some(&key) {
            self.rebuild_flat(store);
            self.data_key = Some(key);
            self.applied_query = None;
            self.sorted_for = None;
        }
        let rev = match self.sort.column {
            Column::Contract => contracts_rev,
            // revisions only grow: their sum moves whenever one does
            Column::Mrr => store.orgs[self.covered(store)]
                .iter()
                .map(|o| o.billing_revision)
                .sum(),
            _ => 0,
        };
        let want = (self.sort, rev);
        if self.sorted_for != Some(want) {
            self.resort(store);
            self.sorted_for = Some(want);
            self.rows_stale = true;
        }
        if self.applied_query.as_deref() != Some(self.query.as_str()) {
            self.rematch(haystacks, fuzzy);
            self.rows_stale = true;
        }
        if self.rows_stale {
            self.rebuild_rows(store);
            self.rows_stale = false;
        }
    }

    fn covered(&self, store: &Store) -> std::ops::Range<usize> {
        match self.scope {
            Scope::Org(i) => i.min(store.orgs.len())..(i + 1).min(store.orgs.len()),
            Scope::All => 0..store.orgs.len(),
        }
    }

    fn data_key_of(&self, store: &Store) -> Vec<u64> {
        store.orgs[self.covered(store)]
            .iter()
            .flat_map(|o| [o.revision, o.accounts.len() as u64])
            .collect()
    }

    fn rebuild_flat(&mut self, store: &Store) {
        self.flat.clear();
        self.status_of.clear();
        // Provisional ids: documented statuses by position, unknown ones after them.
        let known = AccountStatus::KNOWN.len();
        let mut unknown: Vec<&str> = Vec::new();
        for org in self.covered(store) {
            for (idx, account) in store.orgs[org].accounts.iter().enumerate() {
                self.flat.push(RowRef {
                    org: org as u16,
                    idx: idx as u32,
                });
                let id = match AccountStatus::KNOWN
                    .iter()
                    .position(|s| *s == account.status)
                {
                    Some(p) => p,
                    None => {
                        let raw = account.status.as_str();
                        known
                            + unknown.iter().position(|u| *u == raw).unwrap_or_else(|| {
                                unknown.push(raw);
                                unknown.len() - 1
                            })
                    }
                };
                self.status_of.push(id as u16);
            }
        }
        let mut present = vec![false; known + unknown.len()];
        for &id in &self.status_of {
            present[usize::from(id)] = true;
        }
        let mut order: Vec<usize> = (0..known).filter(|&i| present[i]).collect();
        let mut unknown_ids: Vec<usize> = (known..known + unknown.len()).collect();
        unknown_ids.sort_by(|a, b| unknown[a - known].cmp(unknown[b - known]));
        order.extend(unknown_ids);
        let mut remap = vec![0u16; present.len()];
        self.statuses = order
            .iter()
            .enumerate()
            .map(|(final_id, &provisional)| {
                remap[provisional] = final_id as u16;
                match AccountStatus::KNOWN.get(provisional) {
                    Some(s) => s.clone(),
                    None => AccountStatus::Unknown(unknown[provisional - known].to_owned()),
                }
            })
            .collect();
        for id in &mut self.status_of {
            *id = remap[usize::from(*id)];
        }
        self.status_cursor = self
            .status_cursor
            .min(self.statuses.len().saturating_sub(1));
    }

    fn resort(&mut self, store: &Store) {
        self.sorted = sort_order(&self.flat, &self.status_of, store, self.sort);
    }

    fn rematch(&mut self, haystacks: &Haystacks, fuzzy: &mut Fuzzy) {
        let n = self.flat.len();
        let incremental = self
            .applied_query
            .as_deref()
            .is_some_and(|old| narrows(old, &self.query));
        if self.query.trim().is_empty() {
            self.matches = (0..n as u32).collect();
        } else {
            fuzzy.set_query(&self.query);
            let flat = &self.flat;
            let fuzzy = &*fuzzy;
            let test = |i: &u32| {
                let r = flat[*i as usize];
                fuzzy.matches(haystacks.get(usize::from(r.org), r.idx as usize))
            };
            self.matches = if incremental {
                self.matches.iter().copied().filter(|i| test(i)).collect()
            } else {
                (0..n as u32).filter(|i| test(i)).collect()
            };
        }
        self.mask.clear();
        self.mask.resize(n, false);
        self.counts.clear();
        self.counts.resize(self.statuses.len(), 0);
        for &i in &self.matches {
            self.mask[i as usize] = true;
            self.counts[usize::from(self.status_of[i as usize])] += 1;
        }
        self.applied_query = Some(self.query.clone());
    }

    fn rebuild_rows(&mut self, store: &Store) {
        let shown: Vec<bool> = self
            .statuses
            .iter()
            .map(|s| self.status_filter.is_empty() || self.status_filter.contains(s))
            .collect();
        self.rows.clear();
        for &i in &self.sorted {
            let i = i as usize;
            if self.mask[i] && shown[usize::from(self.status_of[i])] {
                self.rows.push(self.flat[i]);
            }
        }
        // Keep the selection on the same account, else on the nearest row.
        let target = self.selected_id.as_ref().and_then(|(org, id)| {
            let idx = *store.orgs.get(usize::from(*org))?.by_id.get(id)?;
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
                .clone();
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
        self.flat.len()
    }

    pub fn status_filter(&self) -> &BTreeSet<AccountStatus> {
        &self.status_filter
    }

    /// Whether a text or status filter narrows the rows.
    pub fn is_filtered(&self) -> bool {
        !self.query.is_empty() || !self.status_filter.is_empty()
    }

    /// The status bar: statuses present (plus filtered ones absent now), with the
    /// count of text-filter matches and whether each is in the status filter.
    pub fn status_bar(&self) -> Vec<StatusCount> {
        let mut out: Vec<StatusCount> = self
            .statuses
            .iter()
            .zip(&self.counts)
            .map(|(s, &count)| StatusCount {
                status: s.clone(),
                count,
                selected: self.status_filter.contains(s),
            })
            .collect();
        for s in &self.status_filter {
            if !self.statuses.contains(s) {
                out.push(StatusCount {
                    status: s.clone(),
                    count: 0,
                    selected: true,
                });
            }
        }
        out
    }

    /// Index into [`Listing::status_bar`] of the status `t` toggles.
    pub fn status_cursor(&self) -> usize {
        self.status_cursor
    }

    // ---- changing (each takes effect at the next refresh) ----

    pub fn set_query(&mut self, query: &str) {
        if self.query != query {
            self.query = query.to_owned();
        }
    }

    /// Moves the sort to the next (`+1`) or previous (`-1`) column, wrapping.
    pub fn move_sort(&mut self, step: isize) {
        let cols = Column::for_scope(self.scope);
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

    /// All statuses, then each present status alone in turn, then all again.
    pub fn cycle_status(&mut self) {
        let next = match self.single_filtered() {
            Some(p) => p + 1,
            None if self.status_filter.is_empty() => 0,
            None => self.status_cursor + 1,
        };
        self.status_filter.clear();
        if let Some(s) = self.statuses.get(next) {
            self.status_filter.insert(s.clone());
            self.status_cursor = next;
        }
        self.rows_stale = true;
    }

    /// Position in `statuses` of the filter's only status, if it has exactly one present.
    fn single_filtered(&self) -> Option<usize> {
        let mut it = self.status_filter.iter();
        match (it.next(), it.next()) {
            (Some(s), None) => self.statuses.iter().position(|x| x == s),
            _ => None,
        }
    }

    /// Moves the status bar's cursor by `step`, wrapping.
    pub fn move_status_cursor(&mut self, step: isize) {
        let n = self.status_bar().len();
        if n > 0 {
            self.status_cursor =
                (self.status_cursor as isize + step).rem_euclid(n as isize) as usize;
        }
    }

    /// Adds the status under the cursor to the filter, or removes it.
    pub fn toggle_status(&mut self) {
        if let Some(entry) = self.status_bar().get(self.status_cursor) {
            if !self.status_filter.remove(&entry.status) {
                self.status_filter.insert(entry.status.clone());
            }
            self.rows_stale = true;
        }
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
