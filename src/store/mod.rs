//! The single source of truth the screen reads: per organization, its accounts,
//! contract actions, load state and last error.
//!
//! Only [`Store::apply`] changes it, and applying an [`Update`] is a pure function:
//! no I/O, no clock (times come inside the updates), so it is unit-tested directly.

mod apply;
mod cached;
mod diff;
mod events;
mod org;
mod prepare;
mod text;

pub use apply::{CHANGE_RETENTION, MAX_CHANGES};
pub use diff::AccountsDiff;
pub use events::{EventLog, MAX_EVENTS, event_time};
pub use prepare::{AccountsBase, PreparedAccounts};
pub use text::{
    AccountKeys, FIELD_SEP, Folded, byte_set, cmp_companies, cmp_names, cmp_text, company_prefix,
    name_prefix,
};

use compact_str::CompactString;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::api::model::{Account, AccountStatus, ContractAction, FieldError, ResellerContract};
use crate::billing::OrgBilling;
use crate::events::StoredEvent;

/// Everything the sync tasks report. Owned values, sent over a bounded channel.
#[derive(Debug, Clone)]
pub enum Update {
    /// A full account sync of `org` began.
    SyncStarted { org: usize },
    /// `done` of `total` pages of the running sync have arrived.
    SyncProgress { org: usize, done: u32, total: u32 },
    /// A full account sync finished: `accounts` replaces the organization's accounts.
    AccountsSynced {
        org: usize,
        accounts: Vec<Account>,
        at: DateTime<Utc>,
    },
    /// A sync failed; the last good accounts stay, marked stale. `error` is one line.
    SyncFailed {
        org: usize,
        error: String,
        at: DateTime<Utc>,
    },
    /// An account's contract actions were read.
    ContractActions {
        org: usize,
        account_id: String,
        result: Result<Vec<ContractAction>, String>,
        at: DateTime<Utc>,
    },
    /// An account's reseller contract information was read (or refused, e.g. no scope).
    ResellerContract {
        org: usize,
        account_id: String,
        result: Result<ResellerContract, String>,
    },
    /// A trial the dashboard asked for (request number `request`) was provisioned, or
    /// not. On success `account` (status `IN_TRIAL`) is shown at once, until the next
    /// sync replaces it with what the server lists.
    TrialProvisioned {
        org: usize,
        request: u64,
        result: Result<Account, TrialFailure>,
    },
    /// A contract action the dashboard asked for (request number `request`) was created,
    /// or not (one line: the server's message). On success it joins the account's list at
    /// once, until a re-read replaces the list.
    ContractActionCreated {
        org: usize,
        account_id: String,
        request: u64,
        result: Result<ContractAction, String>,
    },
    /// A billing read (subscriptions, invoices, usage, products) of `org` began.
    BillingStarted { org: usize },
    /// `done` of `total` pages of the running billing read have arrived (all four lists).
    BillingProgress { org: usize, done: u32, total: u32 },
    /// A billing read finished: each list's outcome and the derived figures, computed
    /// off the UI thread. Replaces the organization's billing data whole.
    BillingSynced {
        org: usize,
        billing: Arc<OrgBilling>,
        at: DateTime<Utc>,
    },
    /// The cache on disk was read at start: the accounts and billing saved at `saved_at`
    /// (either may be missing). Shown until the first sync replaces them; ignored once
    /// a sync or billing read has arrived.
    Cached {
        org: usize,
        accounts: Option<Vec<Account>>,
        billing: Option<Arc<OrgBilling>>,
        saved_at: DateTime<Utc>,
    },
    /// A full account list of `org` resolved off the UI task against the revision
    /// the dashboard had (see [`OrgData::base`]): applied like the `source` it came
    /// from, moving only what changed.
    AccountsPrepared {
        org: usize,
        prepared: Box<PreparedAccounts>,
        source: AccountsSource,
    },
    /// A webhook event arrived (or was reloaded from the journal). It belongs to no
    /// organization until its `account_id` is matched against their accounts.
    Event(Box<StoredEvent>),
    /// An `x` export written off the UI task finished: the status line's one line (the
    /// file and its row count, or what went wrong). Not the store's: the app shows it.
    Exported { result: Result<String, String> },
}

/// Where a prepared account list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountsSource {
    /// A full sync that finished at `at` ([`Update::AccountsSynced`]).
    Synced { at: DateTime<Utc> },
    /// The cache on disk, saved at `saved_at` ([`Update::Cached`]).
    Cached { saved_at: DateTime<Utc> },
}

/// Why a trial was not provisioned: one line, and the fields the server (or the
/// client's own check) refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialFailure {
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// How an organization's account data stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadState {
    /// Nothing asked yet.
    Idle,
    /// A sync is running: `done` of `total` pages (total 0 until the first page).
    Syncing { done: u32, total: u32 },
    /// The last sync succeeded at `at`.
    Ready { at: DateTime<Utc> },
    /// The last sync failed; data from `last_good_at` (if any) is still shown, stale.
    Failed {
        error: String,
        last_good_at: Option<DateTime<Utc>>,
    },
}

