//! The simulator's core over real HTTP: tokens, paging, auth errors, scripted faults.

mod sim_support;

use reqwest::StatusCode;
use sim_support::*;
use tdbi::sim::{LinkStyle, ScriptedFault, SimConfig};

fn small() -> SimConfig {
    SimConfig {
        accounts: 120,
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn token_grants_all_scopes_when_none_requested() {
    let sim = start(small()).await;
    let org = &sim.organizations()[0];
    let a = token_answer(&sim, org, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["token_type"], "Bearer");
    assert!(a.json["expires_in"].as_u64().is_some_and(|s| s > 0));
    let scope = a.json["scope"].as_str().unwrap_or_default();
    assert_eq!(scope.split(' ').count(), 8, "{scope}");
    let narrow = token_answer(&sim, org, Some("express-accounts:read")).await;
    assert_eq!(narrow.json["scope"], "express-accounts:read");
    assert_eq!(sim.stats().tokens_issued, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn accounts_page_through_with_links() {
    let sim = start(small()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let a = get(&sim, &token, "/express/accounts?page=2&per_page=50").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json["count"], 50);
    assert_eq!(a.json["total"], 120);
    assert_eq!(a.json["total_pages"], 3);
    let base = sim.base_url().as_str().trim_end_matches('/').to_owned();
    assert_eq!(
        a.json["_links"]["next"]["href"],
        format!("{base}/express/accounts?page=3&per_page=50")
    );
    sim.set_link_style(LinkStyle::Relative);
    let all = all_pages(&sim, &token, "/express/accounts?per_page=7", "accounts").await;
    let ids: Vec<&str> = all.iter().filter_map(|v| v["id"].as_str()).collect();
    let expected: Vec<String> = sim.accounts(0).into_iter().map(|a| a.id).collect();
    assert_eq!(ids, expected);
    sim.shutdown().await;
}

#[tokio::test]
async fn unauthorized_and_forbidden_bodies() {
    let sim = start(small()).await;
    let a = get(&sim, "nope", "/express/accounts").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    error_text(&a);
    let last = sim.organizations()[2].clone();
    let token = token(&sim, &last).await;
    let id = sim.accounts(2)[0].id.clone();
    let a = get(&sim, &token, &format!("/express/accounts/{id}/contracts")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(error_text(&a).contains("express-accounts-contracts:read"));
    sim.script(ScriptedFault::TooManyRequests {
        retry_after_secs: 3,
    });
    let a = get(&sim, &token, "/express/accounts").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.headers["retry-after"], "3");
    assert_eq!(sim.stats().unauthorized, 1);
    sim.shutdown().await;
}
