//! The dashboard's state and how actions and updates change it.
//!
//! [`App`] owns the [`Store`] (no lock: the loop applies updates itself), one
//! [`Listing`] per tab, and the current mode. [`App::update`] carries out an
//! [`Action`]; [`App::apply`] takes an [`Update`] from the sync tasks; drawing reads
//! the state only (see [`crate::view::draw`]).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use std::collections::HashMap;

use tokio::sync::mpsc;

use crate::config::SavedView;
use crate::events::StoredEvent;
use crate::store::{OrgData, StatusChange, Store, Update};
use crate::sync::{OrgSource, SyncCommand, SyncHandle};
use crate::view::{self, Theme};

use super::billing::{BillingCache, BillingView};
use super::events::EventsInfo;
use super::events_view::EventsView;
use super::keys::{self, Action, Context};
use super::listing::{Listing, RowRef, Scope};
use super::search::{Fuzzy, filter_labels};
use super::trial_form::TrialForm;

#[path = "actions.rs"]
mod actions;
#[path = "prepare.rs"]
pub(super) mod prepare;

/// How long a status change marks its row.
pub const RECENT: Duration = Duration::from_secs(10 * 60);
/// Quiet time after the last selection move before prefetching around it.
pub const PREFETCH_DELAY: Duration = Duration::from_millis(300);
/// Rows above and below the selection whose contract actions are prefetched.
pub const PREFETCH_AROUND: usize = 8;
/// How long a trial end marks its account.
pub const RECENT_END: Duration = Duration::from_secs(24 * 3600);
/// How long a notice stays on the status line.
pub const NOTICE_FOR: Duration = Duration::from_secs(120);

/// Where sync commands go: the sync tasks, or a recorder in tests.
pub trait Commands {
    fn send(&self, org: usize, command: SyncCommand);
}

impl Commands for SyncHandle {
    fn send(&self, org: usize, command: SyncCommand) {
        SyncHandle::send(self, org, command);
    }
}

/// Records commands (tests and the bench).
impl Commands for std::sync::mpsc::Sender<(usize, SyncCommand)> {
    fn send(&self, org: usize, command: SyncCommand) {
        let _ = std::sync::mpsc::Sender::send(self, (org, command));
    }
}

/// What has the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Table,
    /// The `/` prompt is open over the table.
    Filter,
    Account(AccountView),
    Picker(Picker),
    /// The trial form (boxed: it is large next to the other modes).
    Trial(Box<TrialForm>),
    /// The events timeline.
    Events(EventsView),
    /// The Billing view of the current tab.
    Billing(BillingView),
    /// The contract action form over the account view (boxed like the trial form).
    Action(Box<super::action_form::ActionForm>),
}

/// The account view of one account (it stays open if the account vanishes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub org: usize,
    pub id: String,
    /// Lines scrolled down.
    pub scroll: u16,
    /// The view Esc returns to, as it was.
    pub from: OpenedFrom,
}

/// Where an account view was opened from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OpenedFrom {
    /// The accounts table.
    #[default]
    Table,
    Billing(BillingView),
    /// The events view, and the event whose account this is (selected again on return).
    Events {
        view: EventsView,
        event: String,
    },
}

/// The organization picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub query: String,
    /// Tab indices matching the query.
    pub matches: Vec<usize>,
    /// Index into `matches`.
    pub selected: usize,
    /// Asked by `n` on the All tab: the pick opens the trial form for that organization.
    pub for_trial: bool,
}

/// A message on the status line (e.g. a created trial's id), shown for [`NOTICE_FOR`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

impl Notice {
    pub fn info(text: String, at: DateTime<Utc>) -> Self {
        Notice {
            text,
            error: false,
            at,
        }
    }

    pub fn error(text: String, at: DateTime<Utc>) -> Self {
        Notice {
            text,
            error: true,
            at,
        }
    }
}

