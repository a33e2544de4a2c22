//! `Store::apply`: every rule of the pure update function.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use tdbi::api::model::{
    Account, AccountStatus, ActionStatus, ActionType, ContractAction, ContractStatus,
    ResellerContract,
};
use tdbi::store::{CHANGE_RETENTION, LoadState, MAX_CHANGES, Store, Update};

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0)
        .single()
        .expect("valid time")
}

fn acct(id: &str, status: &str) -> Account {
    Account {
        id: id.into(),
        name: format!("name-{id}").into(),
        company_name: format!("Company {id}").into(),
        status: AccountStatus::from_raw(status),
    }
}

fn synced(org: usize, accounts: Vec<Account>, at: DateTime<Utc>) -> Update {
    Update::AccountsSynced { org, accounts, at }
}

fn action(id: &str) -> ContractAction {
    ContractAction {
        id: id.to_owned(),
        action_type: ActionType::New,
        quantity: Some(3),
        status: ActionStatus::Completed,
        status_message: String::new(),
        created_at: None,
        updated_at: None,
    }
}

fn contract(id: &str) -> ResellerContract {
    ResellerContract {
        id: id.to_owned(),
        trial: Some(false),
        account_status: ContractStatus::Active,
        license_number: Some(5),
        transition_date: None,
        transition_status: None,
    }
}

fn store() -> Store {
    Store::new(["a".to_owned(), "b".to_owned()])
}

#[test]
fn new_store_is_idle_and_empty_in_config_order() {
    let s = store();
    let names: Vec<&str> = s.orgs.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert!(s.orgs.iter().all(|o| o.load == LoadState::Idle));
    assert_eq!(s.total_accounts(), 0);
    assert!(!s.orgs[0].is_stale());
    assert!(s.orgs[0].status_counts().is_empty());
}

#[test]
fn sync_started_and_progress_set_the_load_and_keep_the_data() {
    let mut s = store();
    s.apply(synced(0, vec![acct("1", "ACTIVE")], t(0)));
    assert!(s.apply(Update::SyncStarted { org: 0 }));
    assert_eq!(s.orgs[0].load, LoadState::Syncing { done: 0, total: 0 });
    assert_eq!(s.orgs[0].accounts.len(), 1);
    assert!(s.apply(Update::SyncProgress {
        org: 0,
        done: 2,
        total: 5
    }));
    assert_eq!(s.orgs[0].load, LoadState::Syncing { done: 2, total: 5 });
    assert!(
        !s.apply(Update::SyncProgress {
            org: 0,
            done: 2,
            total: 5
        }),
        "the same progress again changes nothing visible"
    );
    assert_eq!(
        s.orgs[1].load,
        LoadState::Idle,
        "the other org is untouched"
    );
}

#[test]
fn accounts_synced_replaces_accounts_keeping_stable_slots() {
    let mut s = store();
    s.apply(synced(
        0,
        vec![acct("1", "ACTIVE"), acct("2", "ACTIVE")],
        t(0),
    ));
    let rev = s.orgs[0].revision;
    assert!(s.apply(synced(
        0,
        vec![acct("9", "CHURNED"), acct("1", "ACTIVE")],
        t(10)
    )));
    let o = &s.orgs[0];
    let ids: Vec<&str> = o.accounts.iter().map(|a| a.id.as_str()).collect();
    // "1" keeps its slot, "2" leaves, "9" is appended
    assert_eq!(ids, ["1", "9"]);
    assert_eq!(o.by_id.len(), 2);
    assert_eq!(o.by_id["9"], 1);
    assert_eq!(o.by_id["1"], 0);
    assert_eq!(o.account("9").map(|a| a.name.as_str()), Some("name-9"));
    assert!(o.account("2").is_none());
    assert_eq!(o.revision, rev + 1);
    assert_eq!(o.load, LoadState::Ready { at: t(10) });
    assert_eq!(o.last_good_at, Some(t(10)));
    assert_eq!(s.total_accounts(), 2);
}

