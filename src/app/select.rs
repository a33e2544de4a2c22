//! Moving the table's selection to a given account: the account of an event opened
//! from the events view, and a trial just created once the store lists it.

use super::listing::RowRef;
use super::state::App;

impl App {
    /// Selects account `id` of `org` in the current tab's rows when they show it;
    /// whether they do.
    pub(super) fn select_account(&mut self, org: usize, id: &str) -> bool {
        self.refresh();
        let Some(&idx) = self.store.orgs.get(org).and_then(|o| o.by_id.get(id)) else {
            return false;
        };
        let target = RowRef {
            org: org as u16,
            idx: idx as u32,
        };
        match self.listing().rows().iter().position(|r| *r == target) {
            Some(at) => {
                self.select_row(at);
                true
            }
            None => false,
        }
    }

    /// After a trial is created: once the store lists the account, the selection moves
    /// to it (when the current tab covers its organization and its filters show it).
    pub(super) fn follow_new_account(&mut self) {
        let Some((org, id)) = self.pending_select.take() else {
            return;
        };
        let listed = self
            .store
            .orgs
            .get(org)
            .is_some_and(|o| o.by_id.contains_key(id.as_str()));
        if !listed {
            self.pending_select = Some((org, id));
            return;
        }
        if self.listing().covered(&self.store).contains(&org) {
            self.select_account(org, &id);
        }
    }
}
