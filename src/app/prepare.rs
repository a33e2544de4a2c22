//! Resolving a sync's account list off the UI task: the list goes to a blocking
//! thread with the organization's current slots ([`crate::store::OrgData::base`]), and
//! the result comes back through the updates channel as [`Update::AccountsPrepared`].
//! Until it does, later updates are held in order, so the result always applies to
//! the revision it was resolved against and updates keep their order.

use tokio::sync::mpsc;

use crate::api::model::Account;
use crate::store::{AccountsBase, AccountsSource, PreparedAccounts, Update};

use super::App;

impl App {
    /// Takes an update from the sync tasks (held while a list is being prepared).
    pub fn apply(&mut self, update: Update) {
        let awaited = matches!(
            update,
            Update::AccountsPrepared {
                source: AccountsSource::Synced { .. },
                ..
            }
        );
        if self.preparing && !awaited {
            self.held.push_back(update);
            return;
        }
        self.preparing = false;
        self.apply_now(update);
        while !self.preparing {
            let Some(next) = self.held.pop_front() else {
                break;
            };
            self.apply_now(next);
        }
    }

    fn apply_now(&mut self, update: Update) {
        if let Some(update) = self.offload(update) {
            self.apply_here(update);
        }
    }

    /// Sends a sync's account list to a blocking thread to be prepared; gives any
    /// other update back, and a list too when there is no runtime or updates channel
    /// (tests, benchmarks), to be applied here.
    fn offload(&mut self, update: Update) -> Option<Update> {
        let Update::AccountsSynced { org, accounts, at } = update else {
            return Some(update);
        };
        let runtime = tokio::runtime::Handle::try_current().ok();
        let sender = self.updates.as_ref().and_then(mpsc::WeakSender::upgrade);
        let base = self.store.orgs.get(org).map(|o| o.base());
        let (Some(runtime), Some(sender), Some(base)) = (runtime, sender, base) else {
            return Some(Update::AccountsSynced { org, accounts, at });
        };
        self.preparing = true;
        runtime.spawn_blocking(move || {
            let prepared = Box::new(prepare_off_ui(base, accounts));
            let source = AccountsSource::Synced { at };
            let update = Update::AccountsPrepared {
                org,
                prepared,
                source,
            };
            // Fails only when the app is gone.
            let _ = sender.blocking_send(update);
        });
        None
    }
}

/// What the blocking thread does with a synced list: resolves it against the slots,
/// then gives the memory of the dropped list back to the system.
pub fn prepare_off_ui(base: AccountsBase, accounts: Vec<Account>) -> PreparedAccounts {
    let prepared = base.prepare(accounts);
    crate::memory::give_back_freed();
    prepared
}
