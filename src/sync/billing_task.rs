//! The billing side of an organization's task: when to read the billing lists, which
//! ones to ask, throttled progress, and the next snapshot, derived off the UI task.
//!
//! One read at a time. A list refused with a 403 (or whose scope the token lacks) is not
//! asked again before the next billing interval, not even by a retry after another
//! list failed; a manual refresh asks every list.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

use super::billing::{self, List};
use super::task::{COALESCE, PROGRESS_EVERY, when};
use super::timing::{backoff, next_interval};
use crate::api::{Client, PageProgress};
use crate::billing::OrgBilling;
use crate::store::Update;

/// Between two billing reads unless configured (`[sync] billing_interval_secs`).
pub const DEFAULT_BILLING_INTERVAL: Duration = Duration::from_secs(3600);

/// When each organization's billing lists are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingReads {
    /// At the task's start, on [`super::SyncCommand::Refresh`], and every interval
    /// (plus up to 10 % jitter); after a failed list, sooner, with the accounts' backoff.
    Every(Duration),
    /// Never: accounts only.
    Off,
}

impl Default for BillingReads {
    fn default() -> Self {
        Self::Every(DEFAULT_BILLING_INTERVAL)
    }
}

/// A finished read, derived.
struct Finished {
    asked: Vec<List>,
    denied: Vec<List>,
    failed: Vec<List>,
    /// `None` when deriving failed (the previous snapshot stays).
    billing: Option<Arc<OrgBilling>>,
    at: DateTime<Utc>,
}

struct Running {
    future: BoxFuture<'static, Finished>,
    progress: watch::Receiver<PageProgress>,
    progress_open: bool,
    started: Instant,
    follow_up: bool,
}

/// What woke [`BillingReader::next`].
enum Woke {
    Done(Finished),
    Changed(bool),
    ProgressDue,
    Due,
}

pub struct BillingReader {
    org: usize,
    client: Client,
    /// `None`: billing is off.
    interval: Option<Duration>,
    failure_backoff: Duration,
    previous: Arc<OrgBilling>,
    running: Option<Running>,
    /// When the next scheduled read starts (`None` when off).
    next_read: Option<Instant>,
    failures: u32,
    /// Per list (in [`List::ALL`] order): refused, not asked before then unless manually.
    denied_until: [Option<Instant>; 4],
    progress_due: Option<Instant>,
    progress_sent: Option<Instant>,
}

impl BillingReader {
    /// A reader whose first read is due at once (unless `reads` is off).
    pub fn new(org: usize, client: Client, reads: BillingReads, failure_backoff: Duration) -> Self {
        let interval = match reads {
            BillingReads::Every(interval) => Some(interval),
            BillingReads::Off => None,
        };
        Self {
            org,
            client,
            interval,
            failure_backoff,
            previous: Arc::default(),
            running: None,
            next_read: interval.map(|_| Instant::now()),
            failures: 0,
            denied_until: [None; 4],
            progress_due: None,
            progress_sent: None,
        }
    }

    /// Waits for the next thing to do (a read due, progress, a read done) and returns
    /// the updates to send. Cancel-safe: state changes only after the wait.
    pub async fn next(&mut self) -> Vec<Update> {
        let woke = {
            let due = self.running.is_none().then_some(self.next_read).flatten();
            let progress_due = self.progress_due;
            let (future, progress) = match &mut self.running {
                Some(r) => (
                    Some(&mut r.future),
                    r.progress_open.then_some(&mut r.progress),
                ),
                None => (None, None),
            };
            tokio::select! {
                done = when(future) => Woke::Done(done),
                changed = when(progress.map(|p| p.changed())) => Woke::Changed(changed.is_ok()),
                () = when(progress_due.map(sleep_until)) => Woke::ProgressDue,
                () = when(due.map(sleep_until)) => Woke::Due,
            }
        };
        match woke {
            Woke::Done(done) => self.finished(done),
            Woke::Changed(open) => {
                self.progressed(open);
                Vec::new()
            }
            Woke::ProgressDue => self.progress().into_iter().collect(),
            Woke::Due => vec![self.start(false)],
        }
    }

    /// A refresh asked at `at`: starts a read (every list), or is answered by the running
    /// one when it began less than [`COALESCE`] before, else queues one follow-up.
    pub fn refresh(&mut self, at: Instant) -> Option<Update> {
        self.interval?;
        match &mut self.running {
            Some(run) => {
                if at.saturating_duration_since(run.started) > COALESCE {
                    run.follow_up = true;
                }
                None
            }
            None => Some(self.start(true)),
        }
    }

    /// The lists to ask now: all on a manual refresh, else those not refused lately.
    fn to_ask(&self, now: Instant, manual: bool) -> Vec<List> {
        List::ALL
            .into_iter()
            .filter(|l| manual || self.denied_until[l.index()].is_none_or(|until| now >= until))
            .collect()
    }

    fn start(&mut self, manual: bool) -> Update {
        let now = Instant::now();
        let asked = self.to_ask(now, manual);
        let (tx, rx) = watch::channel(PageProgress { done: 0, total: 0 });
        let (client, previous, org) = (self.client.clone(), self.previous.clone(), self.org);
        let future = Box::pin(async move {
            let report = move |p: PageProgress| {
                tx.send_replace(p);
            };
            let lists = billing::read(&client, &asked, &report).await;
            drop(report);
            let (denied, failed) = (lists.denied(), lists.failed());
            let at = Utc::now();
            let billing = billing::derive(lists.after(&previous, at), org, at).await;
            Finished {
                asked,
                denied,
                failed,
                billing,
                at,
            }
        });
        self.running = Some(Running {
            future,
            progress: rx,
            progress_open: true,
            started: now,
            follow_up: false,
        });
        self.progress_due = None;
        tracing::debug!(
            org = self.client.organization(),
            manual,
            "billing read started"
        );
        Update::BillingStarted { org: self.org }
    }

    fn finished(&mut self, done: Finished) -> Vec<Update> {
        let Some(run) = self.running.take() else {
            return Vec::new();
        };
        self.progress_due = None;
        let now = Instant::now();
        let interval = self.interval.unwrap_or(DEFAULT_BILLING_INTERVAL);
        for list in &done.asked {
            self.denied_until[list.index()] = done.denied.contains(list).then_some(now + interval);
        }
        let name = self.client.organization();
        let took = run.started.elapsed();
        if done.failed.is_empty() && done.billing.is_some() {
            self.failures = 0;
            self.next_read = Some(now + next_interval(interval));
            tracing::info!(org = name, denied = ?done.denied, ?took, "billing read done");
        } else {
            self.failures = self.failures.saturating_add(1);
            let retry_in = backoff(self.failure_backoff, interval, self.failures);
            self.next_read = Some(now + retry_in);
            tracing::warn!(org = name, failed = ?done.failed, ?retry_in, "billing read failed");
        }
        if let Some(billing) = done.billing {
            self.previous = billing;
        }
        let mut updates = vec![Update::BillingSynced {
            org: self.org,
            billing: self.previous.clone(),
            at: done.at,
        }];
        if run.follow_up {
            updates.push(self.start(true));
        }
        updates
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

    fn progress(&mut self) -> Option<Update> {
        self.progress_due = None;
        let p = *self.running.as_ref()?.progress.borrow();
        self.progress_sent = Some(Instant::now());
        Some(Update::BillingProgress {
            org: self.org,
            done: p.done,
            total: p.total,
        })
    }
}