pub struct App {
    pub(crate) store: Store,
    pub(crate) theme: Theme,
    /// One per organization, then "All organizations", then one per saved view.
    pub(crate) tabs: Vec<Listing>,
    /// The saved views' names (their tabs follow "All organizations").
    views: Vec<String>,
    /// Per organization: where `O` opens an account.
    pub(super) account_urls: Vec<crate::config::AccountUrl>,
    /// The browser and the clipboard (`None`: `O` shows the URL, `y` says so).
    pub(super) desktop: Option<Box<dyn super::desktop::Desktop>>,
    /// Where `x` writes (`None`: nowhere, export is not set up).
    pub(super) export_dir: Option<std::path::PathBuf>,
    pub(crate) tab: usize,
    pub(crate) mode: Mode,
    /// The help overlay and its scroll, when open.
    pub(crate) help: Option<u16>,
    /// The time relative ages are shown against.
    pub(crate) now: DateTime<Utc>,
    /// The terminal's area at the last draw or resize.
    pub(crate) area: Rect,
    fuzzy: Fuzzy,
    /// The `/` prompt's cursor in the tab's query (chars before it).
    pub(crate) filter_cursor: usize,
    /// A trial just created, (organization, id): selected once the store lists it.
    pub(super) pending_select: Option<(usize, String)>,
    /// Per organization, its region (the trial form's default currency).
    pub(super) regions: Vec<crate::config::Region>,
    /// The table's data-sized column widths.
    pub(super) widths: super::widths::WidthCache,
    /// Bumped when contract actions arrive (they feed the contract column's sort).
    contracts_rev: u64,
    /// Bumped when the event log gains an event (the trial funnel reads it).
    pub(super) events_rev: u64,
    /// What the Billing and account views show of billing, prepared before a draw.
    pub(super) billing: BillingCache,
    pub(super) commands: Box<dyn Commands>,
    pub(super) dirty: bool,
    /// Updates were applied and the rows not yet recomputed.
    pub(super) stale: bool,
    pub(super) quit: bool,
    prefetch_at: Option<Instant>,
    pub(crate) last_click: Option<(Instant, usize)>,
    pub(super) clock: String,
    /// Trial forms closed with Esc, by organization, for `n` to reopen.
    pub(super) drafts: HashMap<usize, TrialForm>,
    /// Write requests sent so far (numbers the results).
    pub(super) requests: u64,
    /// Per organization: why it refuses writes (see [`App::set_read_only`]).
    pub(super) read_only: Vec<Option<String>>,
    /// Accounts whose new contract action is re-read until it settles.
    pub(super) watching: Vec<super::action::Watch>,
    /// Per organization: its client, or why there is none (see [`App::connect`]).
    pub(super) clients: Vec<OrgSource>,
    /// Where spawned work reports back (weak: the app never keeps the channel open).
    pub(super) updates: Option<mpsc::WeakSender<Update>>,
    pub(super) events_info: EventsInfo,
    pub(crate) notice: Option<Notice>,
    /// The message history (`L`) and the unbound-key hint.
    pub(crate) messages: super::messages::Messages,
    /// A sync's account list is being prepared off this task (see [`App::apply`]).
    pub(super) preparing: bool,
    /// Updates that arrived meanwhile, in order.
    pub(super) held: std::collections::VecDeque<Update>,
}

impl App {
    /// A dashboard over `store` (organizations in configuration order), sending sync
    /// commands to `commands`. Opens on the first organization.
    pub fn new(store: Store, theme: Theme, commands: Box<dyn Commands>) -> Self {
        let orgs = store.orgs.len();
        let mut tabs: Vec<Listing> = (0..orgs).map(|i| Listing::new(Scope::Org(i))).collect();
        tabs.push(Listing::new(Scope::All));
        let mut app = App {
            store,
            theme,
            tabs,
            views: Vec::new(),
            account_urls: Vec::new(),
            desktop: None,
            export_dir: None,
            tab: 0,
            mode: Mode::Table,
            help: None,
            now: Utc::now(),
            area: Rect::new(0, 0, 80, 24),
            fuzzy: Fuzzy::default(),
            filter_cursor: 0,
            pending_select: None,
            regions: Vec::new(),
            widths: Default::default(),
            contracts_rev: 0,
            events_rev: 0,
            billing: BillingCache::default(),
            commands,
            dirty: true,
            stale: false,
            quit: false,
            prefetch_at: None,
            last_click: None,
            clock: String::new(),
            drafts: HashMap::new(),
            requests: 0,
            read_only: Vec::new(),
            watching: Vec::new(),
            clients: Vec::new(),
            updates: None,
            events_info: EventsInfo::default(),
            notice: None,
            messages: Default::default(),
            preparing: false,
            held: Default::default(),
        };
        app.refresh_listing();
        app
    }

