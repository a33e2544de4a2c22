//! Applying a full account list as a diff keyed by id: unchanged accounts stay in
//! their slots (with their keys and index entries), changed ones are replaced in
//! place, removed ones leave holes filled from the end, added ones are appended.
//! One pass over the list, no second copy kept; the [`AccountsDiff`] it records lets
//! views patch their sorted rows instead of rebuilding them.

use chrono::{DateTime, Utc};

use super::text::AccountKeys;
use super::{OrgData, StatusChange};
use crate::api::model::Account;

/// How the last change of an organization's accounts moved its slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountsDiff {
    /// The revision the diff leads from (the new one is `from + 1`).
    pub from: u64,
    /// Slot count before.
    pub old_len: u32,
    /// Slots (before) whose account is no longer there as it was: removed,
    /// changed or moved.
    pub gone: Vec<u32>,
    /// Slots (after) holding an account that is new there: added, changed or moved.
    pub fresh: Vec<u32>,
}

impl AccountsDiff {
    pub fn is_empty(&self) -> bool {
        self.gone.is_empty() && self.fresh.is_empty()
    }
}

impl OrgData {
    /// Replaces the accounts by `incoming` (a full sync); returns whether any changed.
    pub(super) fn merge_accounts(&mut self, incoming: Vec<Account>, at: DateTime<Utc>) -> bool {
        let old_len = self.accounts.len();
        // Changes are counted from a sync, not from the cache.
        let record_changes = self.last_good_at.is_some() && self.cached_at.is_none();
        let mut seen = vec![false; old_len];
        let mut changed: Vec<(usize, Account)> = Vec::new();
        let mut added: Vec<Account> = Vec::new();
        for (i, account) in incoming.into_iter().enumerate() {
            // Same order as before is the common case: no hashing then.
            let slot = match self.accounts.get(i) {
                Some(a) if a.id == account.id => Some(i),
                _ => self.by_id.get(&account.id).copied(),
            };
            match slot {
                // Ids are unique on the wire; should one repeat, the first row owns it.
                Some(s) if seen[s] => {}
                Some(s) => {
                    seen[s] = true;
                    if self.accounts[s] != account {
                        changed.push((s, account));
                    }
                }
                None => added.push(account),
            }
        }
        let removed: Vec<usize> = (0..old_len).filter(|&s| !seen[s]).collect();
        if removed.is_empty() && changed.is_empty() && added.is_empty() {
            return false;
        }
        let mut diff = AccountsDiff {
            from: self.revision,
            old_len: old_len as u32,
            ..AccountsDiff::default()
        };
        for &s in &removed {
            let id = &self.accounts[s].id;
            self.by_id.remove(id);
            self.actions.remove(id);
            self.contracts.remove(id);
            diff.gone.push(s as u32);
        }
        // Fill the holes below the kept length from the kept slots above it.
        let kept = old_len - removed.len();
        let holes = removed.iter().copied().take_while(|&s| s < kept);
        let fillers = (kept..old_len).filter(|&s| seen[s]);
        let mut moved_to = std::collections::HashMap::new();
        for (hole, filler) in holes.zip(fillers) {
            self.accounts.swap(hole, filler);
            self.keys.swap(hole, filler);
            if let Some(slot) = self.by_id.get_mut(&self.accounts[hole].id) {
                *slot = hole;
            }
            moved_to.insert(filler, hole);
            diff.gone.push(filler as u32);
            diff.fresh.push(hole as u32);
        }
        self.accounts.truncate(kept);
        self.keys.truncate(kept);
        for (old_slot, account) in changed {
            let s = moved_to.get(&old_slot).copied().unwrap_or(old_slot);
            let before = &self.accounts[s];
            if record_changes && before.status != account.status {
                self.changes.push(StatusChange {
                    account_id: account.id.clone(),
                    old: before.status.clone(),
                    new: account.status.clone(),
                    at,
                });
            }
            if !moved_to.contains_key(&old_slot) {
                diff.gone.push(old_slot as u32);
                diff.fresh.push(s as u32);
            }
            self.keys[s] = AccountKeys::new(&account);
            self.accounts[s] = account;
        }
        for account in added {
            if let Some(s) = self.push_account(account) {
                diff.fresh.push(s as u32);
            }
        }
        self.finish_change(diff);
        true
    }

    /// Appends an account with an id not listed yet; returns its slot (None for a
    /// repeated id).
    fn push_account(&mut self, account: Account) -> Option<usize> {
        let slot = self.accounts.len();
        match self.by_id.entry(account.id.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => return None,
            std::collections::hash_map::Entry::Vacant(e) => e.insert(slot),
        };
        self.keys.push(AccountKeys::new(&account));
        self.accounts.push(account);
        Some(slot)
    }

    /// Shows one account at once, replacing the one with its id or appended.
    pub(super) fn upsert_account(&mut self, account: Account) {
        let mut diff = AccountsDiff {
            from: self.revision,
            old_len: self.accounts.len() as u32,
            ..AccountsDiff::default()
        };
        match self.by_id.get(&account.id) {
            Some(&s) => {
                self.keys[s] = AccountKeys::new(&account);
                self.accounts[s] = account;
                diff.gone.push(s as u32);
                diff.fresh.push(s as u32);
            }
            None => diff
                .fresh
                .extend(self.push_account(account).map(|s| s as u32)),
        }
        self.finish_change(diff);
    }

    fn finish_change(&mut self, diff: AccountsDiff) {
        self.revision += 1;
        self.last_diff = Some(diff);
        self.counts = super::org::count_statuses(&self.accounts);
    }

    /// The diff that led to the current revision, if the last change recorded one.
    pub fn last_diff(&self) -> Option<&AccountsDiff> {
        self.last_diff
            .as_ref()
            .filter(|d| d.from + 1 == self.revision)
    }

    /// The per-account keys, slot by slot beside [`OrgData::accounts`].
    pub fn keys(&self) -> &[AccountKeys] {
        &self.keys
    }
}
