//! The sync engine against the simulator over loopback: syncing, refresh, failures,
//! backoff, status changes, shutdown.

mod sync_support;

use std::collections::HashSet;
use std::time::Duration;

use sync_support::*;
use tdbi::api::model::AccountStatus;
use tdbi::sim::{Faults, ScriptedFault};
use tdbi::store::{LoadState, Update};
use tdbi::sync::SyncCommand;

const LONG: Duration = Duration::from_secs(60);

#[tokio::test]
async fn the_first_sync_delivers_every_account_and_ready() {
    let sim = sim(1, 95).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(10)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    let seen = h.synced(0).await;

    assert!(is_started(&seen[0], 0), "starts with SyncStarted: {seen:?}");
    let progress: Vec<(u32, u32)> = seen
        .iter()
        .filter_map(|u| match u {
            Update::SyncProgress { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert!(
        progress.iter().all(|&(d, t)| d <= t && t <= 10),
        "{progress:?}"
    );
    assert!(
        progress.windows(2).all(|w| w[0].0 <= w[1].0),
        "{progress:?}"
    );

    let org = &h.store.orgs[0];
    assert!(matches!(org.load, LoadState::Ready { .. }));
    let got: HashSet<&str> = org.accounts.iter().map(|a| a.id.as_str()).collect();
    let want: Vec<String> = sim.accounts(0).into_iter().map(|a| a.id).collect();
    assert_eq!(got.len(), 95);
    assert!(want.iter().all(|id| got.contains(id.as_str())));
    assert!(
        h.drain(QUIET).await.is_empty(),
        "nothing until the interval"
    );
}

#[tokio::test]
async fn progress_is_throttled_and_never_follows_the_result() {
    let sim = sim(1, 1_500).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(10)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    h.until("sync started", |u| is_started(u, 0)).await;
    let began = tokio::time::Instant::now();
    let seen = h.synced(0).await;
    let took = began.elapsed();
    let progress = count(&seen, |u| matches!(u, Update::SyncProgress { .. }));
    // 150 pages; at most one progress update per 100 ms (plus the first).
    let allowed = (took.as_millis() / 100) as usize + 2;
    assert!(
        progress <= allowed,
        "{progress} progress updates in {took:?}"
    );
    assert!(h.drain(Duration::from_millis(300)).await.is_empty());
    assert!(matches!(h.store.orgs[0].load, LoadState::Ready { .. }));
}

#[tokio::test]
async fn a_burst_of_refreshes_syncs_exactly_once_more() {
    let sim = sim(1, 30).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(10)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    h.synced(0).await;
    let first = h.store.orgs[0].last_good_at;
    for _ in 0..5 {
        h.handle.send(0, SyncCommand::Refresh);
    }
    let seen = h.synced(0).await;
    assert_eq!(count(&seen, |u| is_started(u, 0)), 1, "{seen:?}");
    let rest = h.drain(QUIET).await;
    assert!(rest.is_empty(), "a second sync: {rest:?}");
    assert!(
        h.store.orgs[0].last_good_at > first,
        "the follow-up sync succeeded"
    );
}

#[tokio::test]
async fn a_refresh_late_in_a_long_sync_queues_one_follow_up_and_opens_are_served_meanwhile() {
    let sim = sim(1, 80).await;
    sim.set_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    });
    let id = sim.accounts(0)[0].id.clone();
    let orgs = vec![Ok(client(&sim, 0, None, options(10)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    h.until("first page", |u| matches!(u, Update::SyncProgress { .. }))
        .await;
    h.handle.send(
        0,
        SyncCommand::OpenAccount {
            account_id: id.clone(),
        },
    );
    // 8 pages, two at a time, 300 ms each: the account's reads get in between.
    let seen = h
        .until("contract actions or the sync", |u| {
            matches!(
                u,
                Update::ContractActions { .. } | Update::AccountsSynced { .. }
            )
        })
        .await;
    assert!(
        matches!(
            seen.last(),
            Some(Update::ContractActions { result: Ok(_), .. })
        ),
        "the open waited for the sync: {seen:?}"
    );
    // Three pages (900 ms) in: past the coalescing window of a second? Wait for the 4th.
    h.until(
        "four pages",
        |u| matches!(u, Update::SyncProgress { done, .. } if *done >= 4),
    )
    .await;
    for _ in 0..3 {
        h.handle.send(0, SyncCommand::Refresh);
    }
    h.synced(0).await;
    let follow_up = h.synced(0).await;
    assert_eq!(count(&follow_up, |u| is_started(u, 0)), 1, "{follow_up:?}");
    let rest = h.drain(QUIET).await;
    assert_eq!(count(&rest, |u| is_started(u, 0)), 0, "{rest:?}");
}

#[tokio::test]
async fn failing_organizations_report_while_another_syncs() {
    let sim = sim(2, 40).await;
    let orgs = vec![
        Ok(client(&sim, 0, None, options(20))),
        Ok(client(&sim, 1, Some("not-the-secret"), options(20))),
        Err("Gamma: no client secret (client_secret_command failed)".to_owned()),
    ];
    let settings = sync_support::settings(LONG);
    let mut h = Harness::start(&["a", "b", "c"], orgs, settings);
    let mut failed = HashSet::new();
    let mut synced = false;
    h.until("both failures and one sync", |u| {
        match u {
            Update::SyncFailed { org, .. } => {
                failed.insert(*org);
            }
            Update::AccountsSynced { org: 0, .. } => synced = true,
            Update::AccountsSynced { org, .. } => panic!("org {org} synced"),
            _ => {}
        }
        synced && failed.len() == 2
    })
    .await;
    assert_eq!(failed, HashSet::from([1, 2]));
    let s = &h.store;
    assert!(matches!(s.orgs[0].load, LoadState::Ready { .. }));
    let LoadState::Failed {
        error,
        last_good_at,
    } = &s.orgs[1].load
    else {
        panic!("org 1: {:?}", s.orgs[1].load);
    };
    assert!(error.starts_with(&sim.organizations()[1].name), "{error}");
    assert!(!error.contains("not-the-secret"), "{error}");
    assert_eq!(*last_good_at, None);
    assert_eq!(
        s.orgs[2].load,
        LoadState::Failed {
            error: "Gamma: no client secret (client_secret_command failed)".into(),
            last_good_at: None
        }
    );

    // The org without a client answers a refresh with its error, and nothing else.
    h.handle.send(
        2,
        SyncCommand::OpenAccount {
            account_id: "x".into(),
        },
    );
    h.handle.send(2, SyncCommand::Refresh);
    let seen = h
        .until("the failure again", |u| {
            matches!(u, Update::SyncFailed { org: 2, .. })
        })
        .await;
    assert!(
        seen.iter()
            .all(|u| u.org() != Some(2) || matches!(u, Update::SyncFailed { .. }))
    );
    assert!(h.drain(QUIET).await.iter().all(|u| u.org() != Some(2)));
}

#[tokio::test]
async fn a_failed_sync_keeps_the_data_stale_and_the_backoff_retry_restores_it() {
    let sim = sim(1, 25).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let mut h = Harness::start(&["acme"], orgs, settings(LONG));
    h.synced(0).await;
    // Two attempts (max_retries 1) of the first page, both 503.
    sim.script(ScriptedFault::Status(503));
    sim.script(ScriptedFault::Status(503));
    h.handle.send(0, SyncCommand::Refresh);
    h.until("the failure", |u| matches!(u, Update::SyncFailed { .. }))
        .await;
    let org = &h.store.orgs[0];
    assert!(org.is_stale());
    assert_eq!(org.accounts.len(), 25, "last good accounts kept");
    let error = &org.last_error.as_ref().expect("an error").0;
    assert!(error.contains("503"), "{error}");

    // No command: the backoff (100 ms, interval 60 s) brings the retry.
    let seen = h.synced(0).await;
    assert_eq!(count(&seen, |u| is_started(u, 0)), 1);
    let org = &h.store.orgs[0];
    assert!(!org.is_stale());
    assert!(matches!(org.load, LoadState::Ready { .. }));
}

#[tokio::test]
async fn a_status_change_between_two_periodic_syncs_is_recorded() {
    let sim = sim(1, 20).await;
    let orgs = vec![Ok(client(&sim, 0, None, options(50)))];
    let mut h = Harness::start(&["acme"], orgs, settings(Duration::from_millis(200)));
    h.synced(0).await;
    let account = &h.store.orgs[0].accounts[3];
    let (id, old) = (account.id.clone(), account.status.clone());
    let new = if old == AccountStatus::Churned {
        "ACTIVE"
    } else {
        "CHURNED"
    };
    sim.set_account_status(0, &id, new);
    // The next sync may have begun before the change: wait for one that saw it.
    h.until("the change", |u| {
        matches!(u, Update::AccountsSynced { accounts, .. }
            if accounts.iter().any(|a| a.id == id && a.status.as_str() == new))
    })
    .await;
    let org = &h.store.orgs[0];
    let change = org
        .recent_change(&id, chrono::Utc::now(), chrono::TimeDelta::minutes(1))
        .expect("the change is recorded");
    assert_eq!((&change.old, change.new.as_str()), (&old, new));
    assert_eq!(org.changes.len(), 1);
}

#[tokio::test]
async fn dropping_the_handle_stops_every_task() {
    let sim = sim(1, 10).await;
    let orgs = vec![
        Ok(client(&sim, 0, None, options(50))),
        Err("no client".to_owned()),
    ];
    let mut h = Harness::start(&["a", "b"], orgs, settings(Duration::from_millis(50)));
    h.synced(0).await;
    drop(h.handle);
    // Every task held a sender: the channel closes once they are all gone.
    let closed =
        tokio::time::timeout(PATIENCE, async { while h.rx.recv().await.is_some() {} }).await;
    assert!(closed.is_ok(), "the tasks kept running");
}

#[tokio::test]
async fn the_tasks_end_when_the_app_drops_its_receiver() {
    let sim = sim(1, 10).await;
    let orgs = vec![
        Ok(client(&sim, 0, None, options(50))),
        Err("no client".to_owned()),
    ];
    let mut h = Harness::start(&["a", "b"], orgs, settings(LONG));
    let (mut synced, mut failed) = (false, false);
    h.until("a's sync and b's failure", |u| {
        synced |= matches!(u, Update::AccountsSynced { org: 0, .. });
        failed |= matches!(u, Update::SyncFailed { org: 1, .. });
        synced && failed
    })
    .await;
    let Harness { handle, rx, .. } = h;
    drop(rx);
    let stopped = tokio::time::timeout(PATIENCE, handle.stopped()).await;
    assert!(stopped.is_ok(), "the tasks outlived the app");
}
