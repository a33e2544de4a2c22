//! Hand-built stores for unit tests of the app and the views.

use chrono::{DateTime, TimeZone, Utc};

use crate::api::model::{Account, AccountStatus};
use crate::store::{Store, Update};

pub fn account(id: &str, name: &str, company: &str, status: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        company_name: company.into(),
        status: AccountStatus::from_raw(status),
    }
}

pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0)
        .single()
        .unwrap_or_default()
}

/// A store whose organizations synced these accounts once, at `at(0)`.
pub fn store(orgs: Vec<(&str, Vec<Account>)>) -> Store {
    let mut store = Store::new(orgs.iter().map(|(n, _)| (*n).to_owned()));
    for (org, (_, accounts)) in orgs.into_iter().enumerate() {
        resync(&mut store, org, accounts, at(0));
    }
    store
}

/// Replaces an organization's accounts as a sync finishing at `when` does.
pub fn resync(store: &mut Store, org: usize, accounts: Vec<Account>, when: DateTime<Utc>) {
    store.apply(Update::AccountsSynced {
        org,
        accounts,
        at: when,
    });
}

/// `n` accounts with varied names and the statuses cycling.
pub fn generated(n: usize, seed: usize) -> Vec<Account> {
    const STATUSES: [&str; 5] = ["ACTIVE", "IN_TRIAL", "CHURNED", "TRIAL_LOST", "ACTIVE"];
    const WORDS: [&str; 8] = [
        "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "zürich",
    ];
    (0..n)
        .map(|i| {
            let w = WORDS[(i * 7 + seed) % WORDS.len()];
            account(
                &format!("{:06}", i + seed * 1_000_000),
                &format!("{w}{i}"),
                &format!("{} {w} Ltd", WORDS[(i + seed) % WORDS.len()]),
                STATUSES[i % STATUSES.len()],
            )
        })
        .collect()
}

/// A verified trial event of `kind` about `account`, received at `at(secs)`.
pub fn event(id: &str, kind: &str, account: &str, secs: i64) -> crate::events::StoredEvent {
    let time = at(secs).to_rfc3339();
    let data = format!(r#"{{"account_id":"{account}"}}"#);
    let body = format!(r#"{{"id":"{id}","type":"{kind}","created_at":"{time}","data":{data}}}"#);
    crate::events::StoredEvent {
        event: crate::events::Event::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}")),
        received_at: at(secs),
        verified: true,
        key_id: None,
    }
}
