//! Helpers shared by the webhook tests: keys made here, signed bodies, loopback POSTs.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::{EncodePublicKey, LineEnding};
use reqwest::StatusCode;
use serde_json::Value;
use tdbi::config::{DEFAULT_EVENTS_PATH, EventKey, EventsConfig};
use tdbi::events::StoredEvent;
use tokio::sync::broadcast;

/// How long any awaited delivery may take before a test fails.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A deterministic test key (`n` picks one).
pub fn signing_key(n: u8) -> SigningKey {
    let mut bytes = [0x5au8; 32];
    bytes[0] = n;
    SigningKey::from_slice(&bytes).expect("a valid scalar")
}

pub fn public_pem(key: &SigningKey) -> String {
    key.verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("PEM")
}

pub fn event_key(id: &str, key: &SigningKey) -> EventKey {
    EventKey {
        id: id.to_owned(),
        key: *key.verifying_key(),
    }
}

/// A listener on a free loopback port with its journal under `dir`.
pub fn config(dir: &Path, verify: bool, keys: Vec<EventKey>) -> EventsConfig {
    EventsConfig {
        listen: "127.0.0.1:0".parse().expect("literal"),
        path: DEFAULT_EVENTS_PATH.to_owned(),
        verify,
        journal: dir.join("journal/events.jsonl"),
        keys,
    }
}

/// An `app.trial_ended` body in the reference's shape.
pub fn trial_ended(id: &str) -> Vec<u8> {
    serde_json::json!({
        "id": id,
        "created_at": "2017-08-18T10:29:52.000+00:00",
        "api_version": "1",
        "type": "app.trial_ended",
        "app_id": "8fcf7a3762d94f938e71b3a42618fd14",
        "app_version_id": "dd357179dc4a4f8a9c243638eb122f69",
        "data": {
            "installation_id": "4400ebd85fa04322abf5b64de93dc913",
            "account_id": "573491d5df012e3242001b52",
            "expires_at": "2017-08-18T10:29:52.000+00:00",
            "ended_at": "2017-08-08T10:29:52.000+00:00",
            "ended_reason": "trial_expired",
            "ended_by": "system"
        },
        "_links": {
            "root": { "href": "https://api.talkdeskapp.com" },
            "self": { "href": format!("https://api.talkdeskapp.com/apps/8f/events/{id}") },
            "installation": { "href": "https://api.talkdeskapp.com/apps/8f/installations/44" }
        }
    })
    .to_string()
    .into_bytes()
}

pub fn sign_der(key: &SigningKey, body: &[u8]) -> String {
    let sig: Signature = key.sign(body);
    tdbi::events::verify::encode_signature(sig.to_der().as_bytes())
}

pub fn sign_raw(key: &SigningKey, body: &[u8]) -> String {
    let sig: Signature = key.sign(body);
    tdbi::events::verify::encode_signature(&sig.to_bytes())
}

pub fn http() -> reqwest::Client {
    tdbi::api::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client")
}

/// POSTs `body` with the given signature and key id headers; status and JSON answer.
pub async fn post(
    url: &str,
    body: Vec<u8>,
    signature: Option<&str>,
    key_id: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(sig) = signature {
        request = request.header("X-Hub-Ecdsa-Signature", sig);
    }
    if let Some(id) = key_id {
        request = request.header("X-Hub-Ecdsa-Signature-Id", id);
    }
    let response = request.send().await.expect("delivery answered");
    let status = response.status();
    let text = response.text().await.expect("answer body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The next event, or a failure after [`DEADLINE`].
pub async fn next(rx: &mut broadcast::Receiver<StoredEvent>) -> StoredEvent {
    tokio::time::timeout(DEADLINE, rx.recv())
        .await
        .expect("an event within the deadline")
        .expect("the channel is open")
}

/// The journal's bytes (empty when it does not exist).
pub fn journal_bytes(config: &EventsConfig) -> Vec<u8> {
    std::fs::read(&config.journal).unwrap_or_default()
}
