//! The client against the simulator over loopback: the "done when" list of issue 2.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use secrecy::SecretString;
use tdbi::api::model::{AccountStatus, ActionType, NewContractAction, TrialRequest};
use tdbi::api::{ApiError, Client, ClientOptions, OrgEndpoint, PageProgress};
use tdbi::sim::{LinkStyle, ScriptedFault, SimConfig, SimHandle, SimOrg, Simulator};

async fn start(config: SimConfig) -> SimHandle {
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

fn world(accounts: usize) -> SimConfig {
    SimConfig {
        orgs: 1,
        accounts,
        tick: None,
        ..SimConfig::default()
    }
}

fn options() -> ClientOptions {
    ClientOptions {
        per_page: 100,
        max_concurrency: 4,
        request_timeout: Duration::from_secs(10),
        max_retries: 3,
        initial_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(5),
    }
}

fn client_as(sim: &SimHandle, org: &SimOrg, secret: &str, options: ClientOptions) -> Client {
    let endpoint = OrgEndpoint {
        client_secret: SecretString::from(secret.to_owned()),
        ..sim.endpoint(org)
    };
    Client::new(endpoint, options).expect("client builds")
}

fn client(sim: &SimHandle, org: usize) -> Client {
    let org = &sim.organizations()[org];
    client_as(sim, org, &org.client_secret, options())
}

/// Every account of the simulator's organization `org` exactly once, nothing else.
async fn assert_synced_exactly(sim: &SimHandle, client: &Client, org: usize) {
    let got = client.accounts().await.expect("accounts");
    let ids: Vec<&str> = got.iter().map(|a| a.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an account came twice");
    let want: HashSet<String> = sim.accounts(org).into_iter().map(|a| a.id).collect();
    let got: HashSet<String> = unique.into_iter().map(str::to_owned).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn one_token_serves_many_calls() {
    let sim = start(world(120)).await;
    let c = client(&sim, 0);
    let reads = futures::future::join_all((0..6).map(|_| c.accounts())).await;
    let accounts = reads.into_iter().next().unwrap().unwrap();
    for a in accounts.iter().take(5) {
        c.contract_actions(&a.id).await.unwrap();
    }
    assert!(!c.granted_scopes().await.unwrap().is_empty());
    assert_eq!(sim.stats().tokens_issued, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_token_is_renewed_before_it_expires() {
    let sim = start(SimConfig {
        token_ttl: Duration::from_secs(1),
        ..world(10)
    })
    .await;
    let c = client(&sim, 0);
    c.accounts().await.unwrap();
    // Past the client's renewal point (90% of the 1 s lifetime) and the expiry itself.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_synced_exactly(&sim, &c, 0).await;
    let stats = sim.stats();
    assert_eq!((stats.tokens_issued, stats.unauthorized), (2, 0));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_token_is_renewed_once_after_a_401() {
    let sim = start(world(250)).await;
    let c = client(&sim, 0);
    c.accounts().await.unwrap();
    sim.revoke_tokens();
    // Several pages draw a 401 at once; one new token serves them all.
    assert_synced_exactly(&sim, &c, 0).await;
    let stats = sim.stats();
    assert_eq!(stats.tokens_issued, 2);
    assert!(stats.unauthorized >= 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn paging_returns_each_account_once_for_1_50_and_100_000_accounts() {
    for n in [1, 50, 100_000] {
        let sim = start(world(n)).await;
        assert_eq!(sim.accounts(0).len(), n);
        assert_synced_exactly(&sim, &client(&sim, 0), 0).await;
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn accounts_created_during_the_sync_drop_and_duplicate_nothing() {
    let sim = start(SimConfig {
        max_per_page: 25,
        ..world(400)
    })
    .await;
    let before: Vec<String> = sim.accounts(0).into_iter().map(|a| a.id).collect();
    sim.set_growth_per_page_request(0, 3);
    let mut progress = Vec::new();
    let got = client(&sim, 0)
        .accounts_with_progress(|p| progress.push(p))
        .await
        .unwrap();
    sim.set_growth_per_page_request(0, 0);
    let ids: HashSet<&str> = got.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), got.len(), "an account came twice");
    let missing: Vec<&String> = before
        .iter()
        .filter(|id| !ids.contains(id.as_str()))
        .collect();
    assert!(missing.is_empty(), "dropped {} account(s)", missing.len());
    assert!(got.len() > before.len(), "the sync saw no growth at all");
    assert!(progress.iter().all(|p| p.done <= p.total));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_server_that_caps_per_page_is_trusted() {
    let sim = start(world(60)).await;
    sim.set_max_per_page(7);
    let mut progress = Vec::new();
    let got = client(&sim, 0)
        .accounts_with_progress(|p| progress.push(p))
        .await
        .unwrap();
    assert_eq!(got.len(), 60);
    assert_eq!(progress.last(), Some(&PageProgress { done: 9, total: 9 }));
    assert_synced_exactly(&sim, &client(&sim, 0), 0).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn absolute_and_relative_links_both_work() {
    for style in [LinkStyle::Absolute, LinkStyle::Relative] {
        let sim = start(SimConfig {
            link_style: style,
            max_per_page: 30,
            ..world(95)
        })
        .await;
        assert_synced_exactly(&sim, &client(&sim, 0), 0).await;
        sim.set_link_style(match style {
            LinkStyle::Absolute => LinkStyle::Relative,
            LinkStyle::Relative => LinkStyle::Absolute,
        });
        assert_synced_exactly(&sim, &client(&sim, 0), 0).await;
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let sim = start(world(20)).await;
    let c = client(&sim, 0);
    c.granted_scopes().await.unwrap();
    sim.script(ScriptedFault::TooManyRequests {
        retry_after_secs: 1,
    });
    let started = Instant::now();
    assert_synced_exactly(&sim, &c, 0).await;
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After not honoured"
    );
    assert_eq!(sim.stats().throttled, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_429_asking_too_long_a_wait_gives_up_at_once() {
    let sim = start(world(20)).await;
    let c = client(&sim, 0);
    sim.script(ScriptedFault::TooManyRequests {
        retry_after_secs: 600,
    });
    let err = c.accounts().await.unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err}");
    assert_eq!(err.status(), Some(429));
    assert!(err.to_string().contains("600 s"), "{err}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_5xx_is_retried_then_succeeds() {
    let sim = start(world(20)).await;
    sim.script(ScriptedFault::Status(503));
    sim.script(ScriptedFault::Status(500));
    assert_synced_exactly(&sim, &client(&sim, 0), 0).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_body_that_is_not_json_ends_in_a_clear_error() {
    let sim = start(world(20)).await;
    for _ in 0..=options().max_retries {
        sim.script(ScriptedFault::Malformed);
    }
    let err = client(&sim, 0).accounts().await.unwrap_err();
    let line = err.to_string();
    assert!(matches!(err, ApiError::Malformed { .. }), "{line}");
    assert!(
        line.starts_with("GET /express/accounts: unexpected answer: not JSON"),
        "{line}"
    );
    assert!(!line.contains('\n') && line.len() < 300, "{line}");
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_status_is_kept_raw() {
    let sim = start(world(30)).await;
    let id = sim.accounts(0)[7].id.clone();
    sim.set_account_status(0, &id, "FROZEN");
    let got = client(&sim, 0).accounts().await.unwrap();
    let account = got.iter().find(|a| a.id == id).unwrap();
    assert_eq!(account.status, AccountStatus::Unknown("FROZEN".into()));
    assert_eq!(serde_json::to_value(account).unwrap()["status"], "FROZEN");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_403_names_the_missing_scope() {
    let sim = start(world(10)).await;
    let limited = sim.add_client(0, &["express-products:read"]);
    let c = client_as(&sim, &limited, &limited.client_secret, options());
    assert_eq!(c.granted_scopes().await.unwrap(), ["express-products:read"]);
    let err = c.accounts().await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.required_scope(), Some("express-accounts:read"));
    assert!(err.is_auth());
    let line = err.to_string();
    assert!(
        line.contains("`express-accounts:read`") && line.contains("channel manager"),
        "{line}"
    );
    c.products().await.unwrap();
    sim.shutdown().await;
}

fn trial(name: &str) -> TrialRequest {
    TrialRequest {
        account_name: name.into(),
        admin_email: "john.doe@josephpinetrees.com".into(),
        admin_name: "John Doe".into(),
        company_name: "Joseph Pinetree".into(),
        currency_iso_code: "USD".into(),
        num_licenses: 10,
        phone_number: "+351489489948".into(),
        website_url: "https://www.josephpinetrees.com".into(),
        edition: "EXPRESS".into(),
        external_data: Some("Salesforce_id:2142141".into()),
        trial_agreement_accepted: true,
    }
}

#[tokio::test]
async fn provisioning_400_comes_back_with_its_fields() {
    let sim = start(world(10)).await;
    let bad = TrialRequest {
        currency_iso_code: "XQZ".into(),
        num_licenses: 200_000,
        ..trial("Pinetreesbad")
    };
    let err = client(&sim, 0).provision_trial(&bad).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    let names: Vec<&str> = err.fields().iter().map(|f| f.name.as_str()).collect();
    assert!(
        names.contains(&"currency_iso_code") && names.contains(&"num_licenses"),
        "{err}"
    );
    assert!(err.to_string().contains("currency_iso_code"), "{err}");
    sim.shutdown().await;
}

#[tokio::test]
async fn provisioning_is_spaced_to_two_per_second_and_the_trial_appears() {
    let sim = start(world(10)).await;
    let c = client(&sim, 0);
    c.granted_scopes().await.unwrap();
    let started = Instant::now();
    let mut created = Vec::new();
    for name in ["Pinetreesone", "Pinetreestwo", "Pinetreesthree"] {
        created.push(c.provision_trial(&trial(name)).await.unwrap());
    }
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(
        sim.stats().throttled,
        0,
        "the client let the server throttle it"
    );
    let accounts = c.accounts().await.unwrap();
    let new = accounts.iter().find(|a| a.id == created[0].id).unwrap();
    assert_eq!(new.status, AccountStatus::InTrial);
    let unaccepted = TrialRequest {
        trial_agreement_accepted: false,
        ..trial("Pinetreesfour")
    };
    let err = c.provision_trial(&unaccepted).await.unwrap_err();
    assert_eq!(err.fields()[0].name, "trial_agreement_accepted");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rejected_client_secret_is_one_readable_line() {
    let sim = start(world(10)).await;
    let org = &sim.organizations()[0];
    let c = client_as(&sim, org, "sim-not-the-secret", options());
    let err = c.accounts().await.unwrap_err();
    let line = err.to_string();
    assert!(
        matches!(err, ApiError::Token { .. }) && err.is_auth(),
        "{line}"
    );
    assert_eq!(err.status(), Some(401));
    assert!(
        line.starts_with("token request refused: invalid_client"),
        "{line}"
    );
    assert!(
        line.contains("secret was rejected") && line.contains("not effective yet"),
        "{line}"
    );
    assert!(!line.contains("sim-not-the-secret") && !format!("{err:?}").contains("sim-not-the"));
    assert_eq!(sim.stats().tokens_refused, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn contract_actions_are_read_and_created_and_conflicts_are_typed() {
    let sim = start(world(40)).await;
    let c = client(&sim, 0);
    let accounts = c.accounts().await.unwrap();
    let churned = accounts.iter().find(|a| a.status == AccountStatus::Churned);
    if let Some(churned) = churned {
        let actions = c.contract_actions(&churned.id).await.unwrap();
        assert!(actions.iter().any(|a| a.action_type == ActionType::Cancel));
    }
    let active = accounts
        .iter()
        .find(|a| a.status == AccountStatus::Active)
        .expect("the seed gives active accounts");
    let action = NewContractAction {
        action_type: ActionType::Amend,
        quantity: Some(12),
    };
    let created = c.create_contract_action(&active.id, &action).await.unwrap();
    assert_eq!(
        (created.action_type, created.quantity),
        (ActionType::Amend, Some(12))
    );
    let err = c
        .create_contract_action(&active.id, &action)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    let err = c
        .contract_actions("000000000000000000000000")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    sim.shutdown().await;
}

#[tokio::test]
async fn billing_endpoints_parse_and_a_partial_entitlement_is_named() {
    let sim = start(SimConfig {
        orgs: 3,
        ..world(30)
    })
    .await;
    let c = client(&sim, 0);
    let id = sim.accounts(0)[0].id.clone();
    assert_eq!(c.reseller_contract(&id).await.unwrap().id, id);
    assert!(!c.subscriptions().await.unwrap().is_empty());
    assert!(!c.invoices().await.unwrap().is_empty());
    assert!(!c.monthly_usage().await.unwrap().is_empty());
    assert!(!c.products().await.unwrap().is_empty());
    // The last of three organizations lacks the contracts scope.
    let last = client(&sim, 2);
    let id = sim.accounts(2)[0].id.clone();
    let err = last.reseller_contract(&id).await.unwrap_err();
    assert_eq!(
        err.required_scope(),
        Some("express-accounts-contracts:read"),
        "{err}"
    );
    assert_eq!(
        last.missing_scopes().await.unwrap(),
        ["express-accounts-contracts:read"]
    );
    sim.shutdown().await;
}
