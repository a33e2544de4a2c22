//! The app's clock: shown relative times ("3m ago") move in whole minutes, so the loop
//! wakes only when one of them (or the wall clock's minute) can change, not every
//! second, and marks the screen dirty only when one did.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::view;

use super::{App, Mode};

/// Relative times change when the time since their instant crosses a whole minute.
const STEP_MS: i64 = 60_000;
/// Woken this long after a step, so the step has been crossed.
const PAST_STEP: Duration = Duration::from_millis(5);

impl App {
    /// Sets the clock; marks the screen dirty when a shown relative time changes.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        let clock = self.clock_signature();
        if clock != self.clock {
            self.clock = clock;
            self.dirty = true;
        }
    }

    /// How long from the last [`App::tick`] until a shown relative time or the wall
    /// clock's minute can next change: when the loop must tick again.
    pub fn until_clock_change(&self) -> Duration {
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        let next_step = |at: DateTime<Utc>| {
            let since = (self.now - at).num_milliseconds();
            STEP_MS - since.rem_euclid(STEP_MS)
        };
        let ms = std::iter::once(epoch)
            .chain(self.clock_sources())
            .map(next_step)
            .min()
            .unwrap_or(STEP_MS);
        Duration::from_millis(ms.clamp(1, STEP_MS) as u64) + PAST_STEP
    }

    /// Text that changes exactly when a shown relative time would.
    pub(super) fn clock_signature(&self) -> String {
        let mut sig = format!("{}", self.now.timestamp() / 60);
        for at in self.clock_sources() {
            sig.push_str(&view::ago(Some(at), self.now));
        }
        sig
    }

    /// The instants whose relative time is on screen: each shown organization's last
    /// sync, and the open account's contract actions (read, created, updated).
    fn clock_sources(&self) -> Vec<DateTime<Utc>> {
        let mut sources: Vec<DateTime<Utc>> = self
            .current_orgs()
            .filter_map(|org| self.store.orgs.get(org)?.last_good_at)
            .collect();
        let open = match &self.mode {
            Mode::Account(v) => Some(v),
            Mode::Action(form) => Some(&form.view),
            _ => None,
        };
        if let Some(entry) = open.and_then(|v| self.org(v.org)?.actions.get(&v.id)) {
            sources.extend(entry.fetched_at);
            for a in entry.actions.iter().flatten() {
                sources.extend(a.created_at);
                sources.extend(a.updated_at);
            }
        }
        sources
    }
}