#[test]
fn status_changes_are_recorded_between_two_good_syncs_only() {
    let mut s = store();
    s.apply(Update::SyncFailed {
        org: 0,
        error: "down".into(),
        at: t(0),
    });
    s.apply(synced(
        0,
        vec![acct("1", "IN_TRIAL"), acct("2", "ACTIVE")],
        t(1),
    ));
    assert!(s.orgs[0].changes.is_empty(), "no previous good sync");

    s.apply(synced(
        0,
        vec![
            acct("1", "ACTIVE"),
            acct("2", "ACTIVE"),
            acct("3", "CHURNED"),
        ],
        t(60),
    ));
    let o = &s.orgs[0];
    assert_eq!(o.changes.len(), 1, "new account 3 is no change");
    let c = &o.changes[0];
    assert_eq!(c.account_id, "1");
    assert_eq!(c.old, AccountStatus::InTrial);
    assert_eq!(c.new, AccountStatus::Active);
    assert_eq!(c.at, t(60));
    let within = TimeDelta::minutes(5);
    assert_eq!(o.recent_change("1", t(120), within), Some(c));
    assert_eq!(o.recent_change("1", t(60 + 301), within), None, "too old");
    assert_eq!(o.recent_change("2", t(120), within), None);
}

#[test]
fn recent_change_is_the_newest_of_an_account() {
    let mut s = store();
    s.apply(synced(0, vec![acct("1", "IN_TRIAL")], t(0)));
    s.apply(synced(0, vec![acct("1", "ACTIVE")], t(10)));
    s.apply(synced(0, vec![acct("1", "CHURNED")], t(20)));
    let c = s.orgs[0]
        .recent_change("1", t(20), TimeDelta::hours(1))
        .expect("a change");
    assert_eq!((c.old.as_str(), c.new.as_str()), ("ACTIVE", "CHURNED"));
    assert_eq!(s.orgs[0].changes.len(), 2);
}

#[test]
fn changes_are_bounded_in_number_and_age() {
    let mut s = store();
    let n = MAX_CHANGES + 200;
    let ids: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let all = |status: &str| ids.iter().map(|id| acct(id, status)).collect::<Vec<_>>();
    s.apply(synced(0, all("IN_TRIAL"), t(0)));
    s.apply(synced(0, all("ACTIVE"), t(10)));
    let o = &s.orgs[0];
    assert_eq!(o.changes.len(), MAX_CHANGES);
    assert_eq!(o.changes[0].account_id, "200", "the oldest were dropped");
    assert!(o.recent_change("0", t(10), TimeDelta::hours(1)).is_none());
    assert!(o.recent_change("200", t(10), TimeDelta::hours(1)).is_some());

    // One more change a day later: every older change has expired.
    let mut later = all("ACTIVE");
    later[5].status = AccountStatus::Churned;
    let day_later = t(10) + CHANGE_RETENTION + TimeDelta::seconds(1);
    s.apply(synced(0, later, day_later));
    let o = &s.orgs[0];
    assert_eq!(o.changes.len(), 1);
    assert_eq!(o.changes[0].account_id, "5");
    assert!(
        o.recent_change("300", day_later, TimeDelta::days(2))
            .is_none()
    );
    assert!(
        o.recent_change("5", day_later, TimeDelta::days(2))
            .is_some()
    );
}

#[test]
fn caches_of_vanished_accounts_are_dropped() {
    let mut s = store();
    s.apply(synced(
        0,
        vec![acct("1", "ACTIVE"), acct("2", "ACTIVE")],
        t(0),
    ));
    for id in ["1", "2"] {
        s.apply(Update::ContractActions {
            org: 0,
            account_id: id.into(),
            result: Ok(vec![action("x")]),
            at: t(1),
        });
        s.apply(Update::ResellerContract {
            org: 0,
            account_id: id.into(),
            result: Ok(contract(id)),
        });
    }
    s.apply(synced(0, vec![acct("2", "ACTIVE")], t(10)));
    let o = &s.orgs[0];
    assert!(!o.actions.contains_key("1") && !o.contracts.contains_key("1"));
    assert!(o.actions.contains_key("2") && o.contracts.contains_key("2"));

    // A late answer for the vanished account is not revived.
    assert!(!s.apply(Update::ContractActions {
        org: 0,
        account_id: "1".into(),
        result: Ok(vec![]),
        at: t(11),
    }));
    assert!(!s.orgs[0].actions.contains_key("1"));
}

#[test]
fn sync_failed_keeps_the_accounts_and_marks_them_stale() {
    let mut s = store();
    s.apply(synced(0, vec![acct("1", "ACTIVE")], t(0)));
    let rev = s.orgs[0].revision;
    s.apply(Update::SyncStarted { org: 0 });
    assert!(s.apply(Update::SyncFailed {
        org: 0,
        error: "Acme: 503 unavailable".into(),
        at: t(30),
    }));
    let o = &s.orgs[0];
    assert_eq!(
        o.load,
        LoadState::Failed {
            error: "Acme: 503 unavailable".into(),
            last_good_at: Some(t(0)),
        }
    );
    assert_eq!(o.last_error, Some(("Acme: 503 unavailable".into(), t(30))));
    assert_eq!(*o.accounts, vec![acct("1", "ACTIVE")]);
    assert_eq!(o.revision, rev);
    assert!(o.is_stale());

    s.apply(Update::SyncStarted { org: 0 });
    assert!(s.orgs[0].is_stale(), "still stale while the retry runs");
    s.apply(synced(0, vec![acct("1", "ACTIVE")], t(60)));
    assert!(!s.orgs[0].is_stale());
    assert_eq!(s.orgs[0].load, LoadState::Ready { at: t(60) });
    assert_eq!(
        s.orgs[0].last_error, None,
        "a recovered organization shows no old error"
    );
}

