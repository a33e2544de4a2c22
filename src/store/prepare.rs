//! Resolving a full account list against an organization's slots, off the UI task:
//! which slots are removed, which change, which accounts are added, with the new
//! accounts' keys and the status counts computed there. Unchanged incoming accounts
//! are dropped there too, so applying the result ([`super::OrgData`]'s
//! `apply_prepared`) only moves what changed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::org::StatusTally;
use super::text::AccountKeys;
use crate::api::model::{Account, AccountStatus};

/// What [`AccountsBase::prepare`] reads of an organization: its slots and id index
/// at one revision, shared (cloning it copies two pointers).
#[derive(Debug, Clone, Default)]
pub struct AccountsBase {
    pub(super) revision: u64,
    pub(super) accounts: Arc<Vec<Account>>,
    pub(super) by_id: Arc<HashMap<String, usize>>,
}

/// A full account list resolved against one revision of an organization's slots.
#[derive(Debug, Clone)]
pub struct PreparedAccounts {
    /// The revision it was resolved against; it applies to that revision only.
    pub(super) from: u64,
    pub(super) plan: Plan,
    /// Accounts per status after applying.
    pub(super) counts: Vec<(AccountStatus, usize)>,
}

#[derive(Debug, Clone)]
pub(super) enum Plan {
    /// Against no accounts: the whole slot table, built (ids unique, first row wins).
    Whole {
        accounts: Vec<Account>,
        keys: Vec<AccountKeys>,
        by_id: HashMap<String, usize>,
    },
    /// The slots that change: removed (ascending), changed in place, appended.
    Changes {
        removed: Vec<usize>,
        changed: Vec<(usize, Account, AccountKeys)>,
        added: Vec<(Account, AccountKeys)>,
    },
}

impl PreparedAccounts {
    /// Whether applying it changes nothing.
    pub fn is_empty(&self) -> bool {
        match &self.plan {
            Plan::Whole { accounts, .. } => accounts.is_empty(),
            Plan::Changes {
                removed,
                changed,
                added,
            } => removed.is_empty() && changed.is_empty() && added.is_empty(),
        }
    }

    /// The accounts of a whole table (a fallback when the revision moved).
    pub(super) fn into_whole(self) -> Option<Vec<Account>> {
        match self.plan {
            Plan::Whole { accounts, .. } => Some(accounts),
            Plan::Changes { .. } => None,
        }
    }
}

impl AccountsBase {
    /// Resolves `incoming` (a full list, e.g. a sync) against these slots.
    pub fn prepare(self, incoming: Vec<Account>) -> PreparedAccounts {
        let from = self.revision;
        if self.accounts.is_empty() {
            return whole(from, incoming);
        }
        let (accounts, by_id) = (&self.accounts, &self.by_id);
        let mut seen = vec![false; accounts.len()];
        let mut tally = StatusTally::default();
        let mut changed = Vec::new();
        let mut added = Vec::new();
        let mut added_ids: HashSet<String> = HashSet::new();
        for (i, account) in incoming.into_iter().enumerate() {
            // Same order as before is the common case: no hashing then.
            let slot = match accounts.get(i) {
                Some(a) if a.id == account.id => Some(i),
                _ => by_id.get(&account.id).copied(),
            };
            match slot {
                // Ids are unique on the wire; should one repeat, the first row owns it.
                Some(s) if seen[s] => {}
                Some(s) => {
                    seen[s] = true;
                    tally.add(&account.status);
                    if accounts[s] != account {
                        let keys = AccountKeys::new(&account);
                        changed.push((s, account, keys));
                    }
                }
                None if added_ids.contains(&account.id) => {}
                None => {
                    added_ids.insert(account.id.clone());
                    tally.add(&account.status);
                    let keys = AccountKeys::new(&account);
                    added.push((account, keys));
                }
            }
        }
        let removed = (0..accounts.len()).filter(|&s| !seen[s]).collect();
        PreparedAccounts {
            from,
            plan: Plan::Changes {
                removed,
                changed,
                added,
            },
            counts: tally.finish(),
        }
    }
}

/// The whole slot table for `incoming`, in its order.
fn whole(from: u64, incoming: Vec<Account>) -> PreparedAccounts {
    let mut accounts = Vec::with_capacity(incoming.len());
    let mut by_id = HashMap::with_capacity(incoming.len());
    let mut tally = StatusTally::default();
    for account in incoming {
        if let std::collections::hash_map::Entry::Vacant(e) = by_id.entry(account.id.clone()) {
            e.insert(accounts.len());
            tally.add(&account.status);
            accounts.push(account);
        }
    }
    let keys = accounts.iter().map(AccountKeys::new).collect();
    PreparedAccounts {
        from,
        plan: Plan::Whole {
            accounts,
            keys,
            by_id,
        },
        counts: tally.finish(),
    }
}
