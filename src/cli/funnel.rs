//! `tdbi funnel`: per organization, how trials ended over the last N days (from the
//! events journal) and how many are running or lost now (from the accounts).

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::api::model::AccountStatus;
use crate::billing::{Funnel, TrialEnd, funnel};
use crate::config::{Config, default_journal};
use crate::events::{EventKind, StoredEvent, journal};
use crate::store::event_time;

use super::args::FunnelArgs;
use super::billing_read::{self, Needs, OrgRead};
use super::error::CliError;
use super::output;
use super::values::fraction;

/// The windows shown when `--days` is not given.
pub const DEFAULT_DAYS: [u32; 2] = [30, 90];

/// One organization's funnel over one window.
#[derive(Debug, Serialize)]
pub struct FunnelRecord<'a> {
    pub organization: &'a str,
    pub days: u32,
    pub converted: usize,
    pub expired: usize,
    pub uninstalled: usize,
    pub other: usize,
    pub ended: usize,
    pub in_trial: usize,
    pub trial_lost: usize,
    /// converted / ended, four places; `None` when nothing ended.
    pub conversion_rate: Option<String>,
    #[serde(skip)]
    rate_text: String,
}

impl<'a> FunnelRecord<'a> {
    fn new(organization: &'a str, f: &Funnel) -> Self {
        Self {
            organization,
            days: f.days,
            converted: f.converted,
            expired: f.expired,
            uninstalled: f.uninstalled,
            other: f.other,
            ended: f.ended(),
            in_trial: f.in_trial,
            trial_lost: f.trial_lost,
            conversion_rate: f.conversion_rate().map(fraction),
            rate_text: f.rate_text(),
        }
    }
}

impl output::Record for FunnelRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ORGANIZATION",
        "DAYS",
        "CONVERTED",
        "EXPIRED",
        "UNINSTALLED",
        "OTHER",
        "ENDED",
        "IN TRIAL",
        "TRIAL LOST",
        "CONVERSION",
    ];
    const KEYS: Option<&'static [&'static str]> = Some(&[
        "organization",
        "days",
        "converted",
        "expired",
        "uninstalled",
        "other",
        "ended",
        "in_trial",
        "trial_lost",
        "conversion_rate",
    ]);
    const RIGHT: &'static [usize] = &[1, 2, 3, 4, 5, 6, 7, 8, 9];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        let counts = [
            self.days as usize,
            self.converted,
            self.expired,
            self.uninstalled,
            self.other,
            self.ended,
            self.in_trial,
            self.trial_lost,
        ];
        let mut cells: Vec<Cow<'_, str>> = vec![self.organization.into()];
        cells.extend(counts.iter().map(|n| Cow::Owned(n.to_string())));
        cells.push(self.rate_text.as_str().into());
        cells
    }
}

pub async fn run(config: &Config, args: &FunnelArgs, out: &mut impl Write) -> Result<(), CliError> {
    let windows = if args.days.is_empty() {
        DEFAULT_DAYS.to_vec()
    } else {
        args.days.clone()
    };
    let events = journal_events(config)?;
    let needs = Needs {
        accounts: true,
        lists: &[],
        catalogue: false,
    };
    let (read, failed) =
        billing_read::read_orgs(config, args.listing.org.as_deref(), needs).await?;
    let now = Utc::now();
    let records: Vec<FunnelRecord<'_>> = read
        .iter()
        .flat_map(|r| {
            windows
                .iter()
                .map(|&days| FunnelRecord::new(&r.org.name, &org_funnel(r, &events, now, days)))
                .collect::<Vec<_>>()
        })
        .collect();
    billing_read::finish(out, args.listing.format, &records, read.len(), failed)
}

/// The organization's funnel: the trial ends of its accounts, and its accounts now.
fn org_funnel(r: &OrgRead<'_>, events: &[StoredEvent], now: DateTime<Utc>, days: u32) -> Funnel {
    let accounts = &r.data.accounts;
    let ids: HashSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    let ends = events.iter().filter_map(|stored| match &stored.event.kind {
        EventKind::TrialEnded(data) if ids.contains(data.account_id.as_str()) => Some(TrialEnd {
            account_id: &data.account_id,
            at: event_time(stored),
            reason: data.ended_reason.as_ref(),
        }),
        _ => None,
    });
    let count = |status: AccountStatus| accounts.iter().filter(|a| a.status == status).count();
    funnel(
        ends,
        count(AccountStatus::InTrial),
        count(AccountStatus::TrialLost),
        now,
        days,
    )
}

/// The journal's events: `[events] journal`, else the default place. A missing journal
/// is no events, said once on stderr.
fn journal_events(config: &Config) -> Result<Vec<StoredEvent>, CliError> {
    let path: Option<PathBuf> = config
        .events
        .as_ref()
        .map(|e| e.journal.clone())
        .or_else(default_journal);
    let Some(path) = path else {
        eprintln!("tdbi: warning: no events journal (no platform data dir): no trial ends counted");
        return Ok(Vec::new());
    };
    match journal::read(&path) {
        Ok(Some(events)) => Ok(events),
        Ok(None) => {
            eprintln!(
                "tdbi: warning: no events journal at {}: no trial ends counted (`tdbi events listen` writes it)",
                path.display()
            );
            Ok(Vec::new())
        }
        Err(e) => Err(CliError::Io(e.to_string())),
    }
}
