//! The poller: one task per organization, owning time (intervals, backoff, what to
//! fetch next). It never touches the terminal; it sends owned [`Update`]s over a
//! bounded channel and takes [`SyncCommand`]s.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::api::Client;
use crate::store::Update;

/// Asked of one organization's task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncCommand {
    /// Sync the accounts now (ignored while a sync is in flight).
    Refresh,
    /// The user opened this account: read its contract actions (fresh) and its reseller
    /// contract information.
    OpenAccount { account_id: String },
    /// The rows around the selection: read their contract actions within the budget.
    Prefetch { account_ids: Vec<String> },
}

/// Timing of the sync tasks.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Between two full syncs (plus up to 10 % jitter).
    pub interval: Duration,
    /// First delay after a failed sync; doubled per failure, capped at `interval`.
    pub failure_backoff: Duration,
    /// Contract-action prefetch requests allowed per minute per organization.
    pub prefetch_per_minute: u32,
}

/// What a task is started with: a client, or why there is none (e.g. a missing secret).
pub type OrgSource = Result<Client, String>;

/// Sends commands to the running tasks; dropping it stops them.
pub struct SyncHandle {}

impl SyncHandle {
    /// Asks organization `org` to do `command`; never blocks (a full queue drops a
    /// duplicate refresh or prefetch).
    pub fn send(&self, org: usize, command: SyncCommand) {
        let _ = (org, command);
        todo!("sync")
    }

    /// [`SyncCommand::Refresh`] to every organization.
    pub fn refresh_all(&self) {
        todo!("sync")
    }
}

/// Starts one task per organization (index = position in `orgs`), each doing a full
/// sync at once and then every `settings.interval`.
pub fn spawn(
    orgs: Vec<OrgSource>,
    settings: SyncSettings,
    updates: mpsc::Sender<Update>,
) -> SyncHandle {
    let _ = (orgs, settings, updates);
    todo!("sync")
}
