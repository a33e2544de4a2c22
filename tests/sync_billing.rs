//! The billing reads of the sync tasks against the simulator: the first read, a missing
//! scope, no 403 loop, stale lists after a failure, refresh.

mod sync_support;

use std::collections::BTreeSet;
use std::time::Duration;

use sync_support::*;
use tdbi::api::Endpoint;
use tdbi::billing::{ListProblem, OrgBilling};
use tdbi::sim::{Faults, ScriptedFault};
use tdbi::store::{LoadState, Update};
use tdbi::sync::{BillingReads, SyncCommand};

const LONG: Duration = Duration::from_secs(60);

fn billing_synced(u: &Update) -> bool {
    matches!(u, Update::BillingSynced { .. })
}

fn billing_started(u: &Update) -> bool {
    matches!(u, Update::BillingStarted { .. })
}

/// The lists' problems, in the order subscriptions, invoices, usage, products.
fn problems(b: &OrgBilling) -> [Option<ListProblem>; 4] {
    [
        b.subscriptions.problem.clone(),
        b.invoices.problem.clone(),
        b.usage.problem.clone(),
        b.products.problem.clone(),
    ]
}

/// The lists' item counts, in the order of [`problems`].
fn lens(b: &OrgBilling) -> [usize; 4] {
    [
        b.subscriptions.slice().len(),
        b.invoices.slice().len(),
        b.usage.slice().len(),
        b.products.slice().len(),
    ]
}

fn ids<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    items.into_iter().map(str::to_owned).collect()
}

/// Waits until both the accounts sync and a billing read of org 0 have arrived.
async fn first_reads(h: &mut Harness) -> Vec<Update> {
    let (mut accounts, mut billing) = (false, false);
    h.until("the accounts and the billing lists", |u| {
        accounts |= matches!(u, Update::AccountsSynced { org: 0, .. });
        billing |= billing_synced(u);
        accounts && billing
    })
    .await
}

