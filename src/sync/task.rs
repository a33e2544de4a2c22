//! One organization's sync task: a `select!` over its commands, the running account
//! sync, throttled progress, the schedule, contract-action reads, and billing reads.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep_until};

use super::billing_task::{BillingReader, BillingReads};
use super::fetch::{self, Read};
use super::prefetch::Prefetcher;
use super::timing::{backoff, next_interval};
use super::{SyncCommand, SyncSettings};
use crate::api::model::Account;
use crate::api::{ApiError, Client, PageProgress};
use crate::store::Update;

/// A command with the time it was asked.
#[derive(Debug)]
pub struct Envelope {
    pub at: Instant,
    pub command: SyncCommand,
}

/// A Refresh asked less than this after the running sync began is answered by it;
/// one asked later queues a single follow-up sync.
pub(super) const COALESCE: Duration = Duration::from_secs(1);

/// At most one progress update per this much time.
pub(super) const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The app dropped its receiver: the task ends.
pub struct Closed;

struct Running {
    future: BoxFuture<'static, Result<Vec<Account>, ApiError>>,
    progress: watch::Receiver<PageProgress>,
    /// False once the progress sender is gone (the sync is finishing).
    progress_open: bool,
    started: Instant,
    follow_up: bool,
}

pub struct OrgTask {
    org: usize,
    client: Client,
    settings: SyncSettings,
    updates: mpsc::Sender<Update>,
    commands: mpsc::Receiver<Envelope>,
    running: Option<Running>,
    next_sync: Instant,
    failures: u32,
    /// When the latest unsent progress may go out.
    progress_due: Option<Instant>,
    progress_sent: Option<Instant>,
    reads: FuturesUnordered<BoxFuture<'static, Read>>,
    /// Opened accounts being read.
    opening: usize,
    prefetch: Prefetcher,
    billing: BillingReader,
}

impl OrgTask {
    pub fn new(
        org: usize,
        client: Client,
        settings: SyncSettings,
        billing: BillingReads,
        updates: mpsc::Sender<Update>,
        commands: mpsc::Receiver<Envelope>,
    ) -> Self {
        let now = Instant::now();
        Self {
            org,
            billing: BillingReader::new(org, client.clone(), billing, settings.failure_backoff),
            client,
            prefetch: Prefetcher::new(settings.prefetch_per_minute, now),
            settings,
            updates,
            commands,
            running: None,
            next_sync: now,
            failures: 0,
            progress_due: None,
            progress_sent: None,
            reads: FuturesUnordered::new(),
            opening: 0,
        }
    }

    /// Runs until the app's receiver or the command sender is gone.
    pub async fn run(mut self) {
        let _closed: Result<(), Closed> = self.serve().await;
        tracing::debug!(org = self.client.organization(), "sync task ended");
    }

    async fn serve(&mut self) -> Result<(), Closed> {
        loop {
            let idle = self.running.is_none();
            let progress_due = self.progress_due;
            let (sync, progress) = match &mut self.running {
                Some(r) => (
                    Some(&mut r.future),
                    r.progress_open.then_some(&mut r.progress),
                ),
                None => (None, None),
            };
            tokio::select! {
                () = self.updates.closed() => return Err(Closed),
                command = self.commands.recv() => match command {
                    Some(command) => self.command(command).await?,
                    None => return Err(Closed),
                },
                result = when(sync) => self.finished(result).await?,
                changed = when(progress.map(|p| p.changed())) => self.progressed(changed.is_ok()),
                () = sleep_until(self.next_sync), if idle => self.start().await?,
                () = sleep_until(progress_due.unwrap_or(self.next_sync)), if progress_due.is_some() => {
                    self.send_progress().await?;
                }
                Some(read) = self.reads.next(), if !self.reads.is_empty() => self.read(read).await?,
                updates = self.billing.next() => {
                    for update in updates {
                        self.send(update).await?;
                    }
                }
            }
        }
    }

    async fn command(&mut self, envelope: Envelope) -> Result<(), Closed> {
        match envelope.command {
            SyncCommand::Refresh => {
                if let Some(started) = self.billing.refresh(envelope.at) {
                    self.send(started).await?;
                }
                match &mut self.running {
                    Some(r) => {
                        if envelope.at.saturating_duration_since(r.started) > COALESCE {
                            r.follow_up = true;
                        }
                    }
                    None => self.start().await?,
                }
            }
            SyncCommand::OpenAccount { account_id } => {
                self.opening += 1;
                self.reads
                    .push(fetch::open(self.client.clone(), account_id));
            }
            SyncCommand::Prefetch { account_ids } => {
                let asked = account_ids.len();
                let queued = self.prefetch.admit(account_ids, Instant::now());
                tracing::debug!(org = self.client.organization(), asked, queued, "prefetch");
                self.pump_prefetch();
            }
        }
        Ok(())
    }

