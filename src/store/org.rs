//! Read helpers the views use on one organization's data; each is cheap.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::{LoadState, OrgData, StatusChange};
use crate::api::model::{Account, AccountStatus};

impl OrgData {
    /// Empty data for the organization named `name`, nothing asked yet.
    pub fn new(name: String) -> Self {
        Self {
            name,
            accounts: Default::default(),
            keys: Vec::new(),
            last_diff: None,
            by_id: Default::default(),
            load: LoadState::Idle,
            last_good_at: None,
            last_error: None,
            actions: HashMap::new(),
            contracts: HashMap::new(),
            changes: Vec::new(),
            revision: 0,
            billing: Default::default(),
            billing_load: LoadState::Idle,
            billing_revision: 0,
            cached_at: None,
            latest_change: HashMap::new(),
            counts: Vec::new(),
            failed_since_good: false,
        }
    }

    /// The account with this id, if the last good sync had it.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.by_id.get(id).and_then(|&i| self.accounts.get(i))
    }

    /// The shown accounts come from an earlier sync: the latest sync failed (or a
    /// retry is running after one failed). False when nothing was ever loaded.
    pub fn is_stale(&self) -> bool {
        self.failed_since_good && self.last_good_at.is_some()
    }

    /// Accounts per status: the documented statuses in the reference's order, then
    /// undocumented ones by their text. Only statuses with at least one account.
    /// Computed when the accounts change, so this only copies a few entries.
    pub fn status_counts(&self) -> Vec<(AccountStatus, usize)> {
        self.counts.clone()
    }

    /// The newest status change of `account_id` if it happened within `within` of `now`.
    pub fn recent_change(
        &self,
        account_id: &str,
        now: DateTime<Utc>,
        within: TimeDelta,
    ) -> Option<&StatusChange> {
        let change = self.changes.get(*self.latest_change.get(account_id)?)?;
        (now.signed_duration_since(change.at) <= within).then_some(change)
    }
}

/// Counts per status in [`OrgData::status_counts`]'s order.
pub(super) fn count_statuses(accounts: &[Account]) -> Vec<(AccountStatus, usize)> {
    let mut tally = StatusTally::default();
    accounts.iter().for_each(|a| tally.add(&a.status));
    tally.finish()
}

/// Counts statuses one at a time, for [`count_statuses`] and the prepare step.
#[derive(Default)]
pub(super) struct StatusTally {
    known: [usize; AccountStatus::KNOWN.len()],
    unknown: HashMap<String, usize>,
}

impl StatusTally {
    pub(super) fn add(&mut self, status: &AccountStatus) {
        match AccountStatus::KNOWN.iter().position(|s| s == status) {
            Some(i) => self.known[i] += 1,
            None => match self.unknown.get_mut(status.as_str()) {
                Some(n) => *n += 1,
                None => {
                    self.unknown.insert(status.as_str().to_owned(), 1);
                }
            },
        }
    }

    pub(super) fn finish(self) -> Vec<(AccountStatus, usize)> {
        let mut out: Vec<(AccountStatus, usize)> = AccountStatus::KNOWN
            .iter()
            .cloned()
            .zip(self.known)
            .filter(|&(_, n)| n > 0)
            .collect();
        let mut rest: Vec<(String, usize)> = self.unknown.into_iter().collect();
        rest.sort_unstable();
        out.extend(
            rest.into_iter()
                .map(|(raw, n)| (AccountStatus::from_raw(&raw), n)),
        );
        out
    }
}
