//! Contract actions and reseller contract information over HTTP.

mod sim_support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sim_support::*;
use tdbi::sim::SimConfig;

fn config() -> SimConfig {
    SimConfig {
        seed: 7,
        accounts: 150,
        ..SimConfig::default()
    }
}

fn completed(actions: &[Value], kind: &str) -> bool {
    actions
        .iter()
        .any(|a| a["action_type"] == kind && a["status"] == "COMPLETED")
}

#[tokio::test]
async fn actions_are_consistent_with_every_status() {
    let sim = start(config()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let mut seen = std::collections::HashSet::new();
    for account in sim.accounts(0) {
        let path = format!(
            "/express/accounts/{}/contracts/actions?per_page=100",
            account.id
        );
        let a = get(&sim, &token, &path).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let actions = a.json["_embedded"]["contract_actions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(a.json["total"], actions.len());
        for action in &actions {
            for key in [
                "id",
                "action_type",
                "status",
                "status_message",
                "created_at",
                "updated_at",
            ] {
                assert!(action[key].is_string(), "{key} in {action}");
            }
            assert!(action["quantity"].is_i64());
            assert!(
                action["created_at"]
                    .as_str()
                    .is_some_and(|d| d.ends_with('Z'))
            );
        }
        match account.status.as_str() {
            "CHURNED" => {
                let last = actions.last().expect("a churned account has actions");
                assert_eq!(
                    (&last["action_type"], &last["status"]),
                    (&json!("CANCELTDE"), &json!("COMPLETED"))
                );
            }
            "IN_TRIAL" | "TRIAL_LOST" | "PROSPECT" => assert!(!completed(&actions, "NEWTDE")),
            "ACTIVE" | "INACTIVE" | "OTHER" => assert!(completed(&actions, "NEWTDE")),
            other => panic!("unexpected seeded status {other}"),
        }
        seen.insert(account.status);
    }
    for status in ["ACTIVE", "IN_TRIAL", "TRIAL_LOST", "CHURNED"] {
        assert!(seen.contains(status), "status mix lacks {status}: {seen:?}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_or_foreign_accounts_are_404() {
    let sim = start(config()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let foreign = sim.accounts(1)[0].id.clone();
    for id in [foreign.as_str(), "000000000000000000000000", "not-an-id"] {
        let a = get(
            &sim,
            &token,
            &format!("/express/accounts/{id}/contracts/actions"),
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{id}");
        error_text(&a);
        let body = json!({"action_type": "NEWTDE", "quantity": 3});
        let a = post_json(
            &sim,
            &token,
            &format!("/express/accounts/{id}/contracts/actions"),
            &body,
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{id}");
        let a = get(&sim, &token, &format!("/express/accounts/{id}/contracts")).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{id}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn creating_actions_validates_and_conflicts() {
    let sim = start(config()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let trial = sim
        .accounts(0)
        .into_iter()
        .find(|a| a.status == "IN_TRIAL")
        .expect("a trial account");
    let path = format!("/express/accounts/{}/contracts/actions", trial.id);

    let a = post_json(
        &sim,
        &token,
        &path,
        &json!({"action_type": "RENEW", "quantity": 0}),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let names: Vec<&str> = a.json["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["action_type", "quantity"]);
    assert!(a.json["fields"][0]["description"].is_string());

    let a = post_json(
        &sim,
        &token,
        &path,
        &json!({"action_type": "NEWTDE", "quantity": 12}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json["status"], "CREATED");
    assert_eq!(a.json["quantity"], 12);
    assert_eq!(
        a.json["status_message"],
        "Contract action created successfully."
    );

    let a = post_json(
        &sim,
        &token,
        &path,
        &json!({"action_type": "AMENDTDE", "quantity": 5}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    error_text(&a);

    let listed = get(&sim, &token, &path).await;
    let actions = listed.json["_embedded"]["contract_actions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        actions.last().map(|a| a["status"].clone()),
        Some(json!("CREATED"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn contract_information_matches_status() {
    let sim = start(config()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let accounts = sim.accounts(0);
    for (status, trial, account_status) in [
        ("ACTIVE", false, "ACTIVE"),
        ("IN_TRIAL", true, "ACTIVE"),
        ("CHURNED", false, "CANCELED"),
    ] {
        let account = accounts
            .iter()
            .find(|a| a.status == status)
            .expect("status present");
        let a = get(
            &sim,
            &token,
            &format!("/express/accounts/{}/contracts", account.id),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(a.json["id"], account.id.as_str());
        assert_eq!(a.json["trial"], trial);
        assert_eq!(a.json["account_status"], account_status);
        assert!(a.json["license_number"].is_i64());
        assert!(a.json["transition_date"].is_string());
        assert!(a.json["transition_status"].is_string());
        assert!(a.json.get("_embedded").is_none(), "not paged");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn quantity_is_an_integer_a_cancellation_may_omit_it_and_actions_progress() {
    let sim = start(config()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let active: Vec<String> = sim
        .accounts(0)
        .into_iter()
        .filter(|a| a.status == "ACTIVE")
        .map(|a| a.id)
        .take(2)
        .collect();
    let path = |id: &str| format!("/express/accounts/{id}/contracts/actions");
    for body in [
        json!({"action_type": "NEWTDE", "quantity": "5"}),
        json!({"action_type": "NEWTDE", "quantity": 5.5}),
        json!({"action_type": "AMENDTDE"}),
        json!({"action_type": "AMENDTDE", "quantity": null}),
    ] {
        let a = post_json(&sim, &token, &path(&active[0]), &body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(a.json["fields"][0]["name"], "quantity", "{body}");
    }
    let a = post_json(
        &sim,
        &token,
        &path(&active[0]),
        &json!({"action_type": "CANCELTDE"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json["action_type"], "CANCELTDE");
    assert!(a.json["quantity"].is_i64());
    assert_eq!(sim.stats().action_posts, 5);
    assert_eq!(sim.action_bodies().len(), 5);

    // CREATED -> IN_PROGRESS -> COMPLETED (or FAILED) as the world moves
    let a = post_json(
        &sim,
        &token,
        &path(&active[1]),
        &json!({"action_type": "AMENDTDE", "quantity": 9}),
    )
    .await;
    let id = a.json["id"].as_str().expect("an id").to_owned();
    let mut seen = vec!["CREATED".to_owned()];
    for _ in 0..500 {
        sim.advance_world();
        let listed = get(&sim, &token, &path(&active[1])).await;
        let status = listed.json["_embedded"]["contract_actions"]
            .as_array()
            .and_then(|all| all.iter().find(|x| x["id"] == id.as_str()))
            .and_then(|x| x["status"].as_str())
            .unwrap_or_default()
            .to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "COMPLETED" || status == "FAILED" {
            break;
        }
    }
    assert_eq!(seen[..2], ["CREATED", "IN_PROGRESS"], "{seen:?}");
    assert!(
        matches!(
            seen.last().map(String::as_str),
            Some("COMPLETED" | "FAILED")
        ),
        "{seen:?}"
    );
    sim.shutdown().await;
}