#[test]
fn a_failure_before_any_data_is_not_stale() {
    let mut s = store();
    s.apply(Update::SyncFailed {
        org: 1,
        error: "no secret".into(),
        at: t(0),
    });
    let o = &s.orgs[1];
    assert_eq!(
        o.load,
        LoadState::Failed {
            error: "no secret".into(),
            last_good_at: None
        }
    );
    assert!(!o.is_stale());
    assert!(o.accounts.is_empty());
}

#[test]
fn contract_actions_success_and_failure() {
    let mut s = store();
    s.apply(synced(0, vec![acct("1", "ACTIVE")], t(0)));
    assert!(s.apply(Update::ContractActions {
        org: 0,
        account_id: "1".into(),
        result: Ok(vec![action("a1")]),
        at: t(5),
    }));
    let e = &s.orgs[0].actions["1"];
    assert_eq!(e.actions.as_deref(), Some(&[action("a1")][..]));
    assert_eq!(e.fetched_at, Some(t(5)));
    assert!(e.error.is_none());

    s.apply(Update::ContractActions {
        org: 0,
        account_id: "1".into(),
        result: Err("Acme: timed out".into()),
        at: t(9),
    });
    let o = &s.orgs[0];
    let e = &o.actions["1"];
    assert_eq!(e.actions.as_deref(), Some(&[action("a1")][..]), "old kept");
    assert_eq!(e.fetched_at, Some(t(5)));
    assert_eq!(e.error.as_deref(), Some("Acme: timed out"));
    assert_eq!(o.last_error, Some(("Acme: timed out".into(), t(9))));
    assert_eq!(o.load, LoadState::Ready { at: t(0) }, "load untouched");

    s.apply(Update::ContractActions {
        org: 0,
        account_id: "1".into(),
        result: Ok(vec![]),
        at: t(12),
    });
    let e = &s.orgs[0].actions["1"];
    assert!(e.error.is_none(), "a success clears the error");
    assert_eq!(e.actions.as_deref(), Some(&[][..]));
}

#[test]
fn reseller_contracts_are_kept_per_account() {
    let mut s = store();
    s.apply(synced(
        0,
        vec![acct("1", "ACTIVE"), acct("2", "ACTIVE")],
        t(0),
    ));
    s.apply(Update::ResellerContract {
        org: 0,
        account_id: "1".into(),
        result: Ok(contract("1")),
    });
    s.apply(Update::ResellerContract {
        org: 0,
        account_id: "2".into(),
        result: Err("lacks express-accounts-contracts:read".into()),
    });
    let o = &s.orgs[0];
    assert_eq!(o.contracts["1"], Ok(contract("1")));
    assert!(o.contracts["2"].is_err());
    assert!(
        o.last_error.is_none(),
        "shown in the account view, not as org error"
    );
}

#[test]
fn an_unknown_org_index_is_ignored() {
    let mut s = store();
    let before = format!("{s:?}");
    assert!(!s.apply(Update::SyncStarted { org: 7 }));
    assert!(!s.apply(synced(2, vec![acct("1", "ACTIVE")], t(0))));
    assert!(!s.apply(Update::SyncFailed {
        org: usize::MAX,
        error: "x".into(),
        at: t(0)
    }));
    assert_eq!(format!("{s:?}"), before);
}

#[test]
fn status_counts_in_documented_order_then_unknowns() {
    let mut s = store();
    let accounts = vec![
        acct("1", "TRIAL_LOST"),
        acct("2", "ZEBRA"),
        acct("3", "ACTIVE"),
        acct("4", "IN_TRIAL"),
        acct("5", "ACTIVE"),
        acct("6", ""),
        acct("7", "ZEBRA"),
    ];
    s.apply(synced(0, accounts, t(0)));
    let counts: Vec<(String, usize)> = s.orgs[0]
        .status_counts()
        .into_iter()
        .map(|(st, n)| (st.as_str().to_owned(), n))
        .collect();
    let expect = [
        ("ACTIVE", 2),
        ("IN_TRIAL", 1),
        ("TRIAL_LOST", 1),
        ("", 1),
        ("ZEBRA", 2),
    ];
    let expect: Vec<(String, usize)> = expect.iter().map(|(s, n)| (s.to_string(), *n)).collect();
    assert_eq!(counts, expect);
}

