//! Opening accounts and prefetching their contract actions, against the simulator.

mod sync_support;

use std::time::Duration;

use sync_support::*;
use tdbi::sim::Faults;
use tdbi::store::Update;
use tdbi::sync::{BillingReads, SyncCommand, SyncSettings};

const LONG: Duration = Duration::from_secs(60);

fn open(id: &str) -> SyncCommand {
    SyncCommand::OpenAccount {
        account_id: id.to_owned(),
    }
}

fn contract_of(org: usize) -> impl Fn(&Update) -> bool {
    move |u| matches!(u, Update::ResellerContract { org: o, .. } if *o == org)
}

#[tokio::test]
async fn opening_reads_actions_and_the_contract_or_says_the_scope_is_missing() {
    // Of three simulated organizations the last lacks express-accounts-contracts:read.
    let sim = sim(3, 30).await;
    let orgs = (0..3)
        .map(|i| Ok(client(&sim, i, None, options(50))))
        .collect();
    let mut h = Harness::start(&["a", "b", "c"], orgs, settings(LONG));
    h.synced(0).await;
    h.synced(2).await;

    let id0 = h.store.orgs[0].accounts[0].id.to_string();
    let id2 = h.store.orgs[2].accounts[0].id.to_string();
    let direct = client(&sim, 0, None, options(50));
    let want = direct.contract_actions(&id0).await.expect("actions");

    h.handle.send(0, open(&id0));
    h.until("org 0's contract", contract_of(0)).await;
    let org = &h.store.orgs[0];
    let entry = &org.actions[&id0];
    assert_eq!(entry.actions.as_ref(), Some(&want));
    assert!(entry.error.is_none() && entry.fetched_at.is_some());
    let contract = org.contracts[&id0].as_ref().expect("a contract");
    assert_eq!(contract.id, id0);

    let before = sim.stats().api_requests;
    h.handle.send(2, open(&id2));
    h.until("org 2's contract", contract_of(2)).await;
    let org = &h.store.orgs[2];
    assert!(
        org.actions[&id2].actions.is_some(),
        "{:?}",
        org.actions[&id2]
    );
    let error = org.contracts[&id2].as_ref().expect_err("no scope");
    assert!(
        error.contains("lacks express-accounts-contracts:read"),
        "{error}"
    );
    assert_eq!(
        sim.stats().api_requests - before,
        1,
        "the contract is not even asked without the scope"
    );
}

#[tokio::test]
async fn opening_reads_fresh_every_time_and_counts_as_a_prefetch() {
    let sim = sim(1, 10).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    h.synced(0).await;
    let id = h.store.orgs[0].accounts[0].id.to_string();
    let before = sim.stats().api_requests;
    for _ in 0..2 {
        h.handle.send(0, open(&id));
        h.until("the contract", contract_of(0)).await;
    }
    assert_eq!(sim.stats().api_requests - before, 4, "two reads of two");

    h.handle.send(
        0,
        SyncCommand::Prefetch {
            account_ids: vec![id],
        },
    );
    assert!(h.drain(QUIET).await.is_empty(), "just read: not prefetched");
    assert_eq!(sim.stats().api_requests - before, 4);
}

#[tokio::test]
async fn prefetch_stays_within_its_budget() {
    let sim = sim(1, 60).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG)); // 5 per minute
    h.synced(0).await;
    let ids: Vec<String> = h.store.orgs[0].accounts[..20]
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    let before = sim.stats().api_requests;
    h.handle.send(
        0,
        SyncCommand::Prefetch {
            account_ids: ids.clone(),
        },
    );
    let mut n = 0;
    h.until("five prefetched", |u| {
        n += usize::from(matches!(u, Update::ContractActions { result: Ok(_), .. }));
        n == 5
    })
    .await;
    assert!(h.drain(QUIET).await.is_empty(), "beyond the budget");
    assert_eq!(sim.stats().api_requests - before, 5);
    let fetched: Vec<&String> = ids
        .iter()
        .filter(|id| h.store.orgs[0].actions.contains_key(*id))
        .collect();
    assert_eq!(
        fetched,
        ids[..5].iter().collect::<Vec<_>>(),
        "in the order asked"
    );

    // Fresh ones cost nothing; the rest wait for the budget to refill.
    h.handle.send(0, SyncCommand::Prefetch { account_ids: ids });
    assert!(h.drain(QUIET).await.is_empty());
    assert_eq!(sim.stats().api_requests - before, 5);
}

#[tokio::test]
async fn prefetching_never_holds_up_an_opened_account() {
    let sim = sim(1, 40).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let settings = SyncSettings {
        prefetch_per_minute: 30,
        billing: BillingReads::Off,
        ..settings(LONG)
    };
    let mut h = Harness::start(&["acme"], orgs, settings);
    h.synced(0).await;
    sim.set_faults(Faults {
        latency: Duration::from_millis(150),
        ..Faults::default()
    });
    let accounts = &h.store.orgs[0].accounts;
    let ids: Vec<String> = accounts[..20].iter().map(|a| a.id.to_string()).collect();
    let opened = accounts[30].id.to_string();
    h.handle.send(0, SyncCommand::Prefetch { account_ids: ids });
    h.handle.send(0, open(&opened));
    let seen = h
        .until(
            "the opened account",
            |u| matches!(u, Update::ContractActions { account_id, .. } if *account_id == opened),
        )
        .await;
    let prefetched = count(&seen, |u| matches!(u, Update::ContractActions { .. })) - 1;
    // At most the one prefetch read already in flight comes first (20 are queued).
    assert!(prefetched <= 1, "{prefetched} prefetch reads came first");
}
