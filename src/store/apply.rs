//! How one [`Update`] changes one organization's data. Pure: no clock, no I/O.

use chrono::{DateTime, TimeDelta, Utc};

use super::{AccountsSource, ActionsEntry, LoadState, OrgData, PreparedAccounts, Update};
use crate::api::model::Account;
use crate::billing::{ListProblem, OrgBilling};

/// At most this many status changes are kept per organization (the newest).
pub const MAX_CHANGES: usize = 1_000;

/// Status changes older than this, relative to the newest sync, are dropped.
pub const CHANGE_RETENTION: TimeDelta = TimeDelta::hours(24);

/// The first list whose latest read failed (not refused), as one line.
fn billing_failure(billing: &OrgBilling) -> Option<&str> {
    [
        &billing.subscriptions.problem,
        &billing.invoices.problem,
        &billing.usage.problem,
        &billing.products.problem,
    ]
    .into_iter()
    .find_map(|p| match p {
        Some(ListProblem::Failed(error)) => Some(error.as_str()),
        _ => None,
    })
}

impl OrgData {
    /// Applies an update already routed to this organization; returns whether anything
    /// visible changed.
    pub(super) fn apply(&mut self, update: Update) -> bool {
        match update {
            Update::SyncStarted { .. } => self.set_load(LoadState::Syncing { done: 0, total: 0 }),
            Update::SyncProgress { done, total, .. } => {
                self.set_load(LoadState::Syncing { done, total })
            }
            Update::AccountsSynced { accounts, at, .. } => {
                self.accounts_synced(accounts, at);
                true
            }
            Update::SyncFailed { error, at, .. } => {
                self.load = LoadState::Failed {
                    error: error.clone(),
                    last_good_at: self.last_good_at,
                };
                self.last_error = Some((error, at));
                self.failed_since_good = self.last_good_at.is_some();
                true
            }
            Update::ContractActions {
                account_id,
                result,
                at,
                ..
            } => {
                if !self.may_cache(&account_id) {
                    return false;
                }
                let entry = self
                    .actions
                    .entry(account_id)
                    .or_insert_with(|| ActionsEntry {
                        actions: None,
                        fetched_at: None,
                        error: None,
                    });
                match result {
                    Ok(actions) => {
                        entry.actions = Some(actions);
                        entry.fetched_at = Some(at);
                        entry.error = None;
                    }
                    Err(error) => {
                        entry.error = Some(error.clone());
                        self.last_error = Some((error, at));
                    }
                }
                true
            }
            Update::ResellerContract {
                account_id, result, ..
            } => {
                if !self.may_cache(&account_id) {
                    return false;
                }
                self.contracts.insert(account_id, result);
                true
            }
            Update::TrialProvisioned {
                result: Ok(account),
                ..
            } => {
                self.provisional(account);
                true
            }
            Update::ContractActionCreated {
                account_id,
                result: Ok(action),
                ..
            } => {
                let entry = self
                    .actions
                    .entry(account_id)
                    .or_insert_with(|| ActionsEntry {
                        actions: None,
                        fetched_at: None,
                        error: None,
                    });
                let actions = entry.actions.get_or_insert_with(Vec::new);
                actions.retain(|a| a.id != action.id);
                actions.push(action);
                true
            }
            Update::BillingStarted { .. } => {
                self.set_billing_load(LoadState::Syncing { done: 0, total: 0 })
            }
            Update::BillingProgress { done, total, .. } => {
                self.set_billing_load(LoadState::Syncing { done, total })
            }
            Update::BillingSynced { billing, at, .. } => {
                // A failed list is an error for the status line; a refused one is not
                // (the billing view names the missing scope).
                if let Some(error) = billing_failure(&billing) {
                    self.last_error = Some((format!("{}: {error}", self.name), at));
                }
                self.billing = billing;
                self.billing_load = LoadState::Ready { at };
                self.billing_revision += 1;
                true
            }
            Update::Cached {
                accounts,
                billing,
                saved_at,
                ..
            } => self.cached(accounts, billing, saved_at),
            Update::AccountsPrepared {
                prepared, source, ..
            } => self.prepared(*prepared, source),
            // A failure is the form's business; an event is not routed to an organization.
            Update::TrialProvisioned { result: Err(_), .. }
            | Update::ContractActionCreated { result: Err(_), .. }
            | Update::Event(_)
            | Update::Exported { .. } => false,
        }
    }

    /// Shows a just-provisioned account at once (the next sync replaces it by what the
    /// server lists). An account already listed is updated in place.
    fn provisional(&mut self, account: Account) {
        self.upsert_account(account);
    }

    fn set_billing_load(&mut self, load: LoadState) -> bool {
        let changed = self.billing_load != load;
        self.billing_load = load;
        changed
    }

    fn set_load(&mut self, load: LoadState) -> bool {
        let changed = self.load != load;
        self.load = load;
        changed
    }

    /// Caches are kept for known accounts only, so a late answer for an account that
    /// vanished is not revived. Before the first good sync every id is accepted.
    fn may_cache(&self, account_id: &str) -> bool {
        self.last_good_at.is_none() || self.by_id.contains_key(account_id)
    }

    /// Applies a prepared list as its source would be; a list prepared against an
    /// older revision is dropped (logged): the dashboard holds updates while preparing,
    /// so it never sends one.
    fn prepared(&mut self, prepared: PreparedAccounts, source: AccountsSource) -> bool {
        match source {
            AccountsSource::Synced { at } => {
                if self.apply_prepared(prepared, at).is_none() {
                    tracing::warn!(
                        org = self.name,
                        "prepared accounts of an older revision dropped"
                    );
                    return false;
                }
                self.mark_ready(at);
                true
            }
            AccountsSource::Cached { saved_at } => self.cached_prepared(prepared, saved_at),
        }
    }

    fn accounts_synced(&mut self, accounts: Vec<Account>, at: DateTime<Utc>) {
        // Unchanged accounts keep their slots, keys and index entries; when nothing
        // changed the revision stays, so views keep their listing.
        self.merge_accounts(accounts, at);
        self.mark_ready(at);
    }

    /// A sync succeeded at `at`.
    fn mark_ready(&mut self, at: DateTime<Utc>) {
        self.load = LoadState::Ready { at };
        // The organization recovered: an error from before this sync is history.
        if self
            .last_error
            .as_ref()
            .is_some_and(|(_, when)| *when <= at)
        {
            self.last_error = None;
        }
        self.last_good_at = Some(at);
        self.cached_at = None;
        self.failed_since_good = false;
        self.prune_changes(at);
    }

    /// Keeps the newest [`MAX_CHANGES`] changes within [`CHANGE_RETENTION`] of `now`,
    /// then rebuilds the index of each account's newest change.
    fn prune_changes(&mut self, now: DateTime<Utc>) {
        let cutoff = now - CHANGE_RETENTION;
        self.changes.retain(|c| c.at >= cutoff);
        let excess = self.changes.len().saturating_sub(MAX_CHANGES);
        self.changes.drain(..excess);
        self.latest_change.clear();
        for (i, change) in self.changes.iter().enumerate() {
            self.latest_change.insert(change.account_id.clone(), i);
        }
    }
}