fn arb_account() -> impl Strategy<Value = Account> {
    (
        "[a-f0-9]{1,3}",
        prop::sample::select(vec!["ACTIVE", "CHURNED", "IN_TRIAL", "X"]),
    )
        .prop_map(|(id, st)| acct(&id, st))
}

proptest! {
    #[test]
    fn accounts_after_sync_equal_the_update_and_by_id_is_consistent(
        batches in prop::collection::vec(prop::collection::vec(arb_account(), 0..40), 1..5)
    ) {
        let mut s = store();
        for (i, accounts) in batches.into_iter().enumerate() {
            let at = t(i as i64 * 60);
            s.apply(synced(0, accounts.clone(), at));
            let o = &s.orgs[0];
            // the same accounts (a repeated id: the first row owns it), in stable slots
            let mut want: Vec<&Account> = Vec::new();
            for a in &accounts {
                if !want.iter().any(|w| w.id == a.id) {
                    want.push(a);
                }
            }
            let mut got: Vec<&Account> = o.accounts.iter().collect();
            want.sort_by(|a, b| a.id.cmp(&b.id));
            got.sort_by(|a, b| a.id.cmp(&b.id));
            prop_assert_eq!(got, want.clone());
            let accounts = want;
            for (id, &ix) in o.by_id.iter() {
                prop_assert_eq!(&o.accounts[ix].id, id);
            }
            for a in o.accounts.iter() {
                prop_assert!(o.by_id.contains_key(&a.id));
            }
            let counted: usize = o.status_counts().iter().map(|(_, n)| n).sum();
            prop_assert_eq!(counted, accounts.len());
            prop_assert_eq!(o.load.clone(), LoadState::Ready { at });
            for c in &o.changes {
                prop_assert!(o.recent_change(&c.account_id, at, TimeDelta::hours(1)).is_some());
            }
        }
    }
}

#[test]
fn an_identical_sync_keeps_the_revision_but_refreshes_the_time() {
    let mut store = Store::new(["Org".to_string()]);
    let t0 = chrono::Utc::now();
    let accounts = vec![tdbi::api::model::Account {
        id: "a1".into(),
        name: "n".into(),
        company_name: "c".into(),
        status: tdbi::api::model::AccountStatus::Active,
    }];
    store.apply(Update::AccountsSynced {
        org: 0,
        accounts: accounts.clone(),
        at: t0,
    });
    let revision = store.orgs[0].revision;
    let t1 = t0 + chrono::Duration::seconds(60);
    assert!(store.apply(Update::AccountsSynced {
        org: 0,
        accounts,
        at: t1
    }));
    assert_eq!(
        store.orgs[0].revision, revision,
        "identical data: views keep their listing"
    );
    assert_eq!(store.orgs[0].last_good_at, Some(t1));
    assert_eq!(store.orgs[0].load, LoadState::Ready { at: t1 });
}

#[test]
fn a_failed_billing_list_is_a_status_line_error_and_a_refused_one_is_not() {
    use std::sync::Arc;
    use tdbi::billing::{BillingList, ListProblem, OrgBilling};

    let mut s = store();
    let denied = OrgBilling {
        invoices: BillingList::default().after(
            Err(ListProblem::Denied {
                scope: "express-accounts-invoices:read",
                error: "403".into(),
            }),
            t(1),
        ),
        ..OrgBilling::default()
    };
    assert!(s.apply(Update::BillingSynced {
        org: 0,
        billing: Arc::new(denied),
        at: t(1),
    }));
    assert_eq!(
        s.orgs[0].last_error, None,
        "a missing scope is not an error"
    );
    assert_eq!(s.orgs[0].billing_revision, 1);
    assert!(matches!(s.orgs[0].billing_load, LoadState::Ready { .. }));

    let failed = OrgBilling {
        usage: BillingList::default().after(
            Err(ListProblem::Failed("GET /express/usage/month: 503".into())),
            t(2),
        ),
        ..OrgBilling::default()
    };
    s.apply(Update::BillingSynced {
        org: 0,
        billing: Arc::new(failed),
        at: t(2),
    });
    assert_eq!(
        s.orgs[0].last_error,
        Some(("a: GET /express/usage/month: 503".to_owned(), t(2)))
    );
    assert_eq!(s.orgs[1].last_error, None);
}