    async fn start(&mut self) -> Result<(), Closed> {
        let (tx, rx) = watch::channel(PageProgress { done: 0, total: 0 });
        self.running = Some(Running {
            future: fetch::accounts(self.client.clone(), tx),
            progress: rx,
            progress_open: true,
            started: Instant::now(),
            follow_up: false,
        });
        self.progress_due = None;
        tracing::debug!(org = self.client.organization(), "sync started");
        self.send(Update::SyncStarted { org: self.org }).await
    }

    async fn finished(&mut self, result: Result<Vec<Account>, ApiError>) -> Result<(), Closed> {
        let Some(run) = self.running.take() else {
            return Ok(());
        };
        // A progress update after the result would show the sync as still running.
        self.progress_due = None;
        let pages = run.progress.borrow().done;
        let took = run.started.elapsed();
        let org = self.client.organization().to_owned();
        let update = match result {
            Ok(accounts) => {
                tracing::info!(org, accounts = accounts.len(), pages, ?took, "sync done");
                self.failures = 0;
                self.next_sync = Instant::now() + next_interval(self.settings.interval);
                Update::AccountsSynced {
                    org: self.org,
                    accounts,
                    at: Utc::now(),
                }
            }
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                let s = &self.settings;
                let retry_in = backoff(s.failure_backoff, s.interval, self.failures);
                tracing::warn!(org, pages, ?took, ?retry_in, "sync failed: {error}");
                self.next_sync = Instant::now() + retry_in;
                Update::SyncFailed {
                    org: self.org,
                    error: fetch::line(&self.client, &error),
                    at: Utc::now(),
                }
            }
        };
        self.send(update).await?;
        if run.follow_up {
            self.start().await?;
        }
        Ok(())
    }

    fn progressed(&mut self, open: bool) {
        let Some(run) = &mut self.running else {
            return;
        };
        if !open {
            run.progress_open = false;
        } else if self.progress_due.is_none() {
            let now = Instant::now();
            let earliest = self.progress_sent.map_or(now, |at| at + PROGRESS_EVERY);
            self.progress_due = Some(earliest.max(now));
        }
    }

    async fn send_progress(&mut self) -> Result<(), Closed> {
        self.progress_due = None;
        let Some(run) = &self.running else {
            return Ok(());
        };
        let p = *run.progress.borrow();
        self.progress_sent = Some(Instant::now());
        self.send(Update::SyncProgress {
            org: self.org,
            done: p.done,
            total: p.total,
        })
        .await
    }

    async fn read(&mut self, read: Read) -> Result<(), Closed> {
        let (now, at, org) = (Instant::now(), Utc::now(), self.org);
        match read {
            Read::Opened {
                account_id,
                actions,
                contract,
            } => {
                self.opening = self.opening.saturating_sub(1);
                self.prefetch.read_elsewhere(&account_id, now);
                self.pump_prefetch();
                tracing::debug!(org = self.client.organization(), "account read");
                self.send(Update::ContractActions {
                    org,
                    account_id: account_id.clone(),
                    result: actions,
                    at,
                })
                .await?;
                self.send(Update::ResellerContract {
                    org,
                    account_id,
                    result: contract,
                })
                .await
            }
            Read::Prefetched {
                account_id,
                actions,
            } => {
                self.prefetch.finished(&account_id, now);
                self.pump_prefetch();
                self.send(Update::ContractActions {
                    org,
                    account_id,
                    result: actions,
                    at,
                })
                .await
            }
        }
    }

    fn pump_prefetch(&mut self) {
        while let Some(id) = self.prefetch.next(self.opening > 0) {
            self.reads.push(fetch::prefetch(self.client.clone(), id));
        }
    }

    /// `&mut self`: the task is `Send` but not `Sync` (it holds boxed futures).
    async fn send(&mut self, update: Update) -> Result<(), Closed> {
        self.updates.send(update).await.map_err(|_| Closed)
    }
}

/// The future's output, or never when there is none.
pub(super) async fn when<F: Future>(future: Option<F>) -> F::Output {
    match future {
        Some(future) => future.await,
        None => std::future::pending().await,
    }
}
