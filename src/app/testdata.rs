//! Hand-built stores for unit tests of the app and the views.

use chrono::{DateTime, TimeZone, Utc};

use crate::api::model::{Account, AccountStatus};
use crate::store::{LoadState, OrgData, Store};

pub fn account(id: &str, name: &str, company: &str, status: &str) -> Account {
    Account {
        id: id.to_owned(),
        name: name.to_owned(),
        company_name: company.to_owned(),
        status: AccountStatus::from_raw(status),
    }
}

pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0)
        .single()
        .unwrap_or_default()
}

/// A store whose organizations synced these accounts once.
// Built by hand until `Store::apply` lands (then: Store::new + AccountsSynced).
pub fn store(orgs: Vec<(&str, Vec<Account>)>) -> Store {
    Store {
        orgs: orgs
            .into_iter()
            .map(|(name, accounts)| OrgData {
                name: name.to_owned(),
                by_id: accounts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id.clone(), i))
                    .collect(),
                accounts,
                load: LoadState::Ready { at: at(0) },
                last_good_at: Some(at(0)),
                last_error: None,
                actions: Default::default(),
                contracts: Default::default(),
                changes: Vec::new(),
                revision: 1,
            })
            .collect(),
    }
}

/// Replaces an organization's accounts as a sync would.
pub fn resync(store: &mut Store, org: usize, accounts: Vec<Account>) {
    let o = &mut store.orgs[org];
    o.by_id = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    o.accounts = accounts;
    o.revision += 1;
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
