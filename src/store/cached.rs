//! Applying what the cache on disk held: shown as last good data saved at `saved_at`,
//! marked cached, until the first sync replaces it. Pure, like the rest of `apply`.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{OrgData, PreparedAccounts};
use crate::api::model::Account;
use crate::billing::OrgBilling;

impl OrgData {
    /// Takes cached accounts unless a sync already brought some, and cached billing
    /// unless a billing read already did. Returns whether anything changed.
    pub(super) fn cached(
        &mut self,
        accounts: Option<Vec<Account>>,
        billing: Option<Arc<OrgBilling>>,
        saved_at: DateTime<Utc>,
    ) -> bool {
        let mut changed = false;
        if let Some(accounts) = accounts {
            changed = self.cached_prepared(self.base().prepare(accounts), saved_at);
        }
        if let Some(billing) = billing.filter(|_| self.billing_revision == 0) {
            self.billing = billing;
            self.billing_revision += 1;
            changed = true;
        }
        changed
    }

    /// Takes cached accounts (prepared, e.g. on the cache's loading thread) unless a
    /// sync already brought some.
    pub(super) fn cached_prepared(
        &mut self,
        prepared: PreparedAccounts,
        saved_at: DateTime<Utc>,
    ) -> bool {
        if self.last_good_at.is_some() {
            return false;
        }
        // Before any sync, so no status change is recorded; slots, keys and the
        // index are built as for a sync.
        if self.apply_prepared(prepared, saved_at).is_none() {
            tracing::warn!(
                org = self.name,
                "prepared cache of an older revision dropped"
            );
            return false;
        }
        self.last_good_at = Some(saved_at);
        self.cached_at = Some(saved_at);
        // A sync that failed before the cache arrived: what is shown is stale.
        self.failed_since_good = matches!(self.load, super::LoadState::Failed { .. });
        true
    }
}
