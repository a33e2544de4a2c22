//! Screen tests: the real app (keys, store, views) and the real sync engine, with the
//! simulator behind them over loopback, drawn into ratatui's TestBackend. Every wait
//! is on the update channel with a deadline.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use ratatui::crossterm::event::KeyCode;
use secrecy::SecretString;

use tdbi::api::{Client, ClientOptions, OrgEndpoint};
use tdbi::app::driver::Driver;
use tdbi::app::{App, Mode};
use tdbi::sim::{ScriptedFault, SimConfig, SimHandle, SimOrg, Simulator};
use tdbi::store::LoadState;
use tdbi::sync::{BillingReads, OrgSource, SyncSettings};

const WAIT: Duration = Duration::from_secs(20);

async fn simulator(orgs: usize, accounts: usize) -> SimHandle {
    let config = SimConfig {
        seed: 11,
        orgs,
        accounts,
        ..SimConfig::default()
    };
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

fn options() -> ClientOptions {
    ClientOptions {
        max_retries: 1,
        initial_backoff: Duration::from_millis(10),
        request_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    }
}

/// An organization of the dashboard connected as `org`'s client (or with `secret`).
fn source(sim: &SimHandle, org: &SimOrg, name: &str, secret: Option<&str>) -> (String, OrgSource) {
    let endpoint = OrgEndpoint {
        name: name.to_owned(),
        client_secret: SecretString::from(secret.unwrap_or(&org.client_secret).to_owned()),
        ..sim.endpoint(org)
    };
    let client = Client::new(endpoint, options()).map_err(|e| e.to_string());
    (name.to_owned(), client)
}

fn settings(prefetch_per_minute: u32) -> SyncSettings {
    SyncSettings {
        interval: Duration::from_secs(600),
        failure_backoff: Duration::from_secs(600),
        prefetch_per_minute,
        billing: BillingReads::Off,
    }
}

fn ready(app: &App, org: usize) -> bool {
    app.store()
        .orgs
        .get(org)
        .is_some_and(|o| matches!(o.load, LoadState::Ready { .. }))
}

fn failed(app: &App, org: usize) -> bool {
    app.store()
        .orgs
        .get(org)
        .is_some_and(|o| matches!(o.load, LoadState::Failed { .. }))
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

#[tokio::test]
async fn accounts_filters_account_view_and_switching() {
    let sim = simulator(3, 60).await;
    let orgs = sim.organizations();
    let mut d = Driver::new(
        vec![
            source(&sim, &orgs[0], &orgs[0].name, None),
            source(&sim, &orgs[1], &orgs[1].name, None),
        ],
        settings(60),
        160,
        50,
    );
    let expected = sim.accounts(0);
    d.pump_until(WAIT, |app| ready(app, 0)).await.unwrap();

    // accounts appear, sorted by name
    let s = d.screen();
    let first = expected
        .iter()
        .map(|a| a.name.to_ascii_lowercase())
        .min()
        .unwrap();
    assert!(s.to_ascii_lowercase().contains(&first), "{s}");
    assert!(
        s.contains(&format!("{} of {} shown", expected.len(), expected.len())),
        "{s}"
    );
    assert!(s.contains(&format!("{} · ready", orgs[0].name)), "{s}");

    // the status filter narrows rows and shows its counts
    d.key(KeyCode::Char('s'));
    let s = d.screen();
    let bar_first = d
        .app
        .listing()
        .status_filter()
        .iter()
        .next()
        .unwrap()
        .clone();
    let n = expected
        .iter()
        .filter(|a| a.status == bar_first.as_str())
        .count();
    assert!(s.contains(&format!("[{} {n}]", bar_first.as_str())), "{s}");
    assert!(
        s.contains(&format!("{n} of {} shown", expected.len())),
        "{s}"
    );
    assert_eq!(d.app.listing().rows().len(), n);
    d.key(KeyCode::Esc);

    // the text filter narrows to one account (its id, typed)
    let target = expected
        .iter()
        .find(|a| a.status == "ACTIVE")
        .expect("an active account");
    d.key(KeyCode::Char('/'));
    d.keys(&target.id);
    d.key(KeyCode::Enter);
    let s = d.screen();
    assert!(s.contains(&format!("1 of {} shown", expected.len())), "{s}");
    assert!(s.contains("ACTIVE 1 · "), "{s}");
    assert!(line_with(&s, &target.id).contains(&target.name));

    // Enter shows the contract actions; Esc returns to the same row, filter intact
    d.key(KeyCode::Enter);
    let id = target.id.clone();
    d.pump_until(WAIT, |app| {
        app.store().orgs[0]
            .actions
            .get(&id)
            .is_some_and(|e| e.actions.is_some())
    })
    .await
    .unwrap();
    let s = d.screen();
    assert!(s.contains("Contract actions ("), "{s}");
    assert!(s.contains("New subscription (NEWTDE)"), "{s}");
    assert!(line_with(&s, "NEWTDE").contains("COMPLETED"), "{s}");
    d.key(KeyCode::Esc);
    assert_eq!(*d.app.mode(), Mode::Table);
    assert_eq!(d.app.listing().selected_id(), Some((0, target.id.as_str())));
    let s = d.screen();
    assert!(s.contains(&format!("filter: {}", target.id)), "{s}");

    // switching organization changes the rows
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char(']'));
    d.pump_until(WAIT, |app| ready(app, 1)).await.unwrap();
    let other = sim.accounts(1);
    let s = d.screen();
    assert!(
        s.contains(&format!("{} of {} shown", other.len(), other.len())),
        "{s}"
    );
    assert!(s.contains(&format!("{} · ready", orgs[1].name)), "{s}");
    assert!(!s.contains(&target.id), "{s}");
    sim.shutdown().await;
}

#[tokio::test]
async fn failing_organizations_show_their_errors_while_others_work() {
    let sim = simulator(3, 30).await;
    let orgs = sim.organizations();
    // a client of the first organization that may not read accounts
    let no_scope = sim.add_client(0, &["express-accounts-contracts:read"]);
    let mut d = Driver::new(
        vec![
            source(&sim, &orgs[0], "Good Org", None),
            source(&sim, &orgs[1], "Wrong Secret Org", Some("not-the-secret")),
            source(&sim, &orgs[2], "Partial Org", None),
            source(&sim, &no_scope, "NoScope Org", None),
        ],
        settings(0),
        160,
        40,
    );
    d.pump_until(WAIT, |app| {
        ready(app, 0) && failed(app, 1) && ready(app, 2) && failed(app, 3)
    })
    .await
    .unwrap();

    let s = d.screen();
    assert!(s.contains("Good Org · ready"), "{s}");
    assert!(
        s.lines()
            .next()
            .unwrap()
            .contains("Wrong Secret Org 0 ✗FAILED"),
        "{s}"
    );

    d.key(KeyCode::Char('2'));
    let s = d.screen();
    assert!(
        s.contains("Cannot load the accounts of Wrong Secret Org:"),
        "{s}"
    );
    assert!(s.contains("token request refused"), "{s}");

    d.key(KeyCode::Char('4'));
    let s = d.screen();
    assert!(
        s.contains("Cannot load the accounts of NoScope Org:"),
        "{s}"
    );
    assert!(s.contains("express-accounts:read"), "{s}");

    // the others keep working; the partly entitled one cannot read reseller contracts
    d.key(KeyCode::Char('3'));
    let s = d.screen();
    let partial = sim.accounts(2);
    assert!(
        s.contains(&format!("{} of {} shown", partial.len(), partial.len())),
        "{s}"
    );
    d.key(KeyCode::Enter);
    let Mode::Account(view) = d.app.mode().clone() else {
        panic!("Enter opens the account");
    };
    d.pump_until(WAIT, |app| {
        app.store().orgs[2].contracts.contains_key(&view.id)
    })
    .await
    .unwrap();
    let s = d.screen();
    assert!(s.contains("not available:"), "{s}");
    assert!(s.contains("express-accounts-contracts:read"), "{s}");

    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('5'));
    let s = d.screen();
    assert!(
        s.contains("All organizations · 2/4 ready · 2 failing"),
        "{s}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_failed_sync_keeps_the_last_good_rows_marked_stale() {
    let sim = simulator(1, 30).await;
    let orgs = sim.organizations();
    let mut d = Driver::new(
        vec![source(&sim, &orgs[0], "Only Org", None)],
        settings(0),
        140,
        40,
    );
    d.pump_until(WAIT, |app| ready(app, 0)).await.unwrap();
    let before = d.screen();
    let some = &sim.accounts(0)[0];
    assert!(before.contains(&some.id), "{before}");

    // 503 past the retry budget (one retry), then a refresh
    for _ in 0..2 {
        sim.script(ScriptedFault::Status(503));
    }
    d.key(KeyCode::Char('r'));
    d.pump_until(WAIT, |app| failed(app, 0)).await.unwrap();
    let s = d.screen();
    assert!(s.contains(&some.id), "rows kept:\n{s}");
    assert!(s.contains("Only Org · STALE · last good"), "{s}");
    assert!(s.contains("503"), "{s}");
    assert!(s.lines().next().unwrap().contains("!STALE"), "{s}");

    // the next refresh succeeds
    d.key(KeyCode::Char('r'));
    d.pump_until(WAIT, |app| ready(app, 0)).await.unwrap();
    assert!(d.screen().contains("Only Org · ready"));
    sim.shutdown().await;
}

#[tokio::test]
async fn too_small_terminal_and_help_overlay() {
    let sim = simulator(1, 10).await;
    let orgs = sim.organizations();
    let mut d = Driver::new(
        vec![source(&sim, &orgs[0], "Tiny", None)],
        settings(0),
        50,
        10,
    );
    d.pump_until(WAIT, |app| ready(app, 0)).await.unwrap();
    let s = d.screen();
    assert!(s.contains("terminal too small (need 60x12)"), "{s}");
    d.terminal.backend_mut().resize(100, 50);
    let s = d.screen();
    assert!(s.contains("Tiny · ready"), "{s}");
    d.key(KeyCode::Char('?'));
    let s = d.screen();
    assert!(s.contains("Keys (Esc closes"), "{s}");
    assert!(s.contains("jump to tab N"), "{s}");
    assert!(s.contains("flip the sort direction"), "{s}");
    d.key(KeyCode::Esc);
    assert!(!d.screen().contains("Keys (Esc closes"));
    d.key(KeyCode::Char('q'));
    assert!(d.app.should_quit());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_status_change_between_syncs_is_marked() {
    let sim = simulator(1, 20).await;
    let orgs = sim.organizations();
    let mut d = Driver::new(
        vec![source(&sim, &orgs[0], "Moving Org", None)],
        settings(0),
        140,
        40,
    );
    d.pump_until(WAIT, |app| ready(app, 0)).await.unwrap();
    let target = sim.accounts(0)[3].clone();
    let new_status = if target.status == "CHURNED" {
        "ACTIVE"
    } else {
        "CHURNED"
    };
    sim.set_account_status(0, &target.id, new_status);
    d.key(KeyCode::Char('r'));
    let before = d.app.store().orgs[0].revision;
    d.pump_until(WAIT, |app| {
        app.store().orgs[0].revision > before && ready(app, 0)
    })
    .await
    .unwrap();
    let s = d.screen();
    let row = line_with(&s, &target.id);
    assert!(row.starts_with('●'), "{s}");
    assert!(row.contains(new_status), "{s}");
    // selecting it shows old → new on the status line
    d.key(KeyCode::Char('/'));
    d.keys(&target.id);
    d.key(KeyCode::Enter);
    let s = d.screen();
    assert!(
        s.contains(&format!("● {} → {new_status}", target.status)),
        "{s}"
    );
    sim.shutdown().await;
}
