//! A listing's status stage: the table of statuses present, each row's status, the
//! text-filter matches per status, and the status filter.

use crate::api::model::AccountStatus;
use crate::store::Store;

use super::{Listing, StatusCount};

impl Listing {
    /// The status table and each row's status index, from scratch.
    pub(super) fn rebuild_statuses(&mut self, store: &Store) {
        let covered = self.covered(store);
        let mut present: Vec<AccountStatus> = Vec::new();
        for org in covered.clone() {
            for (status, _) in store.orgs[org].status_counts() {
                if !present.contains(&status) {
                    present.push(status);
                }
            }
        }
        // documented statuses by position, unknown ones after them by raw text
        let rank = |s: &AccountStatus| AccountStatus::KNOWN.iter().position(|k| k == s);
        present.sort_by(|a, b| match (rank(a), rank(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.as_str().cmp(b.as_str()),
        });
        self.statuses = present;
        self.status_of = vec![Vec::new(); store.orgs.len()];
        for org in covered {
            let ids = store.orgs[org]
                .accounts
                .iter()
                .map(|a| self.status_index(&a.status).unwrap_or(0))
                .collect();
            self.status_of[org] = ids;
        }
        self.status_cursor = self
            .status_cursor
            .min(self.statuses.len().saturating_sub(1));
    }

    pub(super) fn status_index(&self, status: &AccountStatus) -> Option<u16> {
        self.statuses
            .iter()
            .position(|s| s == status)
            .map(|p| p as u16)
    }

    /// Text-filter matches per status.
    pub(super) fn recount(&mut self) {
        self.counts.clear();
        self.counts.resize(self.statuses.len(), 0);
        for (mask, status_of) in self.mask.iter().zip(&self.status_of) {
            for (_, &s) in mask.iter().zip(status_of).filter(|(hit, _)| **hit) {
                if let Some(c) = self.counts.get_mut(usize::from(s)) {
                    *c += 1;
                }
            }
        }
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
}