/// An account's status changed between two syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub account_id: String,
    pub old: AccountStatus,
    pub new: AccountStatus,
    /// When the sync that saw it finished.
    pub at: DateTime<Utc>,
}

/// What is known of one account's contract actions.
#[derive(Debug, Clone)]
pub struct ActionsEntry {
    /// The last successful read, if any (kept when a later read fails).
    pub actions: Option<Vec<ContractAction>>,
    pub fetched_at: Option<DateTime<Utc>>,
    /// The last read's error, cleared by a success.
    pub error: Option<String>,
}

/// One organization's data.
#[derive(Debug, Clone)]
pub struct OrgData {
    /// The configured name.
    pub name: String,
    /// In stable slots: an account keeps its slot across syncs while it is listed
    /// (first sync: the server's order; later ones append new accounts and fill the
    /// slots of removed ones from the end).
    /// Shared with a prepare step while one runs (see [`OrgData::base`]).
    pub accounts: Arc<Vec<Account>>,
    /// Per slot of `accounts`: its search haystack and sort keys.
    keys: Vec<AccountKeys>,
    /// How the last change moved the slots (see [`OrgData::last_diff`]).
    last_diff: Option<AccountsDiff>,
    /// `accounts` index by account id.
    pub by_id: Arc<HashMap<CompactString, usize>>,
    pub load: LoadState,
    /// When the shown accounts were read (None before the first success).
    pub last_good_at: Option<DateTime<Utc>>,
    /// The most recent error of any kind, one line, with its time.
    pub last_error: Option<(String, DateTime<Utc>)>,
    pub actions: HashMap<String, ActionsEntry>,
    pub contracts: HashMap<String, Result<ResellerContract, String>>,
    /// Status changes seen between syncs, newest last.
    pub changes: Vec<StatusChange>,
    /// Bumped whenever `accounts` changes: views recompute their row index then.
    pub revision: u64,
    /// Subscriptions, invoices, usage and products as last read, with derived figures.
    pub billing: Arc<OrgBilling>,
    /// How the billing read stands (`Failed` is not used: each list keeps its problem).
    pub billing_load: LoadState,
    /// Bumped whenever `billing` is replaced (the MRR column's sort reads it).
    pub billing_revision: u64,
    /// The shown accounts come from the cache saved at this time; cleared by the first
    /// successful sync.
    pub cached_at: Option<DateTime<Utc>>,
    /// Account id -> index in `changes` of its newest change (kept by `apply`).
    latest_change: HashMap<String, usize>,
    /// Accounts per status, computed when `accounts` changes.
    counts: Vec<(AccountStatus, usize)>,
    /// The last sync failed after data had been shown: what is shown is stale.
    failed_since_good: bool,
}

/// All organizations, in configuration order.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub orgs: Vec<OrgData>,
    /// Webhook events, across organizations.
    pub events: EventLog,
}

impl Store {
    /// An empty store for organizations with these names, in this order.
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        Self {
            orgs: names.into_iter().map(OrgData::new).collect(),
            events: EventLog::default(),
        }
    }

    /// Applies one update. Returns whether anything visible changed. An update for an
    /// organization index the store does not have is ignored (returns false), and so is
    /// an event already seen (same id).
    pub fn apply(&mut self, update: Update) -> bool {
        if let Update::Event(event) = update {
            return self.events.push(*event);
        }
        match update.org().and_then(|org| self.orgs.get_mut(org)) {
            Some(org) => org.apply(update),
            None => false,
        }
    }

    /// The organizations that list an account with this id (normally one).
    pub fn orgs_of_account<'a>(&'a self, account_id: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.orgs
            .iter()
            .enumerate()
            .filter(move |(_, o)| o.by_id.contains_key(account_id))
            .map(|(i, _)| i)
    }

    /// Accounts across every organization.
    pub fn total_accounts(&self) -> usize {
        self.orgs.iter().map(|o| o.accounts.len()).sum()
    }
}

impl Update {
    /// The organization index the update is about; `None` for an event (matched to
    /// an organization by its account, see [`Store::orgs_of_account`]).
    pub fn org(&self) -> Option<usize> {
        match self {
            Self::SyncStarted { org }
            | Self::SyncProgress { org, .. }
            | Self::AccountsSynced { org, .. }
            | Self::SyncFailed { org, .. }
            | Self::ContractActions { org, .. }
            | Self::ResellerContract { org, .. }
            | Self::TrialProvisioned { org, .. }
            | Self::ContractActionCreated { org, .. }
            | Self::BillingStarted { org }
            | Self::BillingProgress { org, .. }
            | Self::BillingSynced { org, .. }
            | Self::Cached { org, .. }
            | Self::AccountsPrepared { org, .. } => Some(*org),
            Self::Event(_) | Self::Exported { .. } => None,
        }
    }
}
