//! Patching a listing for accounts changed by a resync (see
//! [`crate::store::AccountsDiff`]): the rows of the gone slots leave the sorted order,
//! the fresh ones get their status and text match and are merged in by binary search.

use crate::store::Store;

use super::super::columns::{full_order, merge_in, merge_keyed, row_order};
use super::super::search::Fuzzy;
use super::{Listing, RowRef};

impl Listing {
    /// Patches every stage for organizations whose data moved by one recorded diff
    /// since `self.data_key`. False when a full rebuild is needed instead (then what
    /// was touched is rebuilt anyway): no earlier build, several changes missed, a
    /// status appearing or vanishing, or a sort by keys kept outside the accounts.
    pub(super) fn patch(
        &mut self,
        store: &Store,
        key: &[u64],
        fuzzy: &mut Fuzzy,
        rev: u64,
    ) -> bool {
        let Some(old) = self.data_key.as_ref() else {
            return false;
        };
        let Some(applied) = self.applied_query.clone() else {
            return false;
        };
        let n = key.len();
        let built = old.len() == n && self.mask.len() == n && self.status_of.len() == n;
        if !built || self.sorted_for != Some((self.sort, rev)) {
            return false;
        }
        let mut diffs = Vec::new();
        for (org, (&was, &now)) in old.iter().zip(key).enumerate() {
            if was == now {
                continue;
            }
            match store.orgs[org].last_diff() {
                Some(d) if was != u64::MAX && d.from == was => diffs.push((org, d)),
                _ => return false,
            }
        }
        // the statuses present must be exactly the table's
        let mut seen = vec![false; self.statuses.len()];
        for org in self.covered(store) {
            for (status, _) in store.orgs[org].status_counts() {
                match self.status_index(&status) {
                    Some(i) => seen[usize::from(i)] = true,
                    None => return false,
                }
            }
        }
        if seen.contains(&false) {
            return false;
        }
        let Some(_) = row_order(store, &self.status_of, self.sort) else {
            return false;
        };

        let mut gone: Vec<Vec<bool>> = vec![Vec::new(); n];
        for (org, d) in &diffs {
            let mut g = vec![false; d.old_len as usize];
            for &s in &d.gone {
                g[s as usize] = true;
            }
            gone[*org] = g;
        }
        let keep = |r: &RowRef| {
            let g = &gone[usize::from(r.org)];
            !g.get(r.idx as usize).copied().unwrap_or(false)
        };
        let keyed = !self.prefixes.is_empty() && self.prefixes.len() == self.sorted.len();
        if keyed {
            let (sorted, mut at) = (&self.sorted, 0);
            self.prefixes.retain(|_| {
                at += 1;
                keep(&sorted[at - 1])
            });
        } else {
            self.prefixes.clear();
        }
        self.sorted.retain(keep);
        let everything = applied.trim().is_empty();
        fuzzy.set_query(&applied);
        let mut fresh = Vec::new();
        for (org, d) in &diffs {
            let data = &store.orgs[*org];
            let len = data.accounts.len();
            let mut status_of = std::mem::take(&mut self.status_of[*org]);
            status_of.resize(len, 0);
            self.mask[*org].resize(len, false);
            for &s in &d.fresh {
                let i = s as usize;
                status_of[i] = self.status_index(&data.accounts[i].status).unwrap_or(0);
                self.mask[*org][i] = everything || fuzzy.matches_keys(&data.keys()[i]);
                fresh.push(RowRef {
                    org: *org as u16,
                    idx: s,
                });
            }
            self.status_of[*org] = status_of;
        }
        self.recount();
        let Some(cmp) = row_order(store, &self.status_of, self.sort) else {
            return true;
        };
        if keyed {
            // the binary searches compare the kept prefixes, not the accounts
            merge_keyed(
                &mut self.sorted,
                &mut self.prefixes,
                fresh,
                store,
                self.sort,
                cmp,
            );
        } else if fresh.len() * 32 > self.sorted.len() {
            // many fresh rows: one sort by key prefixes beats a binary search each
            self.sorted.extend(fresh);
            self.prefixes = full_order(&mut self.sorted, &self.status_of, store, self.sort);
        } else {
            merge_in(&mut self.sorted, fresh, cmp);
        }
        true
    }
}

#[cfg(test)]
mod tests;
