//! End to end: the simulator's signed deliveries reach our receiver over loopback.

mod events_support;
mod sim_support;

use std::path::Path;

use events_support::{DEADLINE, config, next};
use p256::ecdsa::VerifyingKey;
use p256::pkcs8::DecodePublicKey;
use reqwest::StatusCode;
use serde_json::json;
use sim_support::{post_json, start, token};
use tdbi::config::Config;
use tdbi::events::{EndedBy, EndedReason, EventKind, EventsHandle, EventsServer, StoredEvent};
use tdbi::sim::{SimConfig, SimHandle, TrialEnd};
use tokio::sync::broadcast::Receiver;
use url::Url;

fn frozen() -> SimConfig {
    SimConfig {
        seed: 7,
        accounts: 300,
        ..SimConfig::default()
    }
}

/// A receiver trusting the simulator's key, and the simulator pointed at it.
async fn listen_to(sim: &SimHandle, dir: &Path) -> (EventsHandle, Receiver<StoredEvent>) {
    let keys = vec![sim.events_key()];
    let (server, rx) = EventsServer::start(&config(dir, true, keys))
        .await
        .expect("starts");
    let url = Url::parse(&server.url()).expect("URL");
    sim.set_events_callback(Some(url))
        .expect("loopback callback");
    (server, rx)
}

/// The next event matching `wanted`, skipping others, within the deadline.
async fn next_where(
    rx: &mut Receiver<StoredEvent>,
    wanted: impl Fn(&StoredEvent) -> bool,
) -> StoredEvent {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let event = tokio::time::timeout_at(deadline, next(rx))
            .await
            .expect("in time");
        if wanted(&event) {
            return event;
        }
    }
}

#[tokio::test]
async fn provisioning_sends_a_verified_trial_started() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(frozen()).await;
    let (_server, mut rx) = listen_to(&sim, dir.path()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let request = json!({
        "account_name": "JosephPinetrees", "admin_email": "john@josephpinetrees.com",
        "admin_name": "John Doe", "company_name": "Joseph Pinetree",
        "currency_iso_code": "USD", "num_licenses": 10, "phone_number": "+351489489948",
        "website_url": "https://www.josephpinetrees.com", "edition": "EXPRESS"
    });
    let a = post_json(&sim, &token, "/express/provisioning/account", &request).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let id = a.json["id"].as_str().expect("id").to_owned();
    let got = next(&mut rx).await;
    assert!(got.verified);
    assert_eq!(got.key_id.as_deref(), Some(sim.events_key_id()));
    assert_eq!(got.event.event_type, "app.trial_started");
    assert_eq!(got.event.account_id(), Some(id.as_str()));
    let EventKind::TrialStarted(data) = &got.event.kind else {
        panic!("{:?}", got.event.kind);
    };
    assert!(data.expires_at.is_some_and(|t| t > chrono::Utc::now()));
    assert!(data.installation_id.is_some() && data.app_version_id.is_some());
    let root = got.event.links.root.as_ref().map(|h| h.href.clone());
    assert_eq!(
        root.as_deref(),
        Some(sim.base_url().as_str().trim_end_matches('/'))
    );
    assert!(got.event.links.this.is_some() && got.event.links.installation.is_some());
}

#[tokio::test]
async fn a_trial_ending_in_the_world_sends_trial_ended() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The key derives from the seed: a simulator with the same seed tells which to trust.
    let probe = start(frozen()).await;
    let keys = vec![probe.events_key()];
    probe.shutdown().await;
    let (server, mut rx) = EventsServer::start(&config(dir.path(), true, keys))
        .await
        .expect("starts");
    let sim = start(SimConfig {
        events_callback: Some(Url::parse(&server.url()).expect("URL")),
        ..frozen()
    })
    .await;
    let mut rounds = 0;
    while sim.trial_transitions().is_empty() {
        rounds += 1;
        assert!(rounds < 2_000, "no trial ended in {rounds} moves");
        sim.advance_world();
    }
    let ended = sim.trial_transitions()[0].clone();
    let got = next_where(&mut rx, |e| e.event.event_type == "app.trial_ended").await;
    assert!(got.verified);
    assert_eq!(got.event.account_id(), Some(ended.account_id.as_str()));
    let EventKind::TrialEnded(data) = &got.event.kind else {
        panic!("{:?}", got.event.kind);
    };
    let (reason, by) = match ended.reason {
        TrialEnd::PlanUpgraded => (EndedReason::PlanUpgraded, EndedBy::User),
        TrialEnd::TrialExpired => (EndedReason::TrialExpired, EndedBy::System),
    };
    assert_eq!(
        (data.ended_reason.clone(), data.ended_by.clone()),
        (Some(reason), Some(by))
    );
    assert!(data.ended_at.is_some() && data.ended_at == data.expires_at);
}

#[tokio::test]
async fn every_event_arrives_once_despite_duplicate_deliveries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(frozen()).await;
    assert!(sim.create_accounts(0, 3).len() == 3 && sim.events_stats().queued == 0);
    let (server, mut rx) = listen_to(&sim, dir.path()).await;
    let ids = sim.create_accounts(0, 40);
    // Deliveries are sequential: once the last event is in, every earlier one (and its
    // duplicate) has been answered.
    let last = sim.create_accounts(1, 1);
    let mut got = Vec::new();
    for _ in 0..ids.len() + 1 {
        got.push(
            next(&mut rx)
                .await
                .event
                .account_id()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(got[..ids.len()], ids[..]);
    assert_eq!(got[ids.len()..], last[..]);
    let stats = sim.events_stats();
    assert_eq!(stats.queued, 41);
    assert!(stats.duplicates > 0, "{stats:?}");
    // The last event's own duplicate may still be in flight.
    let extra = stats.delivered - 41;
    assert!(
        extra == stats.duplicates || extra + 1 == stats.duplicates || extra == stats.duplicates + 1,
        "{stats:?}"
    );
    let journal =
        std::fs::read_to_string(dir.path().join("journal/events.jsonl")).expect("journal");
    assert_eq!(journal.lines().count(), 41);
    server.shutdown().await;
}

#[tokio::test]
async fn the_printed_config_receives_the_simulator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(frozen()).await;
    assert!(!sim.config_toml().contains("[events]"));
    let (server, _rx) = listen_to(&sim, dir.path()).await;
    let text = sim.config_toml();
    let config = Config::from_toml(Path::new("(sim)"), &text).expect("valid config");
    let events = config.events.expect("[events] section");
    assert_eq!(events.listen, server.local_addr());
    assert_eq!(events.path, tdbi::config::DEFAULT_EVENTS_PATH);
    assert!(events.verify);
    assert_eq!(events.keys.len(), 1);
    assert_eq!(events.keys[0].id, sim.events_key_id());
    let key = VerifyingKey::from_public_key_pem(&sim.events_public_key_pem()).expect("PEM");
    assert_eq!(events.keys[0].key, key);
    assert_eq!(sim.events_key().key, key);
    let far = Url::parse("http://192.0.2.1/events").expect("URL");
    assert!(sim.set_events_callback(Some(far)).is_err());
}
