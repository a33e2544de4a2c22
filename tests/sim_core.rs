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
    assert!(!format!("{org:?}").contains(&org.client_secret));
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

#[tokio::test]
async fn token_refusals_follow_rfc_6749() {
    let sim = start(small()).await;
    let org = sim.organizations()[0].clone();
    let mut wrong = org.clone();
    wrong.client_secret = "sim-wrong".to_owned();
    let a = token_answer(&sim, &wrong, None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json["error"], "invalid_client");
    assert!(a.json["error_description"].is_string());
    assert!(
        a.headers["www-authenticate"]
            .to_str()
            .is_ok_and(|v| v.starts_with("Basic"))
    );
    assert!(!a.text.contains("sim-wrong"));

    let a = token_answer(&sim, &org, Some("express-accounts:read nonsense:write")).await;
    assert_eq!(
        (a.status, &a.json["error"]),
        (StatusCode::BAD_REQUEST, &"invalid_scope".into())
    );
    let partial = sim.organizations()[2].clone();
    let a = token_answer(&sim, &partial, Some("express-accounts-contracts:read")).await;
    assert_eq!(a.json["error"], "invalid_scope");

    let response = http()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "password"),
            ("client_id", org.client_id.as_str()),
            ("client_secret", org.client_secret.as_str()),
        ])
        .send()
        .await
        .expect("token request");
    let a = answer(response).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json["error"], "unsupported_grant_type");

    // Credentials in the form body are accepted too.
    let response = http()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", org.client_id.as_str()),
            ("client_secret", org.client_secret.as_str()),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), StatusCode::OK);
    let stats = sim.stats();
    assert_eq!((stats.tokens_issued, stats.tokens_refused), (1, 4));
    sim.shutdown().await;
}

#[tokio::test]
async fn paging_edges_cap_and_bad_parameters() {
    let sim = start(small()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let a = get(&sim, &token, "/express/accounts").await;
    assert_eq!(
        (a.json["page"].as_u64(), a.json["per_page"].as_u64()),
        (Some(1), Some(50))
    );
    assert!(a.json["_links"].get("prev").is_none());
    assert!(a.json["_links"]["next"]["href"].is_string());
    assert!(a.json["_links"]["first"]["href"].is_string());
    assert!(a.json["_links"]["self"]["href"].is_string());

    sim.set_max_per_page(30);
    let a = get(&sim, &token, "/express/accounts?per_page=1000&page=4").await;
    assert_eq!(a.json["per_page"], 30);
    assert_eq!(a.json["total_pages"], 4);
    assert_eq!(a.json["count"], 30);
    assert!(a.json["_links"].get("next").is_none());
    let base = sim.base_url().as_str().trim_end_matches('/').to_owned();
    assert_eq!(
        a.json["_links"]["prev"]["href"],
        format!("{base}/express/accounts?page=3&per_page=30")
    );
    sim.set_link_style(LinkStyle::Relative);
    let a = get(&sim, &token, "/express/accounts?per_page=30&page=4").await;
    assert_eq!(
        a.json["_links"]["last"]["href"],
        "/express/accounts?page=4&per_page=30"
    );

    let a = get(&sim, &token, "/express/accounts?page=9").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["count"], 0);
    assert_eq!(
        a.json["_embedded"]["accounts"].as_array().map(Vec::len),
        Some(0)
    );

    for bad in ["page=0", "page=two", "per_page=0", "per_page=-3"] {
        let a = get(&sim, &token, &format!("/express/accounts?{bad}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        error_text(&a);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn revoked_and_expired_tokens_get_401() {
    let sim = start(small()).await;
    let org = sim.organizations()[0].clone();
    let first = token(&sim, &org).await;
    sim.revoke_tokens();
    let a = get(&sim, &first, "/express/accounts").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json["code"], "0000401");

    sim.set_token_ttl(std::time::Duration::from_millis(50));
    let short = token(&sim, &org).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let a = get(&sim, &short, "/express/accounts?per_page=1").await;
        if a.status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "token never expired"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sim.set_token_ttl(std::time::Duration::from_secs(60));
    let fresh = token(&sim, &org).await;
    assert_eq!(
        get(&sim, &fresh, "/express/accounts").await.status,
        StatusCode::OK
    );
    assert!(sim.stats().unauthorized >= 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn added_client_gets_only_its_scopes() {
    let sim = start(small()).await;
    let reader = sim.add_client(1, &["express-accounts:read"]);
    assert_eq!(reader.name, sim.organizations()[1].name);
    assert_ne!(reader.client_id, sim.organizations()[1].client_id);
    let token = token(&sim, &reader).await;
    let a = get(&sim, &token, "/express/accounts?per_page=1").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json["total"], sim.accounts(1).len());
    let id = sim.accounts(1)[0].id.clone();
    let a = get(
        &sim,
        &token,
        &format!("/express/accounts/{id}/contracts/actions"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(error_text(&a).contains("express-accounts-contracts-actions:write"));
    sim.shutdown().await;
}
