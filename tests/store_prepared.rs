//! Account lists prepared off the UI task (`OrgData::base` + `AccountsBase::prepare`)
//! and applied as `Update::AccountsPrepared` leave the store as the plain update does.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use tdbi::api::model::{Account, AccountStatus};
use tdbi::store::{AccountsBase, AccountsSource, Store, Update};

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0)
        .single()
        .expect("valid time")
}

fn acct(id: &str, name: &str, status: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        company_name: format!("Company {id}").into(),
        status: AccountStatus::from_raw(status),
    }
}

fn arb_account() -> impl Strategy<Value = Account> {
    (
        "[a-f0-9]{1,2}",
        prop::sample::select(vec!["x", "y"]),
        prop::sample::select(vec!["ACTIVE", "CHURNED", "IN_TRIAL", "ODD"]),
    )
        .prop_map(|(id, name, st)| acct(&id, name, st))
}

/// Everything `apply` keeps of one organization's accounts.
fn state(store: &Store) -> impl PartialEq + std::fmt::Debug {
    let o = &store.orgs[0];
    let mut by_id: Vec<(String, usize)> =
        o.by_id.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    by_id.sort();
    (
        o.accounts.to_vec(),
        by_id,
        o.keys().to_vec(),
        o.status_counts(),
        o.revision,
        o.changes.clone(),
        o.load.clone(),
        o.last_diff().cloned(),
    )
}

proptest! {
    #[test]
    fn prepared_syncs_equal_plain_syncs(
        batches in prop::collection::vec(prop::collection::vec(arb_account(), 0..30), 1..5)
    ) {
        let mut plain = Store::new(["a".to_owned()]);
        let mut prepared = Store::new(["a".to_owned()]);
        for (i, accounts) in batches.into_iter().enumerate() {
            let at = t(i as i64 * 60);
            plain.apply(Update::AccountsSynced { org: 0, accounts: accounts.clone(), at });
            let list = prepared.orgs[0].base().prepare(accounts);
            prepared.apply(Update::AccountsPrepared {
                org: 0,
                prepared: Box::new(list),
                source: AccountsSource::Synced { at },
            });
            prop_assert_eq!(state(&prepared), state(&plain));
        }
    }
}

#[test]
fn a_cache_prepared_before_a_provisional_account_still_applies_whole() {
    let cached = vec![acct("1", "one", "ACTIVE"), acct("2", "two", "CHURNED")];
    let trial = acct("9", "trial", "IN_TRIAL");
    let provisional = |store: &mut Store| {
        store.apply(Update::TrialProvisioned {
            org: 0,
            request: 1,
            result: Ok(trial.clone()),
        });
    };
    let mut plain = Store::new(["a".to_owned()]);
    provisional(&mut plain);
    plain.apply(Update::Cached {
        org: 0,
        accounts: Some(cached.clone()),
        billing: None,
        saved_at: t(0),
    });
    let mut prepared = Store::new(["a".to_owned()]);
    // prepared on the loading thread against no accounts; the store moved meanwhile
    let list = AccountsBase::default().prepare(cached);
    provisional(&mut prepared);
    assert!(prepared.apply(Update::AccountsPrepared {
        org: 0,
        prepared: Box::new(list),
        source: AccountsSource::Cached { saved_at: t(0) },
    }));
    assert_eq!(state(&prepared), state(&plain));
    assert_eq!(prepared.orgs[0].cached_at, Some(t(0)));
}

#[test]
fn changes_prepared_against_an_older_revision_are_dropped() {
    let mut store = Store::new(["a".to_owned()]);
    let first = vec![acct("1", "one", "ACTIVE")];
    store.apply(Update::AccountsSynced {
        org: 0,
        accounts: first,
        at: t(0),
    });
    let list = store.orgs[0]
        .base()
        .prepare(vec![acct("1", "uno", "ACTIVE")]);
    store.apply(Update::TrialProvisioned {
        org: 0,
        request: 1,
        result: Ok(acct("9", "trial", "IN_TRIAL")),
    });
    let revision = store.orgs[0].revision;
    assert!(!store.apply(Update::AccountsPrepared {
        org: 0,
        prepared: Box::new(list),
        source: AccountsSource::Synced { at: t(60) },
    }));
    assert_eq!(store.orgs[0].revision, revision);
    assert_eq!(store.orgs[0].accounts[0].name, "one");
}