#[tokio::test]
async fn the_first_billing_read_brings_all_four_lists() {
    let sim = sim(1, 60).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(10)))];
    let reads = BillingReads::Every(LONG);
    let mut h = Harness::start_with_billing(&["acme"], orgs, settings(LONG), reads);
    let seen = first_reads(&mut h).await;
    let started = seen
        .iter()
        .position(billing_started)
        .expect("BillingStarted");
    let synced = seen.iter().position(billing_synced).expect("BillingSynced");
    assert!(started < synced, "{seen:?}");
    let progress: Vec<(u32, u32)> = seen
        .iter()
        .filter_map(|u| match u {
            Update::BillingProgress { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert!(progress.iter().all(|&(d, t)| d <= t), "{progress:?}");

    let direct = client(&sim, 0, None, options(10));
    let org = &h.store.orgs[0];
    let b = &org.billing;
    assert_eq!(problems(b), [None, None, None, None]);
    let subs = direct.subscriptions().await.expect("subscriptions");
    let lines = direct.invoices().await.expect("invoices");
    let usage = direct.monthly_usage().await.expect("usage");
    let products = direct.products().await.expect("products");
    assert!(!subs.is_empty() && !lines.is_empty() && !usage.is_empty());
    assert_eq!(
        ids(b.subscriptions.slice().iter().map(|s| s.id.as_str())),
        ids(subs.iter().map(|s| s.id.as_str()))
    );
    assert_eq!(
        ids(b.invoices.slice().iter().map(|l| l.id.as_str())),
        ids(lines.iter().map(|l| l.id.as_str()))
    );
    assert_eq!(
        ids(b.usage.slice().iter().map(|u| u.id.as_str())),
        ids(usage.iter().map(|u| u.id.as_str()))
    );
    assert_eq!(b.products.slice(), products.as_slice());
    assert!(b.derived.at.is_some(), "derived in the task");
    assert!(b.derived.catalogue.is_some());
    assert!(matches!(org.billing_load, LoadState::Ready { .. }));
    assert_eq!(org.billing_revision, 1);
    let rest = h.drain(QUIET).await;
    assert!(
        rest.is_empty(),
        "nothing more until the intervals: {rest:?}"
    );
}

#[tokio::test]
async fn a_client_without_the_invoices_scope_gets_denied_and_everything_else_works() {
    let sim = sim(1, 40).await;
    let scopes: Vec<&str> = Endpoint::all_scopes()
        .into_iter()
        .filter(|s| *s != Endpoint::Invoices.scope())
        .collect();
    let limited = sim.add_client(0, &scopes);
    let orgs = vec![Ok(client_of(&sim, &limited, options(20)))];
    let reads = BillingReads::Every(LONG);
    let mut h = Harness::start_with_billing(&["acme"], orgs, settings(LONG), reads);
    first_reads(&mut h).await;

    let org = &h.store.orgs[0];
    assert!(matches!(org.load, LoadState::Ready { .. }));
    assert_eq!(org.accounts.len(), 40, "the accounts still sync");
    let b = &org.billing;
    let Some(ListProblem::Denied { scope, .. }) = &b.invoices.problem else {
        panic!("invoices: {:?}", b.invoices.problem);
    };
    assert_eq!(*scope, "express-accounts-invoices:read");
    assert!(b.invoices.items.is_none());
    assert!(b.subscriptions.items.is_some() && b.subscriptions.problem.is_none());
    assert!(b.usage.items.is_some() && b.usage.problem.is_none());
    assert!(b.products.items.is_some() && b.products.problem.is_none());
    assert_eq!(
        org.last_error, None,
        "a missing scope is not a status-line error"
    );

    let before = sim.stats().api_requests;
    let rest = h.drain(Duration::from_secs(1)).await;
    assert!(rest.is_empty(), "no retry of the refused list: {rest:?}");
    assert_eq!(sim.stats().api_requests, before, "no request at all");
}

#[tokio::test]
async fn a_refused_list_waits_for_the_interval_while_failed_lists_retry_stale() {
    let sim = sim(1, 30).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let reads = BillingReads::Every(Duration::from_secs(4));
    let mut h = Harness::start_with_billing(&["acme"], orgs, settings(LONG), reads);
    first_reads(&mut h).await;
    assert_eq!(problems(&h.store.orgs[0].billing), [None, None, None, None]);
    let first = h.store.orgs[0].billing.clone();

    // The next scheduled read: one list is refused, every other request fails.
    sim.script(ScriptedFault::Status(403));
    sim.set_faults(Faults {
        server_error_rate: 1.0,
        ..Faults::default()
    });
    h.until("the failed read", billing_synced).await;
    let b = h.store.orgs[0].billing.clone();
    let refused: Vec<usize> = (0..4)
        .filter(|&i| matches!(problems(&b)[i], Some(ListProblem::Denied { .. })))
        .collect();
    let [refused] = refused[..] else {
        panic!("one refused list: {:?}", problems(&b));
    };
    for (i, p) in problems(&b)
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != refused)
    {
        assert!(
            matches!(p, Some(ListProblem::Failed(e)) if e.contains("503")),
            "{i}: {p:?}"
        );
    }
    let (now, then) = (lens(&b), lens(&first));
    for i in (0..4).filter(|&i| i != refused) {
        assert_eq!(now[i], then[i], "list {i}: a failed list keeps its items");
    }
    assert_eq!(now[refused], 0, "a refused list drops its items");
    let (error, _) = h.store.orgs[0]
        .last_error
        .clone()
        .expect("a status-line error");
    assert!(
        error.starts_with("acme: ") && error.contains("503"),
        "{error}"
    );

    // Two retries with backoff (100 ms, 200 ms): three lists, two attempts each.
    let before = sim.stats().api_requests;
    for _ in 0..2 {
        h.until("a retry", billing_synced).await;
        let p = problems(&h.store.orgs[0].billing);
        assert!(
            matches!(p[refused], Some(ListProblem::Denied { .. })),
            "the refused list was asked again: {p:?}"
        );
    }
    assert_eq!(sim.stats().api_requests - before, 12);

    // The server recovers: the next retry loads the three, the refused one still waits.
    sim.set_faults(Faults::default());
    h.until("the recovery", billing_synced).await;
    let p = problems(&h.store.orgs[0].billing);
    for (i, problem) in p.iter().enumerate() {
        assert_eq!(problem.is_some(), i == refused, "{p:?}");
    }

    // A manual refresh asks every list again.
    h.handle.send(0, SyncCommand::Refresh);
    h.until("the refreshed read", billing_synced).await;
    assert_eq!(problems(&h.store.orgs[0].billing), [None, None, None, None]);
}

#[tokio::test]
async fn refresh_reads_the_billing_lists_and_a_burst_reads_them_once() {
    let sim = sim(1, 20).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let reads = BillingReads::Every(LONG);
    let mut h = Harness::start_with_billing(&["acme"], orgs, settings(LONG), reads);
    first_reads(&mut h).await;
    h.drain(QUIET).await;

    h.handle.send(0, SyncCommand::Refresh);
    let seen = h.until("the refreshed read", billing_synced).await;
    assert_eq!(count(&seen, billing_started), 1, "{seen:?}");
    assert_eq!(h.store.orgs[0].billing_revision, 2);

    for _ in 0..5 {
        h.handle.send(0, SyncCommand::Refresh);
    }
    let mut seen = h.until("the burst's read", billing_synced).await;
    seen.extend(h.drain(QUIET).await);
    assert_eq!(count(&seen, billing_started), 1, "{seen:?}");
    assert_eq!(count(&seen, billing_synced), 1, "{seen:?}");
}

#[tokio::test]
async fn billing_off_reads_nothing() {
    let sim = sim(1, 10).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    h.synced(0).await;
    h.handle.send(0, SyncCommand::Refresh);
    let mut seen = h.synced(0).await;
    seen.extend(h.drain(QUIET).await);
    assert!(
        !seen.iter().any(|u| billing_started(u) || billing_synced(u)),
        "{seen:?}"
    );
    assert!(h.store.orgs[0].billing.is_empty());
}