    // ---- reading ----

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The current tab index (organizations first, then "All organizations").
    pub fn tab(&self) -> usize {
        self.tab
    }

    /// The tab "All organizations" is at (saved views follow it).
    pub fn all_tab(&self) -> usize {
        self.store.orgs.len()
    }

    /// Adds a tab per saved view, after "All organizations".
    pub fn add_views(&mut self, views: &[SavedView]) {
        self.views = views.iter().map(|v| v.name.clone()).collect();
        for (i, view) in views.iter().enumerate() {
            self.tabs.push(Listing::for_view(i, view));
        }
    }

    /// The saved views' names, in tab order.
    pub fn view_names(&self) -> &[String] {
        &self.views
    }

    pub fn listing(&self) -> &Listing {
        &self.tabs[self.tab]
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The organizations the current tab covers, in configuration order.
    pub fn current_orgs(&self) -> std::vec::IntoIter<usize> {
        self.listing().covered(&self.store).into_iter()
    }

    pub fn org(&self, org: usize) -> Option<&OrgData> {
        self.store.orgs.get(org)
    }

    /// The account a row points at.
    pub fn account(&self, row: RowRef) -> Option<&crate::api::model::Account> {
        self.store
            .orgs
            .get(usize::from(row.org))?
            .accounts
            .get(row.idx as usize)
    }

    /// The latest status change of an account within [`RECENT`] of now.
    pub fn recent_change(&self, org: usize, id: &str) -> Option<&StatusChange> {
        let within = chrono::TimeDelta::from_std(RECENT).unwrap_or_default();
        self.store
            .orgs
            .get(org)?
            .recent_change(id, self.now, within)
    }

    /// The account's latest `app.trial_ended` within [`RECENT_END`] of now.
    pub fn recent_end(&self, id: &str) -> Option<&StoredEvent> {
        let within = chrono::TimeDelta::from_std(RECENT_END).unwrap_or_default();
        self.store.events.recent_end(id, self.now, within)
    }

    /// The status line's notice, while it is fresh.
    pub fn notice(&self) -> Option<&Notice> {
        let within = chrono::TimeDelta::from_std(NOTICE_FOR).unwrap_or_default();
        self.notice
            .as_ref()
            .filter(|n| self.now.signed_duration_since(n.at) <= within)
    }

    // ---- input ----

    /// The contexts whose bindings apply now, most specific first.
    pub fn contexts(&self) -> &'static [Context] {
        if self.help.is_some() {
            return &[Context::Help, Context::Any];
        }
        if self.messages.open.is_some() {
            return &[Context::History, Context::Any];
        }
        match &self.mode {
            Mode::Table => &[Context::Table, Context::Browse, Context::Any],
            Mode::Account(_) => &[Context::Account, Context::Browse, Context::Any],
            Mode::Filter => &[Context::Filter, Context::Text, Context::Any],
            Mode::Picker(_) => &[Context::Picker, Context::Any],
            Mode::Trial(form) if form.confirming => &[Context::Confirm, Context::Any],
            Mode::Trial(_) => &[Context::Form, Context::Text, Context::Any],
            Mode::Action(form) if form.confirming => &[Context::ActionConfirm, Context::Any],
            Mode::Action(_) => &[Context::ActionForm, Context::Any],
            Mode::Events(view) if view.filtering => &[Context::Filter, Context::Text, Context::Any],
            Mode::Events(_) => &[Context::Events, Context::Browse, Context::Any],
            Mode::Billing(_) => &[Context::Billing, Context::Browse, Context::Any],
        }
    }

    /// Maps a key to its action in the current context and carries it out.
    pub fn handle_key(&mut self, key: KeyEvent) {
        match keys::action_for(self.contexts(), &key) {
            Some(action) => {
                self.clear_key_hint();
                self.update(action);
            }
            None => self.unbound_key(&key),
        }
    }

