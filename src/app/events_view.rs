//! The events timeline as a list: the events of the current tab's organizations
//! (All: every event), narrowed by a `/` filter, with a selection that Enter opens.

use crate::events::StoredEvent;
use crate::store::FIELD_SEP;

use super::keys::Action;
use super::listing::Scope;
use super::search::{Folded, Fuzzy};
use super::state::{App, Mode, Notice, OpenedFrom};
use super::text_input::TextInput;

/// The events view's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsView {
    /// Index of the selected row in [`App::event_rows`].
    pub selected: usize,
    /// First row in the viewport.
    pub offset: usize,
    /// The filter's text and cursor.
    pub filter: TextInput,
    /// The `/` prompt has the keyboard.
    pub filtering: bool,
}

impl EventsView {
    /// Keeps the selection within `len` rows and inside a viewport of `height` rows.
    pub fn clamp(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

impl App {
    /// The events the events view lists, newest first: those whose account belongs to
    /// one of the current tab's organizations (All: every event), matching the view's filter
    /// (fuzzy words over type, organization, account name and id, reason).
    pub fn event_rows(&self) -> Vec<&StoredEvent> {
        let query = match &self.mode {
            Mode::Events(view) => view.filter.text(),
            _ => "",
        };
        let mut fuzzy = Fuzzy::default();
        fuzzy.set_query(query);
        let all = matches!(self.listing().scope(), Scope::All);
        let covered = self.listing().covered(&self.store);
        self.store
            .events
            .newest_first()
            .filter(|e| all || self.event_org(e).is_some_and(|o| covered.contains(&o)))
            .filter(|e| query.trim().is_empty() || fuzzy.matches(Some(&self.event_haystack(e))))
            .collect()
    }

    /// The organization that lists the event's account, if any does.
    pub fn event_org(&self, stored: &StoredEvent) -> Option<usize> {
        let id = stored.event.account_id()?;
        self.store.orgs_of_account(id).next()
    }

    fn event_haystack(&self, stored: &StoredEvent) -> Folded {
        let cells = crate::view::events::described(self, stored);
        let fields = &cells[..5];
        let sep = FIELD_SEP.to_string();
        let text: Vec<String> = fields.iter().map(|f| f.replace(FIELD_SEP, " ")).collect();
        Folded::new(&text.join(&sep))
    }

    /// Rows of the events list that fit on screen.
    fn event_page(&self) -> usize {
        crate::view::layout::events_area(self.area, self).map_or(1, |r| usize::from(r.height))
    }

    /// The selected event's id when the events view's selection is below the newest
    /// row: an arriving event then leaves the selection on the same event (at the top,
    /// the selection stays on the newest row, following the stream).
    pub(super) fn held_event(&self) -> Option<String> {
        let Mode::Events(view) = &self.mode else {
            return None;
        };
        if view.selected == 0 {
            return None;
        }
        let rows = self.event_rows();
        rows.get(view.selected).map(|e| e.event.id.clone())
    }

    /// Moves the events view's selection to the event with `id`, where it now is.
    pub(super) fn reselect_event(&mut self, id: &str) {
        let at = self.event_rows().iter().position(|e| e.event.id == id);
        if let (Some(at), Mode::Events(view)) = (at, &mut self.mode) {
            view.selected = at;
        }
        self.clamp_events();
    }

    /// Re-clamps the events view's selection after a change.
    pub(super) fn clamp_events(&mut self) {
        let len = self.event_rows().len();
        let page = self.event_page();
        if let Mode::Events(view) = &mut self.mode {
            view.clamp(len, page);
        }
    }

    /// Carries out `action` in the events view; `false` when it is not the view's own
    /// (tabs, help, quit…: the common handling takes it).
    pub(super) fn events_action(&mut self, action: Action) -> bool {
        let page = self.event_page() as isize;
        let Mode::Events(view) = &mut self.mode else {
            return false;
        };
        let moved = |view: &mut EventsView, delta: isize| {
            view.selected = view.selected.saturating_add_signed(delta);
        };
        if view.filtering {
            match action {
                Action::Input(c) => {
                    view.filter.handle(tui_input::InputRequest::InsertChar(c));
                }
                Action::Edit(request) => {
                    view.filter.handle(request);
                }
                Action::Confirm => view.filtering = false,
                Action::Back => {
                    view.filter.set("");
                    view.filtering = false;
                }
                Action::Up => moved(view, -1),
                Action::Down => moved(view, 1),
                Action::Quit => self.quit = true,
                _ => {}
            }
            self.clamp_events();
            return true;
        }
        match action {
            Action::Up => moved(view, -1),
            Action::Down => moved(view, 1),
            Action::PageUp => moved(view, -page.max(1)),
            Action::PageDown => moved(view, page.max(1)),
            Action::Top => view.selected = 0,
            Action::Bottom => view.selected = usize::MAX / 2,
            Action::OpenFilter => view.filtering = true,
            Action::Back if !view.filter.text().is_empty() => view.filter.set(""),
            Action::Back | Action::ToggleEvents => self.mode = Mode::Table,
            Action::Confirm => self.open_event_account(),
            _ => return false,
        }
        self.clamp_events();
        true
    }

    /// Selects row `index` of the events list (mouse); a second click on it within
    /// the double-click time opens its account.
    pub(super) fn select_event(&mut self, index: usize, double: bool) {
        if let Mode::Events(view) = &mut self.mode {
            view.selected = index;
        }
        self.clamp_events();
        if double {
            self.open_event_account();
        }
    }

    /// Enter: the selected event's account in the account view, on its organization's
    /// tab (switching when the current tab is another organization's); the status line
    /// says so when no organization lists the account.
    fn open_event_account(&mut self) {
        let (selected, view) = match &self.mode {
            Mode::Events(view) => (view.selected, view.clone()),
            _ => return,
        };
        let rows = self.event_rows();
        let Some(stored) = rows.get(selected) else {
            return;
        };
        let id = stored.event.account_id().unwrap_or_default().to_owned();
        let event = stored.event.id.clone();
        let org = self.event_org(stored);
        let Some(org) = org else {
            let text = if id.is_empty() {
                "This event names no account".to_owned()
            } else {
                format!("Account {id} is in no organization's list (yet): r refreshes")
            };
            self.set_notice(Notice::error(text, self.now));
            return;
        };
        if !self.listing().covered(&self.store).contains(&org) {
            self.switch_tab_to(org);
        }
        self.select_account(org, &id);
        self.open_account(org, id, OpenedFrom::Events { view, event });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamping_keeps_the_selection_in_view() {
        let mut view = EventsView {
            selected: 30,
            ..EventsView::default()
        };
        view.clamp(10, 4);
        assert_eq!((view.selected, view.offset), (9, 6));
        view.selected = 2;
        view.clamp(10, 4);
        assert_eq!((view.selected, view.offset), (2, 2));
        view.clamp(0, 4);
        assert_eq!((view.selected, view.offset), (0, 0));
    }
}
