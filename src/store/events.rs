//! The trial events the dashboard has seen: a timeline, deduplicated by event id, with
//! each account's latest `app.trial_ended` at hand for the table's marker.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::events::{EventKind, StoredEvent};

/// At most this many events are kept (the oldest go first; the journal keeps them all).
pub const MAX_EVENTS: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct EventLog {
    /// In arrival order, oldest first.
    events: Vec<StoredEvent>,
    ids: HashSet<String>,
    /// Account id -> index in `events` of its latest `app.trial_ended`.
    ended: HashMap<String, usize>,
}

impl EventLog {
    /// Adds an event unless one with its id is already here; returns whether it was new.
    pub fn push(&mut self, event: StoredEvent) -> bool {
        if !self.ids.insert(event.event.id.clone()) {
            return false;
        }
        self.events.push(event);
        if self.events.len() > MAX_EVENTS {
            let excess = self.events.len() - MAX_EVENTS;
            for gone in self.events.drain(..excess) {
                self.ids.remove(&gone.event.id);
            }
            self.reindex();
        } else {
            let i = self.events.len() - 1;
            self.index(i);
        }
        true
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Newest first (by arrival).
    pub fn newest_first(&self) -> impl Iterator<Item = &StoredEvent> {
        self.events.iter().rev()
    }

    /// The events about `account_id`, newest first.
    pub fn for_account<'a>(&'a self, account_id: &'a str) -> impl Iterator<Item = &'a StoredEvent> {
        self.newest_first()
            .filter(move |e| e.event.account_id() == Some(account_id))
    }

    /// The latest `app.trial_ended` of `account_id` if it happened within `within` of `now`.
    pub fn recent_end(
        &self,
        account_id: &str,
        now: DateTime<Utc>,
        within: chrono::TimeDelta,
    ) -> Option<&StoredEvent> {
        let event = self.events.get(*self.ended.get(account_id)?)?;
        (now.signed_duration_since(event_time(event)) <= within).then_some(event)
    }

    fn index(&mut self, i: usize) {
        let Some(stored) = self.events.get(i) else {
            return;
        };
        if let EventKind::TrialEnded(data) = &stored.event.kind {
            self.ended.insert(data.account_id.clone(), i);
        }
    }

    fn reindex(&mut self) {
        self.ended.clear();
        for i in 0..self.events.len() {
            self.index(i);
        }
    }
}

/// When the event happened: `ended_at` of a trial end, else its `created_at`, else when
/// it was received.
pub fn event_time(stored: &StoredEvent) -> DateTime<Utc> {
    let ended = match &stored.event.kind {
        EventKind::TrialEnded(data) => data.ended_at,
        _ => None,
    };
    ended
        .or(stored.event.created_at)
        .unwrap_or(stored.received_at)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::api::model::{Account, AccountStatus};
    use crate::events::Event;
    use crate::store::{Store, TrialFailure, Update};

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn event(id: &str, kind: &str, account: &str, secs: i64) -> StoredEvent {
        let time = at(secs).to_rfc3339();
        let data = if kind == "app.trial_ended" {
            format!(
                r#"{{"account_id":"{account}","ended_at":"{time}","ended_reason":"trial_expired","ended_by":"system"}}"#
            )
        } else {
            format!(r#"{{"account_id":"{account}"}}"#)
        };
        let body =
            format!(r#"{{"id":"{id}","type":"{kind}","created_at":"{time}","data":{data}}}"#);
        StoredEvent {
            event: Event::parse(body.as_bytes()).unwrap(),
            received_at: at(secs),
            verified: true,
            key_id: None,
        }
    }

    fn account(id: &str, status: &str) -> Account {
        Account {
            id: id.into(),
            name: id.to_uppercase().into(),
            company_name: Default::default(),
            status: AccountStatus::from_raw(status),
        }
    }

    #[test]
    fn events_are_deduplicated_and_listed_newest_first() {
        let mut store = Store::new(["a".to_owned()]);
        assert!(store.apply(Update::Event(Box::new(event(
            "e1",
            "app.trial_started",
            "x",
            0
        )))));
        assert!(store.apply(Update::Event(Box::new(event(
            "e2",
            "app.trial_ended",
            "x",
            10
        )))));
        assert!(!store.apply(Update::Event(Box::new(event(
            "e1",
            "app.trial_started",
            "x",
            0
        )))));
        let ids: Vec<&str> = store
            .events
            .newest_first()
            .map(|e| e.event.id.as_str())
            .collect();
        assert_eq!(ids, ["e2", "e1"]);
        assert_eq!(store.events.for_account("x").count(), 2);
        assert_eq!(store.events.for_account("y").count(), 0);
    }

    #[test]
    fn a_trial_end_marks_its_account_while_recent() {
        let mut log = EventLog::default();
        log.push(event("e1", "app.trial_started", "x", 0));
        assert!(
            log.recent_end("x", at(5), chrono::TimeDelta::hours(1))
                .is_none()
        );
        log.push(event("e2", "app.trial_ended", "x", 10));
        let end = log.recent_end("x", at(20), chrono::TimeDelta::hours(1));
        assert_eq!(end.map(|e| e.event.id.as_str()), Some("e2"));
        assert!(
            log.recent_end("x", at(7_300), chrono::TimeDelta::hours(1))
                .is_none()
        );
        assert_eq!(event_time(&event("e3", "app.trial_ended", "y", 42)), at(42));
    }

    #[test]
    fn the_log_is_bounded_and_keeps_the_index_right() {
        let mut log = EventLog::default();
        log.push(event("end", "app.trial_ended", "x", 0));
        for i in 0..MAX_EVENTS {
            log.push(event(&format!("s{i}"), "app.trial_started", "y", 1));
        }
        assert_eq!(log.len(), MAX_EVENTS);
        assert!(
            log.recent_end("x", at(1), chrono::TimeDelta::hours(1))
                .is_none()
        );
        // the dropped id may come again and counts as new
        assert!(log.push(event("end", "app.trial_ended", "x", 2)));
        assert!(
            log.recent_end("x", at(3), chrono::TimeDelta::hours(1))
                .is_some()
        );
    }

    #[test]
    fn a_provisioned_trial_shows_at_once_until_the_next_sync() {
        let mut store = Store::new(["a".to_owned(), "b".to_owned()]);
        store.apply(Update::AccountsSynced {
            org: 1,
            accounts: vec![account("old", "ACTIVE")],
            at: at(0),
        });
        let rev = store.orgs[1].revision;
        assert!(store.apply(Update::TrialProvisioned {
            org: 1,
            request: 1,
            result: Ok(account("new", "IN_TRIAL")),
        }));
        let org = &store.orgs[1];
        assert!(org.revision > rev);
        assert_eq!(
            org.account("new").map(|a| a.status.as_str()),
            Some("IN_TRIAL")
        );
        assert!(
            org.status_counts()
                .iter()
                .any(|(s, n)| s.as_str() == "IN_TRIAL" && *n == 1)
        );
        assert_eq!(store.orgs_of_account("new").collect::<Vec<_>>(), [1]);
        // a failure changes nothing
        assert!(!store.apply(Update::TrialProvisioned {
            org: 1,
            request: 2,
            result: Err(TrialFailure {
                message: "no".into(),
                fields: Vec::new()
            }),
        }));
        // the next sync is the truth
        store.apply(Update::AccountsSynced {
            org: 1,
            accounts: vec![account("old", "ACTIVE"), account("new", "IN_TRIAL")],
            at: at(5),
        });
        assert_eq!(store.orgs[1].accounts.len(), 2);
        assert!(store.orgs[1].changes.is_empty());
    }
}
