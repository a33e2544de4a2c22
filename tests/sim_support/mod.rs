//! Helpers shared by the simulator's black-box tests: plain reqwest, no `tdbi::api`.
#![allow(dead_code)]

use std::net::SocketAddr;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use tdbi::sim::{SimConfig, SimHandle, SimOrg, Simulator};

pub const LOOPBACK: &str = "127.0.0.1:0";

pub async fn start(config: SimConfig) -> SimHandle {
    let addr: SocketAddr = LOOPBACK.parse().expect("literal address");
    Simulator::start(config, addr)
        .await
        .expect("simulator starts")
}

thread_local! {
    /// One client per test thread (each `#[tokio::test]` runtime lives on its own
    /// thread): building a reqwest client costs tens of milliseconds in debug.
    static HTTP: reqwest::Client = {
        tdbi::api::install_crypto_provider();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client")
    };
}

pub fn http() -> reqwest::Client {
    HTTP.with(Clone::clone)
}

/// An answer: status, headers and the body parsed as JSON (`Null` when it is not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        text,
        json,
    }
}

/// Requests a token with HTTP Basic; `scope` is sent when given.
pub async fn token_answer(sim: &SimHandle, org: &SimOrg, scope: Option<&str>) -> Answer {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let response = http()
        .post(sim.token_url())
        .basic_auth(&org.client_id, Some(&org.client_secret))
        .form(&form)
        .send()
        .await
        .expect("token request");
    answer(response).await
}

pub async fn token(sim: &SimHandle, org: &SimOrg) -> String {
    let a = token_answer(sim, org, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    a.json["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// GET `path_and_query` on the simulator with a bearer token.
pub async fn get(sim: &SimHandle, token: &str, path_and_query: &str) -> Answer {
    let url = format!(
        "{}{}",
        sim.base_url().as_str().trim_end_matches('/'),
        path_and_query
    );
    let response = http()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    answer(response).await
}

pub async fn post_json(sim: &SimHandle, token: &str, path: &str, body: &Value) -> Answer {
    let url = format!("{}{}", sim.base_url().as_str().trim_end_matches('/'), path);
    let response = http()
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST");
    answer(response).await
}

/// Asserts the API error body's shape and returns its message and description.
pub fn error_text(a: &Answer) -> String {
    assert!(a.json["code"].is_string(), "code in {}", a.text);
    assert!(a.json["message"].is_string(), "message in {}", a.text);
    format!(
        "{} {}",
        a.json["message"].as_str().unwrap_or(""),
        a.json["description"].as_str().unwrap_or("")
    )
}

/// Every item of a paged list, following `_links.next` (absolute or relative).
pub async fn all_pages(sim: &SimHandle, token: &str, first: &str, key: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(link) = next {
        let path = link
            .strip_prefix(sim.base_url().as_str().trim_end_matches('/'))
            .unwrap_or(&link)
            .to_owned();
        let a = get(sim, token, &path).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        items.extend(
            a.json["_embedded"][key]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        next = a.json["_links"]["next"]["href"].as_str().map(str::to_owned);
    }
    items
}
