//! What every write from the dashboard (a trial, a contract action) goes through: refused
//! for a read-only organization before anything is sent, else an API client and the
//! updates channel for the spawned request to report back through.

use tokio::sync::mpsc;

use crate::api::Client;
use crate::store::Update;

use super::keys::Action;
use super::listing::Scope;
use super::state::{App, Mode, Notice};

impl App {
    /// Per organization, in order: why it refuses writes (`None`: it does not).
    pub fn set_read_only(&mut self, reasons: Vec<Option<String>>) {
        self.read_only = reasons;
        self.dirty = true;
    }

    /// Why `org` refuses writes, if it does.
    pub fn read_only(&self, org: usize) -> Option<&str> {
        self.read_only.get(org).and_then(Option::as_deref)
    }

    /// The organization a write key acts on now: the open account's, else the tab's
    /// (`None` on the All tab and saved views: then each organization decides).
    fn write_target(&self) -> Option<usize> {
        match &self.mode {
            Mode::Account(view) => Some(view.org),
            Mode::Action(form) => Some(form.org()),
            _ => match self.listing().scope() {
                Scope::Org(org) => Some(org),
                Scope::All | Scope::View(_) => None,
            },
        }
    }

    /// Whether writes from here are refused: the target organization is read-only, or
    /// on the All tab (or a saved view) every organization it covers is.
    pub fn writes_refused(&self) -> bool {
        match self.write_target() {
            Some(org) => self.read_only(org).is_some(),
            None => {
                let mut covered = self.current_orgs().peekable();
                covered.peek().is_some() && covered.all(|o| self.read_only(o).is_some())
            }
        }
    }

    /// Whether `action`'s key is left out of the help (a write key where writes are refused).
    pub fn hides(&self, action: Action) -> bool {
        matches!(action, Action::OpenTrialForm | Action::OpenActionForm) && self.writes_refused()
    }

    /// When `org` is read-only: says so on the status line and returns true.
    pub(super) fn refuse_write(&mut self, org: usize) -> bool {
        let Some(reason) = self.read_only(org).map(str::to_owned) else {
            return false;
        };
        self.set_notice(Notice::error(
            format!("{reason}: trials and contract actions are not sent from it"),
            self.now,
        ));
        true
    }

    /// The client and the updates channel a write to `org` goes through, or why there
    /// are none (read-only, no client).
    pub(super) fn writer(&self, org: usize) -> Result<(Client, mpsc::Sender<Update>), String> {
        if let Some(reason) = self.read_only(org) {
            return Err(format!("{reason}: nothing was sent"));
        }
        let sender = self.updates.as_ref().and_then(mpsc::WeakSender::upgrade);
        match (self.clients.get(org).cloned(), sender) {
            (Some(Ok(client)), Some(sender)) => Ok((client, sender)),
            (Some(Err(why)), _) => Err(format!("cannot send: {why}")),
            _ => Err("cannot send: no API client for this organization".to_owned()),
        }
    }

    /// Numbers the next request sent from the dashboard.
    pub(super) fn next_request(&mut self) -> u64 {
        self.requests += 1;
        self.requests
    }
}
