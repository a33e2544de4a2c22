//! `POST /express/provisioning/account`: validation, conflicts, rate limit.

mod sim_support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sim_support::*;
use tdbi::sim::SimConfig;

const PATH: &str = "/express/provisioning/account";

fn request(name: &str) -> Value {
    json!({
        "account_name": name,
        "admin_email": "john.doe@josephpinetrees.com",
        "admin_name": "John Doe",
        "company_name": "Joseph Pinetree",
        "currency_iso_code": "USD",
        "num_licenses": 10,
        "phone_number": "+351489489948",
        "website_url": "https://www.josephpinetrees.com",
        "edition": "EXPRESS",
        "external_data": "Salesforce_id:2142141"
    })
}

#[tokio::test]
async fn provisioned_trial_appears_in_the_listing() {
    let sim = start(SimConfig::default()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let a = post_json(&sim, &token, PATH, &request("JosephPinetrees")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    for key in [
        "id",
        "name",
        "admin_email",
        "organization_id",
        "created_at",
        "updated_at",
    ] {
        assert!(a.json[key].is_string(), "{key} in {}", a.text);
    }
    assert_eq!(a.json["name"], "JosephPinetrees");
    let id = a.json["id"].as_str().unwrap_or_default().to_owned();
    let listed = sim
        .accounts(0)
        .into_iter()
        .find(|x| x.id == id)
        .expect("listed");
    assert_eq!(listed.status, "IN_TRIAL");
    assert_eq!(listed.company_name, "Joseph Pinetree");
    let a = get(
        &sim,
        &token,
        &format!("/express/accounts/{id}/contracts/actions"),
    )
    .await;
    assert_eq!(a.json["total"], 0);

    let again = post_json(&sim, &token, PATH, &request("josephpinetrees")).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(error_text(&again).contains("josephpinetrees"));
    sim.shutdown().await;
}

#[tokio::test]
async fn existing_generated_names_are_taken() {
    let sim = start(SimConfig::default()).await;
    let org = sim.organizations()[1].clone();
    let token = token(&sim, &org).await;
    let taken = sim.accounts(0)[3].name.clone();
    let a = post_json(&sim, &token, PATH, &request(&taken)).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{taken}: {}", a.text);
    sim.shutdown().await;
}

#[tokio::test]
async fn every_bad_field_is_named() {
    let sim = start(SimConfig::default()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let body = json!({
        "account_name": "9lives",
        "admin_email": "not-an-email",
        "admin_name": "",
        "currency_iso_code": "XYZ",
        "num_licenses": 0,
        "phone_number": "0044 20 7946 0958",
        "website_url": "ftp://example.com",
        "edition": "GOLD",
        "external_data": 42
    });
    let a = post_json(&sim, &token, PATH, &body).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    error_text(&a);
    let mut names: Vec<&str> = a.json["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "account_name",
            "admin_email",
            "admin_name",
            "company_name",
            "currency_iso_code",
            "edition",
            "num_licenses",
            "phone_number",
            "website_url"
        ]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn two_requests_per_second_then_429() {
    let sim = start(SimConfig::default()).await;
    let org = sim.organizations()[0].clone();
    let token = token(&sim, &org).await;
    let mut statuses = Vec::new();
    for name in ["Firstone", "Secondone", "Thirdone"] {
        let a = post_json(&sim, &token, PATH, &request(name)).await;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(a.headers["retry-after"], "1");
            error_text(&a);
        }
        statuses.push(a.status);
    }
    assert_eq!(statuses[2], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    assert_eq!(sim.stats().throttled, 1);
    // Another organization's client has its own budget.
    let other = sim.organizations()[1].clone();
    let other_token = sim_support::token(&sim, &other).await;
    let a = post_json(&sim, &other_token, PATH, &request("Fourthone")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    sim.shutdown().await;
}
