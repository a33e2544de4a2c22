//! How [`Action`]s change the app (the key and mouse handlers end here).

use tui_input::InputRequest;

use super::super::text_input;
use super::*;

impl App {
    /// Carries out one action.
    pub fn update(&mut self, action: Action) {
        self.refresh();
        self.dirty = true;
        if let Some(scroll) = self.help.as_mut() {
            match action {
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::ToggleHelp => self.help = None,
                Action::Quit => self.quit = true,
                _ => {}
            }
            return;
        }
        if let Some(scroll) = self.messages.open.as_mut() {
            match action {
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::ToggleHistory => self.messages.open = None,
                Action::Quit => self.quit = true,
                _ => {}
            }
            return;
        }
        if matches!(self.mode, Mode::Trial(_)) {
            self.form_action(action);
            return;
        }
        if matches!(self.mode, Mode::Action(_)) {
            self.action_form_action(action);
            return;
        }
        if self.billing_action(action) || self.events_action(action) {
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::ToggleHelp => self.help = Some(0),
            Action::ToggleHistory => self.messages.open = Some(0),
            Action::NextTab => self.switch_tab((self.tab + 1) % self.tabs.len()),
            Action::PrevTab => self.switch_tab((self.tab + self.tabs.len() - 1) % self.tabs.len()),
            Action::JumpTab(i) => {
                if i < self.tabs.len() {
                    self.switch_tab(i)
                }
            }
            Action::OpenPicker => {
                let mut picker = Picker {
                    query: String::new(),
                    matches: Vec::new(),
                    selected: 0,
                    for_trial: false,
                };
                self.filter_picker(&mut picker);
                picker.selected = picker
                    .matches
                    .iter()
                    .position(|&t| t == self.tab)
                    .unwrap_or(0);
                self.mode = Mode::Picker(picker);
            }
            Action::Refresh => {
                for org in self.current_orgs() {
                    self.commands.send(org, SyncCommand::Refresh);
                }
            }
            Action::RefreshAll => {
                for org in 0..self.store.orgs.len() {
                    self.commands.send(org, SyncCommand::Refresh);
                }
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Confirm => self.confirm(),
            Action::Back => self.back(),
            Action::OpenFilter => {
                self.filter_cursor = self.listing().query().chars().count();
                self.mode = Mode::Filter;
            }
            Action::CycleStatus => self.with_listing(Listing::cycle_status),
            Action::StatusLeft => self.with_listing(|l| l.move_status_cursor(-1)),
            Action::StatusRight => self.with_listing(|l| l.move_status_cursor(1)),
            Action::ToggleStatus => self.with_listing(Listing::toggle_status),
            Action::SortNext => self.with_listing(|l| l.move_sort(1)),
            Action::SortPrev => self.with_listing(|l| l.move_sort(-1)),
            Action::SortFlip => self.with_listing(Listing::flip_sort),
            Action::Input(c) => self.edit(InputRequest::InsertChar(c)),
            Action::Edit(request) => self.edit(request),
            Action::DeleteChar => self.edit(InputRequest::DeletePrevChar),
            Action::ClearInput => self.edit(InputRequest::DeleteLine),
            Action::OpenTrialForm => self.open_trial_form(),
            Action::ToggleEvents => self.mode = Mode::Events(EventsView::default()),
            Action::OpenBilling => self.open_billing(),
            Action::OpenInBrowser => self.open_in_browser(),
            Action::CopyId => self.copy_account(false),
            Action::CopyRow => self.copy_account(true),
            Action::Export => self.export_listing(),
            Action::OpenActionForm => self.open_action_form(),
            // the Billing view's own (handled by `billing_action`)
            Action::PrevMonth | Action::NextMonth | Action::NextCurrency => {}
            // the form's own actions (handled by `form_action`)
            Action::NextField
            | Action::PrevField
            | Action::FormEnter
            | Action::Submit
            | Action::Space
            | Action::Complete
            | Action::PrevChoice
            | Action::SuggestNext
            | Action::SuggestPrev
            | Action::Cycle(_)
            | Action::Send => {}
        }
    }

    fn with_listing(&mut self, change: impl FnOnce(&mut Listing)) {
        change(&mut self.tabs[self.tab]);
        self.after_listing_change();
    }

    fn after_listing_change(&mut self) {
        let before = self.selected_key();
        self.refresh_listing();
        self.scroll_into_view();
        if self.selected_key() != before {
            self.schedule_prefetch();
        }
    }

    pub(super) fn selected_key(&self) -> Option<(usize, String)> {
        self.listing()
            .selected_id()
            .map(|(o, id)| (o, id.to_owned()))
    }

    /// Edits the text of the prompt (at its cursor) or the picker (at its end).
    fn edit(&mut self, request: InputRequest) {
        self.edit_with(|text, cursor| text_input::apply(text, cursor, request));
    }

    /// Pasted text: into the prompt at its cursor, or the picker.
    pub(crate) fn paste_text(&mut self, pasted: &str) {
        self.edit_with(|text, cursor| text_input::paste(text, cursor, pasted));
    }

    fn edit_with(&mut self, change: impl FnOnce(&mut String, &mut usize) -> bool) {
        match &mut self.mode {
            Mode::Filter => {
                let mut query = self.listing().query().to_owned();
                let mut cursor = self.filter_cursor;
                change(&mut query, &mut cursor);
                self.filter_cursor = cursor;
                self.with_listing(|l| l.set_query(&query));
            }
            Mode::Picker(picker) => {
                let mut picker = picker.clone();
                let mut end = picker.query.chars().count();
                change(&mut picker.query, &mut end);
                self.filter_picker(&mut picker);
                picker.selected = 0;
                self.mode = Mode::Picker(picker);
            }
            _ => {}
        }
    }

    pub(crate) fn filter_picker(&self, picker: &mut Picker) {
        let labels = self.tab_names();
        picker.matches = filter_labels(&picker.query, labels.iter().map(String::as_str));
    }

    /// Tab titles without counts: organization names, "All organizations", saved views.
    pub fn tab_names(&self) -> Vec<String> {
        (0..self.tabs.len())
            .map(|t| self.tab_title(t).to_owned())
            .collect()
    }

    /// The title of tab `tab` without counts ("" past the last tab).
    pub fn tab_title(&self, tab: usize) -> &str {
        let orgs = self.store.orgs.len();
        match tab {
            t if t < orgs => &self.store.orgs[t].name,
            t if t == orgs => "All organizations",
            t => self.views.get(t - orgs - 1).map_or("", String::as_str),
        }
    }

    fn confirm(&mut self) {
        match &self.mode {
            Mode::Table => self.open_selected(),
            Mode::Filter => self.mode = Mode::Table,
            Mode::Picker(p) => {
                let pick = p.matches.get(p.selected).copied();
                let for_trial = p.for_trial;
                self.mode = Mode::Table;
                match pick {
                    Some(tab) if for_trial => self.open_trial_form_for(tab),
                    Some(tab) => self.switch_tab(tab),
                    None => {}
                }
            }
            Mode::Account(_)
            | Mode::Trial(_)
            | Mode::Action(_)
            | Mode::Events(_)
            | Mode::Billing(_) => {}
        }
    }

    fn back(&mut self) {
        match self.mode {
            Mode::Table => {
                if self.listing().is_filtered() {
                    self.with_listing(Listing::clear_filters);
                }
            }
            Mode::Filter => {
                self.mode = Mode::Table;
                self.with_listing(|l| l.set_query(""));
            }
            Mode::Account(AccountView {
                from: OpenedFrom::Billing(ref view),
                ..
            }) => self.mode = Mode::Billing(view.clone()),
            Mode::Account(AccountView {
                from:
                    OpenedFrom::Events {
                        ref view,
                        ref event,
                    },
                ..
            }) => {
                let event = event.clone();
                self.mode = Mode::Events(view.clone());
                self.reselect_event(&event);
            }
            Mode::Account(_)
            | Mode::Picker(_)
            | Mode::Trial(_)
            | Mode::Action(_)
            | Mode::Events(_)
            | Mode::Billing(_) => self.mode = Mode::Table,
        }
    }

    /// Opens the selected account and asks for its contract actions.
    pub fn open_selected(&mut self) {
        if let Some((org, id)) = self.selected_key() {
            self.open_account(org, id, OpenedFrom::Table);
        }
    }

    /// The account view of `id` in `org`, asking the sync task for its contract
    /// actions; `from`: the view Esc returns to.
    pub(crate) fn open_account(&mut self, org: usize, id: String, from: OpenedFrom) {
        self.commands.send(
            org,
            SyncCommand::OpenAccount {
                account_id: id.clone(),
            },
        );
        self.mode = Mode::Account(AccountView {
            org,
            id,
            scroll: 0,
            from,
        });
    }

    /// Switches tab; the Billing view stays open, showing the new tab's.
    fn switch_tab(&mut self, tab: usize) {
        self.tab = tab.min(self.tabs.len() - 1);
        self.mode = match &self.mode {
            Mode::Billing(_) => Mode::Billing(BillingView::default()),
            // the events view follows the tab, its filter kept
            Mode::Events(view) => Mode::Events(EventsView {
                filter: view.filter.clone(),
                ..EventsView::default()
            }),
            _ => Mode::Table,
        };
        self.refresh_listing();
        self.scroll_into_view();
        self.schedule_prefetch();
    }

    fn move_by(&mut self, delta: isize) {
        match &mut self.mode {
            Mode::Table | Mode::Filter => {
                let store = &self.store;
                self.tabs[self.tab].move_selection(store, delta);
                self.scroll_into_view();
                self.schedule_prefetch();
            }
            Mode::Account(view) => {
                let scroll = i64::from(view.scroll) + delta.clamp(-10_000, 10_000) as i64;
                view.scroll = scroll.clamp(0, i64::from(u16::MAX)) as u16;
            }
            Mode::Picker(p) => {
                let last = p.matches.len().saturating_sub(1);
                p.selected = p.selected.saturating_add_signed(delta).min(last);
            }
            Mode::Events(view) => {
                view.selected = view.selected.saturating_add_signed(delta);
                self.clamp_events();
            }
            Mode::Billing(_) => self.scroll_billing(delta),
            Mode::Trial(_) | Mode::Action(_) => {}
        }
    }

    /// Selects row `index` of the current table (mouse).
    pub fn select_row(&mut self, index: usize) {
        self.refresh();
        let store = &self.store;
        self.tabs[self.tab].select(store, index);
        self.scroll_into_view();
        self.schedule_prefetch();
        self.dirty = true;
    }

    /// Scrolls the table's viewport by `delta` rows, moving the selection along (mouse wheel).
    pub fn scroll_rows(&mut self, delta: isize) {
        self.move_by(delta);
        self.dirty = true;
    }

    pub(crate) fn switch_tab_to(&mut self, tab: usize) {
        self.switch_tab(tab);
        self.dirty = true;
    }

    /// Rows in one table page.
    fn page(&self) -> usize {
        usize::from(view::layout::table_rows(self.area, self)).max(1)
    }
}
