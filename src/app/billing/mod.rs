//! The Billing view's state and keys, and the cache of what it and the account view
//! show of billing: rebuilt when a billing revision, the accounts, the event log, the
//! tab or the minute change (the drawn text depends on nothing else), never per frame.

pub mod account;
pub mod notes;
pub mod summary;

use chrono::{DateTime, Utc};

use crate::store::Store;
use crate::view;

use super::keys::Action;
use super::state::{App, Mode, OpenedFrom};

pub use account::AccountBilling;
pub use notes::Note;
pub use summary::{BillingSummary, MONTHS};

/// Where the Billing view stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingView {
    /// Selected row of the top accounts.
    pub selected: usize,
    /// Month of the charts, index into the last [`MONTHS`]; `None` is the current one.
    pub month: Option<usize>,
    /// Currency of the charts, index into [`BillingSummary::currencies`] (wrapping).
    pub currency: usize,
    /// Lines scrolled down.
    pub scroll: u16,
}

impl BillingView {
    /// The month shown in detail (0 = eleven months ago, 11 = this month).
    pub fn month_index(&self) -> usize {
        self.month.unwrap_or(MONTHS as usize - 1)
    }

    /// The currency of the charts, when there is any.
    pub fn currency<'a>(&self, summary: &'a BillingSummary) -> Option<&'a str> {
        let n = summary.currencies.len();
        (n > 0).then(|| summary.currencies[self.currency % n].as_str())
    }
}

#[derive(Debug, PartialEq, Eq)]
struct SummaryKey {
    orgs: Vec<usize>,
    /// Per covered organization: billing revision, accounts revision.
    revisions: Vec<(u64, u64)>,
    events: u64,
    minute: i64,
}

#[derive(Debug, PartialEq, Eq)]
struct AccountKey {
    org: usize,
    id: String,
    billing: u64,
    minute: i64,
}

/// The prepared billing figures (see the module's doc).
#[derive(Debug, Default)]
pub struct BillingCache {
    summary: Option<(SummaryKey, BillingSummary)>,
    account: Option<(AccountKey, AccountBilling)>,
    /// Summaries and account rows built so far (a frame must not add one).
    builds: u64,
}

impl BillingCache {
    /// Rebuilds the tab's summary when its key changed.
    fn prepare_summary(
        &mut self,
        store: &Store,
        orgs: Vec<usize>,
        events: u64,
        now: DateTime<Utc>,
    ) {
        let key = SummaryKey {
            revisions: orgs
                .iter()
                .filter_map(|&o| store.orgs.get(o))
                .map(|o| (o.billing_revision, o.revision))
                .collect(),
            orgs,
            events,
            minute: now.timestamp().div_euclid(60),
        };
        if self.summary.as_ref().is_none_or(|(k, _)| *k != key) {
            let summary = BillingSummary::build(store, &key.orgs, now);
            self.summary = Some((key, summary));
            self.builds += 1;
        }
    }

    /// Rebuilds the account's billing when its key changed.
    fn prepare_account(&mut self, store: &Store, org: usize, id: &str, now: DateTime<Utc>) {
        let Some(data) = store.orgs.get(org) else {
            self.account = None;
            return;
        };
        let key = AccountKey {
            org,
            id: id.to_owned(),
            billing: data.billing_revision,
            minute: now.timestamp().div_euclid(60),
        };
        if self.account.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = AccountBilling::build(data, id, now);
            self.account = Some((key, rows));
            self.builds += 1;
        }
    }
}

impl BillingCache {
    /// How many times figures were built (see the module's doc).
    pub fn builds(&self) -> u64 {
        self.builds
    }
}

impl App {
    /// The billing cache (its build count shows what a frame cost).
    pub fn billing_cache(&self) -> &BillingCache {
        &self.billing
    }

    /// Brings the billing cache up to date for what the current mode shows.
    pub(crate) fn prepare_billing(&mut self) {
        match &self.mode {
            Mode::Billing(_) => {
                let orgs = self.current_orgs().collect();
                self.billing
                    .prepare_summary(&self.store, orgs, self.events_rev, self.now);
            }
            Mode::Account(v) => self
                .billing
                .prepare_account(&self.store, v.org, &v.id, self.now),
            _ => {}
        }
    }

