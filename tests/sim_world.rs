//! The simulated world: determinism, scale, movement, growth, faults, lifecycle.

mod sim_support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sim_support::*;
use tdbi::sim::{Faults, ScriptedFault, SimConfig, Simulator};

#[tokio::test]
async fn same_seed_same_world() {
    let config = SimConfig {
        seed: 99,
        accounts: 300,
        ..SimConfig::default()
    };
    let a = start(config.clone()).await;
    let b = start(config).await;
    let c = start(SimConfig {
        seed: 100,
        accounts: 300,
        ..SimConfig::default()
    })
    .await;
    for org in 0..3 {
        assert_eq!(a.accounts(org), b.accounts(org));
    }
    let orgs = |s: &tdbi::sim::SimHandle| {
        s.organizations()
            .into_iter()
            .map(|o| (o.name, o.client_id, o.client_secret))
            .collect::<Vec<_>>()
    };
    assert_eq!(orgs(&a), orgs(&b));
    assert_ne!(a.accounts(0), c.accounts(0));
    let accounts = a.accounts(0);
    let names: std::collections::HashSet<_> = accounts.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names.len(), accounts.len(), "names are unique");
    assert!(accounts.iter().all(|x| {
        x.id.len() == 24
            && x.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }));
    assert!(
        accounts.windows(2).all(|w| w[0].id < w[1].id),
        "ascending id order"
    );
    a.shutdown().await;
    b.shutdown().await;
    c.shutdown().await;
}

