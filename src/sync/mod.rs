//! The poller: one task per organization, owning time (intervals, backoff, what to
//! fetch next). It never touches the terminal; it sends owned [`Update`]s over a
//! bounded channel and takes [`SyncCommand`]s.
//!
//! Each task runs at most one account sync at a time, as a future polled inside its
//! `select!`, so commands (opening an account, prefetching) are served while it runs;
//! beside it, at most one billing read (see [`billing`] and [`BillingReads`]).

pub mod billing;
mod billing_task;
mod failed;
mod fetch;
mod prefetch;
mod task;
mod timing;

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use crate::api::Client;
use crate::store::Update;

pub use billing_task::{BillingReads, DEFAULT_BILLING_INTERVAL};
pub use prefetch::FRESH_FOR as PREFETCH_FRESH_FOR;
use task::Envelope;

/// Commands queued per organization; more are dropped (the UI asks again).
const COMMAND_QUEUE: usize = 16;

/// Asked of one organization's task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncCommand {
    /// Sync the accounts and read the billing lists now (every list, even one refused
    /// lately). While a sync or read is in flight it is coalesced: a Refresh asked within a
    /// second of its start is answered by it, a later one queues a single follow-up
    /// however often it is asked.
    Refresh,
    /// The user opened this account: read its contract actions (fresh) and its reseller
    /// contract information.
    OpenAccount { account_id: String },
    /// The rows around the selection: read their contract actions within the budget.
    /// Accounts read in the last [`PREFETCH_FRESH_FOR`] or already queued are skipped;
    /// ids beyond the budget are dropped.
    Prefetch { account_ids: Vec<String> },
}

/// Timing of the sync tasks.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Between two full syncs (plus up to 10 % jitter).
    pub interval: Duration,
    /// First delay after a failed sync; doubled per failure, capped at `interval`.
    pub failure_backoff: Duration,
    /// Contract-action prefetch requests allowed per minute per organization (one per
    /// account; an account with many actions may take more than one page). 0 disables it.
    pub prefetch_per_minute: u32,
    /// When the billing lists (subscriptions, invoices, usage, products) are read.
    pub billing: BillingReads,
}

/// What a task is started with: a client, or why there is none (e.g. a missing secret).
pub type OrgSource = Result<Client, String>;

/// Sends commands to the running tasks; dropping it stops them.
#[derive(Debug)]
pub struct SyncHandle {
    commands: Vec<mpsc::Sender<Envelope>>,
    tasks: Vec<AbortHandle>,
}

impl SyncHandle {
    /// Asks organization `org` to do `command`; never blocks (a full queue drops a
    /// duplicate refresh or prefetch). An unknown `org` is ignored.
    pub fn send(&self, org: usize, command: SyncCommand) {
        let Some(queue) = self.commands.get(org) else {
            return;
        };
        let envelope = Envelope {
            at: Instant::now(),
            command,
        };
        if let Err(mpsc::error::TrySendError::Full(dropped)) = queue.try_send(envelope) {
            tracing::debug!(org, command = ?dropped.command, "sync command queue full: dropped");
        }
    }

    /// [`SyncCommand::Refresh`] to every organization.
    pub fn refresh_all(&self) {
        for org in 0..self.commands.len() {
            self.send(org, SyncCommand::Refresh);
        }
    }

    /// Resolves once every task has ended: the app's update receiver is gone (or a
    /// task died).
    pub async fn stopped(&self) {
        futures::future::join_all(self.commands.iter().map(|c| c.closed())).await;
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts one task per organization (index = position in `orgs`), each doing a full
/// account sync at once and then every `settings.interval`, and reading the billing
/// lists on `settings.billing`'s schedule. Must be called within a Tokio runtime. The
/// tasks end when `updates`' receiver or the handle is dropped.
pub fn spawn(
    orgs: Vec<OrgSource>,
    settings: SyncSettings,
    updates: mpsc::Sender<Update>,
) -> SyncHandle {
    let billing = settings.billing;
    let mut commands = Vec::with_capacity(orgs.len());
    let mut tasks = Vec::with_capacity(orgs.len());
    for (org, source) in orgs.into_iter().enumerate() {
        let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
        let updates = updates.clone();
        let task = match source {
            Ok(client) => {
                let task = task::OrgTask::new(org, client, settings.clone(), billing, updates, rx);
                tokio::spawn(task.run())
            }
            Err(error) => tokio::spawn(failed::run(org, error, updates, rx)),
        };
        commands.push(tx);
        tasks.push(task.abort_handle());
    }
    SyncHandle { commands, tasks }
}