    /// Applies an update on this task (see [`App::apply`]).
    pub(super) fn apply_here(&mut self, update: Update) {
        if matches!(update, Update::ContractActions { .. }) {
            self.contracts_rev += 1;
        }
        if let Update::TrialProvisioned {
            org,
            request,
            result,
        } = &update
        {
            self.trial_result(*org, *request, result);
            self.dirty = true;
        }
        match &update {
            Update::ContractActionCreated {
                org,
                account_id,
                request,
                result,
            } => {
                self.action_result(*org, account_id, *request, result);
                self.contracts_rev += 1;
                self.dirty = true;
            }
            Update::ContractActions {
                org,
                account_id,
                result: Ok(actions),
                ..
            } => self.watched_read(*org, account_id, actions),
            Update::Exported { result } => self.report(result.clone()),
            _ => {}
        }
        let hint = match &update {
            Update::Event(e) => Some(e.event.account_id().map(str::to_owned)),
            _ => None,
        };
        let held = hint.as_ref().and_then(|_| self.held_event());
        if self.store.apply(update) {
            self.note_org_errors();
            self.dirty = true;
            self.stale = true;
            if let Some(account) = hint {
                self.events_rev += 1;
                self.event_hint(account.as_deref());
                if let Some(id) = held {
                    self.reselect_event(&id);
                }
            }
        }
    }

    /// Brings the rows up to date with updates applied since the last call. Cheap
    /// when nothing changed; drawing, actions and timers call it first, so a burst
    /// of updates costs one re-listing.
    pub fn refresh(&mut self) {
        if !std::mem::take(&mut self.stale) {
            return;
        }
        let before = self.selected_key();
        self.refresh_listing();
        self.scroll_into_view();
        self.follow_new_account();
        // e.g. the first rows arrived: prefetch around the new selection
        if self.selected_key() != before {
            self.schedule_prefetch();
        }
    }

    /// The terminal was resized.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        self.scroll_into_view();
        self.dirty = true;
    }

    /// When the loop must wake for [`App::fire_timers`], if ever.
    pub fn next_deadline(&self) -> Option<Instant> {
        match (self.prefetch_at, self.next_watch()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Does what was due by `now` (the prefetch after the selection settles, the
    /// re-reads of new contract actions).
    pub fn fire_timers(&mut self, now: Instant) {
        self.refresh();
        if self.prefetch_at.is_some_and(|at| at <= now) {
            self.prefetch_at = None;
            self.prefetch();
        }
        self.fire_watches(now);
    }

    /// Whether something changed since the last draw (then clears the flag).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Draws into `terminal` (any backend; tests use `TestBackend`).
    pub fn draw<B: ratatui::backend::Backend>(
        &mut self,
        terminal: &mut ratatui::Terminal<B>,
    ) -> Result<(), B::Error> {
        let size = terminal.size()?;
        self.area = Rect::new(0, 0, size.width, size.height);
        self.refresh();
        self.refresh_listing();
        self.scroll_into_view();
        self.clock = self.clock_signature();
        self.prepare_billing();
        let scope = self.listing().scope();
        let covered = self.listing().covered(&self.store);
        self.widths.update(&self.store, scope, &covered);
        terminal.draw(|frame| view::draw(frame, self))?;
        self.dirty = false;
        Ok(())
    }

    fn refresh_listing(&mut self) {
        let listing = &mut self.tabs[self.tab];
        listing.refresh(&self.store, &mut self.fuzzy, self.contracts_rev);
    }

    fn scroll_into_view(&mut self) {
        let rows = usize::from(view::layout::table_rows(self.area, self));
        self.tabs[self.tab].scroll_into_view(rows);
    }

    fn schedule_prefetch(&mut self) {
        self.prefetch_at = Some(Instant::now() + PREFETCH_DELAY);
    }

    /// Asks for the contract actions of the rows around the selection, per organization.
    pub fn prefetch(&mut self) {
        self.refresh();
        let listing = self.listing();
        let rows = listing.rows();
        if rows.is_empty() {
            return;
        }
        let from = listing.selected().saturating_sub(PREFETCH_AROUND);
        let to = (listing.selected() + PREFETCH_AROUND + 1).min(rows.len());
        let mut per_org: Vec<Vec<String>> = vec![Vec::new(); self.store.orgs.len()];
        for row in &rows[from..to] {
            if let Some(account) = self.account(*row) {
                per_org[usize::from(row.org)].push(account.id.to_string());
            }
        }
        for (org, account_ids) in per_org.into_iter().enumerate() {
            if !account_ids.is_empty() {
                self.commands
                    .send(org, SyncCommand::Prefetch { account_ids });
            }
        }
    }
}
