//! Screen tests of the events view: the real app and sync engine with the simulator
//! behind them, and the real webhook receiver fed signed deliveries over loopback.

mod screen_support;

use screen_support::WAIT;

mod events_support;

use chrono::Utc;
use ratatui::crossterm::event::KeyCode;
use reqwest::StatusCode;

use events_support::{config, event_key, post, sign_der, signing_key};
use tdbi::app::driver::Driver;
use tdbi::app::{EventsSetup, Mode, start_events};
use tdbi::events::EventsServer;
use tdbi::sim::SimHandle;

async fn start() -> (SimHandle, Driver) {
    screen_support::start(9, 15, 170, 40).await
}

/// A delivery body of `kind` about `account`, happening now.
fn body(id: &str, kind: &str, account: &str) -> Vec<u8> {
    let now = Utc::now().to_rfc3339();
    let mut data = serde_json::json!({ "account_id": account, "expires_at": now });
    if kind == "app.trial_ended" {
        data["ended_at"] = now.clone().into();
        data["ended_reason"] = "trial_expired".into();
        data["ended_by"] = "system".into();
    }
    serde_json::json!({ "id": id, "created_at": now, "type": kind, "data": data })
        .to_string()
        .into_bytes()
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

#[tokio::test]
async fn events_show_in_the_timeline_mark_the_account_and_trigger_a_refresh() {
    let (sim, mut d) = start().await;
    let accounts = sim.accounts(0);
    let (started, ended) = (&accounts[0], &accounts[1]);
    let org_name = d.app.store().orgs[0].name.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(3);
    let config = config(dir.path(), true, vec![event_key("k3", &key)]);

    // an event journaled before the dashboard started
    let (earlier, _rx) = EventsServer::start(&config).await.expect("starts");
    let first = body("ev-journal", "app.trial_started", &started.id);
    let sig = sign_der(&key, &first);
    let (status, _) = post(&earlier.url(), first, Some(&sig), Some("k3")).await;
    assert_eq!(status, StatusCode::OK);
    earlier.shutdown().await;

    let setup = start_events(Some(&config)).await;
    let url = setup.url().expect("the receiver runs");
    assert!(matches!(setup, EventsSetup::Running(..)));
    d.app.attach_events(setup);
    assert_eq!(
        d.app.store().events.len(),
        1,
        "the journal is shown at once"
    );
    let synced_at = d.app.store().orgs[0].last_good_at;

    // a live trial end
    let live = body("ev-live", "app.trial_ended", &ended.id);
    let sig = sign_der(&key, &live);
    let (status, _) = post(&url, live, Some(&sig), Some("k3")).await;
    assert_eq!(status, StatusCode::OK);
    d.pump_until(WAIT, |app| app.store().events.len() == 2)
        .await
        .unwrap();

    // the timeline, newest first, matched to the organization and account
    d.key(KeyCode::Char('e'));
    assert!(matches!(d.app.mode(), Mode::Events { .. }));
    let s = d.screen();
    assert!(s.contains(&format!("listening on {url}")), "{s}");
    let newest = line_with(&s, "app.trial_ended");
    for part in [
        org_name.as_str(),
        ended.name.as_str(),
        "trial_expired",
        "system",
        "verified",
        "ago)",
    ] {
        assert!(newest.contains(part), "{part:?} missing:\n{s}");
    }
    let older = line_with(&s, "app.trial_started");
    assert!(older.contains(&started.name), "{s}");
    assert!(
        s.find("app.trial_ended") < s.find("app.trial_started"),
        "newest first:\n{s}"
    );

    // the account is marked in the table, with the legend
    d.key(KeyCode::Esc);
    let s = d.screen();
    assert!(line_with(&s, &ended.name).starts_with('◆'), "{s}");
    assert!(!line_with(&s, &started.name).starts_with('◆'), "{s}");
    assert!(s.contains("◆ trial ended (e: events)"), "{s}");

    // the event was a hint: the organization is read again
    d.pump_until(WAIT, |app| app.store().orgs[0].last_good_at > synced_at)
        .await
        .unwrap();

    // the account view lists its events
    d.key(KeyCode::Char('/'));
    d.keys(&ended.id);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    let s = d.screen();
    assert!(s.contains("Trial events (1)"), "{s}");
    assert!(
        line_with(&s, "app.trial_ended").contains("trial_expired by system"),
        "{s}"
    );
}

#[tokio::test]
async fn a_receiver_that_cannot_start_is_shown_and_the_dashboard_runs_on() {
    let (_sim, mut d) = start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut config = config(dir.path(), true, Vec::new());
    config.listen = taken.local_addr().expect("addr");
    let setup = start_events(Some(&config)).await;
    assert!(matches!(setup, EventsSetup::Failed(_)));
    d.app.attach_events(setup);
    d.key(KeyCode::Char('e'));
    let s = d.screen();
    assert!(s.contains("receiver not running: cannot listen"), "{s}");
    assert!(s.contains("No events yet"), "{s}");
}