    /// The current tab's billing figures, as last prepared for the Billing view.
    pub fn billing_summary(&self) -> Option<&BillingSummary> {
        let (key, summary) = self.billing.summary.as_ref()?;
        key.orgs
            .iter()
            .copied()
            .eq(self.current_orgs())
            .then_some(summary)
    }

    /// The billing of the account `id` of `org`, as last prepared for the account view.
    pub fn account_billing(&self, org: usize, id: &str) -> Option<&AccountBilling> {
        let (key, rows) = self.billing.account.as_ref()?;
        (key.org == org && key.id == id).then_some(rows)
    }

    /// `b`: the Billing view of the current tab.
    pub(super) fn open_billing(&mut self) {
        self.mode = Mode::Billing(BillingView::default());
        self.prepare_billing();
    }

    /// Carries out `action` in the Billing view; false when it is not the view's own
    /// (tabs, refresh, help, quit…).
    pub(super) fn billing_action(&mut self, action: Action) -> bool {
        let Mode::Billing(view) = &self.mode else {
            return false;
        };
        let mut view = view.clone();
        self.prepare_billing();
        let (rows, currencies) = self
            .billing_summary()
            .map_or((0, 0), |s| (s.top.len(), s.currencies.len()));
        let last = rows.saturating_sub(1);
        match action {
            Action::Up => view.selected = view.selected.min(last).saturating_sub(1),
            Action::Down => view.selected = (view.selected + 1).min(last),
            Action::Top => view.selected = 0,
            Action::Bottom => view.selected = last,
            Action::PageUp => view.scroll = view.scroll.saturating_sub(self.billing_page()),
            Action::PageDown => view.scroll = view.scroll.saturating_add(self.billing_page()),
            Action::PrevMonth => view.month = Some(view.month_index().saturating_sub(1)),
            Action::NextMonth => {
                view.month = Some((view.month_index() + 1).min(MONTHS as usize - 1))
            }
            Action::NextCurrency => view.currency = (view.currency + 1) % currencies.max(1),
            Action::Confirm => {
                self.open_top_account(view);
                return true;
            }
            Action::Back => {
                self.mode = Mode::Table;
                return true;
            }
            _ => return false,
        }
        view = match action {
            Action::Up | Action::Down => self.selected_into_view(view),
            Action::Top => self.clamp_scroll(BillingView { scroll: 0, ..view }),
            Action::Bottom => self.clamp_scroll(BillingView {
                scroll: u16::MAX,
                ..view
            }),
            _ => self.clamp_scroll(view),
        };
        self.mode = Mode::Billing(view);
        true
    }

    /// Scrolls the Billing view by `delta` lines (mouse wheel).
    pub(super) fn scroll_billing(&mut self, delta: isize) {
        if let Mode::Billing(view) = &self.mode {
            let mut view = view.clone();
            let moved = i64::from(view.scroll) + delta.clamp(-10_000, 10_000) as i64;
            view.scroll = moved.clamp(0, i64::from(u16::MAX)) as u16;
            self.mode = Mode::Billing(self.clamp_scroll(view));
        }
    }

    /// Lines of the Billing view's viewport.
    fn billing_page(&self) -> u16 {
        view::billing::viewport(self.area, self).height.max(1)
    }

    fn clamp_scroll(&self, mut view: BillingView) -> BillingView {
        let area = view::billing::viewport(self.area, self);
        let total = view::billing::layout(self, &view, area.width).total;
        view.scroll = view.scroll.min(total.saturating_sub(area.height));
        view
    }

    /// Scrolls so the selected top account is on screen.
    fn selected_into_view(&self, mut view: BillingView) -> BillingView {
        let area = view::billing::viewport(self.area, self);
        if let Some(y) = view::billing::layout(self, &view, area.width).top_row(view.selected) {
            let height = area.height.max(1);
            if y < view.scroll {
                view.scroll = y;
            } else if y >= view.scroll + height {
                view.scroll = y + 1 - height;
            }
        }
        self.clamp_scroll(view)
    }

    /// Enter on a top account: its account view (Esc comes back here).
    fn open_top_account(&mut self, view: BillingView) {
        let Some(row) = self
            .billing_summary()
            .and_then(|s| s.top.get(view.selected))
        else {
            return;
        };
        let (org, id) = (row.org, row.account_id.clone());
        self.open_account(org, id, OpenedFrom::Billing(view));
        self.prepare_billing();
    }
}

#[cfg(test)]
mod tests;
