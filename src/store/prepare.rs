//! Resolving a full account list against an organization's slots, off the UI task:
//! which slots are removed, which change, which accounts are added, with the new
//! accounts' keys and the status counts computed there. Unchanged incoming accounts
//! are dropped there too, so applying the result ([`super::OrgData`]'s
//! `apply_prepared`) only moves what changed.

use compact_str::CompactString;
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
    pub(super) by_id: Arc<HashMap<CompactString, usize>>,
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
        by_id: HashMap<CompactString, usize>,
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
        let mut added_ids: HashSet<CompactString> = HashSet::new();
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
                None if added_ids.contains(account.id.as_str()) => {}
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

/// Lists at least this long get their keys built on two threads.
const PARALLEL_FROM: usize = 10_000;
/// The share of the keys the second thread builds: this one builds the index first
/// (about a quarter of the keys' time), then the rest of the keys.
const SECOND_THREAD_SHARE: f64 = 0.6;

/// The whole slot table for `incoming`, in its order; for a long list a second
/// thread builds most of the keys while this one builds the index and the rest.
fn whole(from: u64, incoming: Vec<Account>) -> PreparedAccounts {
    let all_keys = |list: &[Account]| list.iter().map(AccountKeys::new).collect::<Vec<_>>();
    let (by_id, kept, tally, keys) = std::thread::scope(|scope| {
        let list = &incoming;
        let split = (list.len() as f64 * SECOND_THREAD_SHARE) as usize;
        let first =
            (list.len() >= PARALLEL_FROM).then(|| scope.spawn(move || all_keys(&list[..split])));
        let mut by_id = HashMap::with_capacity(list.len());
        let mut kept = vec![true; list.len()];
        let mut tally = StatusTally::default();
        for (i, account) in list.iter().enumerate() {
            let slot = by_id.len();
            match by_id.entry(account.id.clone()) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(slot);
                    tally.add(&account.status);
                }
                // Ids are unique on the wire; should one repeat, the first row owns it.
                std::collections::hash_map::Entry::Occupied(_) => kept[i] = false,
            }
        }
        let keys = first.and_then(|first| {
            let rest = all_keys(&list[split..]);
            let mut keys = first.join().ok()?;
            keys.extend(rest);
            Some(keys)
        });
        (by_id, kept, tally, keys)
    });
    let keys = keys.unwrap_or_else(|| all_keys(&incoming));
    // Ids repeat only when the server misbehaves: then the repeats are left out.
    let (accounts, keys) = if kept.iter().all(|&k| k) {
        (incoming, keys)
    } else {
        incoming
            .into_iter()
            .zip(keys)
            .zip(&kept)
            .filter(|(_, keep)| **keep)
            .map(|(pair, _)| pair)
            .unzip()
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_indexed_and_keyed_as_a_short_one() {
        let account = |i: usize| Account {
            id: format!("id{}", i % (PARALLEL_FROM + 5)).into(),
            name: format!("name {i}").into(),
            company_name: "Co".into(),
            status: AccountStatus::from_raw(if i % 2 == 0 { "ACTIVE" } else { "ODD" }),
        };
        // the last rows repeat the first ids: the first rows keep them
        let list: Vec<Account> = (0..PARALLEL_FROM + 10).map(account).collect();
        let prepared = AccountsBase::default().prepare(list.clone());
        let Plan::Whole {
            accounts,
            keys,
            by_id,
        } = prepared.plan
        else {
            panic!("a whole table");
        };
        assert_eq!(accounts, list[..PARALLEL_FROM + 5]);
        assert_eq!(by_id.len(), accounts.len());
        assert!(
            accounts
                .iter()
                .zip(&keys)
                .all(|(a, k)| *k == AccountKeys::new(a))
        );
        assert!(by_id.iter().all(|(id, &slot)| accounts[slot].id == *id));
        let counted: usize = prepared.counts.iter().map(|(_, n)| n).sum();
        assert_eq!(counted, accounts.len());

        // without repeats every row is kept as it came, each with its own keys
        let list: Vec<Account> = (0..PARALLEL_FROM + 5).map(account).collect();
        let Plan::Whole { accounts, keys, .. } = AccountsBase::default().prepare(list.clone()).plan
        else {
            panic!("a whole table");
        };
        assert_eq!(accounts, list);
        assert!(
            accounts
                .iter()
                .zip(&keys)
                .all(|(a, k)| *k == AccountKeys::new(a))
        );
    }
}
