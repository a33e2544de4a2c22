//! Applying a full account list as a diff keyed by id: unchanged accounts stay in
//! their slots (with their keys and index entries), changed ones are replaced in
//! place, removed ones leave holes filled from the end, added ones are appended.
//! The list is resolved first ([`super::prepare`], off the UI task in the dashboard),
//! so applying moves only what changed; the [`AccountsDiff`] it records lets views
//! patch their sorted rows instead of rebuilding them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::prepare::{AccountsBase, Plan, PreparedAccounts};
use super::text::AccountKeys;
use super::{OrgData, StatusChange};
use crate::api::model::{Account, AccountStatus};

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
        let prepared = self.base().prepare(incoming);
        self.apply_prepared(prepared, at) == Some(true)
    }

    /// The slots and index as they are now, for [`AccountsBase::prepare`].
    pub fn base(&self) -> AccountsBase {
        AccountsBase {
            revision: self.revision,
            accounts: self.accounts.clone(),
            by_id: self.by_id.clone(),
        }
    }

    /// Applies a list prepared against the current revision; returns whether any
    /// account changed, or `None` (nothing done) when the revision moved since. A
    /// whole table for a moved revision is merged as a full list instead.
    pub(super) fn apply_prepared(
        &mut self,
        prepared: PreparedAccounts,
        at: DateTime<Utc>,
    ) -> Option<bool> {
        if prepared.from != self.revision {
            let accounts = prepared.into_whole()?;
            let prepared = self.base().prepare(accounts);
            return self.apply_prepared(prepared, at);
        }
        if prepared.is_empty() {
            return Some(false);
        }
        let counts = prepared.counts;
        let diff = match prepared.plan {
            Plan::Whole {
                accounts,
                keys,
                by_id,
            } => {
                let diff = AccountsDiff {
                    from: self.revision,
                    old_len: 0,
                    gone: Vec::new(),
                    fresh: (0..accounts.len() as u32).collect(),
                };
                self.accounts = Arc::new(accounts);
                self.keys = keys;
                self.by_id = Arc::new(by_id);
                diff
            }
            Plan::Changes {
                removed,
                changed,
                added,
            } => self.apply_changes(removed, changed, added, at),
        };
        self.finish_change(diff, counts);
        Some(true)
    }

    /// Moves the slots: removed ones out (holes filled from the end), changed ones
    /// replaced, added ones appended.
    fn apply_changes(
        &mut self,
        removed: Vec<usize>,
        changed: Vec<(usize, Account, AccountKeys)>,
        added: Vec<(Account, AccountKeys)>,
        at: DateTime<Utc>,
    ) -> AccountsDiff {
        // Changes are counted from a sync, not from the cache.
        let record_changes = self.last_good_at.is_some() && self.cached_at.is_none();
        let old_len = self.accounts.len();
        let mut diff = AccountsDiff {
            from: self.revision,
            old_len: old_len as u32,
            ..AccountsDiff::default()
        };
        let accounts = Arc::make_mut(&mut self.accounts);
        let by_id = Arc::make_mut(&mut self.by_id);
        let mut kept_above = vec![true; old_len];
        for &s in &removed {
            let id = &accounts[s].id;
            by_id.remove(id);
            self.actions.remove(id.as_str());
            self.contracts.remove(id.as_str());
            kept_above[s] = false;
            diff.gone.push(s as u32);
        }
        // Fill the holes below the kept length from the kept slots above it.
        let kept = old_len - removed.len();
        let holes = removed.iter().copied().take_while(|&s| s < kept);
        let fillers = (kept..old_len).filter(|&s| kept_above[s]);
        let mut moved_to = HashMap::new();
        for (hole, filler) in holes.zip(fillers) {
            accounts.swap(hole, filler);
            self.keys.swap(hole, filler);
            if let Some(slot) = by_id.get_mut(&accounts[hole].id) {
                *slot = hole;
            }
            moved_to.insert(filler, hole);
            diff.gone.push(filler as u32);
            diff.fresh.push(hole as u32);
        }
        accounts.truncate(kept);
        self.keys.truncate(kept);
        for (old_slot, account, keys) in changed {
            let s = moved_to.get(&old_slot).copied().unwrap_or(old_slot);
            let before = &accounts[s];
            if record_changes && before.status != account.status {
                self.changes.push(StatusChange {
                    account_id: account.id.to_string(),
                    old: before.status.clone(),
                    new: account.status.clone(),
                    at,
                });
            }
            if !moved_to.contains_key(&old_slot) {
                diff.gone.push(old_slot as u32);
                diff.fresh.push(s as u32);
            }
            self.keys[s] = keys;
            accounts[s] = account;
        }
        for (account, keys) in added {
            let slot = accounts.len();
            if let Entry::Vacant(e) = by_id.entry(account.id.clone()) {
                e.insert(slot);
                self.keys.push(keys);
                accounts.push(account);
                diff.fresh.push(slot as u32);
            }
        }
        diff
    }

    /// Appends an account with an id not listed yet; returns its slot (None for a
    /// repeated id).
    fn push_account(&mut self, account: Account) -> Option<usize> {
        let slot = self.accounts.len();
        match Arc::make_mut(&mut self.by_id).entry(account.id.clone()) {
            Entry::Occupied(_) => return None,
            Entry::Vacant(e) => e.insert(slot),
        };
        self.keys.push(AccountKeys::new(&account));
        Arc::make_mut(&mut self.accounts).push(account);
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
                Arc::make_mut(&mut self.accounts)[s] = account;
                diff.gone.push(s as u32);
                diff.fresh.push(s as u32);
            }
            None => diff
                .fresh
                .extend(self.push_account(account).map(|s| s as u32)),
        }
        let counts = super::org::count_statuses(&self.accounts);
        self.finish_change(diff, counts);
    }

    fn finish_change(&mut self, diff: AccountsDiff, counts: Vec<(AccountStatus, usize)>) {
        self.revision += 1;
        self.last_diff = Some(diff);
        self.counts = counts;
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