#[tokio::test]
async fn hundred_thousand_accounts_start_quickly() {
    let started = Instant::now();
    let sim = start(SimConfig {
        accounts: 100_000,
        ..SimConfig::default()
    })
    .await;
    let took = started.elapsed();
    let sizes: Vec<usize> = (0..3).map(|o| sim.accounts(o).len()).collect();
    println!("100,000-account simulator ({sizes:?} accounts in 3 orgs) started in {took:?}");
    assert_eq!(sizes[0], 100_000);
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let a = get(&sim, &token, "/express/accounts?page=1000&per_page=100").await;
    assert_eq!(
        (a.json["count"].as_u64(), a.json["total_pages"].as_u64()),
        (Some(100), Some(1000))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_world_moves_with_a_short_tick() {
    let sim = start(SimConfig {
        accounts: 200,
        tick: Some(Duration::from_millis(5)),
        ..SimConfig::default()
    })
    .await;
    let before = sim.accounts(0);
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut converted, mut lost) = (false, false);
    while !(converted && lost) {
        assert!(
            Instant::now() < deadline,
            "the world did not move: {:?}",
            sim.trial_transitions()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        for t in sim.trial_transitions() {
            assert_eq!(t.from, "IN_TRIAL");
            converted |= t.to == "ACTIVE";
            lost |= t.to == "TRIAL_LOST";
        }
    }
    let after = sim.accounts(0);
    assert_ne!(before, after);
    // A converted trial now shows a completed NEWTDE over HTTP.
    let t = sim
        .trial_transitions()
        .into_iter()
        .find(|t| t.org == 0 && t.to == "ACTIVE");
    if let Some(t) = t {
        let org = sim.organizations()[0].clone();
        let token = token(&sim, &org).await;
        let path = format!(
            "/express/accounts/{}/contracts/actions?per_page=100",
            t.account_id
        );
        let a = get(&sim, &token, &path).await;
        let actions = a.json["_embedded"]["contract_actions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            actions
                .iter()
                .any(|x| x["action_type"] == "NEWTDE" && x["status"] == "COMPLETED")
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn growth_shifts_pages_and_unknown_statuses_are_served() {
    let sim = start(SimConfig {
        accounts: 100,
        ..SimConfig::default()
    })
    .await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let created = sim.create_accounts(0, 5);
    assert_eq!(sim.accounts(0).len(), 105);
    let first = sim.accounts(0)[0].id.clone();
    sim.set_account_status(0, &first, "SUSPENDED_BY_PARTNER");
    sim.set_growth_per_page_request(0, 3);
    let a = get(&sim, &token, "/express/accounts?per_page=100").await;
    assert_eq!(a.json["total"], 108);
    assert_eq!(
        a.json["_embedded"]["accounts"][0]["status"],
        "SUSPENDED_BY_PARTNER"
    );
    let a = get(&sim, &token, "/express/accounts?per_page=100&page=2").await;
    assert_eq!(a.json["total"], 111);
    let all = sim.accounts(0);
    for id in &created {
        let acct = all
            .iter()
            .find(|x| &x.id == id)
            .expect("created account listed");
        assert_eq!(acct.status, "IN_TRIAL");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn random_and_scripted_faults() {
    let sim = start(SimConfig {
        accounts: 10,
        faults: Faults {
            server_error_rate: 1.0,
            ..Faults::default()
        },
        ..SimConfig::default()
    })
    .await;
    let org = sim.organizations()[0].clone();
    // The token endpoint is never faulted.
    let token = token(&sim, &org).await;
    let a = get(&sim, &token, "/express/accounts").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    sim.set_faults(Faults {
        malformed_rate: 1.0,
        ..Faults::default()
    });
    let a = get(&sim, &token, "/express/accounts").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.json.is_null() && a.text.contains("<html>"));
    sim.set_faults(Faults {
        throttle_rate: 1.0,
        latency: Duration::from_millis(30),
        ..Faults::default()
    });
    let t = Instant::now();
    let a = get(&sim, &token, "/express/accounts").await;
    assert!(t.elapsed() >= Duration::from_millis(30));
    assert_eq!(
        (a.status, a.headers["retry-after"].to_str().ok()),
        (StatusCode::TOO_MANY_REQUESTS, Some("1"))
    );
    sim.set_faults(Faults::default());
    sim.script(ScriptedFault::Status(502));
    sim.script(ScriptedFault::Malformed);
    assert_eq!(
        get(&sim, &token, "/express/accounts").await.status,
        StatusCode::BAD_GATEWAY
    );
    assert!(get(&sim, &token, "/express/accounts").await.json.is_null());
    assert_eq!(
        get(&sim, &token, "/express/accounts").await.status,
        StatusCode::OK
    );
    let stats = sim.stats();
    assert_eq!((stats.api_requests, stats.throttled), (6, 1));
    sim.shutdown().await;
}

#[tokio::test]
async fn billing_lists_are_paged_with_money_numbers() {
    let sim = start(SimConfig {
        accounts: 20,
        ..SimConfig::default()
    })
    .await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    for (path, key, money) in [
        ("/express/subscriptions", "subscriptions", "unit_price"),
        ("/express/invoices", "invoices", "amount"),
        ("/express/usage/month", "usage", "amount"),
        ("/express/products", "products", "id"),
    ] {
        let a = get(&sim, &token, &format!("{path}?per_page=10")).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.text);
        let items = a.json["_embedded"][key]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(items.len(), 10, "{path}");
        assert!(a.json["total"].as_u64().is_some_and(|t| t >= 10));
        if key != "products" {
            assert!(items[0][money].is_number(), "{path} {money}");
            assert!(items[0]["account_id"].is_string());
            let raw = format!("\"{money}\":");
            let at = a.text.find(&raw).map(|i| i + raw.len()).unwrap_or(0);
            let number: String = a.text[at..]
                .chars()
                .take_while(|c| *c != ',' && *c != '}')
                .collect();
            assert_eq!(
                number.split('.').nth(1).map(str::len),
                Some(2),
                "{path}: {number}"
            );
        }
        let all = all_pages(&sim, &token, &format!("{path}?per_page=7"), key).await;
        assert_eq!(all.len() as u64, a.json["total"].as_u64().unwrap_or(0));
    }
    let a = get(&sim, &token, "/express/products").await;
    assert!(a.json["_embedded"]["products"][0]["charge_type"].is_string());
    sim.shutdown().await;
}

#[tokio::test]
async fn control_endpoints_and_config() {
    let sim = start(SimConfig {
        accounts: 30,
        ..SimConfig::default()
    })
    .await;
    let base = sim.base_url().as_str().trim_end_matches('/').to_owned();
    let orgs: serde_json::Value = http()
        .get(format!("{base}/_sim/organizations"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert_eq!(orgs[1]["name"], sim.organizations()[1].name.as_str());
    let listed: Vec<serde_json::Value> = http()
        .get(format!("{base}/_sim/organizations/1/accounts"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = listed.iter().filter_map(|a| a["id"].as_str()).collect();
    let expected: Vec<String> = sim.accounts(1).into_iter().map(|a| a.id).collect();
    assert_eq!(ids, expected);

    let text = sim.config_toml();
    let parsed: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(parsed["sync"]["per_page"].as_integer(), Some(100));
    let orgs = parsed["organizations"].as_array().expect("organizations");
    assert_eq!(orgs.len(), 3);
    let first = &sim.organizations()[0];
    assert_eq!(
        orgs[0]["client_id"].as_str(),
        Some(first.client_id.as_str())
    );
    assert_eq!(
        orgs[0]["client_secret_command"].as_str(),
        Some(format!("printf %s {}", first.client_secret).as_str())
    );
    assert_eq!(orgs[0]["api_base_url"].as_str(), Some(base.as_str()));
    assert_eq!(
        orgs[0]["token_url"].as_str(),
        Some(sim.token_url().as_str())
    );
    assert!(!text.contains("scopes"));
    sim.shutdown().await;
}

#[tokio::test]
async fn loopback_only_and_stops_on_shutdown_or_drop() {
    let public: SocketAddr = "0.0.0.0:0".parse().expect("literal");
    let refused = Simulator::start(SimConfig::default(), public).await;
    assert!(refused.is_err());

    let sim = start(SimConfig::default()).await;
    let url = sim.token_url();
    sim.shutdown().await;
    assert!(
        http().post(url.clone()).send().await.is_err(),
        "still serving after shutdown"
    );

    let sim = start(SimConfig::default()).await;
    let url = sim.token_url();
    drop(sim);
    let deadline = Instant::now() + Duration::from_secs(5);
    while http().post(url.clone()).send().await.is_ok() {
        assert!(Instant::now() < deadline, "still serving after drop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
